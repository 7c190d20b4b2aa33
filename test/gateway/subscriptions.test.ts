import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, seedRestorePointId } from '@restore-session-gateway/graph-emulator';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { RESTORES, sessionPolls, sleep, waitFor } from '../subscriptions/support.js';
import { dataOf, postGraphQL } from '../support/graphql.js';
import { gatewayConfig, startGatewayOn, suiteProfile } from './harness.js';
import { errorCodes, subscribe, wsClient, type Stream, type TestWsClient } from './live-support.js';

// Subscriptions end to end: a real graphql-ws client (graphql-transport-ws) against the gateway as
// `npm start` wires it, and the in-process emulator with a manual clock, advanced by the test.

interface SessionView {
  __typename: string;
  id: string;
  status: string;
  isTerminal: boolean;
  progress: { total: number; inProgress: number; completed: number; failed: number };
}
type SessionStream = Stream<{ restoreSessionStatusChanged: SessionView }>;

const WATCH = `subscription Watch($id: ID!) {
  restoreSessionStatusChanged(id: $id) { __typename id status isTerminal progress { total inProgress completed failed } }
}`;
const ARTIFACTS = `subscription Artifacts($id: ID!) {
  siteRestoreArtifactStatusChanged(restoreSessionId: $id) { id status error { code } }
}`;

const t = useTestEmulator({ profile: suiteProfile() });
let gw: Gateway;
const clients: TestWsClient[] = [];
beforeAll(async () => {
  gw = await startGatewayOn(
    t,
    gatewayConfig({ POLL_INTERVAL_MS: '20', MAX_SUBSCRIPTIONS_PER_CONNECTION: '3', MAX_CONNECTIONS_PER_CALLER: '4' }),
  );
});
afterAll(async () => {
  await gw?.stop();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
});

async function connect(user: string | null = 'admin', params?: (token: string) => Record<string, unknown>): Promise<TestWsClient> {
  const token = user === null ? undefined : await t.apiToken(user);
  const c = wsClient(gw.wsUrl, token === undefined ? undefined : (params?.(token) ?? { authorization: `Bearer ${token}` }));
  clients.push(c);
  return c;
}

/** POSTs a GraphQL operation as `user` over HTTP. */
async function gql<T>(query: string, variables: Record<string, unknown>, user = 'admin'): Promise<T> {
  return dataOf(await postGraphQL<T>(gw.url, { query, variables }, { authorization: `Bearer ${await t.apiToken(user)}` }));
}

async function createSession(sites: readonly number[]): Promise<string> {
  const data = await gql<{ createSharePointRestoreSession: { restoreSession: { id: string } } }>(
    `mutation ($input: CreateSharePointRestoreSessionInput!) { createSharePointRestoreSession(input: $input) { restoreSession { id } } }`,
    { input: { siteRestoreArtifacts: sites.map((s) => ({ restorePointId: seedRestorePointId(s, 0), destinationType: 'IN_PLACE' })) } },
  );
  return data.createSharePointRestoreSession.restoreSession.id;
}

