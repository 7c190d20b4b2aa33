import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../src/testing/index.js';
import { REMOVED_SITE_INDEX, seedUnitId } from '../src/index.js';
import { SEED_POLICY_ID, SEED_SITE_COUNT } from '../src/model/seed.js';
import { stableGuid } from '../src/model/ids.js';

const ROOT = '/solutions/backupRestore';
const UNIT_KEYS = [
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
  'siteId',
  'siteName',
  'siteWebUrl',
];

interface GraphErrorBody {
  error: { code: string; message: string };
}
interface Unit {
  '@odata.type': string;
  id: string;
  status: string;
  siteId: string;
  siteName: string;
  siteWebUrl: string;
  policyId: string;
}
interface UnitPage {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
  value: Unit[];
}

const t = useTestEmulator();

/** Follows nextLinks (absolute, on the emulator's origin) to the last page. */
async function allPages(path: string): Promise<{ pages: UnitPage[]; units: Unit[] }> {
  const pages: UnitPage[] = [];
  let res = await t.graph<UnitPage>('GET', path);
  for (;;) {
    expect(res.status).toBe(200);
    pages.push(res.body);
    const next = res.body['@odata.nextLink'];
    if (!next) break;
    expect(next.startsWith(`${t.emu.origin}/beta/`)).toBe(true);
    expect(next).toContain('$skiptoken=');
    res = await t.call<UnitPage>('GET', next.slice(t.emu.origin.length), { token: await t.appToken() });
  }
  return { pages, units: pages.flatMap((p) => p.value) };
}

