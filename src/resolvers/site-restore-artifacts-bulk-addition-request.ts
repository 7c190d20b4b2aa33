import type { SiteRestoreArtifactsBulkAdditionRequestResolvers } from '../generated/graphql.js';
import { bulkRequestFields, graphStrings } from './restore-artifacts-bulk-addition-request.js';

export const SiteRestoreArtifactsBulkAdditionRequest: SiteRestoreArtifactsBulkAdditionRequestResolvers = {
  ...bulkRequestFields,
  siteWebUrls: (r) => graphStrings(r.siteWebUrls),
};
