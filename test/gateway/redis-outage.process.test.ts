import { gql, type CombinedGraphQLErrors } from '@apollo/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createExampleClient, type ExampleClient } from '../../packages/client-kit/example/client.js';
import { errorCode } from '../../packages/client-kit/src/index.js';
import { startHiveGateway, type RunningHiveGateway } from '../runtimes/hive-gateway.js';
import { errorCodes, startTwoSubgraphs, subscribeOverSse, type SseStream, type TwoSubgraphs } from '../runtimes/support.js';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { activate, createDraft, describeRedis, RESTORES, waitFor } from '../subscriptions/support.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { gatewayConfig, startGatewayOn } from './harness.js';
import { subscribe, wsClient, type Stream, type TestWsClient } from './live-support.js';

// Two gateway instances on one emulator and a Redis of the test's own, which the test kills and starts again: what
// subscribers on a watched session see while Redis is away and after it is back, and what a new subscription gets
// meanwhile, on a watched session and an unwatched one alike. (Process project: it runs a redis-server.)

const SESSION = `subscription ($id: ID!) { restoreSessionStatusChanged(id: $id) { id status progress { completed failed } } }`;
const ARTIFACTS = `subscription ($id: ID!) { siteRestoreArtifactStatusChanged(restoreSessionId: $id) { id status } }`;
type Value = { id: string; status: string; progress?: { completed: number } };
type LiveStream = Stream<Record<string, Value>>;
type Result = LiveStream['results'][number];

/** Where each error of a result says what: its code and whether the stream goes on. */
const codes = (results: readonly Result[]): string[] =>
  results.flatMap((r) =>
    (r.errors ?? []).map((e) => `${String(e.extensions?.code)}${e.extensions?.streamContinues === true ? '+continues' : ''}`),
  );

describeRedis('a Redis outage under two instances', () => {
  const t = useTestEmulator();
  let redis: PrivateRedis;
  let a: Gateway;
  let b: Gateway;
  const clients: TestWsClient[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const config = gatewayConfig({ REDIS_URL: redis.url, POLL_INTERVAL_MS: '50', LEASE_TTL_MS: '600', LOG_LEVEL: 'silent' });
    [a, b] = [await startGatewayOn(t, config), await startGatewayOn(t, config)];
    for (const g of [a, b]) await g.live.check();
  }, 30_000);
  afterAll(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    await Promise.all([a, b].map((g) => g?.stop()));
    await redis?.stop();
  });

  async function on(g: Gateway): Promise<TestWsClient> {
    const c = wsClient(g.wsUrl, { authorization: `Bearer ${await t.apiToken('admin')}` });
    clients.push(c);
    return c;
  }
  const watch = async (g: Gateway, query: string, id: string): Promise<LiveStream> => subscribe(await on(g), query, { id });
  const describeStreams = (streams: readonly LiveStream[]): string => JSON.stringify(streams.map((s) => s.results));

  it('stalls every subscriber with UPSTREAM_UNAVAILABLE, refuses new subscriptions, and resumes with the current state', async () => {
    const watched = await createDraft(t, RESTORES.completed);
    const unwatched = await createDraft(t, RESTORES.completed);
    await activate(t, watched);
    await activate(t, unwatched);
    const sessions = [await watch(a, SESSION, watched), await watch(b, SESSION, watched)];
    const artifacts = [await watch(a, ARTIFACTS, watched), await watch(b, ARTIFACTS, watched)];
    for (const s of sessions) await s.next(1);
    // The first site ends: every stream is live (an artifact stream says nothing before its first change).
    await t.advance(1_000);
    for (const s of sessions) await waitFor(() => s.values.some((v) => v.status === 'ACTIVE'), 5_000, 'ACTIVE');
    await t.advance(6_000);
    const all = [...sessions, ...artifacts];
    await waitFor(
      () => all.every((s) => s.values.some((v) => v.status === 'SUCCEEDED' || v.progress?.completed === 1)),
      5_000,
      'a site to end',
    ).catch((err: Error) => Promise.reject(new Error(`${err.message}: ${describeStreams(all)}`)));

    await redis.kill();
    const stalled = (s: LiveStream): boolean => codes(s.results as Result[]).includes('UPSTREAM_UNAVAILABLE+continues');
    for (const s of [...sessions, ...artifacts]) await waitFor(() => stalled(s), 5_000, 'the stall');
    for (const s of [...sessions, ...artifacts]) {
      const stall = (s.results as Result[]).find((r) => r.errors?.length);
      expect(stall?.data ?? null).toBeNull();
      expect(s.completed).toBe(false);
    }

    // New subscriptions, watched session or not, on either instance: refused at once, with when to try again.
    const refused = [
      await watch(a, SESSION, watched),
      await watch(b, ARTIFACTS, watched),
      await watch(a, SESSION, unwatched),
      await watch(b, ARTIFACTS, unwatched),
    ];
    for (const s of refused) {
      await s.ended(5_000);
      expect(codes(s.results as Result[])).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(s.results[0]?.errors?.[0]?.extensions?.retryAfterSeconds).toEqual(expect.any(Number));
    }

    // A site ends while Redis is away; once it is back every subscriber gets the current state, then the rest.
    await t.advance(1_500);
    const before = [...sessions, ...artifacts].map((s) => s.results.length);
    await redis.restart();
    for (const [i, s] of [...sessions, ...artifacts].entries()) await s.next(before[i]! + 1, 10_000);
    for (const s of sessions) {
      const resumed = s.results.at(-1)!;
      expect(resumed.errors).toBeUndefined();
      expect(resumed.data?.restoreSessionStatusChanged?.progress?.completed).toBe(2);
    }
    await t.advance(1_500);
    for (const s of [...sessions, ...artifacts]) await s.ended(10_000);
    for (const s of sessions) expect(s.values.at(-1)).toMatchObject({ status: 'COMPLETED', progress: { completed: 3 } });
    for (const s of artifacts) {
      expect(new Set(s.values.filter((v) => v.status === 'SUCCEEDED').map((v) => v.id)).size).toBe(3);
    }

    // And new subscriptions are served again.
    const after = await watch(a, SESSION, unwatched);
    await after.next(1, 10_000);
    expect(after.results[0]?.errors).toBeUndefined();
  }, 60_000);
});

