import type { SessionScopedMailboxRestoreArtifact } from '../graph/dto.js';
import type { UpdateExchangeRestoreSessionPayloadResolvers } from '../generated/graphql.js';
import { sessionOfKind } from './restore-artifact.js';
import type { DeltaResult } from './support/delta-answer.js';

/** What `updateExchangeRestoreSession` learned from Graph's `@delta` answer (see the SharePoint payload). */
export type UpdateExchangeRestoreSessionResult = DeltaResult<SessionScopedMailboxRestoreArtifact>;

export const UpdateExchangeRestoreSessionPayload: UpdateExchangeRestoreSessionPayloadResolvers = {
  restoreSession: (result, _args, ctx) => sessionOfKind({ restoreSessionId: result.restoreSessionId }, ctx, 'exchange'),
  addedArtifacts: (result) => result.addedArtifacts,
  failures: (result) => result.failures,
};