async function activate(id: string): Promise<void> {
  await gql(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id status } } }`, { id });
}

const trail = (s: SessionStream): string[] => s.values.map((v) => `${v.status}:${v.progress.completed}:${v.progress.failed}`);
const codes = (s: { results: Parameters<typeof errorCodes>[0] }): string[] => errorCodes(s.results);

describe('restoreSessionStatusChanged', () => {
  it('sends the current state, every change of status and counts in order, and completes after the end', async () => {
    const c = await connect();
    const ids = {
      completed: await createSession(RESTORES.completed),
      completedWithError: await createSession(RESTORES.completedWithError),
      failed: await createSession(RESTORES.failed),
    };
    const streams = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, subscribe(c, WATCH, { id })])) as Record<
      keyof typeof ids,
      SessionStream
    >;
    for (const s of Object.values(streams)) await s.next(1);
    for (const id of Object.values(ids)) await activate(id);

    // After each step of virtual time: how many changes each stream has seen so far.
    const expected = {
      completed: ['DRAFT:0:0', 'ACTIVATING:0:0', 'ACTIVE:0:0', 'ACTIVE:1:0', 'ACTIVE:2:0', 'COMPLETED:3:0'],
      completedWithError: ['DRAFT:0:0', 'ACTIVATING:0:0', 'ACTIVE:0:0', 'ACTIVE:1:0', 'ACTIVE:1:1', 'COMPLETED_WITH_ERROR:2:1'],
      failed: ['DRAFT:0:0', 'ACTIVATING:0:0', 'ACTIVE:0:0', 'ACTIVE:0:1', 'FAILED:0:2'],
    };
    const seen = (after: number, name: keyof typeof expected): number => Math.min(2 + after, expected[name].length);
    for (const name of Object.keys(ids) as Array<keyof typeof ids>) await streams[name].next(2);
    const steps = [1_000, 6_000, 1_500, 1_500];
    for (let i = 0; i < steps.length; i++) {
      t.emu.advanceClock(steps[i]!);
      for (const name of Object.keys(ids) as Array<keyof typeof ids>) await streams[name].next(seen(i + 1, name));
    }
    for (const [name, s] of Object.entries(streams) as Array<[keyof typeof ids, SessionStream]>) {
      await s.ended();
      expect(trail(s), name).toEqual(expected[name]);
      expect(s.error, name).toBeUndefined();
      expect(s.values.at(-1)).toMatchObject({ __typename: 'SharePointRestoreSession', isTerminal: true });
    }
    await waitFor(() => gw.live.stats().watched === 0, 2_000, 'the pollers to stop');
  });

  it("runs docs/live-status.md's subscription example as written", async () => {
    const readme = readFileSync(new URL('../../docs/live-status.md', import.meta.url), 'utf8');
    const example = /```graphql\n(subscription FollowRestore[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const s = subscribe<{ restoreSessionStatusChanged: SessionView & { error: { code: string } | null } }>(
      await connect('reader'),
      example!,
      {
        id: SEED_SESSION_IDS.failed,
      },
    );
    await s.ended();
    expect(s.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(s.values).toMatchObject([{ status: 'FAILED', isTerminal: true, error: { code: 'RestoreSessionFailed' } }]);
  });

  it('answers a finished session with its state and completes', async () => {
    const s = subscribe<{ restoreSessionStatusChanged: SessionView }>(await connect(), WATCH, { id: SEED_SESSION_IDS.completedWithError });
    await s.ended();
    expect(trail(s)).toEqual(['COMPLETED_WITH_ERROR:2:1']);
  });

  it('ends with NOT_FOUND for a session Graph does not know', async () => {
    const s = subscribe(await connect(), WATCH, { id: '00000000-0000-4000-8000-00000000abcd' });
    await s.ended();
    expect(codes(s)).toEqual(['NOT_FOUND']);
    expect(s.values).toEqual([]);
    expect(gw.live.stats()).toMatchObject({ watched: 0, subscribers: 0 });
  });

  it('ends with NOT_FOUND when the session is deleted while watched', async () => {
    const c = await connect();
    const id = await createSession(RESTORES.completed);
    const s = subscribe<{ restoreSessionStatusChanged: SessionView }>(c, WATCH, { id });
    await s.next(1);
    await gql(`mutation ($id: ID!) { deleteRestoreSession(id: $id) { deletedRestoreSessionId } }`, { id });
    await s.ended();
    expect(trail(s)).toEqual(['DRAFT:0:0']);
    expect(codes(s)).toEqual(['NOT_FOUND']);
  });

  it('lets a reader watch, checking access with their own identity when they subscribe', async () => {
    const id = await createSession(RESTORES.completed);
    const s = subscribe<{ restoreSessionStatusChanged: SessionView }>(await connect('reader'), WATCH, { id });
    await s.next(1);
    expect(trail(s)).toEqual(['DRAFT:0:0']);
    // The reader's own read went to Graph on their behalf (on-behalf-of), not as the app.
    const reads = t.emu.journal.list().filter((e) => e.method === 'GET' && e.path.toLowerCase().endsWith(id.toLowerCase()));
    expect(reads.some((e) => e.subject !== t.emu.settings.AZURE_CLIENT_ID)).toBe(true);
    await activate(id);
    await s.next(2);
    expect(trail(s)).toEqual(['DRAFT:0:0', 'ACTIVATING:0:0']);
    s.stop();
  });

  it("ends with FORBIDDEN when the subscriber's own identity may not read the session", async () => {
    const s = subscribe(await connect('noconsent'), WATCH, { id: SEED_SESSION_IDS.active });
    await s.ended();
    expect(codes(s)).toEqual(['FORBIDDEN']);
    expect(gw.live.stats().subscribers).toBe(0);
  });

  it("delivers a mutation's change before the next poll", async () => {
    const slow = await startGatewayOn(t, gatewayConfig({ POLL_INTERVAL_MS: '60000' }));
    try {
      const id = await createSession(RESTORES.completed);
      const token = await t.apiToken('admin');
      const c = wsClient(slow.wsUrl, { authorization: `Bearer ${token}` });
      clients.push(c);
      const s = subscribe<{ restoreSessionStatusChanged: SessionView }>(c, WATCH, { id });
      await s.next(1);
      const before = t.emu.journal.lastSeq;
      const res = await postGraphQL(
        slow.url,
        { query: `mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { status } } }`, variables: { id } },
        { authorization: `Bearer ${token}` },
      );
      expect(res.status).toBe(200);
      await s.next(2, 1_000);
      expect(trail(s)).toEqual(['DRAFT:0:0', 'ACTIVATING:0:0']);
      // No poll happened in between: the first tick is a minute away.
      expect(sessionPolls(t, id, before)).toBe(0);
      s.stop();
    } finally {
      await slow.stop();
    }
  });
});

