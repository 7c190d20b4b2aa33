import { badRequest } from '../http/errors.js';
import { truncate } from '../http/router.js';
import type { SeedFixture, SeedProtectionUnit, SeedRestorePoint, SeedSession, SeedUser } from './seed.js';
import type { SeedDriveProtectionUnit, SeedMailboxProtectionUnit } from './seed-workloads.js';
import type { SessionKind, UnitKind } from './types.js';

/**
 * Checks a fixture posted to `/_emulator/seed` before it replaces anything: a bad fixture is a 400 naming the
 * first problem, and the running state stays as it was.
 */
export function validateSeed(input: unknown): SeedFixture {
  const root = obj(input, 'the fixture');
  const clockStart = date(root.clockStart, 'clockStart');
  const users = arr(root.users ?? [], 'users', 100).map(validateUser);
  const units = arr(root.protectionUnits ?? [], 'protectionUnits', 10_000).map(validateUnit);
  const mailboxes = arr(root.mailboxProtectionUnits ?? [], 'mailboxProtectionUnits', 10_000).map(validateMailbox);
  const drives = arr(root.driveProtectionUnits ?? [], 'driveProtectionUnits', 10_000).map(validateDrive);
  // Unit ids are keys of one entity set (`protectionUnits`), whatever the workload.
  unique(
    [...units, ...mailboxes, ...drives].map((u) => u.id),
    'protectionUnits, mailboxProtectionUnits and driveProtectionUnits',
  );
  const unitKinds = new Map<string, UnitKind>([
    ...units.map((u): [string, UnitKind] => [u.id.toLowerCase(), 'site']),
    ...mailboxes.map((u): [string, UnitKind] => [u.id.toLowerCase(), 'mailbox']),
    ...drives.map((u): [string, UnitKind] => [u.id.toLowerCase(), 'drive']),
  ]);
  const points = arr(root.restorePoints ?? [], 'restorePoints', 200_000).map((p, i) => validateRestorePoint(p, i, unitKinds));
  unique(
    points.map((p) => p.id),
    'restorePoints',
  );
  const known: KnownIds = {
    pointKinds: new Map(points.map((p) => [p.id.toLowerCase(), unitKinds.get(p.protectionUnitId.toLowerCase()) ?? 'site'])),
    userNames: new Set(users.map((u) => u.name)),
  };
  const sessions = arr(root.sessions ?? [], 'sessions', 10_000).map((s, i) => validateSession(s, i, known));
  unique(
    sessions.map((s) => s.id),
    'sessions',
  );
  unique(
    sessions.flatMap((s) => s.artifacts?.map((a) => a.id) ?? []),
    'artifacts',
  );
  // Drop undefined optionals so the fixture round-trips as the JSON that was posted.
  const fixture = {
    clockStart,
    users,
    protectionUnits: units,
    mailboxProtectionUnits: mailboxes,
    driveProtectionUnits: drives,
    restorePoints: points,
    sessions,
  };
  return JSON.parse(JSON.stringify(fixture)) as SeedFixture;
}

const UNIT_STATUSES = [
  'protectRequested',
  'protected',
  'unprotectRequested',
  'unprotected',
  'removeRequested',
  'offboardRequested',
  'offboarded',
  'cancelOffboardRequested',
] as const;
const SESSION_UNIT: Record<SessionKind, UnitKind> = { sharePoint: 'site', exchange: 'mailbox', oneDriveForBusiness: 'drive' };
const SESSION_STATUSES = ['draft', 'activating', 'active', 'completedWithError', 'completed', 'failed'] as const;

/** What sessions may refer to: the fixture's restore points (lower-cased ids, with their unit's workload) and users (names). */
interface KnownIds {
  pointKinds: Map<string, UnitKind>;
  userNames: Set<string>;
}

