import { stableGuid } from './ids.js';
import { SHAREPOINT_BACKUP_ADMINISTRATOR_ROLE } from '../authority/caller.js';
import type { DestinationType, RestoreJobType, RestoreSessionStatus, SessionKind, ArtifactCounts } from './types.js';
import {
  DAY,
  DEFAULT_CLOCK_START_ISO,
  RESTORE_POINTS_PER_SITE,
  isoInstant,
  restorePointIdOf,
  restorePointTime,
  type SeedClockStart,
} from './seed-clock.js';
import {
  LEGAL_HOLD_DRIVE_INDEX,
  seedDriveRestorePointId,
  seedMailboxRestorePointId,
  seedWorkloads,
  type SeedDriveProtectionUnit,
  type SeedMailboxProtectionUnit,
  type SeedUnitStatus,
} from './seed-workloads.js';

export { DEFAULT_CLOCK_START_ISO, RESTORE_POINTS_PER_SITE, type SeedClockStart };

/**
 * A seed fixture: plain JSON, so `POST /_emulator/seed` can replace the default one. Dates are ISO strings.
 * Sessions with `activatedDateTime` get their restore plans computed on load, with their durations multiplied by
 * `durationScale` (default 1), so a seeded session can be minutes or hours into a long restore.
 */
export interface SeedFixture {
  /** The virtual clock's start instant. */
  clockStart: string;
  users: SeedUser[];
  /** SharePoint sites under protection. */
  protectionUnits: SeedProtectionUnit[];
  /** Exchange mailboxes under protection (a fixture without them protects none). */
  mailboxProtectionUnits?: SeedMailboxProtectionUnit[];
  /** OneDrives under protection (a fixture without them protects none). */
  driveProtectionUnits?: SeedDriveProtectionUnit[];
  /** Restore points of any of the fixture's units. */
  restorePoints: SeedRestorePoint[];
  sessions: SeedSession[];
}

export interface SeedUser {
  /** Short name used by `/_emulator/token` and the authority (`admin`, `reader`). */
  name: string;
  id: string;
  displayName: string;
  email: string;
  /**
   * Template ids of the Entra directory roles the user holds: the `wids` claim of their Graph tokens. The default seed's
   * `admin` holds SharePoint Backup Administrator, which browse sessions and granular lists ask of delegated callers.
   */
  directoryRoles?: string[];
}

export interface SeedProtectionUnit {
  id: string;
  policyId: string;
  siteId: string;
  siteName: string;
  siteWebUrl: string;
  status?: SeedUnitStatus;
  legalHold?: boolean;
  createdDateTime: string;
}

export interface SeedRestorePoint {
  id: string;
  protectionUnitId: string;
  protectionDateTime: string;
  expirationDateTime: string;
  tags?: 'none' | 'fastRestore' | 'includeNewerItems';
}

export interface SeedSession {
  id: string;
  kind: SessionKind;
  restoreJobType?: RestoreJobType;
  /** A seed user's name. */
  createdBy: string;
  createdDateTime: string;
  activatedDateTime?: string | null;
  durationScale?: number;
  /** Each on a restore point of the session's own workload (a site's, mailbox's or OneDrive's). */
  artifacts?: Array<{ id: string; restorePointId: string; destinationType: DestinationType }>;
  /**
   * Status, counts and completion as the session shows them whatever its artifacts' plans say (the default seed's
   * Exchange and OneDrive sessions); `activatedDateTime` then only times the artifacts.
   */
  fixed?: { status: RestoreSessionStatus; counts: ArtifactCounts; completedDateTime: string | null };
}

const TEAM_SITES = [
  'Finance',
  'Legal',
  'Marketing',
  'Engineering',
  'Sales',
  'HR',
  'Support',
  'Research',
  'Operations',
  'Procurement',
  'Security',
  'Design',
  'Product',
  'Compliance',
  'Facilities',
  'Training',
  'Communications',
  'Strategy',
  'Partners',
  'Executive',
];

