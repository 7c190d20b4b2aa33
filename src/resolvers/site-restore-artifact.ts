import { artifactRestoreStatus, destinationType, isTerminalArtifactStatus } from '../graph/enums.js';
import type { SiteRestoreArtifactResolvers } from '../generated/graphql.js';
import { sessionKind } from './restore-session.js';
import { checkReferenceId } from './support/ids.js';
import { inlineCopy } from './support/inline-copy.js';
import { graphDateTime, graphPublicError, graphSiteRef, graphString, graphUrl, requiredGraphEnum } from './support/graph-values.js';

export const SiteRestoreArtifact: SiteRestoreArtifactResolvers = {
  __resolveReference: (ref, ctx) =>
    ctx.loaders.artifactById.load({
      sessionId: checkReferenceId('restoreSession', 'SiteRestoreArtifact', 'restoreSessionId', ref.restoreSessionId),
      artifactId: checkReferenceId('siteRestoreArtifact', 'SiteRestoreArtifact', 'id', ref.id),
    }),
  id: (a) => a.id,
  restoreSessionId: (a) => a.restoreSessionId,
  destinationType: (a) => requiredGraphEnum(destinationType, a.destinationType),
  status: (a) => requiredGraphEnum(artifactRestoreStatus, a.status),
  isTerminal: (a) => isTerminalArtifactStatus(requiredGraphEnum(artifactRestoreStatus, a.status)),
  startDateTime: (a) => graphDateTime(a.startDateTime),
  completionDateTime: (a) => graphDateTime(a.completionDateTime),
  error: (a) => graphPublicError(a.error),
  restoredSiteId: (a) => graphString(a.restoredSiteId),
  restoredSite: (a) => graphSiteRef(a.restoredSiteId),
  restoredSiteName: (a) => graphString(a.restoredSiteName),
  restoredSiteWebUrl: (a) => graphUrl(a.restoredSiteWebUrl),
  restorePointId: (a) => graphString(a.restorePoint?.id),
  // Artifact lists inline the restore point's id and dates; `RestorePoint` loads the rest only when
  // a query asks for a field the inline copy lacks.
  restorePoint: (a) => (a.restorePoint && graphString(a.restorePoint.id) !== null ? inlineCopy(a.restorePoint) : null),
  async restoreSession(a, _args, ctx) {
    const session = await ctx.loaders.sessionById.load(a.restoreSessionId);
    return session && sessionKind(session) === 'sharePoint' ? session : null;
  },
};