// The same outage as a web client sees it: through Hive Gateway (GraphQL over SSE) and with Apollo Client 4 and the
// client kit (graphql-ws), against one gateway on a Redis of its own.
describeRedis('a Redis outage through Hive Gateway and Apollo Client 4', () => {
  let redis: PrivateRedis;
  let subgraphs: TwoSubgraphs;
  let hive: RunningHiveGateway;
  let apollo: ExampleClient;
  const sse: Array<SseStream<unknown>> = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    subgraphs = await startTwoSubgraphs({ env: { REDIS_URL: redis.url, POLL_INTERVAL_MS: '20', LOG_LEVEL: 'silent' } });
    hive = await startHiveGateway({ supergraphSdl: subgraphs.supergraphSdl });
    apollo = createExampleClient({ url: subgraphs.gw.url, token: await subgraphs.gw.token('admin'), transport: 'ws' });
  }, 180_000);
  afterAll(async () => {
    for (const s of sse.splice(0)) s.dispose();
    await apollo?.close();
    await hive?.stop();
    await subgraphs?.close();
    await redis?.stop();
  });

  it('delivers the stall, the refusal and the resumed state to both unchanged', async () => {
    const { gw } = subgraphs;
    const id = await createDraft(gw.t, RESTORES.completed);
    await activate(gw.t, id);
    const authorization = await gw.authorization('admin');
    const overSse = <T>(sessionId: string): SseStream<T> => {
      const s = subscribeOverSse<T>(hive.url, SESSION, { id: sessionId }, authorization);
      sse.push(s as SseStream<unknown>);
      return s;
    };
    const throughHive = overSse<Record<string, Value>>(id);
    const fromApollo: Array<{ data?: unknown; error?: unknown }> = [];
    let apolloCompleted = false;
    const apolloSubscription = apollo.client.subscribe({ query: gql(SESSION), variables: { id } }).subscribe({
      next: (result) => fromApollo.push(result),
      complete: () => (apolloCompleted = true),
    });
    await throughHive.next(1);
    await waitFor(() => fromApollo.length >= 1, 5_000, "Apollo Client's first result");

    await redis.kill();
    await throughHive.next(2, 5_000);
    const stall = throughHive.results[1]!;
    expect(stall.data ?? null).toBeNull();
    expect(stall.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', streamContinues: true });
    await waitFor(() => fromApollo.length >= 2, 5_000, "Apollo Client's stall");
    const apolloStall = fromApollo[1]!;
    expect(errorCode(apolloStall.error)).toBe('UPSTREAM_UNAVAILABLE');
    expect((apolloStall.error as CombinedGraphQLErrors).errors[0]?.extensions?.streamContinues).toBe(true);
    expect(apolloCompleted).toBe(false);

    const refused = overSse<Record<string, Value>>(id);
    await refused.ended(5_000);
    expect(errorCodes(refused.results)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(refused.results[0]?.errors?.[0]?.extensions?.retryAfterSeconds).toEqual(expect.any(Number));

    await redis.restart();
    await throughHive.next(3, 10_000);
    expect(throughHive.results[2]).toMatchObject({ data: { restoreSessionStatusChanged: { id } } });
    await waitFor(() => fromApollo.length >= 3, 10_000, "Apollo Client's resumed state");
    expect(fromApollo[2]).toMatchObject({ data: { restoreSessionStatusChanged: { id } } });
    apolloSubscription.unsubscribe();
  }, 60_000);
});
