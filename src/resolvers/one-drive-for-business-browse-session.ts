import type { OneDriveForBusinessBrowseSessionResolvers } from '../generated/graphql.js';
import { browseSessionFields, browseSessionReference } from './browse-session.js';
import { graphString } from './support/graph-values.js';

export const OneDriveForBusinessBrowseSession: OneDriveForBusinessBrowseSessionResolvers = {
  ...browseSessionFields,
  __resolveReference: browseSessionReference('oneDriveForBusiness', 'OneDriveForBusinessBrowseSession'),
  directoryObjectId: (s) => graphString(s.directoryObjectId),
};
