import type { DriveRestoreArtifactsBulkAdditionRequestResolvers } from '../generated/graphql.js';
import { bulkRequestFields, graphStrings } from './restore-artifacts-bulk-addition-request.js';

export const DriveRestoreArtifactsBulkAdditionRequest: DriveRestoreArtifactsBulkAdditionRequestResolvers = {
  ...bulkRequestFields,
  drives: (r) => graphStrings(r.drives),
  directoryObjectIds: (r) => graphStrings(r.directoryObjectIds),
};
