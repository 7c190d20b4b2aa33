import type { Resolvers } from '../generated/graphql.js';
import { DriveRestoreArtifact } from './drive-restore-artifact.js';
import { ExchangeRestoreSession } from './exchange-restore-session.js';
import { Identity } from './identity.js';
import { IdentitySet } from './identity-set.js';
import { MailboxRestoreArtifact } from './mailbox-restore-artifact.js';
import { OneDriveForBusinessRestoreSession } from './one-drive-for-business-restore-session.js';
import { PublicError } from './public-error.js';
import { PublicErrorDetail } from './public-error-detail.js';
import { PublicInnerError } from './public-inner-error.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { RestoreArtifact } from './restore-artifact.js';
import { RestorePoint } from './restore-point.js';
import { RestorePointSearchHit } from './restore-point-search-hit.js';
import { RestorePointSearchResult } from './restore-point-search-result.js';
import { RestoreProgress } from './restore-progress.js';
import { RestoreSession } from './restore-session.js';
import { SharePointRestoreSession } from './share-point-restore-session.js';
import { SiteProtectionUnit } from './site-protection-unit.js';
import { MailboxProtectionUnit } from './mailbox-protection-unit.js';
import { DriveProtectionUnit } from './drive-protection-unit.js';
import { ProtectionUnit } from './protection-unit.js';
import { SiteRestoreArtifact } from './site-restore-artifact.js';
import { SiteRestoreArtifactsBulkAdditionRequest } from './site-restore-artifacts-bulk-addition-request.js';
import { Subscription } from './subscription.js';
import { TimePeriod } from './time-period.js';
import { UpdateSharePointRestoreSessionPayload } from './update-share-point-restore-session-payload.js';
import { UpdateExchangeRestoreSessionPayload } from './update-exchange-restore-session-payload.js';
import { UpdateOneDriveForBusinessRestoreSessionPayload } from './update-one-drive-for-business-restore-session-payload.js';
import { RestoreArtifactsBulkAdditionRequest } from './restore-artifacts-bulk-addition-request.js';
import { MailboxRestoreArtifactsBulkAdditionRequest } from './mailbox-restore-artifacts-bulk-addition-request.js';
import { DriveRestoreArtifactsBulkAdditionRequest } from './drive-restore-artifacts-bulk-addition-request.js';
import { BrowseItem } from './browse-item.js';
import { BrowseQuery } from './support/browse-reads.js';
import { BrowseSession } from './browse-session.js';
import { OneDriveForBusinessBrowseSession } from './one-drive-for-business-browse-session.js';
import { SharePointBrowseSession } from './share-point-browse-session.js';
import { GranularDriveRestoreArtifact } from './granular-drive-restore-artifact.js';
import { GranularMailboxRestoreArtifact } from './granular-mailbox-restore-artifact.js';
import { GranularSiteRestoreArtifact } from './granular-site-restore-artifact.js';
import { UpdateGranularOneDriveForBusinessRestoreSessionPayload } from './update-granular-one-drive-for-business-restore-session-payload.js';
import { UpdateGranularSharePointRestoreSessionPayload } from './update-granular-share-point-restore-session-payload.js';

/**
 * Every resolver object, one per GraphQL type. Connections, edges and `PageInfo` need none: the
 * loaders hand out pages already shaped as Relay connections. Scalars are added by
 * `schema/build-schema.ts`.
 */
export const resolvers = {
  Query: { ...Query, ...BrowseQuery },
  Mutation,
  Subscription,
  UpdateSharePointRestoreSessionPayload,
  UpdateExchangeRestoreSessionPayload,
  UpdateOneDriveForBusinessRestoreSessionPayload,
  RestoreSession,
  SharePointRestoreSession,
  ExchangeRestoreSession,
  OneDriveForBusinessRestoreSession,
  RestoreProgress,
  RestoreArtifact,
  SiteRestoreArtifact,
  MailboxRestoreArtifact,
  DriveRestoreArtifact,
  RestoreArtifactsBulkAdditionRequest,
  SiteRestoreArtifactsBulkAdditionRequest,
  MailboxRestoreArtifactsBulkAdditionRequest,
  DriveRestoreArtifactsBulkAdditionRequest,
  RestorePoint,
  RestorePointSearchResult,
  RestorePointSearchHit,
  ProtectionUnit,
  SiteProtectionUnit,
  MailboxProtectionUnit,
  DriveProtectionUnit,
  IdentitySet,
  Identity,
  PublicError,
  PublicErrorDetail,
  PublicInnerError,
  TimePeriod,
  BrowseSession,
  SharePointBrowseSession,
  OneDriveForBusinessBrowseSession,
  BrowseItem,
  GranularSiteRestoreArtifact,
  GranularDriveRestoreArtifact,
  GranularMailboxRestoreArtifact,
  UpdateGranularSharePointRestoreSessionPayload,
  UpdateGranularOneDriveForBusinessRestoreSessionPayload,
} satisfies Resolvers;
