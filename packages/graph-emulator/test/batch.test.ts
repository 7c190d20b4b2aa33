import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../src/testing/index.js';
import { SEED_SESSION_IDS, seedUnitId } from '../src/index.js';

const ROOT = '/solutions/backupRestore';

interface GraphErrorBody {
  error: { code: string; message: string; innerError: Record<string, string> };
}
interface BatchResponseItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: Record<string, unknown> & Partial<GraphErrorBody>;
}
interface BatchBody {
  responses: BatchResponseItem[];
}
interface BatchRequestItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

const t = useTestEmulator();

function batch(
  requests: BatchRequestItem[] | unknown,
  opts: { token?: string | null; headers?: Record<string, string>; version?: 'beta' | 'v1.0' } = {},
) {
  return t.graph<BatchBody & GraphErrorBody>('POST', '/$batch', { body: Array.isArray(requests) ? { requests } : requests, ...opts });
}

/** The responses keyed by id: Graph may answer in any order. */
function byId(body: BatchBody): Map<string, BatchResponseItem> {
  return new Map(body.responses.map((r) => [r.id, r]));
}

const get = (id: string, url: string, extra: Partial<BatchRequestItem> = {}): BatchRequestItem => ({ id, method: 'GET', url, ...extra });

describe('$batch envelope', () => {
  it('runs 20 items and correlates every answer by id', async () => {
    const requests = Array.from({ length: 20 }, (_, i) => get(`r${i}`, `${ROOT}/protectionUnits/${seedUnitId(i)}`));
    const res = await batch(requests);
    expect(res.status).toBe(200);
    expect(res.headers['request-id']).toBeTruthy();
    expect(res.body.responses).toHaveLength(20);
    const answers = byId(res.body);
    for (let i = 0; i < 20; i++) {
      const r = answers.get(`r${i}`)!;
      expect(r.status).toBe(200);
      expect(r.body?.id).toBe(seedUnitId(i));
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.headers['request-id']).toBeTruthy();
    }
  });

  it('refuses 21 items with 400', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => get(`r${i}`, `${ROOT}/protectionUnits/${seedUnitId(i)}`));
    const res = await batch(requests);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadRequest');
    expect(res.body.error.message).toMatch(/20/);
  });

  it('refuses duplicate ids, compared case-insensitively', async () => {
    const res = await batch([get('a', ROOT), get('A', ROOT)]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadRequest');
  });

  it('refuses an item with a body but no Content-Type', async () => {
    const res = await batch([
      { id: '1', method: 'POST', url: `${ROOT}/restorePoints/search`, body: { protectionUnitIds: [seedUnitId(1)] } },
    ]);
    expect(res.status).toBe(400);
  });

  it('refuses malformed envelopes with 400 and other methods with 405', async () => {
    for (const body of [
      {},
      { requests: [] },
      { requests: 'x' },
      { requests: [get('1', ROOT), 'x'] },
      { requests: [{ id: '1', url: ROOT }] },
      { requests: [{ id: '1', method: 'GET' }] },
    ]) {
      const res = await batch(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('BadRequest');
    }
    const unknownDep = await batch([get('1', ROOT, { dependsOn: ['nope'] })]);
    expect(unknownDep.status).toBe(400);
    const cycle = await batch([get('1', ROOT, { dependsOn: ['2'] }), get('2', ROOT, { dependsOn: ['1'] })]);
    expect(cycle.status).toBe(400);
    const notJson = await t.graph<GraphErrorBody>('POST', '/$batch', {
      rawBody: '{"requests": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('BadRequest');
    const getBatch = await t.graph<GraphErrorBody>('GET', '/$batch');
    expect(getBatch.status).toBe(405);
  });

  it('answers 401 with WWW-Authenticate to an unauthenticated envelope', async () => {
    const res = await batch([get('1', ROOT)], { token: null });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('InvalidAuthenticationToken');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    const bad = await batch([get('1', ROOT)], { token: 'not-a-token' });
    expect(bad.status).toBe(401);
  });

  it('is served under /v1.0 as well, and echoes the envelope’s client-request-id', async () => {
    const res = await batch([get('1', `${ROOT}/siteProtectionUnits?$top=1`)], {
      version: 'v1.0',
      headers: { 'client-request-id': 'envelope-crid' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['client-request-id']).toBe('envelope-crid');
    const item = byId(res.body).get('1')!;
    expect(item.status).toBe(200);
    expect(String(item.body?.['@odata.context'])).toContain('/v1.0/$metadata#');
  });
});

describe('$batch items', () => {
  it('answers bad item URLs with a per-item 400 while the envelope is 200', async () => {
    const res = await batch([
      get('absolute', `https://graph.microsoft.com/beta${ROOT}`),
      get('scheme-relative', `//graph.microsoft.com/beta${ROOT}`),
      get('dotdot', `../beta${ROOT}`),
      get('dotdot-inside', `${ROOT}/../backupRestore/siteProtectionUnits`),
      get('nested', '/$batch'),
      {
        id: 'nested-post',
        method: 'POST',
        url: '$batch',
        headers: { 'content-type': 'application/json' },
        body: { requests: [get('x', ROOT)] },
      },
      get('ok', `${ROOT}/siteProtectionUnits?$top=1`),
    ]);
    expect(res.status).toBe(200);
    const answers = byId(res.body);
    for (const id of ['absolute', 'scheme-relative', 'dotdot', 'dotdot-inside', 'nested', 'nested-post']) {
      const r = answers.get(id)!;
      expect(r.status, id).toBe(400);
      expect(r.body?.error?.code, id).toBe('BadRequest');
      expect(r.body?.error?.innerError['request-id'], id).toBeTruthy();
    }
    expect(answers.get('ok')!.status).toBe(200);
  });

  it('passes each item’s body and Content-Type to the endpoint', async () => {
    const res = await batch([
      {
        id: 'search',
        method: 'POST',
        url: `${ROOT}/restorePoints/search`,
        headers: { 'Content-Type': 'application/json' },
        body: { protectionUnitIds: [seedUnitId(1)], protectionTimePeriod: { startDateTime: '2025-05-01T00:00:00Z' } },
      },
    ]);
    const item = byId(res.body).get('search')!;
    expect(item.status).toBe(200);
    expect((item.body?.searchResults as unknown[]).length).toBe(1);
  });

  it('fails dependents of a failed item with 424, transitively, and runs the rest', async () => {
    const res = await batch([
      get('bad', `${ROOT}/protectionUnits/not-a-guid`),
      get('child', `${ROOT}/siteProtectionUnits?$top=1`, { dependsOn: ['bad'], headers: { 'client-request-id': 'child-crid' } }),
      get('grandchild', `${ROOT}/siteProtectionUnits?$top=1`, { dependsOn: ['CHILD'] }),
      get('good', `${ROOT}/protectionUnits/${seedUnitId(1)}`),
      get('after-good', `${ROOT}/protectionUnits/${seedUnitId(2)}`, { dependsOn: ['good'] }),
    ]);
    expect(res.status).toBe(200);
    const answers = byId(res.body);
    expect(answers.get('bad')!.status).toBe(400);
    expect(answers.get('bad')!.body?.error?.code).toBe('InvalidProtectionUnitId');
    const child = answers.get('child')!;
    expect(child.status).toBe(424);
    expect(child.body?.error?.innerError['client-request-id']).toBe('child-crid');
    expect(child.headers['client-request-id']).toBe('child-crid');
    expect(answers.get('grandchild')!.status).toBe(424);
    expect(answers.get('good')!.status).toBe(200);
    expect(answers.get('after-good')!.status).toBe(200);
  });

  it('runs dependsOn items in order: a read after a delete sees the delete, a read before it does not', async () => {
    const session = `${ROOT}/restoreSessions/${SEED_SESSION_IDS.emptyDraft}`;
    try {
      const res = await batch([
        get('read-after', session, { dependsOn: ['delete'] }),
        { id: 'delete', method: 'DELETE', url: session, dependsOn: ['read-before'] },
        get('read-before', session),
      ]);
      expect(res.status).toBe(200);
      const answers = byId(res.body);
      expect(answers.get('read-before')!.status).toBe(200);
      expect(answers.get('delete')!.status).toBe(204);
      expect(answers.get('delete')!.body).toBeUndefined();
      expect(answers.get('read-after')!.status).toBe(404);
    } finally {
      await t.call('POST', '/_emulator/reset');
    }
  });

  it('honours each item’s own Prefer header: only that item sees `failed` and gets Preference-Applied', async () => {
    const session = `${ROOT}/restoreSessions/${SEED_SESSION_IDS.failed}`;
    const res = await batch([get('plain', session), get('prefer', session, { headers: { Prefer: 'include-unknown-enum-members' } })]);
    expect(res.status).toBe(200);
    expect(res.headers['preference-applied']).toBeUndefined();
    const answers = byId(res.body);
    const plain = answers.get('plain')!;
    const prefer = answers.get('prefer')!;
    expect(plain.status).toBe(200);
    expect(prefer.status).toBe(200);
    expect(plain.body?.status).toBe('unknownFutureValue');
    expect(prefer.body?.status).toBe('failed');
    expect(prefer.headers['preference-applied']).toBe('include-unknown-enum-members');
    expect(plain.headers['preference-applied']).toBeUndefined();
  });

  it('echoes each item’s client-request-id, in its headers and in its error envelope', async () => {
    const res = await batch(
      [
        get('1', `${ROOT}/protectionUnits/${seedUnitId(1)}`, { headers: { 'client-request-id': 'crid-one' } }),
        get('2', `${ROOT}/protectionUnits/bad`, { headers: { 'client-request-id': 'crid-two' } }),
        get('3', `${ROOT}/protectionUnits/${seedUnitId(3)}`),
      ],
      { headers: { 'client-request-id': 'envelope-crid' } },
    );
    const answers = byId(res.body);
    expect(answers.get('1')!.headers['client-request-id']).toBe('crid-one');
    expect(answers.get('2')!.headers['client-request-id']).toBe('crid-two');
    expect(answers.get('2')!.body?.error?.innerError['client-request-id']).toBe('crid-two');
    // Without its own, an item does not borrow the envelope's id.
    expect(answers.get('3')!.headers['client-request-id']).not.toBe('envelope-crid');
    expect(new Set(res.body.responses.map((r) => r.headers['request-id'])).size).toBe(3);
  });

  it('checks each item against the envelope token’s permissions', async () => {
    const res = await batch([get('root', ROOT), get('units', `${ROOT}/siteProtectionUnits?$top=1`)], {
      token: await t.userToken('reader'),
    });
    expect(res.status).toBe(200);
    const answers = byId(res.body);
    expect(answers.get('root')!.status).toBe(403);
    expect(answers.get('units')!.status).toBe(200);
  });
});
