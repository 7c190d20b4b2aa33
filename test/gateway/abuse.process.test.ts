import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import { decodeJwt } from 'jose';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SEED_SESSION_IDS, seedRestorePointId, type ApiTokenRequest, type JournalEntry } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import { bannerUrl, kill, ROOT, start, within, type Started } from './process-support.js';

/**
 * The real `npm start` process, attacked the ways the hardening review found it could be killed, flooded or fooled.
 * Each block asserts what the client sees (counts and codes, never timings), and the process must still answer
 * `/healthz` and a real query afterwards, with no unhandled rejection or uncaught exception in its log.
 */

const READY_TIMEOUT_MS = 60_000;
/** Small enough that a churning caller meets it within the test, large enough for every other block. */
const CALLER_CALLS = 40;
const PENDING_PER_ADDRESS = 4;

let run: Started;
let url: string;
let emulatorOrigin: string;
let adminToken: string;
let tokens: Agent;

beforeAll(async () => {
  run = start({
    PORT: '0',
    CALLER_RATE_LIMIT_CALLS: String(CALLER_CALLS),
    CALLER_RATE_LIMIT_WINDOW_MS: '600000',
    WS_MAX_PENDING_PER_ADDRESS: String(PENDING_PER_ADDRESS),
    LOG_LEVEL: 'info',
  });
  url = await bannerUrl(run, READY_TIMEOUT_MS);
  adminToken = /^Authorization: Bearer (\S+)$/m.exec(run.stdout())?.[1] ?? '';
  emulatorOrigin = /admin API at (https:\/\/[^/\s]+)\/_emulator\//.exec(run.stdout())?.[1] ?? '';
  tokens = new Agent({ connect: { ca: readFileSync(`${ROOT}/.emulator/ca.pem`, 'utf8') } });
}, READY_TIMEOUT_MS + 5_000);

afterAll(async () => {
  await kill(run);
  await tokens?.close();
});

/** The embedded emulator's admin API (`/_emulator/...`), as a developer would call it with curl. */
async function emulator<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await request(`${emulatorOrigin}/_emulator/${path}`, {
    method,
    dispatcher: tokens,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return (await res.body.json()) as T;
}

/** A token for the gateway's API in any shape `POST /_emulator/token` mints (for the gateway's client id unless told otherwise). */
async function apiToken(shape: Partial<ApiTokenRequest>): Promise<string> {
  return (await emulator<{ access_token: string }>('POST', 'token', shape)).access_token;
}

interface Answer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string; [k: string]: unknown } }>;
  };
}

