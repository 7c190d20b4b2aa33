import type { ApolloClient, InMemoryCache, NormalizedCacheObject } from '@apollo/client';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, seedSiteName } from '@restore-session-gateway/graph-emulator';
import { useTestGateway } from '../../../test/gateway/harness.js';
import { waitFor } from '../../../test/subscriptions/support.js';
import { createExampleClient, type ExampleClient, type SubscriptionTransport } from '../example/client.js';
import { parseExampleArgs } from '../example/main.js';
import { createAndActivate, followRestore, loadDashboard, pickRestorePoints } from '../example/restore-flow.js';
import type { SessionStatusFragment } from '../src/generated/example/graphql.js';
import { errorCode } from '../src/index.js';

// The client kit's example, run with real Apollo Client 4 against the gateway as `npm start` wires it, on the
// emulator with a manual clock that the test advances to move a restore along.

const gw = useTestGateway({ env: { POLL_INTERVAL_MS: '20' } });
const clients: ExampleClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

async function exampleClient(transport: SubscriptionTransport, user = 'admin'): Promise<ExampleClient> {
  const c = createExampleClient({ url: gw.url, token: await gw.token(user), transport });
  clients.push(c);
  return c;
}

/** What the client's cache holds, by cache id. */
const stored = (client: ApolloClient): NormalizedCacheObject => (client.cache as InMemoryCache).extract();

const trail = (events: readonly SessionStatusFragment[]): string[] =>
  events.map((s) => `${s.status}:${s.progress.completed}:${s.progress.failed}`);

describe("the client kit's example", () => {
  it('loads the restore dashboard, every session keyed as the type policies say', async () => {
    const { client } = await exampleClient('http');
    const dashboard = await loadDashboard(client, 20);
    const ids = dashboard.nodes.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(Object.values(SEED_SESSION_IDS)));
    expect(dashboard.totalCount).toBe(ids.length);
    const completed = dashboard.nodes.find((s) => s.id === SEED_SESSION_IDS.completed);
    expect(completed).toMatchObject({ __typename: 'SharePointRestoreSession', status: 'COMPLETED', isTerminal: true });
    expect(dashboard.nodes.find((s) => s.id === SEED_SESSION_IDS.exchange)?.__typename).toBe('ExchangeRestoreSession');
    if (completed?.__typename !== 'SharePointRestoreSession') throw new Error('the completed seed session is a SharePoint one');
    const artifact = completed.siteRestoreArtifacts?.nodes[0];
    const unit = artifact?.restorePoint?.protectionUnit;
    if (unit?.__typename !== 'SiteProtectionUnit') throw new Error("a SharePoint artifact's restore point is a site's");
    expect(unit.siteName).toEqual(expect.any(String));

    // Normalized under their @key fields: a session under its concrete type and id, an artifact under its id and its
    // session's id together (Apollo writes explicit key fields as JSON; build ids with cache.identify).
    const cache = stored(client);
    expect(cache[`SharePointRestoreSession:${JSON.stringify({ id: completed.id })}`]).toMatchObject({ status: 'COMPLETED' });
    const artifactId = `SiteRestoreArtifact:${JSON.stringify({ id: artifact!.id, restoreSessionId: completed.id })}`;
    expect(client.cache.identify(artifact!)).toBe(artifactId);
    expect(cache[artifactId]).toMatchObject({ status: artifact!.status });
  });

  it('creates and activates a SharePoint restore session from the newest restore points of the first sites', async () => {
    const { client } = await exampleClient('http');
    const points = await pickRestorePoints(client, 3);
    expect(points.map((p) => p.siteName)).toEqual([0, 1, 2].map((i) => seedSiteName(i)));
    const { created, activated } = await createAndActivate(
      client,
      points.map((p) => p.restorePointId),
    );
    expect(created).toMatchObject({ status: 'DRAFT', isTerminal: false, artifacts: 3, progress: { total: 3, completed: 0 } });
    expect(activated).toMatchObject({ id: created.id, status: 'ACTIVATING', isTerminal: false });
  });

  // The restore the seed finishes cleanly (three sites, in place): its events after activation, and the virtual time
  // after which each next one is due (the emulator schedules at 1 s, ends site i at 7 s + 1.5 s × i).
  const EXPECTED = ['ACTIVATING:0:0', 'ACTIVE:0:0', 'ACTIVE:1:0', 'ACTIVE:2:0', 'COMPLETED:3:0'];
  const STEPS_MS = [1_000, 6_000, 1_500, 1_500];

  it.each<[string, SubscriptionTransport]>([
    ['graphql-ws (GraphQLWsLink)', 'ws'],
    ["Apollo's multipart HTTP protocol (HttpLink alone)", 'http'],
  ])("follows the restore's status events to the end over %s", async (_, transport) => {
    const { client } = await exampleClient(transport);
    const points = await pickRestorePoints(client, 3);
    const { created } = await createAndActivate(
      client,
      points.map((p) => p.restorePointId),
    );
    const seen: SessionStatusFragment[] = [];
    const followed = followRestore(client, created.id, { onEvent: (s) => seen.push(s) });
    followed.catch(() => undefined);
    await waitFor(() => seen.length >= 1, 5_000, 'the current state');
    for (const [i, step] of STEPS_MS.entries()) {
      gw.t.emu.advanceClock(step);
      await waitFor(() => seen.length >= i + 2, 5_000, `event ${i + 2} (have ${trail(seen).join(' ')})`);
    }
    const events = await followed;
    expect(trail(events)).toEqual(EXPECTED);
    expect(events.at(-1)).toMatchObject({ id: created.id, isTerminal: true });
    // The events went through the cache: the session reads back in its final state.
    const cached = client.cache.identify({ __typename: 'SharePointRestoreSession', id: created.id });
    expect(stored(client)[cached!]).toMatchObject({ status: 'COMPLETED', isTerminal: true });
  });

  it.each<SubscriptionTransport>(['ws', 'http'])('ends a subscription to an unknown session with NOT_FOUND over %s', async (transport) => {
    const { client } = await exampleClient(transport);
    const error = await followRestore(client, '00000000-0000-4000-8000-00000000abcd').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorCode(error)).toBe('NOT_FOUND');
  });

  it('reads its URL and token from arguments or the environment', () => {
    expect(parseExampleArgs(['--token', 'Bearer abc', '--transport', 'ws'], {})).toEqual({
      url: 'http://localhost:4000/graphql',
      token: 'abc',
      transports: ['ws'],
      sites: 3,
    });
    expect(parseExampleArgs(['--sites', '2'], { GATEWAY_URL: 'http://127.0.0.1:9/graphql', GATEWAY_TOKEN: 't' })).toMatchObject({
      url: 'http://127.0.0.1:9/graphql',
      token: 't',
      transports: ['http', 'ws'],
      sites: 2,
    });
    expect(() => parseExampleArgs([], {})).toThrow(/token/);
    expect(() => parseExampleArgs(['--token', 't', '--transport', 'sse'], {})).toThrow(/transport/);
  });
});
