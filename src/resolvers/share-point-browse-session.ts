import type { SharePointBrowseSessionResolvers } from '../generated/graphql.js';
import { browseSessionFields, browseSessionReference } from './browse-session.js';
import { graphSiteRef, graphString } from './support/graph-values.js';

export const SharePointBrowseSession: SharePointBrowseSessionResolvers = {
  ...browseSessionFields,
  __resolveReference: browseSessionReference('sharePoint', 'SharePointBrowseSession'),
  siteId: (s) => graphString(s.siteId),
  site: (s) => graphSiteRef(s.siteId),
};
