/**
 * `@restore-session-gateway/graph-emulator`: the public API. Everything the gateway, its tests and its benchmarks use
 * is exported here (or, for test helpers, from `./testing`); the modules behind it are the package's own business.
 */

// Starting and driving an emulator.
export {
  startEmulator,
  DEV_TENANT_ID,
  DEV_CLIENT_ID,
  DEV_CLIENT_SECRET,
  type EmulatorOptions,
  type EmulatorSettings,
  type RunningEmulator,
} from './start-emulator.js';
export { emulatorOptionsFromEnv, type EmulatorEnvOptions } from './options.js';
export type { ClockMode, Clock } from './clock.js';
// The strict profile: the documented query options per endpoint, and the endpoints served although no page lists them.
export {
  EMULATOR_PROFILES,
  STRICT_QUERY_OPTIONS,
  UNDOCUMENTED_ENDPOINTS,
  type EmulatorProfile,
  type UndocumentedEndpoint,
} from './http/strict-query-options.js';

// Seed data: the default fixture (dated around any instant), its ids, and the shape of a fixture of your own.
export {
  defaultSeed,
  DEFAULT_CLOCK_START_ISO,
  SEED_SESSION_IDS,
  seedRestorePointId,
  seedUnitId,
  seedSiteName,
  SEED_SITE_COUNT,
  RESTORE_POINTS_PER_SITE,
  LEGAL_HOLD_SITE_INDEX,
  REMOVED_SITE_INDEX,
  SEED_POLICY_ID,
  SEED_SESSION_ARTIFACT_IDS,
  type SeedClockStart,
  type SeedFixture,
  type SeedSession,
  type SeedUser,
  type SeedProtectionUnit,
  type SeedRestorePoint,
} from './model/seed.js';
// The Exchange and OneDrive part of the default seed: its people, mailboxes, OneDrives, policies and their ids.
export {
  seedPerson,
  seedMailboxUnitId,
  seedDriveUnitId,
  seedMailboxAddress,
  seedMailboxRestorePointId,
  seedDriveRestorePointId,
  SEED_PERSON_COUNT,
  SEED_MAILBOX_COUNT,
  SEED_DRIVE_COUNT,
  SEED_EXCHANGE_POLICY_ID,
  SEED_ONEDRIVE_POLICY_ID,
  LEGAL_HOLD_MAILBOX_INDEX,
  REMOVED_MAILBOX_INDEX,
  OFFBOARDED_MAILBOX_INDEX,
  UNCHANGED_MAILBOX_INDEX,
  LEGAL_HOLD_DRIVE_INDEX,
  REMOVED_DRIVE_INDEX,
  OFFBOARD_REQUESTED_DRIVE_INDEX,
  type SeedPerson,
  type SeedMailboxProtectionUnit,
  type SeedDriveProtectionUnit,
  type SeedUnitStatus,
} from './model/seed-workloads.js';
// Granular restore in the default seed: the backed-up trees of sites and OneDrives, and the mail items of mailboxes.
export { seedBrowseTree, seedBrowseItem, seedMailItems, type SeedBrowseItem } from './model/seed-granular.js';
export { BROWSE_PAGE_SIZE, REPORTS_FILE_COUNT } from './model/browse-tree.js';
export { MAIL_ITEMS_PER_MAILBOX, type MailItem, type MailAddress } from './model/mail-items.js';
export type { MailItemKind } from './model/types.js';
export { BROWSE_SESSION_LIFETIME_MS } from './routes/browse-sessions.js';
/** The Entra directory role browse sessions and granular lists ask of delegated callers (the seed's `admin` holds it). */
export { SHAREPOINT_BACKUP_ADMINISTRATOR_ROLE } from './authority/caller.js';
/** Deterministic GUIDs from names: the seed's ids, and ids of a fixture's own entities. */
export { stableGuid } from './model/ids.js';

// What the admin API shows: journal entries and fault rules.
export type { JournalEntry } from './admin/journal.js';
export { sequentialRounds } from './admin/journal.js';
export type { FaultConfig, FaultRule, FaultScope } from './admin/faults.js';

// The token authority: its full interface (client certificates, tokens minted without HTTP) and the client ids it names.
export type { EmulatorAuthority, GraphTokenRequest, RegisteredCertificate } from './authority/create-authority.js';
export type { ApiTokenRequest } from './authority/authority.js';
export { FRONTEND_SPA_CLIENT_ID } from './authority/claims.js';
