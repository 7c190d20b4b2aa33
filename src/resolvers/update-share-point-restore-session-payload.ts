import type { SessionScopedSiteRestoreArtifact } from '../graph/dto.js';
import type { UpdateSharePointRestoreSessionPayloadResolvers } from '../generated/graphql.js';
import { sessionOfKind } from './restore-artifact.js';
import type { DeltaResult } from './support/delta-answer.js';

/**
 * What `updateSharePointRestoreSession` learned from Graph's `@delta` answer (the codegen mapper
 * of `UpdateSharePointRestoreSessionPayload`). Graph answers an update with the changed items,
 * not the session, so `restoreSession` is read when, and only when, a query asks for it: through
 * the loader the mutation cleared, so the read is fresh and its failure fails that field alone.
 */
export type UpdateSharePointRestoreSessionResult = DeltaResult<SessionScopedSiteRestoreArtifact>;

export const UpdateSharePointRestoreSessionPayload: UpdateSharePointRestoreSessionPayloadResolvers = {
  restoreSession: (result, _args, ctx) => sessionOfKind({ restoreSessionId: result.restoreSessionId }, ctx, 'sharePoint'),
  addedArtifacts: (result) => result.addedArtifacts,
  failures: (result) => result.failures,
};
