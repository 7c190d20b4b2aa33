import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../src/testing/index.js';
import { UNDOCUMENTED_ENDPOINTS, seedMailboxUnitId, seedRestorePointId, seedUnitId } from '../src/index.js';
import { stableGuid } from '../src/model/ids.js';

const ROOT = '/solutions/backupRestore';
const DAY = 86_400_000;
/** Seed restore points are taken daily at midnight UTC; day 0 is 2025-06-02, the seed clock's day. */
const NEWEST = Date.parse('2025-06-02T00:00:00Z');
const dayIso = (day: number): string => new Date(NEWEST - day * DAY).toISOString().replace('.000Z', 'Z');
const UNKNOWN_UNIT = stableGuid('no-such-unit');

interface GraphErrorBody {
  error: { code: string; message: string; innerError: Record<string, string> };
}
interface Unit {
  '@odata.type': string;
  id: string;
  siteId: string;
  policyId: string;
  siteName?: string;
  status?: string;
}
interface Point {
  '@odata.type': string;
  id: string;
  protectionDateTime: string;
  expirationDateTime: string;
  tags: string;
  protectionUnit?: Unit | null;
}
interface PointList {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: Point[];
}
interface SearchBody {
  '@odata.context': string;
  searchResponseId: string;
  searchResults: Array<{ artifactHitCount?: number; restorePoint: Point }>;
  noResultProtectionUnitIds: string[];
}

const t = useTestEmulator();

const expandUnit = (id: string): string => `$expand=protectionUnit($filter=id eq '${id}')`;
const list = (query: string) => t.graph<PointList & GraphErrorBody>('GET', `${ROOT}/restorePoints?${query}`);
const search = (body: unknown, headers?: Record<string, string>) =>
  t.graph<SearchBody & GraphErrorBody>('POST', `${ROOT}/restorePoints/search`, { body, ...(headers ? { headers } : {}) });

