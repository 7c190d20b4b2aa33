import type { DriveRestoreArtifactResolvers } from '../generated/graphql.js';
import { restoreArtifactFields, sessionOfKind } from './restore-artifact.js';
import { checkReferenceId } from './support/ids.js';
import { graphSiteRef, graphString, graphUrl } from './support/graph-values.js';

export const DriveRestoreArtifact: DriveRestoreArtifactResolvers = {
  __resolveReference: (ref, ctx) =>
    ctx.loaders.driveArtifactById.load({
      sessionId: checkReferenceId('restoreSession', 'DriveRestoreArtifact', 'restoreSessionId', ref.restoreSessionId),
      artifactId: checkReferenceId('restoreArtifact', 'DriveRestoreArtifact', 'id', ref.id),
    }),
  ...restoreArtifactFields,
  restoredSiteId: (a) => graphString(a.restoredSiteId),
  restoredSite: (a) => graphSiteRef(a.restoredSiteId),
  restoredSiteName: (a) => graphString(a.restoredSiteName),
  restoredSiteWebUrl: (a) => graphUrl(a.restoredSiteWebUrl),
  restoreSession: (a, _args, ctx) => sessionOfKind(a, ctx, 'oneDriveForBusiness'),
};
