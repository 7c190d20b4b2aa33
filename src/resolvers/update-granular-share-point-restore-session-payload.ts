import type { SessionScopedGranularSiteRestoreArtifact } from '../graph/dto.js';
import type { UpdateGranularSharePointRestoreSessionPayloadResolvers } from '../generated/graphql.js';
import type { GranularDeltaResult } from './support/granular-delta.js';
import { sessionOfKind } from './restore-artifact.js';

/**
 * What `updateGranularSharePointRestoreSession` learned from Graph's `@delta` answer (the codegen mapper of its payload).
 * Graph answers with the changed items, not the session, so `restoreSession` is read when, and only when, a query asks
 * for it, through the loader the mutation cleared.
 */
export type UpdateGranularSharePointRestoreSessionResult = GranularDeltaResult<SessionScopedGranularSiteRestoreArtifact>;

export const UpdateGranularSharePointRestoreSessionPayload: UpdateGranularSharePointRestoreSessionPayloadResolvers = {
  restoreSession: (result, _args, ctx) => sessionOfKind({ restoreSessionId: result.restoreSessionId }, ctx, 'sharePoint'),
  addedArtifacts: (result) => result.addedArtifacts,
  failures: (result) => result.failures,
};