describe('GET siteProtectionUnits (E23)', () => {
  it('pages the 72 seeded units 20 at a time to the last page', async () => {
    const { pages, units } = await allPages(`${ROOT}/siteProtectionUnits`);
    expect(pages.map((p) => p.value.length)).toEqual([20, 20, 20, 12]);
    expect(units).toHaveLength(SEED_SITE_COUNT);
    expect(new Set(units.map((u) => u.id)).size).toBe(SEED_SITE_COUNT);
    expect(units[0]!.id).toBe(seedUnitId(0));
    expect(pages[0]!['@odata.context']).toBe(`${t.emu.origin}/beta/$metadata#solutions/backupRestore/siteProtectionUnits`);
    expect(Object.keys(units[0]!)).toEqual(UNIT_KEYS);
    expect(units[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.siteProtectionUnit',
      policyId: SEED_POLICY_ID,
      protectionSources: 'manual',
      status: 'protected',
      error: null,
      offboardRequestedDateTime: '0001-01-01T00:00:00Z',
    });
  });

  it('honours $top up to 100, keeps query options in the nextLink, and answers $count', async () => {
    const { pages } = await allPages(`${ROOT}/siteProtectionUnits?$top=30&$count=true`);
    expect(pages.map((p) => p.value.length)).toEqual([30, 30, 12]);
    expect(pages.every((p) => p['@odata.count'] === SEED_SITE_COUNT)).toBe(true);
    const capped = await t.graph<UnitPage>('GET', `${ROOT}/siteProtectionUnits?$top=1000`);
    expect(capped.body.value).toHaveLength(SEED_SITE_COUNT);
    expect(capped.body['@odata.nextLink']).toBeUndefined();
    for (const top of ['0', '-1', 'ten']) {
      const bad = await t.graph('GET', `${ROOT}/siteProtectionUnits?$top=${top}`);
      expect(bad.status, top).toBe(400);
    }
    const badToken = await t.graph('GET', `${ROOT}/siteProtectionUnits?$skiptoken=garbage`);
    expect(badToken.status).toBe(400);
  });

  it('filters on status (eq, in) and siteId', async () => {
    const removed = await t.graph<UnitPage>('GET', `${ROOT}/siteProtectionUnits?$filter=status eq 'removeRequested'`);
    expect(removed.status).toBe(200);
    expect(removed.body.value.map((u) => u.id)).toEqual([seedUnitId(REMOVED_SITE_INDEX)]);
    const { units: protectedUnits } = await allPages(
      `${ROOT}/siteProtectionUnits?$filter=status in ('protected','unprotected')&$count=true`,
    );
    expect(protectedUnits).toHaveLength(SEED_SITE_COUNT - 1);
    const one = removed.body.value[0]!;
    const bySite = await t.graph<UnitPage>('GET', `${ROOT}/siteProtectionUnits?$filter=siteId eq '${one.siteId}'`);
    expect(bySite.body.value.map((u) => u.id)).toEqual([one.id]);
    const bad = await t.graph<GraphErrorBody>('GET', `${ROOT}/siteProtectionUnits?$filter=status eq 'sleeping'`);
    expect(bad.status).toBe(400);
    const unknownProp = await t.graph<GraphErrorBody>('GET', `${ROOT}/siteProtectionUnits?$filter=color eq 'red'`);
    expect(unknownProp.status).toBe(400);
    const tooLong = await t.graph<GraphErrorBody>(
      'GET',
      `${ROOT}/siteProtectionUnits?$filter=${Array.from({ length: 120 }, () => "status eq 'protected'").join(' or ')}`,
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('FilterLengthExceeded');
  });

  it('supports $select and rejects unknown properties and options', async () => {
    const res = await t.graph<UnitPage>('GET', `${ROOT}/siteProtectionUnits?$select=id,siteWebUrl&$top=2`);
    expect(res.status).toBe(200);
    expect(res.body.value[0]).toEqual({
      '@odata.type': '#microsoft.graph.siteProtectionUnit',
      id: seedUnitId(0),
      siteWebUrl: expect.stringMatching(/^https:\/\/contoso\.sharepoint\.com\/sites\//),
    });
    expect(res.body['@odata.nextLink']).toContain('$select=id,siteWebUrl');
    const bad = await t.graph('GET', `${ROOT}/siteProtectionUnits?$select=color`);
    expect(bad.status).toBe(400);
    const opt = await t.graph('GET', `${ROOT}/siteProtectionUnits?$expand=policy`);
    expect(opt.status).toBe(400);
  });

  it('lists the polymorphic protectionUnits collection too', async () => {
    const res = await t.graph<UnitPage>('GET', `${ROOT}/protectionUnits?$top=5`);
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toMatch(/#solutions\/backupRestore\/protectionUnits$/);
    expect(res.body.value.every((u) => u['@odata.type'] === '#microsoft.graph.siteProtectionUnit')).toBe(true);
  });
});

describe('GET sharePointProtectionPolicies/{id}/siteProtectionUnits', () => {
  it('lists the policy’s units and pages them', async () => {
    const { units } = await allPages(`${ROOT}/sharePointProtectionPolicies/${SEED_POLICY_ID}/siteProtectionUnits`);
    expect(units).toHaveLength(SEED_SITE_COUNT);
    const upper = await t.graph<UnitPage>(
      'GET',
      `${ROOT}/sharePointProtectionPolicies/${SEED_POLICY_ID.toUpperCase()}/siteProtectionUnits?$top=1`,
    );
    expect(upper.status).toBe(200);
  });

  it('gives 404 PolicyNotFound for an unknown policy and 400 InvalidPolicyId for a non-GUID', async () => {
    const unknown = await t.graph<GraphErrorBody>('GET', `${ROOT}/sharePointProtectionPolicies/${stableGuid('nope')}/siteProtectionUnits`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('PolicyNotFound');
    const bad = await t.graph<GraphErrorBody>('GET', `${ROOT}/sharePointProtectionPolicies/policy-1/siteProtectionUnits`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('InvalidPolicyId');
  });
});

describe('GET protectionUnits/{id} and siteProtectionUnits/{id} (E24)', () => {
  it('returns the unit with @odata.type and context on both paths', async () => {
    for (const set of ['protectionUnits', 'siteProtectionUnits']) {
      const res = await t.graph<Unit & { '@odata.context': string }>('GET', `${ROOT}/${set}/${seedUnitId(6)}`);
      expect(res.status, set).toBe(200);
      expect(res.body['@odata.context']).toBe(`${t.emu.origin}/beta/$metadata#solutions/backupRestore/${set}/$entity`);
      expect(res.body).toMatchObject({
        '@odata.type': '#microsoft.graph.siteProtectionUnit',
        id: seedUnitId(6),
        siteName: 'LegalHoldArchive',
      });
      expect(Object.keys(res.body).slice(1)).toEqual(UNIT_KEYS);
    }
  });

  it('honours $select and finds ids case-insensitively', async () => {
    const res = await t.graph<Record<string, unknown>>('GET', `${ROOT}/protectionUnits/${seedUnitId(6).toUpperCase()}?$select=status`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['@odata.context', '@odata.type', 'status']);
  });

  it('gives 400 InvalidProtectionUnitId for a non-GUID and 404 for an unknown unit', async () => {
    for (const set of ['protectionUnits', 'siteProtectionUnits']) {
      const bad = await t.graph<GraphErrorBody>('GET', `${ROOT}/${set}/site-6`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('InvalidProtectionUnitId');
      const unknown = await t.graph<GraphErrorBody>('GET', `${ROOT}/${set}/${stableGuid('nope')}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('ProtectionUnitNotFound');
    }
  });

  it('needs a token and a restore-point read permission; a reader may read', async () => {
    const anonymous = await t.graph('GET', `${ROOT}/protectionUnits/${seedUnitId(1)}`, { token: null });
    expect(anonymous.status).toBe(401);
    const reader = await t.graph('GET', `${ROOT}/protectionUnits/${seedUnitId(1)}`, { token: await t.userToken('reader') });
    expect(reader.status).toBe(200);
    const v1 = await t.graph('GET', `${ROOT}/siteProtectionUnits?$top=1`, { version: 'v1.0' });
    expect(v1.status).toBe(200);
  });
});
