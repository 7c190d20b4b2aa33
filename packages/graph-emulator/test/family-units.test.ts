import { describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse } from '../src/testing/index.js';
import {
  OFFBOARD_REQUESTED_DRIVE_INDEX,
  OFFBOARDED_MAILBOX_INDEX,
  SEED_DRIVE_COUNT,
  SEED_EXCHANGE_POLICY_ID,
  SEED_MAILBOX_COUNT,
  SEED_ONEDRIVE_POLICY_ID,
  SEED_POLICY_ID,
  SEED_SITE_COUNT,
  UNCHANGED_MAILBOX_INDEX,
  defaultSeed,
  seedDriveRestorePointId,
  seedDriveUnitId,
  seedMailboxAddress,
  seedMailboxRestorePointId,
  seedMailboxUnitId,
  seedPerson,
  seedUnitId,
} from '../src/index.js';
import { Permission } from '../src/authority/caller.js';
import type { EmulatorAuthority } from '../src/authority/create-authority.js';
import { ROOT, PREFER, UNKNOWN_GUID, type Json, type Err, type Page } from './family-support.js';

/**
 * Mailbox and drive protection units (their lists, the typed casts, a policy's units, the gets), the permission
 * their lists need, protectionUnitStatus gating, and restore points and search over them (with the beta-only
 * `includeNewerItems` tag).
 */

const BASE_KEYS = [
  '@odata.type',
  'id',
  'policyId',
  'protectionSources',
  'status',
  'createdBy',
  'createdDateTime',
  'lastModifiedBy',
  'lastModifiedDateTime',
  'error',
  'offboardRequestedDateTime',
];

function expectError(res: EmuResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect((res.body as Err).error.code).toBe(code);
}

const t = useTestEmulator();

async function allPages(path: string, headers: Record<string, string> = {}): Promise<{ pages: Page[]; units: Json[] }> {
  const pages: Page[] = [];
  let res = await t.graph<Page>('GET', path, { headers });
  for (;;) {
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    pages.push(res.body);
    const next = res.body['@odata.nextLink'];
    if (!next) break;
    res = await t.call<Page>('GET', next.slice(t.emu.origin.length), { token: await t.appToken(), headers });
  }
  return { pages, units: pages.flatMap((p) => p.value) };
}

describe('GET mailboxProtectionUnits and protectionUnits/microsoft.graph.mailboxProtectionUnit', () => {
  it('pages the seeded mailboxes, each with its owner and type, in both paths', async () => {
    for (const path of [`${ROOT}/mailboxProtectionUnits`, `${ROOT}/protectionUnits/microsoft.graph.mailboxProtectionUnit`]) {
      const { pages, units } = await allPages(path);
      expect(pages.map((p) => p.value.length)).toEqual([20, SEED_MAILBOX_COUNT - 20]);
      expect(pages[0]!['@odata.context']).toBe(`${t.emu.origin}/beta/$metadata#${path.slice(1)}`);
      expect(units[0]).toMatchObject({
        '@odata.type': '#microsoft.graph.mailboxProtectionUnit',
        id: seedMailboxUnitId(0),
        policyId: SEED_EXCHANGE_POLICY_ID,
        status: 'protected',
        directoryObjectId: seedPerson(0).id,
        displayName: 'Adele Vance',
        email: seedMailboxAddress(0),
        mailboxType: 'user',
      });
      expect(Object.keys(units[0]!)).toEqual([...BASE_KEYS, 'directoryObjectId', 'displayName', 'email', 'mailboxType']);
      expect(units[UNCHANGED_MAILBOX_INDEX]).toMatchObject({ mailboxType: 'shared', displayName: 'Help Desk' });
    }
  });

  it('leaves the beta-only mailboxType out on v1.0', async () => {
    const res = await t.graph<Page>('GET', `${ROOT}/mailboxProtectionUnits?$top=1`, { version: 'v1.0' });
    expect(res.status).toBe(200);
    expect(res.body.value[0]).not.toHaveProperty('mailboxType');
    expect(res.body.value[0]).toHaveProperty('email');
  });

  it("lists a policy's mailboxes, and answers 400 InvalidPolicyId and 404 PolicyNotFound", async () => {
    const { units } = await allPages(`${ROOT}/exchangeProtectionPolicies/${SEED_EXCHANGE_POLICY_ID}/mailboxProtectionUnits`);
    expect(units).toHaveLength(SEED_MAILBOX_COUNT);
    expectError(await t.graph('GET', `${ROOT}/exchangeProtectionPolicies/${SEED_POLICY_ID}/mailboxProtectionUnits`), 404, 'PolicyNotFound');
    expectError(await t.graph('GET', `${ROOT}/exchangeProtectionPolicies/policy-1/mailboxProtectionUnits`), 400, 'InvalidPolicyId');
  });

  it('filters, selects and counts', async () => {
    const filter = encodeURIComponent(`email eq '${seedMailboxAddress(3).toUpperCase()}'`);
    const res = await t.graph<Page>('GET', `${ROOT}/mailboxProtectionUnits?$filter=${filter}&$select=id,email&$count=true`);
    expect(res.body['@odata.count']).toBe(1);
    expect(res.body.value).toEqual([
      { '@odata.type': '#microsoft.graph.mailboxProtectionUnit', id: seedMailboxUnitId(3), email: seedMailboxAddress(3) },
    ]);
    expectError(await t.graph('GET', `${ROOT}/mailboxProtectionUnits?$filter=${encodeURIComponent("siteId eq 'x'")}`), 400, 'BadRequest');
  });
});

