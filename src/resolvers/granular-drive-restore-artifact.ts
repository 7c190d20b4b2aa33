import type { GranularDriveRestoreArtifactResolvers } from '../generated/graphql.js';
import { sessionOfKind } from './restore-artifact.js';
import { fromWholeList, granularItemFields, granularReferenceKey } from './support/granular-artifact-fields.js';
import { graphString } from './support/graph-values.js';

export const GranularDriveRestoreArtifact: GranularDriveRestoreArtifactResolvers = {
  __resolveReference: (ref, ctx) => {
    const { sessionId, artifactId } = granularReferenceKey('GranularDriveRestoreArtifact', ref);
    return fromWholeList(() => ctx.loaders.granular.driveList.load(sessionId), artifactId);
  },
  ...granularItemFields,
  directoryObjectId: (a) => graphString(a.directoryObjectId),
  restoreSession: (a, _args, ctx) => sessionOfKind(a, ctx, 'oneDriveForBusiness'),
};
