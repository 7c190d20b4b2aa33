import type { SiteRestoreArtifactResolvers } from '../generated/graphql.js';
import { restoreArtifactFields, sessionOfKind } from './restore-artifact.js';
import { checkReferenceId } from './support/ids.js';
import { graphSiteRef, graphString, graphUrl } from './support/graph-values.js';

export const SiteRestoreArtifact: SiteRestoreArtifactResolvers = {
  __resolveReference: (ref, ctx) =>
    ctx.loaders.artifactById.load({
      sessionId: checkReferenceId('restoreSession', 'SiteRestoreArtifact', 'restoreSessionId', ref.restoreSessionId),
      artifactId: checkReferenceId('siteRestoreArtifact', 'SiteRestoreArtifact', 'id', ref.id),
    }),
  ...restoreArtifactFields,
  restoredSiteId: (a) => graphString(a.restoredSiteId),
  restoredSite: (a) => graphSiteRef(a.restoredSiteId),
  restoredSiteName: (a) => graphString(a.restoredSiteName),
  restoredSiteWebUrl: (a) => graphUrl(a.restoredSiteWebUrl),
  restoreSession: (a, _args, ctx) => sessionOfKind(a, ctx, 'sharePoint'),
};