describe('GET restorePoints (E21)', () => {
  it('answers the documented call: at most 5, newest first, each with its protection unit inlined', async () => {
    const res = await list(`${expandUnit(seedUnitId(3))}&$filter=protectionDateTime lt ${dayIso(2)}`);
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/beta\/\$metadata#solutions\/backupRestore\/restorePoints/);
    expect(res.body['@odata.nextLink']).toBeUndefined();
    expect(res.body.value.map((p) => p.id)).toEqual([3, 4, 5, 6, 7].map((d) => seedRestorePointId(3, d)));
    const first = res.body.value[0]!;
    expect(first).toMatchObject({
      '@odata.type': '#microsoft.graph.restorePoint',
      protectionDateTime: new Date(NEWEST - 3 * DAY).toISOString(),
      expirationDateTime: new Date(NEWEST - 3 * DAY + 365 * DAY).toISOString(),
      tags: 'fastRestore',
      protectionUnit: { '@odata.type': '#microsoft.graph.siteProtectionUnit', id: seedUnitId(3) },
    });
    expect(first.protectionUnit?.siteId).toMatch(/^contoso\.sharepoint\.com,/);
    expect(first.protectionUnit?.policyId).toMatch(/^[0-9a-f-]{36}$/);
    // Days 7 and later are untagged in the seed.
    expect(res.body.value[4]!.tags).toBe('none');
  });

  it('accepts le, gt, ge and `and` in the date filter', async () => {
    const le = await list(`${expandUnit(seedUnitId(3))}&$filter=protectionDateTime le ${dayIso(2)}`);
    expect(le.body.value[0]!.id).toBe(seedRestorePointId(3, 2));
    const range = await list(
      `${expandUnit(seedUnitId(3))}&$filter=protectionDateTime ge ${dayIso(5)} and protectionDateTime lt ${dayIso(2)}`,
    );
    expect(range.body.value.map((p) => p.id)).toEqual([3, 4, 5].map((d) => seedRestorePointId(3, d)));
    const gt = await list(`${expandUnit(seedUnitId(3))}&$filter=protectionDateTime gt ${dayIso(2)}`);
    expect(gt.body.value.map((p) => p.id)).toEqual([0, 1].map((d) => seedRestorePointId(3, d)));
  });

  it('without a date filter gives the 5 newest points', async () => {
    const res = await list(expandUnit(seedUnitId(10)));
    expect(res.status).toBe(200);
    expect(res.body.value.map((p) => p.id)).toEqual([0, 1, 2, 3, 4].map((d) => seedRestorePointId(10, d)));
  });

  it('supports $orderby=protectionDateTime asc and desc', async () => {
    const asc = await list(`${expandUnit(seedUnitId(3))}&$orderby=protectionDateTime asc`);
    expect(asc.status).toBe(200);
    expect(asc.body.value.map((p) => p.id)).toEqual([13, 12, 11, 10, 9].map((d) => seedRestorePointId(3, d)));
    const desc = await list(`${expandUnit(seedUnitId(3))}&$orderby=protectionDateTime desc&$filter=protectionDateTime lt ${dayIso(10)}`);
    expect(desc.body.value.map((p) => p.id)).toEqual([11, 12, 13].map((d) => seedRestorePointId(3, d)));
    const bad = await list(`${expandUnit(seedUnitId(3))}&$orderby=tags`);
    expect(bad.status).toBe(400);
  });

  it('parses the $expand robustly: spacing, case, quotes and nested $select', async () => {
    const spaced = await list(`$expand= protectionUnit ( $filter = id  eq  '${seedUnitId(4).toUpperCase()}' )`);
    expect(spaced.status).toBe(200);
    expect(spaced.body.value).toHaveLength(5);
    const selected = await list(`$expand=protectionUnit($filter=id eq '${seedUnitId(4)}';$select=id,siteName)`);
    expect(selected.status).toBe(200);
    expect(selected.body.value[0]!.protectionUnit).toEqual({
      '@odata.type': '#microsoft.graph.siteProtectionUnit',
      id: seedUnitId(4),
      siteName: expect.any(String),
    });
    // A quote inside a string literal and parentheses in it do not confuse the parser.
    const quoted = await list(`$expand=protectionUnit($filter=id eq 'it''s (not) a guid')`);
    expect(quoted.status).toBe(400);
    expect(quoted.body.error.code).toBe('InvalidProtectionUnitId');
  });

  it('requires the protection unit filter (400 InvalidSearchRequest)', async () => {
    for (const q of [
      `$filter=protectionDateTime lt ${dayIso(2)}`,
      '$expand=protectionUnit',
      `$expand=protectionUnit($filter=siteName eq 'x')`,
      `$expand=protectionUnit($filter=id ne '${seedUnitId(1)}')`,
    ]) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toBe('InvalidSearchRequest');
    }
  });

  it('rejects malformed $expand and $filter with 400', async () => {
    for (const q of [
      `$expand=protectionUnit($filter=id eq '${seedUnitId(1)}'`,
      `$expand=protectionUnit($filter=id eq '${seedUnitId(1)})`,
      `$expand=protectionUnit($filter=id eq '${seedUnitId(1)}'))`,
      `$expand=policy($filter=id eq '${seedUnitId(1)}')`,
      `$expand=protectionUnit($top=1)`,
      `${expandUnit(seedUnitId(1))}&$filter=protectionDateTime lt 'yesterday'`,
      `${expandUnit(seedUnitId(1))}&$filter=protectionDateTime lt`,
      `${expandUnit(seedUnitId(1))}&$filter=tags eq 'fastRestore'`,
    ]) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toMatch(/^(BadRequest|InvalidSearchRequest)$/);
    }
  });

  it('gives 400 InvalidProtectionUnitId for a non-GUID unit and an empty list for an unknown one', async () => {
    const bad = await list(`$expand=protectionUnit($filter=id eq 'site-3')`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('InvalidProtectionUnitId');
    const unknown = await list(expandUnit(UNKNOWN_UNIT));
    expect(unknown.status).toBe(200);
    expect(unknown.body.value).toEqual([]);
  });

  it('gives FilterLengthExceeded for a very long filter', async () => {
    const long = Array.from({ length: 80 }, () => `protectionDateTime lt ${dayIso(1)}`).join(' and ');
    const res = await list(`${expandUnit(seedUnitId(1))}&$filter=${encodeURIComponent(long)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('FilterLengthExceeded');
    const longExpand = `$expand=protectionUnit($filter=${Array.from({ length: 60 }, () => `id eq '${seedUnitId(1)}'`).join(' or ')})`;
    const res2 = await list(longExpand);
    expect(res2.status).toBe(400);
    expect(res2.body.error.code).toBe('FilterLengthExceeded');
  });

  it('rejects unsupported query options and honours $top up to 5', async () => {
    const sel = await list(`${expandUnit(seedUnitId(1))}&$search=x`);
    expect(sel.status).toBe(400);
    const top = await list(`${expandUnit(seedUnitId(1))}&$top=2`);
    expect(top.body.value).toHaveLength(2);
    const big = await list(`${expandUnit(seedUnitId(1))}&$top=50`);
    expect(big.body.value).toHaveLength(5);
  });

  it('is served under /v1.0 too and needs a restore-point read permission', async () => {
    const v1 = await t.graph<PointList>('GET', `${ROOT}/restorePoints?${expandUnit(seedUnitId(2))}`, { version: 'v1.0' });
    expect(v1.status).toBe(200);
    expect(v1.body['@odata.context']).toContain('/v1.0/$metadata#');
    const reader = await t.graph<PointList>('GET', `${ROOT}/restorePoints?${expandUnit(seedUnitId(2))}`, {
      token: await t.userToken('reader'),
    });
    expect(reader.status).toBe(200);
    const anonymous = await t.graph('GET', `${ROOT}/restorePoints?${expandUnit(seedUnitId(2))}`, { token: null });
    expect(anonymous.status).toBe(401);
  });
});

describe('GET restorePoints/{id}', () => {
  it('returns the point without its unit unless expanded', async () => {
    const id = seedRestorePointId(5, 1);
    const res = await t.graph<Point & { '@odata.context': string }>('GET', `${ROOT}/restorePoints/${id}`);
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toMatch(/\$metadata#solutions\/backupRestore\/restorePoints\/\$entity$/);
    expect(res.body).toMatchObject({ '@odata.type': '#microsoft.graph.restorePoint', id, tags: 'fastRestore' });
    expect(res.body.protectionUnit).toBeUndefined();
    const expanded = await t.graph<Point>('GET', `${ROOT}/restorePoints/${id}?$expand=protectionUnit`);
    expect(expanded.body.protectionUnit).toMatchObject({ '@odata.type': '#microsoft.graph.siteProtectionUnit', id: seedUnitId(5) });
  });

  it('honours $select, keeping an expanded unit', async () => {
    const id = seedRestorePointId(5, 1);
    const res = await t.graph<Record<string, unknown>>(
      'GET',
      `${ROOT}/restorePoints/${id}?$select=id,protectionDateTime&$expand=protectionUnit($select=id)`,
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['@odata.context', '@odata.type', 'id', 'protectionDateTime', 'protectionUnit']);
    expect(res.body.protectionUnit).toEqual({ '@odata.type': '#microsoft.graph.siteProtectionUnit', id: seedUnitId(5) });
  });

  it('finds ids case-insensitively, 404s unknown ids and 400s malformed ones', async () => {
    const upper = await t.graph('GET', `${ROOT}/restorePoints/${seedRestorePointId(5, 1).toUpperCase()}`);
    expect(upper.status).toBe(200);
    const unknown = await t.graph<GraphErrorBody>('GET', `${ROOT}/restorePoints/${UNKNOWN_UNIT}_1700000000_14_1`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('RestorePointNotFound');
    for (const bad of ['x', 'not a restore point!', `${'a'.repeat(200)}`]) {
      const res = await t.graph<GraphErrorBody>('GET', `${ROOT}/restorePoints/${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('InvalidRestorePointId');
    }
    const badExpand = await t.graph<GraphErrorBody>('GET', `${ROOT}/restorePoints/${seedRestorePointId(5, 1)}?$expand=sessions`);
    expect(badExpand.status).toBe(400);
  });
});

