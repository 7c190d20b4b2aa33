import { stableGuid } from './ids.js';
import type { ProtectionUnitStatus } from './types.js';
import {
  DAY,
  DEFAULT_CLOCK_START_ISO,
  RESTORE_POINTS_PER_SITE,
  restorePointIdOf,
  restorePointTime,
  type SeedClockStart,
} from './seed-clock.js';

/**
 * The Exchange and OneDrive part of the default seed: the tenant's people, a mailbox and a OneDrive for each of them
 * (plus two shared mailboxes), protected by one Exchange and one OneDrive policy, each with the same daily restore
 * points as the sites. A few of them are special on purpose, so that every terminal status of a restore of each
 * family can be reached: a mailbox and a drive under legal hold, a removed one of each, one in an offboarding state
 * (a protectionUnitStatus member after `unknownFutureValue`, so Prefer-gated), and a shared mailbox that never changed.
 */

/** One of the directory's people: the owner of a mailbox and a OneDrive. */
export interface SeedPerson {
  /** Entra object id (the `directoryObjectId` of their units). */
  id: string;
  displayName: string;
  /** Their primary SMTP address, which is also the owner e-mail of their OneDrive. */
  email: string;
}

/** An Exchange mailbox under protection. */
export interface SeedMailboxProtectionUnit {
  id: string;
  policyId: string;
  directoryObjectId: string;
  displayName: string;
  email: string;
  mailboxType?: 'user' | 'shared';
  status?: SeedUnitStatus;
  legalHold?: boolean;
  /** Nothing changed in it since its backups: a restore restores no item (`restoredItemCount` 0). */
  unchanged?: boolean;
  createdDateTime: string;
}

/** A OneDrive under protection, with its owner and its personal site (what an in-place restore names). */
export interface SeedDriveProtectionUnit {
  id: string;
  policyId: string;
  directoryObjectId: string;
  displayName: string;
  email: string;
  siteId: string;
  siteName: string;
  siteWebUrl: string;
  status?: SeedUnitStatus;
  legalHold?: boolean;
  createdDateTime: string;
}

/** protectionUnitStatus values a seeded unit may have: any the model knows. */
export type SeedUnitStatus = ProtectionUnitStatus;

const PEOPLE: ReadonlyArray<[alias: string, displayName: string]> = [
  ['adelev', 'Adele Vance'],
  ['meganb', 'Megan Bowen'],
  ['alexw', 'Alex Wilber'],
  ['diegos', 'Diego Siciliani'],
  ['gradya', 'Grady Archie'],
  ['henriettam', 'Henrietta Mueller'],
  ['isaiahl', 'Isaiah Langer'],
  ['johannal', 'Johanna Lorenz'],
  ['jonis', 'Joni Sherman'],
  ['lidiah', 'Lidia Holloway'],
  ['lynner', 'Lynne Robbins'],
  ['miriamg', 'Miriam Graham'],
  ['nestorw', 'Nestor Wilke'],
  ['pattif', 'Patti Fernandez'],
  ['pradeepg', 'Pradeep Gupta'],
  ['allande', 'Allan Deyoung'],
  ['christiec', 'Christie Cline'],
  ['debrab', 'Debra Berger'],
  ['enricoc', 'Enrico Cattaneo'],
  ['irvins', 'Irvin Sayers'],
  ['raulr', 'Raul Razo'],
  ['emilyb', 'Emily Braun'],
  ['cameronw', 'Cameron White'],
  ['brianj', 'Brian Johnson'],
];
const SHARED_MAILBOXES: ReadonlyArray<[alias: string, displayName: string]> = [
  ['sales', 'Sales Team'],
  ['helpdesk', 'Help Desk'],
];
const DOMAIN = 'contoso.onmicrosoft.com';