/** The SharePoint protection policy every seeded site belongs to. */
export const SEED_POLICY_ID = stableGuid('policy:sharepoint');
export const SEED_SITE_COUNT = 72;
/** 0-based index of the site under legal hold (in-place restores fail with ArtifactCannotBeRestored). */
export const LEGAL_HOLD_SITE_INDEX = 6;
/** 0-based index of the site whose protection unit was removed (every restore fails with ArtifactNotFound). */
export const REMOVED_SITE_INDEX = SEED_SITE_COUNT - 1;

export function seedUnitId(index: number): string {
  return stableGuid(`site-protection-unit:${index}`);
}

export function seedSiteName(index: number): string {
  if (index === LEGAL_HOLD_SITE_INDEX) return 'LegalHoldArchive';
  if (index === REMOVED_SITE_INDEX) return 'RetiredProjects';
  const base = TEAM_SITES[index % TEAM_SITES.length] ?? 'Team';
  return `${base}${String(Math.floor(index / TEAM_SITES.length) + 1).padStart(2, '0')}`;
}

/**
 * Restore point `day` (0 = newest) of site `index` in the default seed dated at `clockStart`. Like Graph's, the id
 * holds the time the point was taken (`{unitId}_{epochSeconds}_14_1`), so it changes with the start's UTC day.
 */
export function seedRestorePointId(index: number, day: number, clockStart: SeedClockStart = DEFAULT_CLOCK_START_ISO): string {
  return restorePointIdOf(seedUnitId(index), day, clockStart);
}

export const SEED_SESSION_IDS = {
  draft: stableGuid('session:draft'),
  active: stableGuid('session:active'),
  completed: stableGuid('session:completed'),
  completedWithError: stableGuid('session:completed-with-error'),
  failed: stableGuid('session:failed'),
  large: stableGuid('session:large'),
  emptyDraft: stableGuid('session:empty-draft'),
  exchange: stableGuid('session:exchange'),
  oneDrive: stableGuid('session:onedrive'),
} as const;

/** Artifact ids of the seeded Exchange and OneDrive sessions, in their order (mailboxes 2, 3, 4, 6; drives 2, 3, 5). */
export const SEED_SESSION_ARTIFACT_IDS = {
  exchange: [0, 1, 2, 3].map((n) => stableGuid(`artifact:exchange:${n}`)),
  oneDrive: [0, 1, 2].map((n) => stableGuid(`artifact:onedrive:${n}`)),
} as const;

/**
 * The default seed, dated around `clockStart` (default: the fixed instant): protection, session and restore times are
 * all relative to it. Session, unit and artifact ids are the same for every start; restore point ids hold their day.
 */
export function defaultSeed(start: SeedClockStart = DEFAULT_CLOCK_START_ISO): SeedFixture {
  const clockStart = isoInstant(start);
  const at = seedTime(clockStart);
  const sites = seedSites(clockStart, at);
  const workloads = seedWorkloads(clockStart);
  return {
    clockStart,
    users: seedUsers(),
    protectionUnits: sites.protectionUnits,
    mailboxProtectionUnits: workloads.mailboxProtectionUnits,
    driveProtectionUnits: workloads.driveProtectionUnits,
    restorePoints: [...sites.restorePoints, ...workloads.restorePoints],
    sessions: [...finishedSessions(at), ...runningSessions(at), ...draftSessions(at), ...otherWorkloadSessions(at, clockStart)],
  };
}

/** Times relative to the clock start, and artifacts on a seeded site's restore point. */
interface SeedTime {
  start: number;
  iso(t: number): string;
  artifact(
    session: string,
    n: number,
    site: number,
    destinationType: DestinationType,
    day?: number,
  ): NonNullable<SeedSession['artifacts']>[number];
}

function seedTime(clockStart: string): SeedTime {
  return {
    start: Date.parse(clockStart),
    iso: (t) => new Date(t).toISOString(),
    artifact: (session, n, site, destinationType, day = 0) => ({
      id: stableGuid(`artifact:${session}:${n}`),
      restorePointId: seedRestorePointId(site, day, clockStart),
      destinationType,
    }),
  };
}

