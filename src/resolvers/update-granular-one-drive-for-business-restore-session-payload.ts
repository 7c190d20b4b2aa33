import type { SessionScopedGranularDriveRestoreArtifact } from '../graph/dto.js';
import type { UpdateGranularOneDriveForBusinessRestoreSessionPayloadResolvers } from '../generated/graphql.js';
import type { GranularDeltaResult } from './support/granular-delta.js';
import { sessionOfKind } from './restore-artifact.js';

/** What `updateGranularOneDriveForBusinessRestoreSession` learned from Graph's `@delta` answer (see the SharePoint one). */
export type UpdateGranularOneDriveForBusinessRestoreSessionResult = GranularDeltaResult<SessionScopedGranularDriveRestoreArtifact>;

export const UpdateGranularOneDriveForBusinessRestoreSessionPayload: UpdateGranularOneDriveForBusinessRestoreSessionPayloadResolvers = {
  restoreSession: (result, _args, ctx) => sessionOfKind({ restoreSessionId: result.restoreSessionId }, ctx, 'oneDriveForBusiness'),
  addedArtifacts: (result) => result.addedArtifacts,
  failures: (result) => result.failures,
};