describe('GET driveProtectionUnits and protectionUnits/microsoft.graph.driveProtectionUnit', () => {
  it("pages the seeded OneDrives, each with its owner (not its personal site's details)", async () => {
    for (const path of [`${ROOT}/driveProtectionUnits`, `${ROOT}/protectionUnits/microsoft.graph.driveProtectionUnit`]) {
      const { units } = await allPages(path);
      expect(units).toHaveLength(SEED_DRIVE_COUNT);
      expect(units[2]).toMatchObject({
        '@odata.type': '#microsoft.graph.driveProtectionUnit',
        id: seedDriveUnitId(2),
        policyId: SEED_ONEDRIVE_POLICY_ID,
        directoryObjectId: seedPerson(2).id,
        displayName: 'Alex Wilber',
        email: seedPerson(2).email,
      });
      expect(Object.keys(units[2]!)).toEqual([...BASE_KEYS, 'directoryObjectId', 'displayName', 'email']);
    }
    const { units } = await allPages(`${ROOT}/oneDriveForBusinessProtectionPolicies/${SEED_ONEDRIVE_POLICY_ID}/driveProtectionUnits`);
    expect(units).toHaveLength(SEED_DRIVE_COUNT);
    expectError(
      await t.graph('GET', `${ROOT}/oneDriveForBusinessProtectionPolicies/${SEED_EXCHANGE_POLICY_ID}/driveProtectionUnits`),
      404,
      'PolicyNotFound',
    );
  });
});

describe('the mailbox and drive unit lists need BackupRestore-Configuration.Read.All', () => {
  it('answers 403 to a token without it, and 200 to the app token and the admin, who hold it', async () => {
    const lists = [
      `${ROOT}/mailboxProtectionUnits`,
      `${ROOT}/protectionUnits/microsoft.graph.mailboxProtectionUnit`,
      `${ROOT}/exchangeProtectionPolicies/${SEED_EXCHANGE_POLICY_ID}/mailboxProtectionUnits`,
      `${ROOT}/driveProtectionUnits`,
      `${ROOT}/protectionUnits/microsoft.graph.driveProtectionUnit`,
      `${ROOT}/oneDriveForBusinessProtectionPolicies/${SEED_ONEDRIVE_POLICY_ID}/driveProtectionUnits`,
    ];
    // The live authority is the full EmulatorAuthority; the route context only types what routes need of it.
    const authority = t.emu.context.authority as EmulatorAuthority;
    const restoreOnlyApp = await authority.issueGraphToken({ app: true, permissions: [Permission.RestoreReadWrite] });
    const configApp = await authority.issueGraphToken({ app: true, permissions: [Permission.ConfigurationReadWrite] });
    const reader = await t.userToken('reader');
    const admin = await t.userToken('admin');
    for (const path of lists) {
      for (const token of [restoreOnlyApp, reader]) {
        const res = await t.graph<Err>('GET', path, { token });
        expectError(res, 403, 'Forbidden');
        expect(res.body.error.message).toContain('BackupRestore-Configuration.Read.All');
      }
      for (const token of [await t.appToken(), admin, configApp]) expect((await t.graph('GET', path, { token })).status, path).toBe(200);
    }
    // The site lists and the gets keep taking restore permissions, so that a restore operator can pick restore points.
    expect((await t.graph('GET', `${ROOT}/siteProtectionUnits`, { token: reader })).status).toBe(200);
    expect((await t.graph('GET', `${ROOT}/protectionUnits/${seedMailboxUnitId(2)}`, { token: reader })).status).toBe(200);
  });
});