function seedUsers(): SeedUser[] {
  return [
    {
      name: 'admin',
      id: stableGuid('user:admin'),
      displayName: 'Adele Vance',
      email: 'adelev@contoso.onmicrosoft.com',
      directoryRoles: [SHAREPOINT_BACKUP_ADMINISTRATOR_ROLE],
    },
    { name: 'reader', id: stableGuid('user:reader'), displayName: 'Megan Bowen', email: 'meganb@contoso.onmicrosoft.com' },
    { name: 'noconsent', id: stableGuid('user:noconsent'), displayName: 'Lee Gu', email: 'leeg@contoso.onmicrosoft.com' },
  ];
}

/** The protected sites, each with its daily restore points. */
function seedSites(clockStart: string, { start, iso }: SeedTime): Pick<SeedFixture, 'protectionUnits' | 'restorePoints'> {
  const protectionUnits: SeedProtectionUnit[] = [];
  const restorePoints: SeedRestorePoint[] = [];
  for (let i = 0; i < SEED_SITE_COUNT; i++) {
    const name = seedSiteName(i);
    protectionUnits.push({
      id: seedUnitId(i),
      policyId: SEED_POLICY_ID,
      siteId: `contoso.sharepoint.com,${stableGuid(`site-collection:${i}`)},${stableGuid(`site-web:${i}`)}`,
      siteName: name,
      siteWebUrl: `https://contoso.sharepoint.com/sites/${name}`,
      status: i === REMOVED_SITE_INDEX ? 'removeRequested' : 'protected',
      legalHold: i === LEGAL_HOLD_SITE_INDEX,
      createdDateTime: iso(start - 120 * DAY + i * 60_000),
    });
    for (let day = 0; day < RESTORE_POINTS_PER_SITE; day++) {
      const t = restorePointTime(day, clockStart);
      restorePoints.push({
        id: seedRestorePointId(i, day, clockStart),
        protectionUnitId: seedUnitId(i),
        protectionDateTime: iso(t),
        expirationDateTime: iso(t + 365 * DAY),
        tags: day < 7 ? 'fastRestore' : 'none',
      });
    }
  }
  return { protectionUnits, restorePoints };
}

/** SharePoint sessions that ended before the clock start: completed, completed with an error, failed. */
function finishedSessions({ start, iso, artifact: art }: SeedTime): SeedSession[] {
  return [
    {
      id: SEED_SESSION_IDS.completed,
      kind: 'sharePoint',
      createdBy: 'admin',
      createdDateTime: iso(start - 3 * DAY),
      activatedDateTime: iso(start - 3 * DAY + 300_000),
      artifacts: [art('completed', 0, 0, 'inPlace', 3), art('completed', 1, 1, 'inPlace', 3)],
    },
    {
      id: SEED_SESSION_IDS.completedWithError,
      kind: 'sharePoint',
      createdBy: 'admin',
      createdDateTime: iso(start - 2 * DAY),
      activatedDateTime: iso(start - 2 * DAY + 600_000),
      artifacts: [
        art('completed-with-error', 0, 2, 'inPlace', 2),
        art('completed-with-error', 1, LEGAL_HOLD_SITE_INDEX, 'inPlace', 2),
        art('completed-with-error', 2, 3, 'inPlace', 2),
      ],
    },
    {
      id: SEED_SESSION_IDS.failed,
      kind: 'sharePoint',
      createdBy: 'admin',
      createdDateTime: iso(start - DAY),
      activatedDateTime: iso(start - DAY + 120_000),
      artifacts: [art('failed', 0, LEGAL_HOLD_SITE_INDEX, 'inPlace', 1), art('failed', 1, REMOVED_SITE_INDEX, 'inPlace', 1)],
    },
  ];
}