describe('GET restorePoints/{id}/protectionUnit', () => {
  const id = seedRestorePointId(5, 1);
  const nav = (pointId: string, opts: { token?: string | null; headers?: Record<string, string>; version?: 'v1.0' } = {}) =>
    t.graph<Unit & GraphErrorBody & { '@odata.context': string }>('GET', `${ROOT}/restorePoints/${pointId}/protectionUnit`, opts);

  it('answers the point’s unit exactly as GET protectionUnits/{id} does, Prefer included', async () => {
    for (const headers of [{}, { prefer: 'include-unknown-enum-members' }] as Array<Record<string, string>>) {
      const res = await nav(id, { headers });
      const unit = await t.graph('GET', `${ROOT}/protectionUnits/${seedUnitId(5)}`, { headers });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(unit.body);
      expect(res.headers['preference-applied']).toBe(unit.headers['preference-applied']);
    }
    const res = await nav(id.toUpperCase());
    expect(res.body['@odata.context']).toBe(`${t.emu.origin}/beta/$metadata#solutions/backupRestore/protectionUnits/$entity`);
    expect(res.body).toMatchObject({ '@odata.type': '#microsoft.graph.siteProtectionUnit', id: seedUnitId(5) });
  });

  it('honours $select and refuses other options, as the unit get does', async () => {
    const selected = await t.graph<Record<string, unknown>>('GET', `${ROOT}/restorePoints/${id}/protectionUnit?$select=id,siteName`);
    expect(selected.status).toBe(200);
    expect(Object.keys(selected.body)).toEqual(['@odata.context', '@odata.type', 'id', 'siteName']);
    const expand = await t.graph('GET', `${ROOT}/restorePoints/${id}/protectionUnit?$expand=policy`);
    expect(expand.status).toBe(400);
  });

  it('404s an unknown restore point and 400s a malformed one, as the restore point get does', async () => {
    const unknown = await nav(`${UNKNOWN_UNIT}_1700000000_14_1`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('RestorePointNotFound');
    const bad = await nav(encodeURIComponent('not a restore point!'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('InvalidRestorePointId');
  });

  it('404s ProtectionUnitNotFound when the point’s unit is gone', async () => {
    t.emu.context.state.units.delete(seedUnitId(5).toLowerCase());
    const res = await nav(id);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ProtectionUnitNotFound');
  });

  it('needs the restore-point read permission, is served under /v1.0 too, and is GET only', async () => {
    expect((await nav(id, { token: null })).status).toBe(401);
    expect((await nav(id, { token: await t.userToken('reader') })).status).toBe(200);
    const v1 = await nav(id, { version: 'v1.0' });
    expect(v1.status).toBe(200);
    expect(v1.body['@odata.context']).toContain('/v1.0/$metadata#');
    expect((await t.graph('DELETE', `${ROOT}/restorePoints/${id}/protectionUnit`)).status).toBe(405);
  });
});

describe('GET restorePoints/{id}/protectionUnit in the strict profile', () => {
  const strict = useTestEmulator({ profile: 'strict' });

  it('is served with no query option (no page lists the endpoint) and listed among the undocumented endpoints', async () => {
    const url = `${ROOT}/restorePoints/${seedRestorePointId(5, 1)}/protectionUnit`;
    const res = await strict.graph<Unit>('GET', url);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(seedUnitId(5));
    const selected = await strict.graph<GraphErrorBody>('GET', `${url}?$select=id`);
    expect(selected.status).toBe(400);
    expect(selected.body.error.message).toContain("Query option 'Select' is not allowed");
    expect(UNDOCUMENTED_ENDPOINTS.map((e) => `${e.method} ${e.path}`)).toContain(
      'GET solutions/backupRestore/restorePoints/{id}/protectionUnit',
    );
  });
});

describe('POST restorePoints/search (E22)', () => {
  const period = { startDateTime: dayIso(10), endDateTime: dayIso(3) };

  it('returns one restore point per unit (latest by default), with the unit expanded, and lists units without one', async () => {
    const res = await search({ protectionUnitIds: [seedUnitId(1), UNKNOWN_UNIT, seedUnitId(2)], protectionTimePeriod: period });
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toContain('$metadata#');
    expect(res.body.searchResponseId).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect(res.body.searchResults.map((r) => r.restorePoint.id)).toEqual([seedRestorePointId(1, 3), seedRestorePointId(2, 3)]);
    expect(res.body.searchResults[0]!.artifactHitCount).toBeUndefined();
    expect(res.body.searchResults[0]!.restorePoint).toMatchObject({
      '@odata.type': '#microsoft.graph.restorePoint',
      protectionUnit: { '@odata.type': '#microsoft.graph.siteProtectionUnit', id: seedUnitId(1) },
    });
    expect(res.body.noResultProtectionUnitIds).toEqual([UNKNOWN_UNIT]);
  });

  it('picks the oldest point in the period with restorePointPreference oldest', async () => {
    const res = await search({ protectionUnitIds: [seedUnitId(1)], protectionTimePeriod: period, restorePointPreference: 'oldest' });
    expect(res.body.searchResults.map((r) => r.restorePoint.id)).toEqual([seedRestorePointId(1, 10)]);
  });

  it('filters by tags, accepting the PascalCase of the tags table', async () => {
    // Days 0-6 are fastRestore; the period 10..3 holds fastRestore points on days 3..6 only.
    for (const tags of ['fastRestore', 'FastRestore']) {
      const res = await search({
        protectionUnitIds: [seedUnitId(1)],
        protectionTimePeriod: period,
        restorePointPreference: 'oldest',
        tags,
      });
      expect(res.status, tags).toBe(200);
      expect(res.body.searchResults[0]!.restorePoint.id).toBe(seedRestorePointId(1, 6));
      expect(res.body.searchResults[0]!.restorePoint.tags).toBe('fastRestore');
    }
    const none = await search({
      protectionUnitIds: [seedUnitId(1)],
      protectionTimePeriod: period,
      restorePointPreference: 'oldest',
      tags: 'None',
    });
    expect(none.body.searchResults[0]!.restorePoint.id).toBe(seedRestorePointId(1, 10));
    const noFast = await search({
      protectionUnitIds: [seedUnitId(1)],
      protectionTimePeriod: { startDateTime: dayIso(13), endDateTime: dayIso(8) },
      tags: 'fastRestore',
    });
    expect(noFast.body.searchResults).toEqual([]);
    expect(noFast.body.noResultProtectionUnitIds).toEqual([seedUnitId(1)]);
  });

  it('takes a period with only a start, and includes its bounds', async () => {
    const open = await search({ protectionUnitIds: [seedUnitId(1)], protectionTimePeriod: { startDateTime: dayIso(20) } });
    expect(open.body.searchResults[0]!.restorePoint.id).toBe(seedRestorePointId(1, 0));
    const exact = await search({
      protectionUnitIds: [seedUnitId(1)],
      protectionTimePeriod: { startDateTime: dayIso(4), endDateTime: dayIso(4) },
    });
    expect(exact.body.searchResults[0]!.restorePoint.id).toBe(seedRestorePointId(1, 4));
  });

  it('with an artifactQuery takes exactly one mailbox and reports a stable artifactHitCount', async () => {
    const body = {
      artifactQuery: { queryExpression: "Subject -like 'Budget*'", artifactType: 'message' },
      protectionUnitIds: [seedMailboxUnitId(7)],
      protectionTimePeriod: { startDateTime: dayIso(13) },
      restorePointPreference: 'oldest',
    };
    const a = await search(body);
    const b = await search(body);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.searchResults).toHaveLength(1);
    const count = a.body.searchResults[0]!.artifactHitCount;
    expect(Number.isInteger(count)).toBe(true);
    expect(b.body.searchResults[0]!.artifactHitCount).toBe(count);
    expect(a.body.searchResponseId).not.toBe(b.body.searchResponseId);

    const two = await search({ ...body, protectionUnitIds: [seedMailboxUnitId(7), seedMailboxUnitId(8)] });
    expect(two.status).toBe(400);
    expect(two.body.error.code).toBe('InvalidSearchRequest');
    const site = await search({ ...body, protectionUnitIds: [seedUnitId(7)] });
    expect(site.status).toBe(400);
    expect(site.body.error.code).toBe('InvalidSearchRequest');
    const noExpr = await search({ ...body, artifactQuery: { artifactType: 'message' } });
    expect(noExpr.status).toBe(400);
    const badType = await search({ ...body, artifactQuery: { queryExpression: "Subject -like 'x'", artifactType: 'unknownFutureValue' } });
    expect(badType.status).toBe(400);
    const longExpr = await search({ ...body, artifactQuery: { queryExpression: 'x'.repeat(5000) } });
    expect(longExpr.status).toBe(400);
    expect(longExpr.body.error.code).toBe('FilterLengthExceeded');
  });

  it('validates protectionUnitIds: 1..20 GUIDs', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => seedUnitId(i));
    const twenty = await search({ protectionUnitIds: ids, protectionTimePeriod: period });
    expect(twenty.status).toBe(200);
    expect(twenty.body.searchResults).toHaveLength(20);
    for (const protectionUnitIds of [[], [...ids, seedUnitId(20)], undefined, 'x', [1]]) {
      const res = await search({ protectionUnitIds, protectionTimePeriod: period });
      expect(res.status, JSON.stringify(protectionUnitIds)).toBe(400);
      expect(res.body.error.code).toBe('InvalidSearchRequest');
    }
    const notGuid = await search({ protectionUnitIds: ['site-1'], protectionTimePeriod: period });
    expect(notGuid.status).toBe(400);
    expect(notGuid.body.error.code).toBe('InvalidProtectionUnitId');
  });

  it('validates protectionTimePeriod', async () => {
    for (const protectionTimePeriod of [
      undefined,
      {},
      { endDateTime: dayIso(1) },
      { startDateTime: 'last tuesday' },
      { startDateTime: dayIso(1), endDateTime: 'soon' },
      { startDateTime: dayIso(1), endDateTime: dayIso(2) },
    ]) {
      const res = await search({ protectionUnitIds: [seedUnitId(1)], protectionTimePeriod });
      expect(res.status, JSON.stringify(protectionTimePeriod)).toBe(400);
      expect(res.body.error.code).toBe('InvalidSearchRequest');
    }
  });

  it('rejects unknown enum values, unknownFutureValue and a non-object body with 400', async () => {
    for (const extra of [
      { restorePointPreference: 'newest' },
      { restorePointPreference: 'unknownFutureValue' },
      { tags: 'slowRestore' },
      { tags: 3 },
    ]) {
      const res = await search({ protectionUnitIds: [seedUnitId(1)], protectionTimePeriod: period, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
    }
    const arr = await search([1, 2]);
    expect(arr.status).toBe(400);
    const empty = await t.graph<GraphErrorBody>('POST', `${ROOT}/restorePoints/search`);
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('InvalidSearchRequest');
  });

  it('is POST only and works for a reader', async () => {
    const get = await t.graph<GraphErrorBody>('GET', `${ROOT}/restorePoints/search`);
    expect(get.status).toBe(400); // `search` is not a well-formed restore point id
    const del = await t.graph('DELETE', `${ROOT}/restorePoints/search`);
    expect(del.status).toBe(405);
    const res = await t.graph<SearchBody>('POST', `${ROOT}/restorePoints/search`, {
      body: { protectionUnitIds: [seedUnitId(1)], protectionTimePeriod: period },
      token: await t.userToken('reader'),
    });
    expect(res.status).toBe(200);
  });
});