async function post(body: unknown, token: string | null = adminToken, search = ''): Promise<Answer> {
  const res = await fetch(`${url}${search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** The process runs, answers /healthz, and serves a real query; nothing escaped to its process-level handlers. */
async function stillServing(): Promise<void> {
  // A lookup left unobserved rejects when its Graph answer arrives: give it the time to.
  await new Promise((r) => setTimeout(r, 300));
  expect(run.child.exitCode, run.stderr()).toBeNull();
  expect((await fetch(new URL('/healthz', url))).status).toBe(200);
  const real = await post({ query: `{ restoreSession(id: "${SEED_SESSION_IDS.completed}") { id status } }` });
  expect(real.body).toEqual({ data: { restoreSession: { id: SEED_SESSION_IDS.completed, status: 'COMPLETED' } } });
  expect(run.stderr()).not.toMatch(/unhandled promise rejection|uncaught exception/);
}

const codes = (a: Answer): Array<string | undefined> => (a.body.errors ?? []).map((e) => e.extensions?.code);

describe('_entities', () => {
  const ENTITIES =
    'query($r:[_Any!]!){ _entities(representations:$r){ __typename ... on RestorePoint { id } ... on RestoreSession { id } } }';
  // `npm start` dates its seed at its start, and restore point ids hold their day: the id comes from the emulator's clock.
  const good = { __typename: 'RestorePoint', id: '' };
  beforeAll(async () => {
    good.id = seedRestorePointId(0, 0, (await emulator<{ start: string }>('GET', 'clock')).start);
  });

  it.each([
    ['an invalid id beside a reference without id', [{ __typename: 'RestorePoint', id: 'nope' }, { __typename: 'RestorePoint' }]],
    ['an unknown type, a string and a list beside a good one', [{ __typename: 'Nope', id: 'x' }, 'nope', [good], good]],
    [
      'an artifact without its session id, and an empty id',
      [{ __typename: 'SiteRestoreArtifact', id: 'a' }, { __typename: 'RestorePoint', id: '' }, good],
    ],
    [
      'the session interface with bad and unknown ids',
      [
        { __typename: 'RestoreSession', id: 'not-a-guid' },
        { __typename: 'SharePointRestoreSession', id: '00000000-0000-0000-0000-000000000000' },
        good,
      ],
    ],
    [
      'fifty bad references in a row',
      Array.from({ length: 50 }, (_, i) => (i % 2 ? { __typename: 'RestorePoint', id: `bad-${i}` } : { __typename: 'RestorePoint' })),
    ],
  ])('with %s fails each bad one at its index and resolves the others (read-only caller)', async (_name, representations) => {
    const reader = await apiToken({ user: 'reader' });
    const res = await post({ query: ENTITIES, variables: { r: representations } }, reader);
    expect(res.status).toBe(200);
    const entities = (res.body.data?._entities ?? []) as unknown[];
    expect(entities).toHaveLength(representations.length);
    for (const [i, r] of representations.entries()) {
      if (r === good) expect(entities[i]).toEqual({ __typename: 'RestorePoint', id: good.id });
    }
    expect(codes(res).length).toBeGreaterThan(0);
    expect(codes(res)).not.toContain('INTERNAL_SERVER_ERROR');
    for (const e of res.body.errors ?? []) expect(e.path?.[0]).toBe('_entities');
    await stillServing();
  });

  it('is never exempt from a token: not by a schema-only body beside a GET, nor by a schema-only URL beside a POST', async () => {
    const variables = encodeURIComponent(
      JSON.stringify({ r: [{ __typename: 'RestorePoint', id: 'nope' }, { __typename: 'RestorePoint' }] }),
    );
    // A GET with a body, as curl -X GET --data sends it.
    const raw = await request(`${url}?query=${encodeURIComponent(ENTITIES)}&variables=${variables}`, {
      method: 'GET',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(raw.statusCode).toBe(401);
    expect(((await raw.body.json()) as Answer['body']).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const post2 = await post(
      { query: ENTITIES, variables: { r: [{ __typename: 'RestorePoint', id: 'nope' }] } },
      null,
      `?query=${encodeURIComponent('{ _service { sdl } }')}`,
    );
    expect(post2.status).toBe(401);
    // The exemption itself still works for what it is for.
    const sdl = await post({ query: '{ _service { sdl } }' }, null);
    expect(sdl.status).toBe(200);
    expect(JSON.stringify(sdl.body.data)).toContain('RestoreSession');
    await stillServing();
  });
});

describe('before authentication', () => {
  it('closes sockets that send an oversized connection_init with 1009, without taking their memory', async () => {
    const rss = async (): Promise<number> => {
      const text = await (await fetch(new URL('/metrics', url))).text();
      return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1]);
    };
    const before = await rss();
    const frame = `{"type":"connection_init","payload":{"x":"${'x'.repeat(90 * 1024 * 1024)}"}}`;
    const outcomes = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<number>((resolve) => {
            // A zero mask lets ws skip masking 90 MB in JavaScript, so the frame's header leaves at once: on a busy
            // machine the masking took longer than the server's 3 s wait for connection_init (closed with 4408).
            const socket = new WebSocket(url.replace('http:', 'ws:'), 'graphql-transport-ws', {
              generateMask: (mask) => void mask.fill(0),
            });
            socket.once('open', () => socket.send(frame, () => undefined));
            socket.once('close', (code) => resolve(code));
            socket.once('error', () => undefined);
          }),
      ),
    );
    // 1009 (too big), or 1006 when the server's close overtook the client's own write of the rest.
    for (const code of outcomes) expect([1009, 1006]).toContain(code);
    expect(outcomes).toContain(1009);
    // The refused frames never pass through the gateway: it stops reading once it has sent its close frame (about 1 MB
    // of growth on Node 20 and 26 alike; draining them grew it by 35 MB on Node 20 and up to 130 MB on Node 26).
    expect((await rss()) - before).toBeLessThan(32 * 1024 * 1024);
    await stillServing();
  }, 60_000);

  it(`refuses a ${PENDING_PER_ADDRESS + 1}th socket from one address while the others wait for their connection_init`, async () => {
    const open = (): Promise<{ socket: WebSocket; status: number }> =>
      new Promise((resolve) => {
        const socket = new WebSocket(url.replace('http:', 'ws:'), 'graphql-transport-ws');
        socket.once('open', () => resolve({ socket, status: 101 }));
        socket.once('unexpected-response', (_req, res) => resolve({ socket, status: res.statusCode ?? 0 }));
        socket.once('error', () => undefined);
      });
    const waiting = [];
    for (let i = 0; i < PENDING_PER_ADDRESS; i++) waiting.push(await open());
    expect(waiting.map((w) => w.status)).toEqual(Array(PENDING_PER_ADDRESS).fill(101));
    const refused = await open();
    expect(refused.status).toBe(429);
    for (const w of waiting) w.socket.terminate();
    await expect.poll(async () => (await open()).status, { timeout: 3_000 }).toBe(101);
    await stillServing();
  });
});

describe('subscription churn', () => {
  it('is held to the caller quota: starts past it are refused RATE_LIMITED, and its Graph calls stay within it', async () => {
    const churner = await apiToken({ user: 'reader' });
    const oid = decodeJwt(churner).oid as string;
    const journalBefore = (await emulator<{ lastSeq: number }>('GET', 'journal')).lastSeq;
    let closed: number | undefined;
    const client: Client = createClient({
      url: url.replace('http:', 'ws:'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${churner}` },
      retryAttempts: 0,
      lazy: false,
      on: { closed: (e) => (closed = (e as { code: number }).code) },
    });
    // One subscription that stays open keeps the socket (graphql-ws clients close an idle one) and shows it outlives
    // the refusals.
    let running = 0;
    let runningEnded = false;
    // A draft never changes on its own: its stream stays open as long as the test needs it.
    const watch = { query: `subscription { restoreSessionStatusChanged(id: "${SEED_SESSION_IDS.draft}") { id status } }` };
    client.subscribe(watch, { next: () => void running++, error: () => (runningEnded = true), complete: () => (runningEnded = true) });
    await expect.poll(() => running, { timeout: 5_000 }).toBeGreaterThan(0);
    const outcome = { served: 0, refused: 0, codes: new Set<string>(), other: [] as unknown[] };
    // Past the quota each refusal also pauses reading from the socket for a second, so a few refusals say enough.
    const STARTS = CALLER_CALLS / 2 + 5;
    for (let i = 0; i < STARTS; i++) {
      await new Promise<void>((resolve) => {
        let answered = false;
        const stop = client.subscribe(watch, {
          next: (r) => {
            answered = true;
            const code = r.errors?.[0]?.extensions?.code;
            if (code === undefined) {
              outcome.served++;
              // A draft's stream stays open: the churner completes it at its first result.
              stop();
              resolve();
              return;
            }
            // A refusal is followed by the server's complete (graphql-ws's client miscounts a stop() that races it).
            outcome.refused++;
            outcome.codes.add(String(code));
          },
          error: (e) => {
            outcome.other.push(e);
            resolve();
          },
          complete: () => {
            if (!answered) outcome.other.push('completed without a result');
            resolve();
          },
        });
      });
    }
    expect(outcome.other).toEqual([]);
    expect(outcome.served + outcome.refused).toBe(STARTS);
    expect(outcome.refused).toBeGreaterThan(0);
    expect([...outcome.codes]).toEqual(['RATE_LIMITED']);
    // Each served start spent two calls of the quota (the start and the access check), the running one's included.
    expect(outcome.served + 1).toBeLessThanOrEqual(CALLER_CALLS / 2);
    expect(closed).toBeUndefined();
    expect(runningEnded).toBe(false);
    const journal = await emulator<{ entries: JournalEntry[] }>('GET', `journal?since=${journalBefore}`);
    const callsForChurner = graphCalls(journal.entries).filter((e) => e.subject === oid).length;
    expect(callsForChurner).toBeLessThanOrEqual(CALLER_CALLS);
    await client.dispose();
    await stillServing();
  }, 60_000);
});

