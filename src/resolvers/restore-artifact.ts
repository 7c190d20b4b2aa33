import type { GraphRestoreArtifact, SessionScopedRestoreArtifact } from '../graph/dto.js';
import { artifactRestoreStatus, destinationType, isTerminalArtifactStatus } from '../graph/enums.js';
import type { RestoreArtifactResolvers } from '../generated/graphql.js';
import { sessionKind } from './restore-session.js';
import { graphDateTime, graphPublicError, graphString, requiredGraphEnum } from './support/graph-values.js';
import { inlineCopy } from './support/inline-copy.js';
import type { GatewayContext } from '../context.js';
import type { RestoreSessionKind } from '../graph/enums.js';

/**
 * The `RestoreArtifact` interface: the fields every family's artifact shares (the three implementations spread
 * {@link restoreArtifactFields}) and the family behind each object.
 */

type Scoped = GraphRestoreArtifact & { restoreSessionId: string };

export const restoreArtifactFields = {
  id: (a: Scoped) => a.id,
  restoreSessionId: (a: Scoped) => a.restoreSessionId,
  destinationType: (a: Scoped) => requiredGraphEnum(destinationType, a.destinationType),
  status: (a: Scoped) => requiredGraphEnum(artifactRestoreStatus, a.status),
  isTerminal: (a: Scoped) => isTerminalArtifactStatus(requiredGraphEnum(artifactRestoreStatus, a.status)),
  startDateTime: (a: Scoped) => graphDateTime(a.startDateTime),
  completionDateTime: (a: Scoped) => graphDateTime(a.completionDateTime),
  error: (a: Scoped) => graphPublicError(a.error),
  restorePointId: (a: Scoped) => graphString(a.restorePoint?.id),
  // Artifact lists inline the restore point's id and dates; `RestorePoint` loads the rest only when
  // a query asks for a field the inline copy lacks.
  restorePoint: (a: Scoped) => (a.restorePoint && graphString(a.restorePoint.id) !== null ? inlineCopy(a.restorePoint) : null),
};

/** The session of an artifact (or update) when it is of `kind` (an artifact reached through a session of another family is not its). */
export async function sessionOfKind(a: { restoreSessionId: string }, ctx: GatewayContext, kind: RestoreSessionKind) {
  const session = await ctx.loaders.sessionById.load(a.restoreSessionId);
  return session && sessionKind(session) === kind ? session : null;
}

function typenameOf(a: SessionScopedRestoreArtifact): 'SiteRestoreArtifact' | 'MailboxRestoreArtifact' | 'DriveRestoreArtifact' {
  switch (a.restoreArtifactFamily) {
    case 'mailbox':
      return 'MailboxRestoreArtifact';
    case 'drive':
      return 'DriveRestoreArtifact';
    default:
      return 'SiteRestoreArtifact';
  }
}

export const RestoreArtifact: RestoreArtifactResolvers = {
  __resolveType: typenameOf,
  ...restoreArtifactFields,
  restoreSession: (a, _args, ctx) => ctx.loaders.sessionById.load(a.restoreSessionId),
};
