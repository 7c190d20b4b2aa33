import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startTestEmulator, type TestEmulator } from '../src/testing/index.js';
import { SEED_SESSION_IDS, defaultSeed } from '../src/index.js';
import type { JournalEntry } from '../src/admin/journal.js';

const SESSIONS = '/solutions/backupRestore/restoreSessions';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await t.call('DELETE', '/_emulator/faults');
  await t.call('DELETE', '/_emulator/journal');
  await t.call('POST', '/_emulator/reset');
});

async function journal(): Promise<JournalEntry[]> {
  const res = await t.call<{ entries: JournalEntry[] }>('GET', '/_emulator/journal');
  return res.body.entries;
}

async function setFaults(config: unknown): Promise<void> {
  const res = await t.call('PUT', '/_emulator/faults', { body: config });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

function batchOf(...urls: string[]): { requests: Array<{ id: string; method: string; url: string }> } {
  return { requests: urls.map((url, i) => ({ id: String(i + 1), method: 'GET', url })) };
}

describe('faults at top level', () => {
  it('answers 429 with a fractional Retry-After and Graph’s throttling envelope, without processing the request', async () => {
    await setFaults({
      rules: [{ path: 'solutions/backupRestore/restoreSessions/*/activate', method: 'POST', status: 429, retryAfter: 0.25 }],
    });
    const res = await t.graph<{ error: { code: string; innerError: Record<string, string> } }>(
      'POST',
      `${SESSIONS}/${SEED_SESSION_IDS.draft}/activate`,
    );
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('0.25');
    expect(res.body.error.code).toBe('TooManyRequests');
    expect(res.body.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const session = await t.graph<{ status: string }>('GET', `${SESSIONS}/${SEED_SESSION_IDS.draft}`);
    expect(session.body.status).toBe('draft');
  });

  it('answers 503 with Retry-After, and 500, 401 and 403 as Graph would', async () => {
    for (const [status, code] of [
      [503, 'ServiceUnavailable'],
      [500, 'InternalServerError'],
      [401, 'InvalidAuthenticationToken'],
      [403, 'Forbidden'],
    ] as const) {
      await setFaults({ rules: [{ path: '**', method: 'GET', status }] });
      const res = await t.graph<{ error: { code: string } }>('GET', SESSIONS);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      if (status === 503) expect(res.headers['retry-after']).toBe('1');
    }
  });

  it('adds latency with jitter', async () => {
    await setFaults({ rules: [{ path: '**', latency: { fixedMs: 120, jitterMs: 30 } }] });
    const started = Date.now();
    const res = await t.graph('GET', `${SESSIONS}/${SEED_SESSION_IDS.draft}`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    const [entry] = await journal();
    expect(entry?.fault).toMatch(/^latency:1[2-5]\dms$/);
  });

  it('drops the connection, and the emulator keeps serving', async () => {
    await setFaults({ rules: [{ path: '**', method: 'GET', drop: true, limit: 1 }] });
    await expect(t.graph('GET', SESSIONS)).rejects.toThrow();
    const again = await t.graph('GET', SESSIONS);
    expect(again.status).toBe(200);
    const entries = await journal();
    expect(entries.map((e) => [e.status, e.fault ?? null])).toEqual([
      [0, 'drop'],
      [200, null],
    ]);
  });

  it('an after-phase fault processes the request and then loses the answer', async () => {
    await setFaults({ rules: [{ path: 'solutions/backupRestore/restoreSessions/*/activate', drop: true, phase: 'after', limit: 1 }] });
    await expect(t.graph('POST', `${SESSIONS}/${SEED_SESSION_IDS.draft}/activate`)).rejects.toThrow();
    const session = await t.graph<{ status: string }>('GET', `${SESSIONS}/${SEED_SESSION_IDS.draft}`);
    expect(session.body.status).toBe('activating');
  });

  it('matches by method and path glob, and the rate is reproducible from the seed', async () => {
    const run = async (): Promise<number[]> => {
      await setFaults({ seed: 7, rules: [{ path: 'solutions/backupRestore/restoreSessions', method: 'GET', status: 503, rate: 0.5 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await t.graph('GET', SESSIONS)).status);
      return statuses;
    };
    const first = await run();
    const second = await run();
    expect(first).toEqual(second);
    expect(first.filter((s) => s === 503).length).toBeGreaterThan(5);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(5);
    // Other paths and methods are untouched.
    expect((await t.graph('GET', `${SESSIONS}/${SEED_SESSION_IDS.draft}`)).status).toBe(200);
  });

  it('reports the configuration with hit counts, and refuses bad configurations with 400', async () => {
    await setFaults({ rules: [{ path: '**', status: 500, limit: 2 }] });
    for (let i = 0; i < 3; i++) await t.graph('GET', SESSIONS);
    const view = await t.call<{ hits: number[] }>('GET', '/_emulator/faults');
    expect(view.body.hits).toEqual([2]);
    for (const bad of [
      { rules: [{ path: '**' }] },
      { rules: [{ status: 418 }] },
      { rules: [{ status: 429, rate: 2 }] },
      { rules: [{ status: 429, drop: true }] },
      { rules: [{ status: 429, bogus: 1 }] },
      { rules: 'all' },
      [],
    ]) {
      const res = await t.call<{ error: { code: string } }>('PUT', '/_emulator/faults', { body: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe('BadRequest');
    }
  });
});

describe('faults inside $batch', () => {
  it('throttles one item behind a 200 envelope with its own Retry-After', async () => {
    await setFaults({
      rules: [
        { path: `solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.draft}`, scope: 'batchItem', status: 429, retryAfter: 1.5 },
      ],
    });
    const res = await t.graph<{ responses: Array<{ id: string; status: number; headers: Record<string, string> }> }>('POST', '/$batch', {
      body: batchOf(`${SESSIONS}/${SEED_SESSION_IDS.draft}`, `${SESSIONS}/${SEED_SESSION_IDS.active}`),
    });
    expect(res.status).toBe(200);
    const byId = new Map(res.body.responses.map((r) => [r.id, r]));
    expect(byId.get('1')?.status).toBe(429);
    expect(byId.get('1')?.headers['retry-after']).toBe('1.5');
    expect(byId.get('2')?.status).toBe(200);
  });

  it('a request-scoped rule leaves batch items alone, and a batchItem-scoped one leaves top-level requests alone', async () => {
    await setFaults({ rules: [{ path: 'solutions/**', scope: 'request', status: 503 }] });
    const batch = await t.graph<{ responses: Array<{ status: number }> }>('POST', '/$batch', { body: batchOf(SESSIONS) });
    expect(batch.body.responses[0]?.status).toBe(200);
    await setFaults({ rules: [{ path: 'solutions/**', scope: 'batchItem', status: 503 }] });
    expect((await t.graph('GET', SESSIONS)).status).toBe(200);
  });

  it('applies 500, 401 and 403 and latency to items', async () => {
    await setFaults({
      rules: [
        { path: `**/${SEED_SESSION_IDS.draft}`, scope: 'batchItem', status: 500 },
        { path: `**/${SEED_SESSION_IDS.active}`, scope: 'batchItem', status: 401 },
        { path: `**/${SEED_SESSION_IDS.completed}`, scope: 'batchItem', status: 403 },
        { path: `**/${SEED_SESSION_IDS.failed}`, scope: 'batchItem', latency: { fixedMs: 50, jitterMs: 0 } },
      ],
    });
    const ids = [SEED_SESSION_IDS.draft, SEED_SESSION_IDS.active, SEED_SESSION_IDS.completed, SEED_SESSION_IDS.failed];
    const res = await t.graph<{ responses: Array<{ id: string; status: number }> }>('POST', '/$batch', {
      body: batchOf(...ids.map((id) => `${SESSIONS}/${id}`)),
    });
    const byId = new Map(res.body.responses.map((r) => [r.id, r.status]));
    expect([...byId.entries()].sort()).toEqual([
      ['1', 500],
      ['2', 401],
      ['3', 403],
      ['4', 200],
    ]);
    const items = (await journal()).filter((e) => e.kind === 'batchItem');
    expect(items.find((e) => e.itemId === '4')?.fault).toBe('latency:50ms');
  });

  it('a dropped item drops the whole batch connection', async () => {
    await setFaults({ rules: [{ path: `**/${SEED_SESSION_IDS.draft}`, scope: 'batchItem', drop: true, limit: 1 }] });
    await expect(t.graph('POST', '/$batch', { body: batchOf(`${SESSIONS}/${SEED_SESSION_IDS.draft}`, SESSIONS) })).rejects.toThrow();
    const entries = await journal();
    expect(entries.find((e) => e.kind === 'batch')?.status).toBe(0);
    expect((await t.graph('GET', SESSIONS)).status).toBe(200);
  });
});

describe('journal', () => {
  it('records an unbatched call with method, path, query, status, subject and timestamps', async () => {
    const token = await t.userToken('admin');
    await t.call('DELETE', '/_emulator/journal');
    await t.graph('GET', `${SESSIONS}?$top=2`, { token, headers: { 'client-request-id': 'c-123' } });
    const entries = await journal();
    expect(entries).toHaveLength(1);
    const [e] = entries;
    const admin = defaultSeed().users.find((u) => u.name === 'admin')!;
    expect(e).toMatchObject({
      kind: 'request',
      method: 'GET',
      version: 'beta',
      path: 'solutions/backupRestore/restoreSessions',
      query: '%24top=2',
      status: 200,
      subject: admin.id,
      clientRequestId: 'c-123',
    });
    expect(Date.parse(e!.finishedAt)).toBeGreaterThanOrEqual(Date.parse(e!.startedAt));
    expect(e!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records a batch envelope and each item, linked by the batch request id, with the app as subject', async () => {
    const res = await t.graph<{ responses: unknown[] }>('POST', '/$batch', {
      body: batchOf(`${SESSIONS}/${SEED_SESSION_IDS.draft}`, `${SESSIONS}/00000000-0000-0000-0000-000000000000`),
    });
    expect(res.status).toBe(200);
    const entries = await journal();
    const envelope = entries.find((e) => e.kind === 'batch')!;
    const items = entries.filter((e) => e.kind === 'batchItem');
    expect(envelope).toMatchObject({ method: 'POST', path: '$batch', status: 200, subject: t.emu.settings.AZURE_CLIENT_ID });
    expect(items.map((i) => [i.itemId, i.status]).sort()).toEqual([
      ['1', 200],
      ['2', 404],
    ]);
    for (const item of items) {
      expect(item.batchRequestId).toBe(envelope.batchRequestId);
      expect(item.subject).toBe(t.emu.settings.AZURE_CLIENT_ID);
      expect(item.path).toMatch(/^solutions\/backupRestore\/restoreSessions\//);
    }
  });

  it('records token requests without secrets, lists since a sequence number, and clears', async () => {
    await t.call('DELETE', '/_emulator/journal');
    const before = (await t.call<{ lastSeq: number }>('GET', '/_emulator/journal')).body.lastSeq;
    const res = await request(`${t.emu.origin}/${t.emu.settings.AZURE_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: t.emu.settings.AZURE_CLIENT_ID,
        client_secret: t.emu.settings.AZURE_CLIENT_SECRET,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
      dispatcher: t.agent,
    });
    await res.body.text();
    const since = await t.call<{ entries: JournalEntry[] }>('GET', `/_emulator/journal?since=${before}`);
    expect(since.body.entries).toHaveLength(1);
    const entry = since.body.entries[0]!;
    expect(entry).toMatchObject({ kind: 'token', grantType: 'client_credentials', clientId: t.emu.settings.AZURE_CLIENT_ID, status: 200 });
    expect(JSON.stringify(entry)).not.toContain(t.emu.settings.AZURE_CLIENT_SECRET);
    await t.call('DELETE', '/_emulator/journal');
    expect(await journal()).toEqual([]);
    expect((await t.call('GET', '/_emulator/journal?since=-1')).status).toBe(400);
  });
});

describe('admin API', () => {
  it('advances the clock and reports it', async () => {
    const before = await t.call<{ now: string; mode: string }>('GET', '/_emulator/clock');
    expect(before.body.mode).toBe('manual');
    const after = await t.call<{ now: string }>('POST', '/_emulator/clock/advance', { body: { ms: 60_000 } });
    expect(Date.parse(after.body.now) - Date.parse(before.body.now)).toBe(60_000);
    for (const ms of [-1, 'soon', null]) {
      expect((await t.call('POST', '/_emulator/clock/advance', { body: { ms } })).status).toBe(400);
    }
  });

  it('resets the model and the clock', async () => {
    await t.graph('DELETE', `${SESSIONS}/${SEED_SESSION_IDS.draft}`);
    await t.call('POST', '/_emulator/clock/advance', { body: { ms: 5_000 } });
    expect((await t.graph('GET', `${SESSIONS}/${SEED_SESSION_IDS.draft}`)).status).toBe(404);
    const res = await t.call<{ clock: string }>('POST', '/_emulator/reset');
    expect(res.body.clock).toBe(defaultSeed().clockStart);
    expect((await t.graph('GET', `${SESSIONS}/${SEED_SESSION_IDS.draft}`)).status).toBe(200);
  });

  it('issues API tokens for seeded users and refuses unknown audiences', async () => {
    const ok = await t.call<{ access_token: string; token_type: string }>('POST', '/_emulator/token', {
      body: { user: 'reader', audience: `api://${t.emu.settings.AZURE_CLIENT_ID}` },
    });
    expect(ok.status).toBe(200);
    const claims = JSON.parse(Buffer.from(ok.body.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims.aud).toBe(`api://${t.emu.settings.AZURE_CLIENT_ID}`);
    expect(claims.scp).toBe('RestoreSessions.Read');
    const v1 = await t.call<{ access_token: string }>('POST', '/_emulator/token', { body: { user: 'admin', tokenVersion: '1.0' } });
    const v1Claims = JSON.parse(Buffer.from(v1.body.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(v1Claims.iss).toBe(`https://sts.windows.net/${t.emu.settings.AZURE_TENANT_ID}/`);
    expect((await t.call('POST', '/_emulator/token', { body: { user: 'admin', tokenVersion: '3.0' } })).status).toBe(400);
    expect((await t.call('POST', '/_emulator/token', { body: { user: 'admin', audience: 'https://evil.example' } })).status).toBe(400);
    expect((await t.call('POST', '/_emulator/token', { body: { user: 'nobody' } })).status).toBe(400);
  });

  it('mints edge-shaped API tokens: a user with app roles and no scp, idtyp on request, an app without idtyp', async () => {
    const mint = async (body: Record<string, unknown>): Promise<Record<string, unknown>> => {
      const res = await t.call<{ access_token: string }>('POST', '/_emulator/token', { body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return JSON.parse(Buffer.from(res.body.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    };
    const rolesOnly = await mint({ user: 'admin', scopes: [], roles: ['RestoreSessions.ReadWrite.All'] });
    expect(rolesOnly).not.toHaveProperty('scp');
    expect(rolesOnly).not.toHaveProperty('idtyp');
    expect(rolesOnly.roles).toEqual(['RestoreSessions.ReadWrite.All']);
    expect(rolesOnly.sub).not.toBe(rolesOnly.oid);
    expect(await mint({ user: 'reader', scopes: ['RestoreSessions.ReadWrite'], idtyp: true })).toMatchObject({
      scp: 'RestoreSessions.ReadWrite',
      idtyp: 'user',
    });
    const app = await mint({ app: 'writer', idtyp: false });
    expect(app).not.toHaveProperty('idtyp');
    expect(app).not.toHaveProperty('scp');
    expect(app).toMatchObject({ roles: ['RestoreSessions.ReadWrite.All'], sub: app.oid });
    expect(await mint({ app: 'reader', roles: [] })).toMatchObject({ roles: [], idtyp: 'app' });
    // The defaults are unchanged.
    const admin = await mint({ user: 'admin' });
    expect(admin.scp).toBe('RestoreSessions.Read RestoreSessions.ReadWrite');
    expect(admin).not.toHaveProperty('roles');
    expect(admin).not.toHaveProperty('idtyp');
    expect((await mint({ app: 'writer' })).idtyp).toBe('app');

    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [{ user: 'admin', scopes: 'RestoreSessions.Read' }, /'scopes' must be a list/],
      [{ user: 'admin', scopes: [42] }, /'scopes' must be a list/],
      [{ user: 'admin', scopes: ['RestoreSessions.Read RestoreSessions.ReadWrite'] }, /without spaces/],
      [{ user: 'admin', roles: {} }, /'roles' must be a list/],
      [{ user: 'admin', roles: [''] }, /'roles' must be a list/],
      [{ user: 'admin', idtyp: 'app' }, /'idtyp' must be true or false/],
      [{ app: 'writer', scopes: ['RestoreSessions.Read'] }, /'scopes' is for user tokens/],
    ];
    for (const [body, message] of refusals) {
      const res = await t.call<{ error: { code: string; message: string } }>('POST', '/_emulator/token', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
  });

  it('replaces the seed with a JSON fixture, keeps it across resets, and refuses a bad fixture without losing state', async () => {
    const fixture = defaultSeed();
    fixture.sessions = fixture.sessions.filter((s) => s.id === SEED_SESSION_IDS.completed);
    const res = await t.call<{ sessions: number }>('POST', '/_emulator/seed', { body: fixture });
    expect(res.status).toBe(200);
    expect(res.body.sessions).toBe(1);
    const list = await t.graph<{ value: Array<{ id: string }> }>('GET', SESSIONS);
    expect(list.body.value.map((s) => s.id)).toEqual([SEED_SESSION_IDS.completed]);
    await t.call('POST', '/_emulator/reset');
    expect((await t.graph<{ value: unknown[] }>('GET', SESSIONS)).body.value).toHaveLength(1);

    const broken = {
      ...fixture,
      sessions: [{ ...fixture.sessions[0], artifacts: [{ id: 'x', restorePointId: 'nope', destinationType: 'new' }] }],
    };
    const bad = await t.call<{ error: { message: string } }>('POST', '/_emulator/seed', { body: broken });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('sessions[0].artifacts[0].restorePointId');
    expect((await t.graph<{ value: unknown[] }>('GET', SESSIONS)).body.value).toHaveLength(1);

    const current = await t.call<{ sessions: unknown[] }>('GET', '/_emulator/seed');
    expect(current.body.sessions).toHaveLength(1);
    expect((await t.call('POST', '/_emulator/seed', { body: defaultSeed() })).status).toBe(200);
  });

  it('answers unknown admin endpoints with 404 and wrong methods with 405, and is not reachable through Graph paths', async () => {
    expect((await t.call('GET', '/_emulator/nothing')).status).toBe(404);
    expect((await t.call('GET', '/_emulator/reset')).status).toBe(405);
    const viaGraph = await t.graph('POST', '/_emulator/reset');
    expect(viaGraph.status).toBe(400);
    const viaBatch = await t.graph<{ responses: Array<{ status: number }> }>('POST', '/$batch', {
      body: {
        requests: [
          { id: '1', method: 'POST', url: '/../_emulator/reset' },
          { id: '2', method: 'POST', url: '/_emulator/reset' },
        ],
      },
    });
    expect(viaBatch.body.responses.map((r) => r.status)).toEqual([400, 400]);
  });
});