describe('identity', () => {
  it('refuses a user token with app roles and no scp, and serves an app-only token without idtyp as the app', async () => {
    const userWithRoles = await apiToken({ user: 'admin', scopes: [], roles: ['RestoreSessions.ReadWrite.All'] });
    const refused = await post({ query: `{ restoreSession(id: "${SEED_SESSION_IDS.completed}") { id } }` }, userWithRoles);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    const write = await post(
      { query: `mutation { deleteRestoreSession(id: "${SEED_SESSION_IDS.emptyDraft}") { deletedRestoreSessionId } }` },
      userWithRoles,
    );
    expect(codes(write)).toEqual(['FORBIDDEN']);
    const app = await apiToken({ app: 'reader', idtyp: false });
    const served = await post({ query: `{ restoreSession(id: "${SEED_SESSION_IDS.completed}") { id } }` }, app);
    expect(served.body).toEqual({ data: { restoreSession: { id: SEED_SESSION_IDS.completed } } });
    await stillServing();
  });
});

describe('careless clients', () => {
  it('get BAD_REQUEST for a wrong APQ hash and OPERATION_RESOLUTION_FAILURE for an operation they did not name, over both transports', async () => {
    const query = '{ __typename }';
    const wrongHash = await post({
      query,
      extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update('another').digest('hex') } },
    });
    expect(wrongHash.status).toBe(400);
    expect(codes(wrongHash)).toEqual(['BAD_REQUEST']);

    const two = 'query A { __typename } query B { __typename }';
    for (const operationName of [undefined, 'C']) {
      const res = await post({ query: two, ...(operationName ? { operationName } : {}) });
      expect(codes(res)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    }

    const client = createClient({
      url: url.replace('http:', 'ws:'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${adminToken}` },
      retryAttempts: 0,
    });
    const twoSubscriptions = `subscription A { restoreSessionStatusChanged(id: "${SEED_SESSION_IDS.completed}") { id } } subscription B { restoreSessionStatusChanged(id: "${SEED_SESSION_IDS.completed}") { id } }`;
    for (const operationName of [undefined, 'C']) {
      const code = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: twoSubscriptions, ...(operationName ? { operationName } : {}) },
          { next: (r) => resolve(r.errors?.[0]?.extensions?.code), error: (e) => resolve(e), complete: () => undefined },
        );
      });
      expect(code).toBe('OPERATION_RESOLUTION_FAILURE');
    }
    await client.dispose();
    await stillServing();
  });

  it('never get the development token from a page reached by a name other than loopback', async () => {
    const page = await request(url, { headers: { host: 'rebind.attacker.example', accept: 'text/html' } });
    const html = await page.body.text();
    expect(page.statusCode).toBe(200);
    expect(html).not.toContain(adminToken.slice(0, 40));
    expect(html).not.toContain('Bearer ');
    await stillServing();
  });
});

describe('production', () => {
  it('refuses to start without GRAPH_BASE_URL, saying what to set, and prints no token', async () => {
    const prod = start({ PORT: '0', NODE_ENV: 'production' });
    try {
      const { code } = await within(prod.exited, 30_000, 'exiting');
      expect(code).toBe(2);
      expect(prod.stderr().trim().split('\n')).toEqual([
        expect.stringMatching(/^NODE_ENV=production needs GRAPH_BASE_URL .*emulator is for development only\.$/),
      ]);
      expect(prod.stdout()).not.toMatch(/Bearer|GraphQL:/);
    } finally {
      await kill(prod);
    }
  }, 35_000);
});
