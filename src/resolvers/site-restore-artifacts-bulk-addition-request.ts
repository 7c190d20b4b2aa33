import {
  destinationType,
  isTerminalBulkRequestStatus,
  restoreArtifactsBulkRequestStatus,
  restorePointPreference,
  restorePointTags,
} from '../graph/enums.js';
import type { SiteRestoreArtifactsBulkAdditionRequestResolvers } from '../generated/graphql.js';
import { auditFields, graphEnum, graphPublicError, graphString, requiredGraphEnum } from './support/graph-values.js';

export const SiteRestoreArtifactsBulkAdditionRequest: SiteRestoreArtifactsBulkAdditionRequestResolvers = {
  id: (r) => r.id,
  restoreSessionId: (r) => r.restoreSessionId,
  displayName: (r) => graphString(r.displayName),
  destinationType: (r) => graphEnum(destinationType, r.destinationType),
  protectionTimePeriod: (r) =>
    typeof r.protectionTimePeriod === 'object' && r.protectionTimePeriod !== null ? r.protectionTimePeriod : null,
  restorePointPreference: (r) => graphEnum(restorePointPreference, r.restorePointPreference),
  tags: (r) => graphEnum(restorePointTags, r.tags),
  siteWebUrls: (r) => (Array.isArray(r.siteWebUrls) ? r.siteWebUrls.filter((u): u is string => typeof u === 'string') : null),
  status: (r) => requiredGraphEnum(restoreArtifactsBulkRequestStatus, r.status),
  isTerminal: (r) => isTerminalBulkRequestStatus(requiredGraphEnum(restoreArtifactsBulkRequestStatus, r.status)),
  error: (r) => graphPublicError(r.error),
  ...auditFields,
};