describe('GET protectionUnits/{id}, mailboxProtectionUnits/{id}, driveProtectionUnits/{id}', () => {
  it('reads a unit of any workload through protectionUnits, and only its own through a typed set', async () => {
    const mailbox = await t.graph<Json>('GET', `${ROOT}/protectionUnits/${seedMailboxUnitId(2)}`);
    expect(mailbox.body).toMatchObject({
      '@odata.context': `${t.emu.origin}/beta/$metadata#solutions/backupRestore/protectionUnits/$entity`,
      '@odata.type': '#microsoft.graph.mailboxProtectionUnit',
      email: seedMailboxAddress(2),
    });
    const drive = await t.graph<Json>('GET', `${ROOT}/driveProtectionUnits/${seedDriveUnitId(2)}?$select=id,displayName`);
    expect(drive.body).toEqual({
      '@odata.context': `${t.emu.origin}/beta/$metadata#solutions/backupRestore/driveProtectionUnits/$entity`,
      '@odata.type': '#microsoft.graph.driveProtectionUnit',
      id: seedDriveUnitId(2),
      displayName: 'Alex Wilber',
    });
    expect((await t.graph('GET', `${ROOT}/mailboxProtectionUnits/${seedMailboxUnitId(2)}`)).status).toBe(200);
    expectError(await t.graph('GET', `${ROOT}/siteProtectionUnits/${seedMailboxUnitId(2)}`), 404, 'ProtectionUnitNotFound');
    expectError(await t.graph('GET', `${ROOT}/mailboxProtectionUnits/${seedDriveUnitId(2)}`), 404, 'ProtectionUnitNotFound');
    expectError(await t.graph('GET', `${ROOT}/driveProtectionUnits/${seedUnitId(2)}`), 404, 'ProtectionUnitNotFound');
    expectError(await t.graph('GET', `${ROOT}/driveProtectionUnits/drive-2`), 400, 'InvalidProtectionUnitId');
    expectError(await t.graph('GET', `${ROOT}/mailboxProtectionUnits/${UNKNOWN_GUID}`), 404, 'ProtectionUnitNotFound');
  });

  it('keeps siteProtectionUnits to sites and lists every workload in the polymorphic protectionUnits', async () => {
    const sites = await t.graph<Page>('GET', `${ROOT}/siteProtectionUnits?$count=true&$top=1`);
    expect(sites.body['@odata.count']).toBe(SEED_SITE_COUNT);
    const all = await t.graph<Page>('GET', `${ROOT}/protectionUnits?$count=true&$top=1`);
    expect(all.body['@odata.count']).toBe(SEED_SITE_COUNT + SEED_MAILBOX_COUNT + SEED_DRIVE_COUNT);
    const mailboxes = await t.graph<Page>(
      'GET',
      `${ROOT}/protectionUnits?$count=true&$filter=${encodeURIComponent(`policyId eq '${SEED_EXCHANGE_POLICY_ID}'`)}`,
    );
    expect(mailboxes.body['@odata.count']).toBe(SEED_MAILBOX_COUNT);
  });
});

