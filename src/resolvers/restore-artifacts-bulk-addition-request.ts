import type { SessionScopedAnyBulkAdditionRequest } from '../graph/dto.js';
import {
  destinationType,
  isTerminalBulkRequestStatus,
  restoreArtifactsBulkRequestStatus,
  restorePointPreference,
  restorePointTags,
} from '../graph/enums.js';
import type { RestoreArtifactsBulkAdditionRequestResolvers } from '../generated/graphql.js';
import { auditFields, graphEnum, graphPublicError, graphString, requiredGraphEnum } from './support/graph-values.js';

/**
 * The `RestoreArtifactsBulkAdditionRequest` interface: the fields every family's bulk addition request shares (the
 * three implementations spread {@link bulkRequestFields}), and the family behind each object, which the Graph client
 * recorded from the set it read the request from.
 */

type Scoped = SessionScopedAnyBulkAdditionRequest;

/** Graph's list of names (site URLs, addresses, object ids), or null when it left the list out. */
export function graphStrings(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((u): u is string => typeof u === 'string') : null;
}

export const bulkRequestFields = {
  id: (r: Scoped) => r.id,
  restoreSessionId: (r: Scoped) => r.restoreSessionId,
  displayName: (r: Scoped) => graphString(r.displayName),
  destinationType: (r: Scoped) => graphEnum(destinationType, r.destinationType),
  protectionTimePeriod: (r: Scoped) =>
    typeof r.protectionTimePeriod === 'object' && r.protectionTimePeriod !== null ? r.protectionTimePeriod : null,
  restorePointPreference: (r: Scoped) => graphEnum(restorePointPreference, r.restorePointPreference),
  tags: (r: Scoped) => graphEnum(restorePointTags, r.tags),
  status: (r: Scoped) => requiredGraphEnum(restoreArtifactsBulkRequestStatus, r.status),
  isTerminal: (r: Scoped) => isTerminalBulkRequestStatus(requiredGraphEnum(restoreArtifactsBulkRequestStatus, r.status)),
  error: (r: Scoped) => graphPublicError(r.error),
  ...auditFields,
};

const TYPENAMES = {
  sharePoint: 'SiteRestoreArtifactsBulkAdditionRequest',
  exchange: 'MailboxRestoreArtifactsBulkAdditionRequest',
  oneDriveForBusiness: 'DriveRestoreArtifactsBulkAdditionRequest',
} as const;

export const RestoreArtifactsBulkAdditionRequest: RestoreArtifactsBulkAdditionRequestResolvers = {
  __resolveType: (r) => TYPENAMES[r.restoreFamily],
  ...bulkRequestFields,
};