function validateUser(u: unknown, i: number): SeedUser {
  const o = obj(u, `users[${i}]`);
  return {
    name: str(o.name, `users[${i}].name`, 64),
    id: str(o.id, `users[${i}].id`, 64),
    displayName: str(o.displayName, `users[${i}].displayName`, 256),
    email: str(o.email, `users[${i}].email`, 256),
    directoryRoles:
      o.directoryRoles === undefined
        ? undefined
        : arr(o.directoryRoles, `users[${i}].directoryRoles`, 20).map((r, j) => str(r, `users[${i}].directoryRoles[${j}]`, 64)),
  };
}

function validateUnit(u: unknown, i: number): SeedProtectionUnit {
  const w = `protectionUnits[${i}]`;
  const o = obj(u, w);
  return {
    id: str(o.id, `${w}.id`, 64),
    policyId: str(o.policyId, `${w}.policyId`, 64),
    siteId: str(o.siteId, `${w}.siteId`, 512),
    siteName: str(o.siteName, `${w}.siteName`, 256),
    siteWebUrl: str(o.siteWebUrl, `${w}.siteWebUrl`, 2048),
    status: o.status === undefined ? undefined : oneOf(o.status, `${w}.status`, UNIT_STATUSES),
    legalHold: o.legalHold === undefined ? undefined : o.legalHold === true,
    createdDateTime: date(o.createdDateTime, `${w}.createdDateTime`),
  };
}

/** What mailbox and drive units share: their owner and their state. */
function ownedUnit(o: Record<string, unknown>, w: string): Omit<SeedMailboxProtectionUnit, 'mailboxType' | 'unchanged'> {
  return {
    id: str(o.id, `${w}.id`, 64),
    policyId: str(o.policyId, `${w}.policyId`, 64),
    directoryObjectId: str(o.directoryObjectId, `${w}.directoryObjectId`, 64),
    displayName: str(o.displayName, `${w}.displayName`, 256),
    email: str(o.email, `${w}.email`, 320),
    status: o.status === undefined ? undefined : oneOf(o.status, `${w}.status`, UNIT_STATUSES),
    legalHold: o.legalHold === undefined ? undefined : o.legalHold === true,
    createdDateTime: date(o.createdDateTime, `${w}.createdDateTime`),
  };
}

function validateMailbox(u: unknown, i: number): SeedMailboxProtectionUnit {
  const w = `mailboxProtectionUnits[${i}]`;
  const o = obj(u, w);
  return {
    ...ownedUnit(o, w),
    mailboxType: o.mailboxType === undefined ? undefined : oneOf(o.mailboxType, `${w}.mailboxType`, ['user', 'shared'] as const),
    unchanged: o.unchanged === undefined ? undefined : o.unchanged === true,
  };
}

function validateDrive(u: unknown, i: number): SeedDriveProtectionUnit {
  const w = `driveProtectionUnits[${i}]`;
  const o = obj(u, w);
  return {
    ...ownedUnit(o, w),
    siteId: str(o.siteId, `${w}.siteId`, 512),
    siteName: str(o.siteName, `${w}.siteName`, 256),
    siteWebUrl: str(o.siteWebUrl, `${w}.siteWebUrl`, 2048),
  };
}

function validateRestorePoint(p: unknown, i: number, unitKinds: Map<string, UnitKind>): SeedRestorePoint {
  const w = `restorePoints[${i}]`;
  const o = obj(p, w);
  const protectionUnitId = str(o.protectionUnitId, `${w}.protectionUnitId`, 64);
  if (!unitKinds.has(protectionUnitId.toLowerCase())) fail(`${w}.protectionUnitId`, 'names no protection unit of the fixture');
  return {
    id: str(o.id, `${w}.id`, 128),
    protectionUnitId,
    protectionDateTime: date(o.protectionDateTime, `${w}.protectionDateTime`),
    expirationDateTime: date(o.expirationDateTime, `${w}.expirationDateTime`),
    tags: o.tags === undefined ? undefined : oneOf(o.tags, `${w}.tags`, ['none', 'fastRestore', 'includeNewerItems'] as const),
  };
}