describe('protectionUnitStatus: the offboarding members come after unknownFutureValue', () => {
  it('shows them only with Prefer: include-unknown-enum-members, and refuses to filter on them without it', async () => {
    const offboarded = `${ROOT}/protectionUnits/${seedMailboxUnitId(OFFBOARDED_MAILBOX_INDEX)}`;
    expect((await t.graph<Json>('GET', offboarded)).body.status).toBe('unknownFutureValue');
    const preferred = await t.graph<Json>('GET', offboarded, { headers: PREFER });
    expect(preferred.body.status).toBe('offboarded');
    expect(preferred.headers['preference-applied']).toBe('include-unknown-enum-members');
    const drive = await t.graph<Json>('GET', `${ROOT}/driveProtectionUnits/${seedDriveUnitId(OFFBOARD_REQUESTED_DRIVE_INDEX)}`, {
      headers: PREFER,
    });
    expect(drive.body.status).toBe('offboardRequested');

    const filter = `$filter=${encodeURIComponent("status eq 'offboarded'")}`;
    expectError(await t.graph('GET', `${ROOT}/mailboxProtectionUnits?${filter}`), 400, 'BadRequest');
    const filtered = await t.graph<Page>('GET', `${ROOT}/mailboxProtectionUnits?${filter}`, { headers: PREFER });
    expect(filtered.body.value.map((u) => u.id)).toEqual([seedMailboxUnitId(OFFBOARDED_MAILBOX_INDEX)]);
    const sentinel = `$filter=${encodeURIComponent("status eq 'unknownFutureValue'")}`;
    const hidden = await t.graph<Page>('GET', `${ROOT}/protectionUnits?${sentinel}`);
    expect(hidden.body.value.map((u) => u.id).sort()).toEqual(
      [seedMailboxUnitId(OFFBOARDED_MAILBOX_INDEX), seedDriveUnitId(OFFBOARD_REQUESTED_DRIVE_INDEX)].sort(),
    );
  });
});