export const SEED_EXCHANGE_POLICY_ID = stableGuid('policy:exchange');
export const SEED_ONEDRIVE_POLICY_ID = stableGuid('policy:onedrive');
/** People with a protected mailbox and a protected OneDrive each (`seedPerson(i)`, mailbox i and drive i are theirs). */
export const SEED_PERSON_COUNT = PEOPLE.length;
/** Protected mailboxes: one per person, then the shared mailboxes. */
export const SEED_MAILBOX_COUNT = PEOPLE.length + SHARED_MAILBOXES.length;
/** Protected OneDrives: one per person. */
export const SEED_DRIVE_COUNT = PEOPLE.length;

/** 0-based index of the mailbox under legal hold: every restore of it fails with ArtifactCannotBeRestored. */
export const LEGAL_HOLD_MAILBOX_INDEX = 5;
/** 0-based index of the mailbox that was removed from its policy (`removeRequested`): restores fail with ArtifactNotFound. */
export const REMOVED_MAILBOX_INDEX = PEOPLE.length - 1;
/** 0-based index of the offboarded mailbox (status `offboarded`, Prefer-gated): restores fail with ArtifactNotFound. */
export const OFFBOARDED_MAILBOX_INDEX = PEOPLE.length - 2;
/** 0-based index of the shared mailbox that never changed: restores succeed with `restoredItemCount` 0. */
export const UNCHANGED_MAILBOX_INDEX = PEOPLE.length + 1;
/** 0-based index of the OneDrive under legal hold: every restore of it fails with ArtifactCannotBeRestored. */
export const LEGAL_HOLD_DRIVE_INDEX = 5;
/** 0-based index of the OneDrive that was removed from its policy (`removeRequested`): restores fail with ArtifactNotFound. */
export const REMOVED_DRIVE_INDEX = PEOPLE.length - 1;
/** 0-based index of the OneDrive being offboarded (`offboardRequested`, Prefer-gated): restores fail with ArtifactNotFound. */
export const OFFBOARD_REQUESTED_DRIVE_INDEX = PEOPLE.length - 2;

/**
 * Person `index` of the directory. The first two are the seed's `admin` and `reader` users (same object ids), so a
 * bulk request may name their mailboxes by the ids the tokens carry; `noconsent` (Lee Gu) has neither a mailbox nor a
 * OneDrive under protection, so naming him is a `UserNotBackedup`.
 */
export function seedPerson(index: number): SeedPerson {
  const entry = PEOPLE[index];
  if (!entry) throw new RangeError(`no seeded person ${index} (there are ${PEOPLE.length})`);
  const [alias, displayName] = entry;
  const id = index === 0 ? stableGuid('user:admin') : index === 1 ? stableGuid('user:reader') : stableGuid(`user:${alias}`);
  return { id, displayName, email: `${alias}@${DOMAIN}` };
}

export function seedMailboxUnitId(index: number): string {
  return stableGuid(`mailbox-protection-unit:${index}`);
}

export function seedDriveUnitId(index: number): string {
  return stableGuid(`drive-protection-unit:${index}`);
}

/** The SMTP address of mailbox `index` (a bulk request's `mailboxes` entry). */
export function seedMailboxAddress(index: number): string {
  if (index < PEOPLE.length) return seedPerson(index).email;
  const shared = SHARED_MAILBOXES[index - PEOPLE.length];
  if (!shared) throw new RangeError(`no seeded mailbox ${index} (there are ${SEED_MAILBOX_COUNT})`);
  return `${shared[0]}@${DOMAIN}`;
}

/** Restore point `day` (0 = newest) of mailbox `index`, in the default seed dated at `clockStart`. */
export function seedMailboxRestorePointId(index: number, day: number, clockStart: SeedClockStart = DEFAULT_CLOCK_START_ISO): string {
  return restorePointIdOf(seedMailboxUnitId(index), day, clockStart);
}

/** Restore point `day` (0 = newest) of OneDrive `index`, in the default seed dated at `clockStart`. */
export function seedDriveRestorePointId(index: number, day: number, clockStart: SeedClockStart = DEFAULT_CLOCK_START_ISO): string {
  return restorePointIdOf(seedDriveUnitId(index), day, clockStart);
}

function mailboxStatus(index: number): SeedUnitStatus {
  if (index === REMOVED_MAILBOX_INDEX) return 'removeRequested';
  if (index === OFFBOARDED_MAILBOX_INDEX) return 'offboarded';
  return 'protected';
}

