import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { createCallbackAllowList } from '../../src/server/subscription-callback.js';
import { createDraft, RESTORES, activate, sessionPolls, sleep, waitFor } from '../subscriptions/support.js';
import { postGraphQL, type GraphQLResponse } from '../support/graphql.js';
import { multipartPost } from '../support/http-streams.js';
import { gatewayConfig, startGatewayOn } from './harness.js';

// Apollo Router's callback mode, tested against Apollo's published "HTTP Callback Protocol for GraphQL Subscriptions":
// a small HTTP server here plays the router's part (it registers each subscription's id and verifier, answers a valid
// `check` with 204 and `subscription-protocol: callback/1.0`, an unknown id with 404, and drops a subscription at its
// `complete`), and sends the subscription requests a router sends, against the emulator with a manual clock.

const WATCH = `subscription Watch($id: ID!) { restoreSessionStatusChanged(id: $id) { id status progress { completed failed } } }`;

/** A message the gateway POSTed to the router, as the router read it. */
interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: {
    kind?: unknown;
    action?: unknown;
    id?: unknown;
    verifier?: unknown;
    payload?: { data?: { restoreSessionStatusChanged?: { status: string } } | null; errors?: TestError[] };
    errors?: TestError[];
  };
  status: number;
}
interface TestError {
  message: string;
  extensions?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The router's callback endpoint (`/callback/<subscription id>`), its subscriptions and what it received. */
interface FakeRouter {
  /** `http://127.0.0.1:<port>/callback`, the router's `public_url`. */
  base: string;
  port: number;
  received: Received[];
  /** The subscriptions the router holds: id → verifier. Tests remove one to end it as a router does. */
  active: Map<string, string>;
  /** Answers one message otherwise than the protocol's rules would (a status), or undefined to follow them. */
  override: ((id: string, action: string) => number | undefined) | undefined;
  /** Holds the answers to `next` messages until released (a slow router). */
  hold: Promise<void> | undefined;
  close(): Promise<void>;
}

async function startFakeRouter(): Promise<FakeRouter> {
  const router: FakeRouter = {
    base: '',
    port: 0,
    received: [],
    active: new Map(),
    override: undefined,
    hold: undefined,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void answer(router, req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  router.port = (server.address() as AddressInfo).port;
  router.base = `http://127.0.0.1:${router.port}/callback`;
  return router;
}

/** The router's side of the protocol: validate `id` and `verifier`, 204 to what it accepts, 404 for what it does not hold. */
async function answer(router: FakeRouter, req: http.IncomingMessage, text: string, res: http.ServerResponse): Promise<void> {
  let body: Received['body'] = {};
  try {
    body = JSON.parse(text) as Received['body'];
  } catch {
    body = {};
  }
  const id = typeof body.id === 'string' ? body.id : '';
  const action = typeof body.action === 'string' ? body.action : '';
  let status: number;
  if (req.method !== 'POST' || body.kind !== 'subscription' || !['check', 'next', 'complete'].includes(action)) status = 400;
  else if (req.url !== `/callback/${id}`) status = 400;
  else if (!router.active.has(id)) status = 404;
  else if (router.active.get(id) !== body.verifier) status = 400;
  else status = router.override?.(id, action) ?? 204;
  if (status === 204 && action === 'next' && router.hold) await router.hold;
  if (status === 204 && action === 'complete') router.active.delete(id);
  router.received.push({ path: req.url ?? '', headers: req.headers, body, status });
  res.writeHead(status, status === 204 ? { 'subscription-protocol': 'callback/1.0' } : {}).end();
}

const t = useTestEmulator();
let router: FakeRouter;
let gw: Gateway;
/** Gateways a test starts for itself, stopped after it. */
const extra: Gateway[] = [];
const MAX_CONNECTIONS = 2;

beforeAll(async () => {
  router = await startFakeRouter();
  gw = await startGatewayOn(
    t,
    gatewayConfig({
      POLL_INTERVAL_MS: '20',
      MAX_CONNECTIONS_PER_CALLER: String(MAX_CONNECTIONS),
      MAX_QUERY_COST: '50',
      SUBSCRIPTION_CALLBACK_URLS: `${router.base}, https://router.example.com/callback`,
    }),
  );
});
afterAll(async () => {
  await gw?.stop();
  await router?.close();
});
afterEach(async () => {
  router.override = undefined;
  router.hold = undefined;
  // The router forgets every subscription: the next heartbeat of any still running gets 404 and ends it.
  router.active.clear();
  for (const g of extra.splice(0)) await g.stop();
  await waitFor(() => gw.live.stats().subscribers === 0, 3_000, 'every callback subscription to end');
  router.received.length = 0;
});

interface CallbackRequest {
  query?: string;
  variables?: Record<string, unknown>;
  token?: string;
  id?: string;
  callbackUrl?: string;
  heartbeatIntervalMs?: number;
  /** Whether the router holds the subscription before it sends the request (a router always does). Default true. */
  register?: boolean;
  gateway?: Gateway;
}

/** Sends a subscription as Apollo Router's callback mode does; the id it used and the gateway's answer. */
async function callbackSubscribe(request: CallbackRequest = {}): Promise<{ id: string; verifier: string; res: GraphQLResponse }> {
  const id = request.id ?? randomUUID();
  const verifier = randomBytes(16).toString('hex');
  if (request.register !== false) router.active.set(id, verifier);
  const token = request.token ?? (await t.apiToken('admin'));
  const res = await postGraphQL(
    (request.gateway ?? gw).url,
    {
      query: request.query ?? WATCH,
      variables: request.variables ?? { id: SEED_SESSION_IDS.active },
      extensions: {
        subscription: {
          callbackUrl: request.callbackUrl ?? `${router.base}/${id}`,
          subscriptionId: id,
          verifier,
          heartbeatIntervalMs: request.heartbeatIntervalMs ?? 100,
        },
      },
    },
    { authorization: `Bearer ${token}`, accept: 'application/json;callbackSpec=1.0' },
  );
  return { id, verifier, res };
}

const messagesOf = (id: string): Received[] => router.received.filter((m) => m.body.id === id);
const actionsOf = (id: string): string[] => messagesOf(id).map((m) => String(m.body.action));
const nextsOf = (id: string): Received[] => messagesOf(id).filter((m) => m.body.action === 'next');
const statusesOf = (id: string): string[] => nextsOf(id).map((m) => m.body.payload?.data?.restoreSessionStatusChanged?.status ?? 'error');
const completed = (id: string): boolean => actionsOf(id).includes('complete');
const codesOf = (res: GraphQLResponse): string[] => (res.errors ?? []).map((e) => String(e.extensions?.code));

describe('the callback protocol, with the router played here', () => {
  it("checks with the router before answering, delivers a restore's events to its terminal status, then completes", async () => {
    const draft = await createDraft(t, RESTORES.completed);
    const { id, verifier, res } = await callbackSubscribe({ variables: { id: draft } });
    // The check came first, synchronously: the router had confirmed the subscription before the gateway answered it.
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.errors).toBeUndefined();
    expect(messagesOf(id)[0]).toMatchObject({
      path: `/callback/${id}`,
      status: 204,
      body: { kind: 'subscription', action: 'check', id, verifier },
    });
    await waitFor(() => nextsOf(id).length > 0, 2_000, 'the current state');
    await activate(t, draft);
    for (const step of [1_000, 6_000, 1_500, 1_500]) t.emu.advanceClock(step);
    await waitFor(() => completed(id), 5_000, 'the complete message');
    expect(statusesOf(id)[0]).toBe('DRAFT');
    expect(statusesOf(id).at(-1)).toBe('COMPLETED');
    const complete = messagesOf(id).find((m) => m.body.action === 'complete');
    expect(complete?.body).toEqual({ kind: 'subscription', action: 'complete', id, verifier });
    // Every message: the protocol's fields and header, JSON, and nothing of the caller's request (no token).
    for (const m of messagesOf(id)) {
      expect(m.headers['subscription-protocol']).toBe('callback/1.0');
      expect(m.headers['content-type']).toBe('application/json');
      expect(m.headers.authorization).toBeUndefined();
      expect(m.body).toMatchObject({ kind: 'subscription', id, verifier });
      expect(m.body.payload?.errors).toBeUndefined();
    }
    expect(JSON.stringify(router.received)).not.toMatch(/Bearer|eyJ/);
    // Nothing after the end: the subscription and its heartbeats are over.
    const count = messagesOf(id).length;
    await sleep(300);
    expect(messagesOf(id)).toHaveLength(count);
    expect(gw.live.stats().subscribers).toBe(0);
  });

  it('sends a check as a heartbeat every heartbeatIntervalMs while nothing happens', async () => {
    const { id } = await callbackSubscribe({ heartbeatIntervalMs: 100 });
    await waitFor(() => actionsOf(id).filter((a) => a === 'check').length >= 4, 2_000, 'heartbeats');
    expect(actionsOf(id)[0]).toBe('check');
    expect(statusesOf(id)).toEqual(['ACTIVE']);
    expect(messagesOf(id).every((m) => m.status === 204)).toBe(true);
  });

  it('ends the subscription with an UNAUTHENTICATED result, then complete, when the token expires', async () => {
    const short = await t.apiToken({ user: 'admin', lifetimeSeconds: 2 });
    const { id, res } = await callbackSubscribe({ token: short });
    expect(res.status).toBe(200);
    await waitFor(() => completed(id), 6_000, 'the complete message');
    expect(statusesOf(id)).toEqual(['ACTIVE', 'error']);
    const last = nextsOf(id).at(-1)?.body.payload;
    expect(last?.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(last?.errors?.[0]?.message).toMatch(/expired/);
    // Nothing but a heartbeat already on its way may follow the complete.
    expect(
      actionsOf(id)
        .filter((a) => a !== 'check')
        .at(-1),
    ).toBe('complete');
  });

  it('answers 400 and starts nothing when the router does not confirm the check (it does not hold the id)', async () => {
    const { id, res } = await callbackSubscribe({ register: false });
    expect(res.status).toBe(400);
    expect(codesOf(res)).toEqual(['BAD_REQUEST']);
    expect(res.text).not.toContain(router.base);
    await sleep(300);
    expect(actionsOf(id)).toEqual(['check']);
    expect(gw.live.stats().subscribers).toBe(0);
  });

  it('ends a subscription that was refused at its start with complete and its error, and sends nothing after it', async () => {
    const { id, res } = await callbackSubscribe({ variables: { id: '00000000-0000-4000-8000-00000000abcd' } });
    expect(res.status).toBe(200);
    await waitFor(() => completed(id), 2_000, 'the complete message');
    const complete = messagesOf(id).find((m) => m.body.action === 'complete');
    expect(complete?.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(Object.keys(complete?.body.errors?.[0] ?? {}).sort()).toEqual(expect.arrayContaining(['extensions', 'message']));
    expect(JSON.stringify(complete?.body)).not.toMatch(/https?:\/\/|stack/i);
    // Apollo's plugin would keep its heartbeat for such a subscription; here it is stopped without reaching the router.
    await sleep(400);
    expect(actionsOf(id).filter((a) => a !== 'check')).toEqual(['complete']);
    expect(actionsOf(id).at(-1)).toBe('complete');
  });
});

describe('the router ends a subscription', () => {
  it('with 404 to a heartbeat: nothing more is sent, and the caller gets the connection back', async () => {
    const token = await t.apiToken('admin');
    const first = await callbackSubscribe({ token });
    const second = await callbackSubscribe({ token });
    expect([first.res.status, second.res.status]).toEqual([200, 200]);
    await waitFor(() => gw.live.stats().subscribers === MAX_CONNECTIONS, 2_000, 'two subscribers');
    // MAX_CONNECTIONS_PER_CALLER counts callback subscriptions like any stream; a refused one never reaches the router.
    const third = await callbackSubscribe({ token });
    expect(third.res.status).toBe(400);
    expect(codesOf(third.res)).toEqual(['ACTION_NOT_ALLOWED']);
    expect(third.res.text).toMatch(/MAX_CONNECTIONS_PER_CALLER/);
    expect(messagesOf(third.id)).toEqual([]);
    // The router drops the first subscription: its next heartbeat is answered 404.
    router.active.delete(first.id);
    await waitFor(() => gw.live.stats().subscribers === 1, 2_000, 'the first subscription to end');
    const answered = messagesOf(first.id).length;
    expect(messagesOf(first.id).at(-1)).toMatchObject({ status: 404, body: { action: 'check' } });
    await sleep(300);
    expect(messagesOf(first.id)).toHaveLength(answered);
    const fourth = await callbackSubscribe({ token });
    expect(fourth.res.status).toBe(200);
  });

  it('with 404 to a next', async () => {
    const token = await t.apiToken('admin');
    router.override = (_id, action) => (action === 'next' ? 404 : undefined);
    const first = await callbackSubscribe({ token, heartbeatIntervalMs: 0 });
    expect(first.res.status).toBe(200);
    await waitFor(() => messagesOf(first.id).some((m) => m.status === 404), 2_000, 'the refused next');
    await waitFor(() => gw.live.stats().subscribers === 0, 2_000, 'the subscription to end');
    router.override = undefined;
    // Both of the caller's places are free again.
    const [a, b] = await Promise.all([callbackSubscribe({ token }), callbackSubscribe({ token })]);
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    expect(actionsOf(first.id)).toEqual(['check', 'next']);
  });

  it('with any other error status, as the protocol says', async () => {
    router.override = (_id, action) => (action === 'next' ? 500 : undefined);
    const { id } = await callbackSubscribe();
    await waitFor(() => gw.live.stats().subscribers === 0 && actionsOf(id).includes('next'), 2_000, 'the subscription to end');
    const sent = messagesOf(id).length;
    await sleep(300);
    expect(messagesOf(id)).toHaveLength(sent);
    expect(actionsOf(id).filter((a) => a !== 'check')).toEqual(['next']);
  });
});

describe('refusals: the router is never called', () => {
  it('refuses callback URLs outside SUBSCRIPTION_CALLBACK_URLS with BAD_REQUEST, before anything starts', async () => {
    const other = `http://127.0.0.1:${router.port + (router.port === 65535 ? -1 : 1)}`;
    const refused = [
      `http://127.0.0.1:${router.port}/other/x`,
      `http://127.0.0.1:${router.port}/callbacks/x`,
      `http://127.0.0.1:${router.port}/callback/../admin`,
      `http://localhost:${router.port}/callback/x`,
      `${other}/callback/x`,
      `http://user:pw@127.0.0.1:${router.port}/callback/x`,
      `${router.base}/x#fragment`,
      `https://router.example.com.evil.net/callback/x`,
      `https://router.example.com:8443/callback/x`,
      'not a url',
      `ftp://127.0.0.1:${router.port}/callback/x`,
    ];
    for (const callbackUrl of refused) {
      const { res } = await callbackSubscribe({ callbackUrl });
      expect(res.status, callbackUrl).toBe(400);
      expect(codesOf(res), callbackUrl).toEqual(['BAD_REQUEST']);
      expect(res.errors?.[0]?.message).toMatch(/SUBSCRIPTION_CALLBACK_URLS/);
      expect(res.text).not.toMatch(/127\.0\.0\.1|example|localhost/);
    }
    await sleep(200);
    expect(router.received).toEqual([]);
    expect(gw.live.stats().subscribers).toBe(0);
  });

  it('refuses every callback request when callback mode is off (SUBSCRIPTION_CALLBACK_URLS unset)', async () => {
    const off = await startGatewayOn(t, gatewayConfig({ POLL_INTERVAL_MS: '20' }));
    extra.push(off);
    const { res } = await callbackSubscribe({ gateway: off });
    expect(res.status).toBe(400);
    expect(codesOf(res)).toEqual(['BAD_REQUEST']);
    expect(res.errors?.[0]?.message).toMatch(/off.*SUBSCRIPTION_CALLBACK_URLS/);
    // Plain subscriptions over HTTP stay refused there, and the other transports are untouched.
    const plain = await postGraphQL(
      off.url,
      { query: WATCH, variables: { id: SEED_SESSION_IDS.active } },
      { authorization: `Bearer ${await t.apiToken('admin')}` },
    );
    expect(plain.status).toBe(400);
    await sleep(200);
    expect(router.received).toEqual([]);
    expect(off.live.stats().subscribers).toBe(0);
  });

  it('answers malformed extensions, queries, mutations, GETs and batches with BAD_REQUEST, and bad variables as the HTTP path does', async () => {
    const token = await t.apiToken('admin');
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json;callbackSpec=1.0' };
    const id = randomUUID();
    router.active.set(id, 'v');
    const good = { callbackUrl: `${router.base}/${id}`, subscriptionId: id, verifier: 'v', heartbeatIntervalMs: 100 };
    const bad: unknown[] = [
      true,
      'callback',
      { ...good, heartbeatIntervalMs: -1 },
      { ...good, heartbeatIntervalMs: 5 },
      { ...good, heartbeatIntervalMs: 'often' },
      { ...good, heartbeatIntervalMs: 1e12 },
      { ...good, verifier: undefined },
      { ...good, subscriptionId: 'x'.repeat(300) },
      { ...good, subscriptionId: 'with space' },
      { ...good, callbackUrl: 42 },
    ];
    for (const subscription of bad) {
      const res = await postGraphQL(
        gw.url,
        { query: WATCH, variables: { id: SEED_SESSION_IDS.active }, extensions: { subscription } },
        headers,
      );
      expect(res.status, JSON.stringify(subscription)).toBe(400);
      expect(codesOf(res)).toEqual(['BAD_REQUEST']);
    }
    const query = await postGraphQL(
      gw.url,
      { query: '{ restoreSessions(first: 1) { totalCount } }', extensions: { subscription: good } },
      headers,
    );
    expect(query.status).toBe(400);
    expect(codesOf(query)).toEqual(['BAD_REQUEST']);
    const mutation = await postGraphQL(
      gw.url,
      {
        query: `mutation { activateRestoreSession(id: "${SEED_SESSION_IDS.active}") { restoreSession { id } } }`,
        extensions: { subscription: good },
      },
      headers,
    );
    expect(codesOf(mutation)).toEqual(['BAD_REQUEST']);
    const variables = await postGraphQL(
      gw.url,
      { query: WATCH, variables: { id: { not: 'an id' } }, extensions: { subscription: good } },
      headers,
    );
    expect(variables.status).toBe(400);
    expect(codesOf(variables)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const missing = await postGraphQL(gw.url, { query: WATCH, extensions: { subscription: good } }, headers);
    expect(codesOf(missing)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const skip = await postGraphQL(
      gw.url,
      {
        query: 'subscription W($id: ID!, $s: Boolean!) { restoreSessionStatusChanged(id: $id) @skip(if: $s) { id } }',
        variables: { id: SEED_SESSION_IDS.active, s: false },
        extensions: { subscription: good },
      },
      headers,
    );
    expect(skip.status).toBe(400);
    expect(codesOf(skip)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const get = new URL(gw.url);
    get.searchParams.set('query', WATCH);
    get.searchParams.set('extensions', JSON.stringify({ subscription: good }));
    const viaGet = await fetch(get, { headers: { ...headers, 'apollo-require-preflight': 'true' } });
    expect(viaGet.status).toBe(400);
    expect(await viaGet.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    const batch = await fetch(gw.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify([{ query: WATCH, variables: { id: SEED_SESSION_IDS.active }, extensions: { subscription: good } }]),
    });
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    await sleep(200);
    expect(router.received).toEqual([]);
    expect(gw.live.stats().subscribers).toBe(0);
  });

  it("runs the HTTP request's limits first: no token, a document over the cost limit", async () => {
    const anonymous = await postGraphQL(
      gw.url,
      {
        query: WATCH,
        variables: { id: SEED_SESSION_IDS.active },
        extensions: { subscription: { callbackUrl: `${router.base}/a`, subscriptionId: 'a', verifier: 'v', heartbeatIntervalMs: 100 } },
      },
      { accept: 'application/json;callbackSpec=1.0' },
    );
    expect(anonymous.status).toBe(401);
    expect(codesOf(anonymous)).toEqual(['UNAUTHENTICATED']);
    const costly = await callbackSubscribe({
      query: `subscription Costly($id: ID!) { restoreSessionStatusChanged(id: $id) { id ... on SharePointRestoreSession { siteRestoreArtifacts(first: 100) { nodes { restorePoint { id protectionUnit { id } } } } } } }`,
    });
    expect(codesOf(costly.res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    await sleep(200);
    expect(router.received).toEqual([]);
  });
});

describe('one budget for every transport', () => {
  it('counts callback subscriptions and HTTP streams together against MAX_CONNECTIONS_PER_CALLER', async () => {
    const token = await t.apiToken('admin');
    const callback = await callbackSubscribe({ token });
    expect(callback.res.status).toBe(200);
    const stream = multipartPost(gw.url, { query: WATCH, variables: { id: SEED_SESSION_IDS.active }, token });
    try {
      await stream.next(1);
      const refused = await callbackSubscribe({ token });
      expect(codesOf(refused.res)).toEqual(['ACTION_NOT_ALLOWED']);
    } finally {
      stream.stop();
    }
  });

  it('masks an internal error before the router sees it (a subscriber dropped for falling behind)', async () => {
    // One undelivered event at most, and a router that takes its time: the second pending event drops the subscriber.
    const slow = await startGatewayOn(
      t,
      gatewayConfig({ POLL_INTERVAL_MS: '20', SUBSCRIPTION_BUFFER_SIZE: '1', SUBSCRIPTION_CALLBACK_URLS: router.base }),
    );
    extra.push(slow);
    let release = (): void => undefined;
    router.hold = new Promise<void>((resolve) => (release = resolve));
    const draft = await createDraft(t, RESTORES.completed);
    const { id } = await callbackSubscribe({ gateway: slow, variables: { id: draft }, heartbeatIntervalMs: 0 });
    await activate(t, draft);
    // A poll after every step, so each change is seen while the router still holds the first event, until the
    // subscriber is dropped (and its session no longer polled).
    const dropped = (): boolean => slow.live.stats().subscribers === 0;
    for (const step of [1_000, 6_000, 1_500, 1_500]) {
      const polled = sessionPolls(t, draft);
      t.emu.advanceClock(step);
      await waitFor(() => sessionPolls(t, draft) > polled || dropped(), 2_000, 'a poll of the session');
    }
    await waitFor(dropped, 2_000, 'the subscriber to be dropped');
    release();
    await waitFor(() => completed(id), 5_000, 'the complete message');
    const complete = messagesOf(id).find((m) => m.body.action === 'complete');
    expect(complete?.body.errors).toHaveLength(1);
    expect(complete?.body.errors?.[0]).toEqual({
      message: expect.stringMatching(/^Internal server error \(correlation id [0-9a-f-]{36}\)\.$/),
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: expect.any(String) },
    });
  });
});

describe('the allow-list', () => {
  const allowed = createCallbackAllowList(['https://router.example.com/callback', 'http://127.0.0.1:4001/']);
  it.each([
    ['https://router.example.com/callback', true],
    ['https://router.example.com/callback/abc', true],
    ['https://ROUTER.example.com:443/callback/abc', true],
    ['https://router.example.com/callback/a/../b', true],
    ['https://router.example.com/callback/../admin', false],
    ['https://router.example.com/callbacks/abc', false],
    ['https://router.example.com.evil.net/callback/abc', false],
    ['https://evil.net/https://router.example.com/callback', false],
    ['http://router.example.com/callback/abc', false],
    ['https://router.example.com:8443/callback/abc', false],
    ['https://user@router.example.com/callback/abc', false],
    ['http://127.0.0.1:4001/anything', true],
    ['http://127.0.0.1:4002/anything', false],
    ['http://localhost:4001/anything', false],
  ])('%s → %s', (url, expected) => {
    expect(allowed(new URL(url))).toBe(expected);
  });
});