/** SharePoint sessions restoring at the clock start: a long one that pages, and a short one that finishes soon. */
function runningSessions({ start, iso, artifact: art }: SeedTime): SeedSession[] {
  return [
    {
      id: SEED_SESSION_IDS.large,
      kind: 'sharePoint',
      createdBy: 'admin',
      createdDateTime: iso(start - 40 * 60_000),
      activatedDateTime: iso(start - 30 * 60_000),
      durationScale: 60,
      artifacts: Array.from({ length: 65 }, (_, i) => art('large', i, i, 'new')),
    },
    {
      id: SEED_SESSION_IDS.active,
      kind: 'sharePoint',
      createdBy: 'admin',
      createdDateTime: iso(start - 5 * 60_000),
      activatedDateTime: iso(start - 60_000),
      durationScale: 60,
      artifacts: [art('active', 0, 8, 'inPlace'), art('active', 1, 9, 'new'), art('active', 2, 10, 'inPlace')],
    },
  ];
}

function draftSessions({ start, iso, artifact: art }: SeedTime): SeedSession[] {
  return [
    {
      id: SEED_SESSION_IDS.draft,
      kind: 'sharePoint',
      createdBy: 'admin',
      createdDateTime: iso(start - 10 * 60_000),
      activatedDateTime: null,
      artifacts: [art('draft', 0, 11, 'inPlace'), art('draft', 1, 12, 'inPlace'), art('draft', 2, 13, 'inPlace')],
    },
    {
      id: SEED_SESSION_IDS.emptyDraft,
      kind: 'sharePoint',
      createdBy: 'reader',
      createdDateTime: iso(start - 8 * 60_000),
      activatedDateTime: null,
      artifacts: [],
    },
  ];
}

/**
 * Exchange and OneDrive sessions that finished before the clock start. Their status, counts and dates are fixed as
 * they were before their artifacts were emulated (so their answers stay the same); the artifacts agree with them: four
 * mailboxes restored in place, and three OneDrives restored to new sites, the held one failing.
 */
function otherWorkloadSessions({ start, iso }: SeedTime, clockStart: string): SeedSession[] {
  const mailbox = (n: number, index: number): NonNullable<SeedSession['artifacts']>[number] => ({
    id: SEED_SESSION_ARTIFACT_IDS.exchange[n] ?? stableGuid(`artifact:exchange:${n}`),
    restorePointId: seedMailboxRestorePointId(index, 5, clockStart),
    destinationType: 'inPlace',
  });
  const drive = (n: number, index: number): NonNullable<SeedSession['artifacts']>[number] => ({
    id: SEED_SESSION_ARTIFACT_IDS.oneDrive[n] ?? stableGuid(`artifact:onedrive:${n}`),
    restorePointId: seedDriveRestorePointId(index, 5, clockStart),
    destinationType: 'new',
  });
  return [
    {
      id: SEED_SESSION_IDS.exchange,
      kind: 'exchange',
      createdBy: 'admin',
      createdDateTime: iso(start - 4 * DAY),
      activatedDateTime: iso(start - 4 * DAY + 300_000),
      durationScale: 60,
      artifacts: [mailbox(0, 2), mailbox(1, 3), mailbox(2, 4), mailbox(3, 6)],
      fixed: {
        status: 'completed',
        counts: { total: 4, inProgress: 0, completed: 4, failed: 0 },
        completedDateTime: iso(start - 4 * DAY + 3_600_000),
      },
    },
    {
      id: SEED_SESSION_IDS.oneDrive,
      kind: 'oneDriveForBusiness',
      createdBy: 'admin',
      createdDateTime: iso(start - 4 * DAY + 60_000),
      activatedDateTime: iso(start - 4 * DAY + 360_000),
      durationScale: 60,
      artifacts: [drive(0, 2), drive(1, 3), drive(2, LEGAL_HOLD_DRIVE_INDEX)],
      fixed: {
        status: 'completedWithError',
        counts: { total: 3, inProgress: 0, completed: 2, failed: 1 },
        completedDateTime: iso(start - 4 * DAY + 7_200_000),
      },
    },
  ];
}