describe('siteRestoreArtifactStatusChanged', () => {
  it('sends each artifact whose status changes, failures with their error, and completes after the session ends', async () => {
    const c = await connect();
    const id = await createSession(RESTORES.completedWithError);
    const s = subscribe<{ siteRestoreArtifactStatusChanged: { id: string; status: string; error: { code: string } | null } }>(
      c,
      ARTIFACTS,
      { id },
    );
    const session = subscribe<{ restoreSessionStatusChanged: SessionView }>(c, WATCH, { id });
    await session.next(1);
    await waitFor(() => gw.live.stats().subscribers === 2, 2_000, 'both subscriptions');
    await activate(id);
    await s.next(3);
    for (let i = 0; i < 20; i++) {
      t.emu.advanceClock(500);
      const polls = gw.live.stats().polls;
      await waitFor(() => gw.live.stats().polls >= polls + 2 || s.completed, 2_000, 'two polls');
    }
    await s.ended();
    const byArtifact = new Map<string, string[]>();
    for (const a of s.values) byArtifact.set(a.id, [...(byArtifact.get(a.id) ?? []), a.status]);
    expect([...byArtifact.values()]).toEqual([
      ['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'SUCCEEDED'],
      ['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'FAILED'],
      ['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'SUCCEEDED'],
    ]);
    expect(s.values.find((a) => a.status === 'FAILED')?.error?.code).toBe('ArtifactCannotBeRestored');
    await session.ended();
  });

  it('ends with NOT_FOUND for a session that is not a SharePoint one', async () => {
    const s = subscribe(await connect(), ARTIFACTS, { id: SEED_SESSION_IDS.exchange });
    await s.ended();
    expect(codes(s)).toEqual(['NOT_FOUND']);
  });
});

describe('the WebSocket', () => {
  it('refuses a socket without a valid token with 4401, each subscription first getting UNAUTHENTICATED', async () => {
    // Not lazy about closing, so the server's close shows rather than the client's own.
    const none = wsClient(gw.wsUrl, undefined, undefined, { lazyCloseTimeout: 10_000 });
    clients.push(none);
    const s1 = subscribe(none, WATCH, { id: SEED_SESSION_IDS.active });
    expect((await none.waitClosed()).code).toBe(4401);
    expect(s1.values).toEqual([]);
    // Before the close code, which supergraph runtimes drop: the refusal as a result, then `complete`.
    expect(codes(s1)).toEqual(['UNAUTHENTICATED']);
    expect(s1.completed).toBe(true);

    const bad = wsClient(gw.wsUrl, { authorization: 'Bearer not.a.jwt' }, undefined, { lazyCloseTimeout: 10_000 });
    clients.push(bad);
    const s2 = subscribe(bad, WATCH, { id: SEED_SESSION_IDS.active });
    expect(await bad.waitClosed()).toMatchObject({ code: 4401 });
    expect(codes(s2)).toEqual(['UNAUTHENTICATED']);
  });

  it('takes the token as Sandbox and Apollo Router send it too: Authorization, token, or the upgrade header', async () => {
    const token = await t.apiToken('admin');
    for (const c of [
      wsClient(gw.wsUrl, { Authorization: `Bearer ${token}` }),
      wsClient(gw.wsUrl, { token: `Bearer ${token}` }),
      wsClient(gw.wsUrl, undefined, { authorization: `Bearer ${token}` }),
    ]) {
      clients.push(c);
      const s = subscribe<{ restoreSessionStatusChanged: SessionView }>(c, WATCH, { id: SEED_SESSION_IDS.completed });
      await s.ended();
      expect(trail(s)).toEqual(['COMPLETED:2:0']);
    }
  });

  it('ends each subscription with UNAUTHENTICATED, then closes with 4401 when the token expires', async () => {
    const short = await t.apiToken({ user: 'admin', lifetimeSeconds: 2 });
    // A lazy client closes its socket itself once nothing runs on it: this one waits, so the server's close shows.
    const c = wsClient(gw.wsUrl, { authorization: `Bearer ${short}` }, undefined, { lazyCloseTimeout: 10_000 });
    clients.push(c);
    const subs = [SEED_SESSION_IDS.active, SEED_SESSION_IDS.active].map((id) =>
      subscribe<{ restoreSessionStatusChanged: SessionView }>(c, WATCH, { id }),
    );
    for (const s of subs) await s.next(1);
    const closed = await c.waitClosed(4_000);
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/expired/);
    // Before the close code, which supergraph runtimes drop: a result each, with the code, then `complete`.
    for (const s of subs) {
      expect(codes(s)).toEqual(['UNAUTHENTICATED']);
      expect(s.completed).toBe(true);
    }
    await waitFor(() => gw.live.stats().subscribers === 0, 2_000, 'the subscriber to be let go');
  });

  it('caps subscriptions per connection and connections per caller, saying which limit', async () => {
    const c = await connect();
    const open = [0, 1, 2].map(() => subscribe(c, WATCH, { id: SEED_SESSION_IDS.active }));
    for (const s of open) await s.next(1);
    const fourth = subscribe(c, WATCH, { id: SEED_SESSION_IDS.active });
    await fourth.ended();
    expect(JSON.stringify(fourth.error ?? fourth.results)).toMatch(/MAX_SUBSCRIPTIONS_PER_CONNECTION/);
    expect(JSON.stringify(fourth.error ?? fourth.results)).toMatch(/ACTION_NOT_ALLOWED/);
    for (const s of open) expect(s.completed).toBe(false);

    // Three more connections, each kept open by a running subscription: four in all, the cap.
    for (let i = 0; i < 3; i++) await subscribe(await connect(), WATCH, { id: SEED_SESSION_IDS.active }).next(1);
    const fifth = wsClient(gw.wsUrl, { authorization: `Bearer ${await t.apiToken('admin')}` }, undefined, { lazyCloseTimeout: 10_000 });
    clients.push(fifth);
    const refused = subscribe(fifth, WATCH, { id: SEED_SESSION_IDS.completed });
    const closed = await fifth.waitClosed();
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/MAX_CONNECTIONS_PER_CALLER/);
    expect(codes(refused)).toEqual(['ACTION_NOT_ALLOWED']);
    expect(JSON.stringify(refused.results)).toMatch(/MAX_CONNECTIONS_PER_CALLER/);
    // Another caller is not affected.
    const reader = await connect('reader');
    await subscribe(reader, WATCH, { id: SEED_SESSION_IDS.active }).next(1);
    expect(reader.closed).toBeUndefined();
  });

  it('answers @skip with a variable on the root field as a validation failure, and the socket stays open', async () => {
    const c = await connect();
    const running = subscribe(c, WATCH, { id: SEED_SESSION_IDS.active });
    await running.next(1);
    const skipped = subscribe(c, 'subscription ($id: ID!, $s: Boolean!) { restoreSessionStatusChanged(id: $id) @skip(if: $s) { id } }', {
      id: SEED_SESSION_IDS.active,
      s: false,
    });
    await skipped.ended();
    expect(JSON.stringify(skipped.error ?? skipped.results)).toMatch(/GRAPHQL_VALIDATION_FAILED/);
    expect(running.completed).toBe(false);
    expect(c.closed).toBeUndefined();
  });

  it('refuses queries and mutations over the socket, so the HTTP-only limits, rate limits and audit log cannot be bypassed', async () => {
    const client = await connect('admin');
    const query = subscribe<{ restoreSession: { status: string } }>(client, `query ($id: ID!) { restoreSession(id: $id) { status } }`, {
      id: SEED_SESSION_IDS.failed,
    });
    const mutation = subscribe(client, `mutation ($id: ID!) { deleteRestoreSession(id: $id) { deletedRestoreSessionId } }`, {
      id: SEED_SESSION_IDS.draft,
    });
    await query.ended();
    await mutation.ended();
    // A refusal is one result carrying the code, then complete (what supergraph runtimes pass on), never a socket error.
    for (const [s, kind] of [
      [query, 'queries'],
      [mutation, 'mutations'],
    ] as const) {
      expect(s.values).toEqual([]);
      expect(s.error).toBeUndefined();
      expect(s.completed).toBe(true);
      expect(s.results).toHaveLength(1);
      expect(s.results[0]?.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      expect(s.results[0]?.errors?.[0]?.message).toContain(`send ${kind} as HTTP requests`);
    }
    // The mutation never reached Graph: the draft is still there.
    expect(t.emu.journal.list().some((e) => e.method === 'DELETE')).toBe(false);
  });
});

describe('lifecycle', () => {
  it('reports readiness, and a Redis that is down fails it with a clear error', async () => {
    expect(await (await fetch(`${new URL(gw.url).origin}/readyz`)).json()).toMatchObject({
      status: 'ready',
      checks: { graph: { ok: true } },
    });

    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    const down = await startGatewayOn(t, gatewayConfig({ REDIS_URL: `redis://127.0.0.1:${port}` }));
    try {
      const res = await fetch(`${new URL(down.url).origin}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; checks: { redis: { ok: boolean; detail: string } } };
      expect(body.status).toBe('unready');
      expect(body.checks.redis.ok).toBe(false);
      expect(body.checks.redis.detail).toMatch(new RegExp(`^Redis at redis://127\\.0\\.0\\.1:${port} is unreachable`));
      // Subscriptions are refused at once instead of waiting for Redis.
      const c = wsClient(down.wsUrl, { authorization: `Bearer ${await t.apiToken('admin')}` });
      clients.push(c);
      const s = subscribe(c, WATCH, { id: SEED_SESSION_IDS.active });
      await s.ended(3_000);
      expect(codes(s)).toEqual(['UPSTREAM_UNAVAILABLE']);
    } finally {
      await down.stop();
    }
  });

  it('drains on shutdown: open sockets close with 1001 and the pollers stop', async () => {
    const g = await startGatewayOn(t, gatewayConfig({ POLL_INTERVAL_MS: '20' }));
    const c = wsClient(g.wsUrl, { authorization: `Bearer ${await t.apiToken('admin')}` });
    clients.push(c);
    const s = subscribe(c, WATCH, { id: SEED_SESSION_IDS.active });
    await s.next(1);
    await waitFor(() => g.live.stats().polling === 1, 2_000, 'a poller');
    await g.stop();
    expect((await c.waitClosed()).code).toBe(1001);
    const polls = sessionPolls(t, SEED_SESSION_IDS.active);
    await sleep(100);
    expect(sessionPolls(t, SEED_SESSION_IDS.active)).toBe(polls);
  });
});