function validateSession(s: unknown, i: number, { pointKinds, userNames }: KnownIds): SeedSession {
  const w = `sessions[${i}]`;
  const o = obj(s, w);
  const createdBy = str(o.createdBy, `${w}.createdBy`, 64);
  if (!userNames.has(createdBy)) fail(`${w}.createdBy`, 'names no user of the fixture');
  const kind = oneOf(o.kind, `${w}.kind`, ['sharePoint', 'exchange', 'oneDriveForBusiness'] as const);
  const artifacts = arr(o.artifacts ?? [], `${w}.artifacts`, 10_000).map((a, j) =>
    validateArtifact(a, `${w}.artifacts[${j}]`, pointKinds, SESSION_UNIT[kind]),
  );
  const fixed = o.fixed === undefined ? undefined : validateFixed(o.fixed, `${w}.fixed`);
  const durationScale = o.durationScale;
  if (durationScale !== undefined && (typeof durationScale !== 'number' || !(durationScale > 0) || durationScale > 1e6)) {
    fail(`${w}.durationScale`, 'must be a positive number');
  }
  return {
    id: str(o.id, `${w}.id`, 64),
    kind,
    restoreJobType:
      o.restoreJobType === undefined
        ? undefined
        : oneOf(o.restoreJobType, `${w}.restoreJobType`, ['standard', 'bulk', 'granular'] as const),
    createdBy,
    createdDateTime: date(o.createdDateTime, `${w}.createdDateTime`),
    activatedDateTime:
      o.activatedDateTime === undefined || o.activatedDateTime === null ? null : date(o.activatedDateTime, `${w}.activatedDateTime`),
    durationScale: durationScale as number | undefined,
    artifacts,
    fixed,
  };
}

function validateArtifact(
  a: unknown,
  w: string,
  pointKinds: Map<string, UnitKind>,
  unit: UnitKind,
): NonNullable<SeedSession['artifacts']>[number] {
  const o = obj(a, w);
  const restorePointId = str(o.restorePointId, `${w}.restorePointId`, 128);
  const pointKind = pointKinds.get(restorePointId.toLowerCase());
  if (!pointKind) fail(`${w}.restorePointId`, 'names no restore point of the fixture');
  if (pointKind !== unit) fail(`${w}.restorePointId`, `names a restore point of a ${pointKind}, not of a ${unit}`);
  return {
    id: str(o.id, `${w}.id`, 64),
    restorePointId,
    destinationType: oneOf(o.destinationType, `${w}.destinationType`, ['new', 'inPlace'] as const),
  };
}

function validateFixed(value: unknown, w: string): NonNullable<SeedSession['fixed']> {
  const f = obj(value, w);
  const c = obj(f.counts, `${w}.counts`);
  return {
    status: oneOf(f.status, `${w}.status`, SESSION_STATUSES),
    counts: {
      total: count(c.total, `${w}.counts.total`),
      inProgress: count(c.inProgress, `${w}.counts.inProgress`),
      completed: count(c.completed, `${w}.counts.completed`),
      failed: count(c.failed, `${w}.counts.failed`),
    },
    completedDateTime:
      f.completedDateTime === null || f.completedDateTime === undefined ? null : date(f.completedDateTime, `${w}.completedDateTime`),
  };
}

function fail(where: string, what: string): never {
  throw badRequest(`Invalid seed fixture: ${where} ${what}.`);
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'must be an object');
  return v as Record<string, unknown>;
}

function str(v: unknown, where: string, max = 2048): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) fail(where, `must be a non-empty string of at most ${max} characters`);
  return v as string;
}

function date(v: unknown, where: string): string {
  const s = str(v, where, 64);
  if (Number.isNaN(Date.parse(s))) fail(where, 'must be an ISO 8601 date');
  return s;
}

function arr(v: unknown, where: string, max: number): unknown[] {
  if (!Array.isArray(v) || v.length > max) fail(where, `must be an array of at most ${max} items`);
  return v as unknown[];
}

function oneOf<T extends string>(v: unknown, where: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) fail(where, `must be one of ${values.join(', ')}`);
  return v as T;
}

function count(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(where, 'must be a non-negative integer');
  return v as number;
}

function unique(ids: string[], where: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id.toLowerCase())) fail(where, `has the id '${truncate(id)}' twice`);
    seen.add(id.toLowerCase());
  }
}
