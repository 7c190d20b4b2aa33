import type { GraphRestoreSession } from '../graph/dto.js';
import {
  isTerminalSessionStatus,
  restoreJobType,
  restoreSessionKind,
  restoreSessionStatus,
  restoreSessionTypename,
  type RestoreSessionKind,
} from '../graph/enums.js';
import type { RestoreSessionEntityResolvers, RestoreSessionResolvers } from '../generated/graphql.js';
import { auditFields, graphArtifactCount, graphDateTime, graphEnum, graphPublicError, requiredGraphEnum } from './support/graph-values.js';
import { checkReferenceId } from './support/ids.js';

/**
 * The `RestoreSession` interface: the fields every family shares (the three implementations
 * spread {@link restoreSessionFields}), the family behind each Graph object, and the entity
 * reference resolver for routers that only know the interface (`@interfaceObject`).
 */

/**
 * The family of a session object. `restoreSessions` (an abstract base set) always names the derived
 * type in `@odata.type`; only a family's own set may leave it out, and the only family set the
 * gateway reads is `sharePointRestoreSessions` (whose items also prime the session-by-id loader).
 */
export function sessionKind(session: GraphRestoreSession): RestoreSessionKind {
  return restoreSessionKind(session['@odata.type'], 'sharePoint');
}

export const restoreSessionFields = {
  id: (s) => s.id,
  status: (s) => requiredGraphEnum(restoreSessionStatus, s.status),
  restoreJobType: (s) => graphEnum(restoreJobType, s.restoreJobType),
  progress: (s) => graphArtifactCount(s.restoreSessionArtifactCount),
  isTerminal: (s) => isTerminalSessionStatus(requiredGraphEnum(restoreSessionStatus, s.status)),
  ...auditFields,
  completedDateTime: (s) => graphDateTime(s.completedDateTime),
  error: (s) => graphPublicError(s.error),
} satisfies Omit<Required<RestoreSessionResolvers>, '__resolveType'>;

export const RestoreSession: RestoreSessionEntityResolvers = {
  __resolveType: (s) => restoreSessionTypename(sessionKind(s)),
  // Unknown ids resolve to null, as the router expects of an entity that no longer exists; malformed ones are refused.
  __resolveReference: async (ref, ctx) => ctx.loaders.sessionById.load(checkReferenceId('restoreSession', 'RestoreSession', 'id', ref.id)),
  ...restoreSessionFields,
};