function driveStatus(index: number): SeedUnitStatus {
  if (index === REMOVED_DRIVE_INDEX) return 'removeRequested';
  if (index === OFFBOARD_REQUESTED_DRIVE_INDEX) return 'offboardRequested';
  return 'protected';
}

function seedMailbox(index: number, created: (i: number) => string): SeedMailboxProtectionUnit {
  const shared = index >= PEOPLE.length ? SHARED_MAILBOXES[index - PEOPLE.length] : undefined;
  const owner = shared ? { id: stableGuid(`shared-mailbox:${shared[0]}`), displayName: shared[1] } : seedPerson(index);
  return {
    id: seedMailboxUnitId(index),
    policyId: SEED_EXCHANGE_POLICY_ID,
    directoryObjectId: owner.id,
    displayName: owner.displayName,
    email: seedMailboxAddress(index),
    mailboxType: shared ? 'shared' : 'user',
    status: mailboxStatus(index),
    legalHold: index === LEGAL_HOLD_MAILBOX_INDEX,
    unchanged: index === UNCHANGED_MAILBOX_INDEX,
    createdDateTime: created(index),
  };
}

function seedDrive(index: number, created: (i: number) => string): SeedDriveProtectionUnit {
  const person = seedPerson(index);
  // A OneDrive is a personal site named after its owner's sign-in name, on the tenant's "-my" host.
  const siteName = person.email.replace(/[@.]/g, '_');
  return {
    id: seedDriveUnitId(index),
    policyId: SEED_ONEDRIVE_POLICY_ID,
    directoryObjectId: person.id,
    displayName: person.displayName,
    email: person.email,
    siteId: `contoso-my.sharepoint.com,${stableGuid(`drive-site-collection:${index}`)},${stableGuid(`drive-site-web:${index}`)}`,
    siteName,
    siteWebUrl: `https://contoso-my.sharepoint.com/personal/${siteName}`,
    status: driveStatus(index),
    legalHold: index === LEGAL_HOLD_DRIVE_INDEX,
    createdDateTime: created(index),
  };
}

/** What the seed's restore points look like, for any unit: daily at midnight, the newest 7 fast-restore, a year's retention. */
export interface SeedPointShape {
  id: string;
  protectionUnitId: string;
  protectionDateTime: string;
  expirationDateTime: string;
  tags: 'none' | 'fastRestore';
}

export function dailyRestorePoints(unitId: string, clockStart: string): SeedPointShape[] {
  return Array.from({ length: RESTORE_POINTS_PER_SITE }, (_, day) => {
    const t = restorePointTime(day, clockStart);
    return {
      id: restorePointIdOf(unitId, day, clockStart),
      protectionUnitId: unitId,
      protectionDateTime: new Date(t).toISOString(),
      expirationDateTime: new Date(t + 365 * DAY).toISOString(),
      tags: day < 7 ? 'fastRestore' : 'none',
    };
  });
}

/** The protected mailboxes and OneDrives of the default seed dated at `clockStart`, with their restore points. */
export function seedWorkloads(clockStart: string): {
  mailboxProtectionUnits: SeedMailboxProtectionUnit[];
  driveProtectionUnits: SeedDriveProtectionUnit[];
  restorePoints: SeedPointShape[];
} {
  const start = Date.parse(clockStart);
  const created = (offset: number) => (i: number) => new Date(start - 100 * DAY + offset + i * 60_000).toISOString();
  const mailboxProtectionUnits = Array.from({ length: SEED_MAILBOX_COUNT }, (_, i) => seedMailbox(i, created(0)));
  const driveProtectionUnits = Array.from({ length: SEED_DRIVE_COUNT }, (_, i) => seedDrive(i, created(3_600_000)));
  const restorePoints = [...mailboxProtectionUnits, ...driveProtectionUnits].flatMap((u) => dailyRestorePoints(u.id, clockStart));
  return { mailboxProtectionUnits, driveProtectionUnits, restorePoints };
}