describe('restore points of mailboxes and drives', () => {
  it('lists them with $expand=protectionUnit($filter=id eq …), the unit inlined with its own type', async () => {
    const unit = seedMailboxUnitId(3);
    const res = await t.graph<Page>(
      'GET',
      `${ROOT}/restorePoints?$expand=protectionUnit($filter=id eq '${unit}')&$filter=protectionDateTime lt 2025-06-01T12:00:00Z`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.value.map((p) => p.id)).toEqual([1, 2, 3, 4, 5].map((d) => seedMailboxRestorePointId(3, d)));
    expect(res.body.value[0]!.protectionUnit).toMatchObject({ '@odata.type': '#microsoft.graph.mailboxProtectionUnit', id: unit });
    const drive = await t.graph<Page>('GET', `${ROOT}/restorePoints?$expand=protectionUnit($filter=id eq '${seedDriveUnitId(4)}')`);
    expect(drive.body.value[0]).toMatchObject({
      id: seedDriveRestorePointId(4, 0),
      tags: 'fastRestore',
      protectionUnit: { '@odata.type': '#microsoft.graph.driveProtectionUnit' },
    });
    const nav = await t.graph<Json>('GET', `${ROOT}/restorePoints/${seedDriveRestorePointId(4, 0)}/protectionUnit`);
    expect(nav.body).toMatchObject({ '@odata.type': '#microsoft.graph.driveProtectionUnit', id: seedDriveUnitId(4) });
  });

  it('searches across workloads with restorePoints/search', async () => {
    const res = await t.graph<Json>('POST', `${ROOT}/restorePoints/search`, {
      body: {
        protectionUnitIds: [seedMailboxUnitId(2), seedDriveUnitId(2), seedUnitId(2), UNKNOWN_GUID],
        protectionTimePeriod: { startDateTime: '2025-05-20T00:00:00Z', endDateTime: '2025-05-25T00:00:00Z' },
        restorePointPreference: 'oldest',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const results = res.body.searchResults as Array<{ restorePoint: Json }>;
    expect(results.map((r) => r.restorePoint.id)).toEqual([
      seedMailboxRestorePointId(2, 13),
      seedDriveRestorePointId(2, 13),
      expect.stringContaining(seedUnitId(2)),
    ]);
    expect(results.map((r) => (r.restorePoint.protectionUnit as Json)['@odata.type'])).toEqual([
      '#microsoft.graph.mailboxProtectionUnit',
      '#microsoft.graph.driveProtectionUnit',
      '#microsoft.graph.siteProtectionUnit',
    ]);
    expect(res.body.noResultProtectionUnitIds).toEqual([UNKNOWN_GUID]);
  });
});

describe('restorePointTags: includeNewerItems (beta, after unknownFutureValue)', () => {
  it('is refused without the Prefer header and on v1.0, and searched for with it on beta', async () => {
    const search = (headers: Record<string, string>, version: 'beta' | 'v1.0' = 'beta'): Promise<EmuResponse<Json>> =>
      t.graph<Json>('POST', `${ROOT}/restorePoints/search`, {
        body: {
          protectionUnitIds: [seedMailboxUnitId(2)],
          protectionTimePeriod: { startDateTime: '2025-05-01T00:00:00Z' },
          tags: 'includeNewerItems',
        },
        headers,
        version,
      });
    expectError(await search({}), 400, 'BadRequest');
    expectError(await search(PREFER, 'v1.0'), 400, 'BadRequest');
    const none = await search(PREFER);
    expect(none.status).toBe(200);
    expect(none.body.noResultProtectionUnitIds).toEqual([seedMailboxUnitId(2)]);
  });

  it('shows a point that carries it only to a beta caller that asks for unknown members', async () => {
    const seed = defaultSeed();
    const point = seed.restorePoints.find((p) => p.id === seedMailboxRestorePointId(2, 0))!;
    point.tags = 'includeNewerItems';
    expect((await t.call('POST', '/_emulator/seed', { body: seed })).status).toBe(200);
    const path = `${ROOT}/restorePoints/${point.id}`;
    expect((await t.graph<Json>('GET', path)).body.tags).toBe('unknownFutureValue');
    expect((await t.graph<Json>('GET', path, { headers: PREFER })).body.tags).toBe('includeNewerItems');
    expect((await t.graph<Json>('GET', path, { headers: PREFER, version: 'v1.0' })).body.tags).toBe('unknownFutureValue');
    const found = await t.graph<Json>('POST', `${ROOT}/restorePoints/search`, {
      body: {
        protectionUnitIds: [seedMailboxUnitId(2)],
        protectionTimePeriod: { startDateTime: '2025-05-01T00:00:00Z' },
        tags: 'includeNewerItems',
      },
      headers: PREFER,
    });
    expect((found.body.searchResults as Array<{ restorePoint: Json }>).map((r) => r.restorePoint.id)).toEqual([point.id]);
    expect((await t.call('POST', '/_emulator/seed', { body: defaultSeed() })).status).toBe(200);
  });
});

describe('seed fixtures with mailboxes and drives', () => {
  it('refuses an artifact on another workload’s restore point and a unit id used twice across workloads', async () => {
    const seed = defaultSeed();
    const exchange = seed.sessions.find((s) => s.kind === 'exchange')!;
    exchange.artifacts = [{ id: UNKNOWN_GUID, restorePointId: seedDriveRestorePointId(2, 5), destinationType: 'inPlace' }];
    const bad = await t.call<Err>('POST', '/_emulator/seed', { body: seed });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('names a restore point of a drive, not of a mailbox');
    const twice = defaultSeed();
    twice.driveProtectionUnits![0]!.id = seedMailboxUnitId(0);
    const dup = await t.call<Err>('POST', '/_emulator/seed', { body: twice });
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toContain(`has the id '${seedMailboxUnitId(0)}' twice`);
  });

  it('round-trips the default seed through GET and POST /_emulator/seed', async () => {
    const current = await t.call<Json>('GET', '/_emulator/seed');
    expect((current.body.mailboxProtectionUnits as unknown[]).length).toBe(SEED_MAILBOX_COUNT);
    expect((await t.call('POST', '/_emulator/seed', { body: current.body })).status).toBe(200);
    expect((await t.call<Json>('GET', '/_emulator/seed')).body).toEqual(current.body);
  });
});
