import type { SessionScopedDriveRestoreArtifact } from '../graph/dto.js';
import type { UpdateOneDriveForBusinessRestoreSessionPayloadResolvers } from '../generated/graphql.js';
import { sessionOfKind } from './restore-artifact.js';
import type { DeltaResult } from './support/delta-answer.js';

/** What `updateOneDriveForBusinessRestoreSession` learned from Graph's `@delta` answer (see the SharePoint payload). */
export type UpdateOneDriveForBusinessRestoreSessionResult = DeltaResult<SessionScopedDriveRestoreArtifact>;

export const UpdateOneDriveForBusinessRestoreSessionPayload: UpdateOneDriveForBusinessRestoreSessionPayloadResolvers = {
  restoreSession: (result, _args, ctx) => sessionOfKind({ restoreSessionId: result.restoreSessionId }, ctx, 'oneDriveForBusiness'),
  addedArtifacts: (result) => result.addedArtifacts,
  failures: (result) => result.failures,
};
