import type { GraphPublicError, GraphRestoreArtifact, SessionScopedRestoreArtifact } from '../graph/dto.js';
import { artifactRestoreStatus, destinationType, isTerminalArtifactStatus } from '../graph/enums.js';
import type { RestoreArtifactResolvers } from '../generated/graphql.js';
import { sessionKind } from './restore-session.js';
import { graphDateTime, graphEnum, graphPublicError, graphString, requiredGraphEnum } from './support/graph-values.js';
import { inlineCopy } from './support/inline-copy.js';
import type { GatewayContext } from '../context.js';
import type { RestoreSessionKind } from '../graph/enums.js';

/**
 * The `RestoreArtifact` interface: the fields every family's artifact shares (the implementations spread
 * {@link artifactStateFields}, the standard ones and the granular mailbox one also {@link restoreArtifactFields}) and
 * the family behind each object.
 */

/** What every artifact carries, standard or granular. */
interface ArtifactState {
  id: string;
  restoreSessionId: string;
  status: string;
  startDateTime?: string | null;
  completionDateTime?: string | null;
  error?: GraphPublicError | null;
}

type Scoped = GraphRestoreArtifact & { restoreSessionId: string };

/** The fields every artifact resolves alike, whatever its family and whether or not it names a restore point. */
export const artifactStateFields = {
  id: (a: ArtifactState) => a.id,
  restoreSessionId: (a: ArtifactState) => a.restoreSessionId,
  status: (a: ArtifactState) => requiredGraphEnum(artifactRestoreStatus, a.status),
  isTerminal: (a: ArtifactState) => isTerminalArtifactStatus(requiredGraphEnum(artifactRestoreStatus, a.status)),
  startDateTime: (a: ArtifactState) => graphDateTime(a.startDateTime),
  completionDateTime: (a: ArtifactState) => graphDateTime(a.completionDateTime),
  error: (a: ArtifactState) => graphPublicError(a.error),
};

/** The fields of an artifact restored from a restore point it names: its destination is required, its point inlined. */
export const restoreArtifactFields = {
  ...artifactStateFields,
  destinationType: (a: Scoped) => requiredGraphEnum(destinationType, a.destinationType),
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

type ArtifactTypename =
  | 'SiteRestoreArtifact'
  | 'MailboxRestoreArtifact'
  | 'DriveRestoreArtifact'
  | 'GranularSiteRestoreArtifact'
  | 'GranularDriveRestoreArtifact'
  | 'GranularMailboxRestoreArtifact';

/** The GraphQL type of an artifact, from the family marker it was read with (site artifacts carry none). */
function typenameOf(a: SessionScopedRestoreArtifact): ArtifactTypename {
  switch (a.restoreArtifactFamily) {
    case 'mailbox':
      return 'MailboxRestoreArtifact';
    case 'drive':
      return 'DriveRestoreArtifact';
    case 'granularSite':
      return 'GranularSiteRestoreArtifact';
    case 'granularDrive':
      return 'GranularDriveRestoreArtifact';
    case 'granularMailbox':
      return 'GranularMailboxRestoreArtifact';
    default:
      return 'SiteRestoreArtifact';
  }
}

/** The restore point an artifact names; granular SharePoint and OneDrive artifacts name none. */
const restorePointOf = (a: SessionScopedRestoreArtifact) => ('restorePoint' in a ? a.restorePoint : undefined);

export const RestoreArtifact: RestoreArtifactResolvers = {
  __resolveType: typenameOf,
  ...artifactStateFields,
  destinationType: (a) => graphEnum(destinationType, a.destinationType),
  restorePointId: (a) => graphString(restorePointOf(a)?.id),
  restorePoint: (a) => {
    const point = restorePointOf(a);
    return point && graphString(point.id) !== null ? inlineCopy(point) : null;
  },
  restoreSession: (a, _args, ctx) => ctx.loaders.sessionById.load(a.restoreSessionId),
};
