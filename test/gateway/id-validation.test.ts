import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, seedRestorePointId, seedUnitId } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import type { GraphQLResponse } from '../support/graphql.js';
import { waitFor } from '../subscriptions/support.js';
import { useTestGateway } from './harness.js';
import { subscribe, wsClient, type TestWsClient } from './live-support.js';

// Ids are checked by kind before any Graph call, on every way in: query arguments, subscription arguments and
// federation entity references, as mutations check theirs. Session ids are GUIDs; restore point, protection unit and
// artifact ids are any bounded, non-blank Graph key. The emulator's journal shows what reached Graph.

const gw = useTestGateway();

type Errors = NonNullable<GraphQLResponse['errors']>;

/** Each id segment of every Graph call the emulator saw (`$batch` items included), decoded. */
function idsSentToGraph(): string[] {
  const segments: string[] = [];
  for (const call of graphCalls(gw.graphEntries())) {
    const parts = call.path.split('/').slice(2);
    for (let i = 1; i < parts.length; i += 2) segments.push(decodeURIComponent(parts[i]!));
  }
  return segments;
}

/** The errors by path (`restorePoint`, `_entities.3`), each as `code argument`. */
function byPath(errors: Errors | undefined): Record<string, string> {
  return Object.fromEntries((errors ?? []).map((e) => [(e.path ?? []).join('.'), `${e.extensions?.code} ${e.extensions?.argument}`]));
}

describe('query arguments', () => {
  const DOCUMENT = `query ($session: ID!, $point: ID!, $unit: ID!, $units: [ID!]!) {
    restoreSession(id: $session) { id }
    restorePoint(id: $point) { id }
    restorePoints(protectionUnitId: $unit) { id }
    searchRestorePoints(input: { protectionUnitIds: $units, startDateTime: "2025-05-01T00:00:00Z" }) { noResultProtectionUnitIds }
    good: restoreSession(id: "${SEED_SESSION_IDS.completed}") { id status }
  }`;

  it.each([
    ['not a GUID, blank, padded, empty', 'not-a-guid', '   ', ' x', ['', seedUnitId(1)], 'input.protectionUnitIds[0]'],
    [
      'a GUID with a brace, overlong, a control character',
      `{${randomUUID()}}`,
      'p'.repeat(257),
      'u\u0007',
      [seedUnitId(1), '..'],
      'input.protectionUnitIds[1]',
    ],
    [
      'a GUID cut short, a line separator, dots',
      randomUUID().slice(0, 35),
      'a\u2028b',
      '...',
      [seedUnitId(1), 'x'.repeat(300)],
      'input.protectionUnitIds[1]',
    ],
  ])(
    'refuses %s with BAD_USER_INPUT naming the argument, and sends none of them',
    async (_name, session, point, unit, units, unitsArgument) => {
      const res = await gw.query<Record<string, unknown>>(DOCUMENT, { session, point, unit, units });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        restoreSession: null,
        restorePoint: null,
        restorePoints: null,
        searchRestorePoints: null,
        good: { id: SEED_SESSION_IDS.completed, status: 'COMPLETED' },
      });
      expect(byPath(res.errors)).toEqual({
        restoreSession: 'BAD_USER_INPUT id',
        restorePoint: 'BAD_USER_INPUT id',
        restorePoints: 'BAD_USER_INPUT protectionUnitId',
        searchRestorePoints: `BAD_USER_INPUT ${unitsArgument}`,
      });
      for (const e of res.errors!) expect(e.extensions?.graph, e.message).toBeUndefined();
      // Only the good session was read; no search was sent.
      expect(idsSentToGraph()).toEqual([SEED_SESSION_IDS.completed]);
      expect(graphCalls(gw.graphEntries()).map((c) => c.method)).toEqual(['GET']);
    },
  );

  it('says what is wrong with the id in the message', async () => {
    const res = await gw.query(`{ a: restoreSession(id: "abc") { id } b: restorePoint(id: "") { id } c: restorePoint(id: "x ") { id } }`);
    expect(Object.fromEntries(res.errors!.map((e) => [e.path![0], e.message]))).toEqual({
      a: "'id' must be a GUID such as 61633878-8321-4950-bfaf-ed285bdd1461.",
      b: "'id' must not be empty.",
      c: "'id' is not a valid id.",
    });
  });

  it('lets well-formed ids of every kind through to Graph, which decides (null when it does not know them)', async () => {
    const unknownSession = randomUUID().toUpperCase();
    // Restore point and unit ids are not GUIDs to the gateway: Graph's restore point ids are `<unit>_<epoch>_14_1`.
    const unknownPoint = `${randomUUID()}_1748563200_14_1`;
    const res = await gw.query<Record<string, unknown>>(
      `query ($session: ID!, $point: ID!, $realPoint: ID!, $unit: ID!) {
        restoreSession(id: $session) { id }
        restorePoint(id: $point) { id }
        real: restorePoint(id: $realPoint) { id }
        restorePoints(protectionUnitId: $unit) { id }
      }`,
      { session: unknownSession, point: unknownPoint, realPoint: seedRestorePointId(2, 1), unit: seedUnitId(3) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ restoreSession: null, restorePoint: null, real: { id: seedRestorePointId(2, 1) } });
    expect((res.data!.restorePoints as unknown[]).length).toBeGreaterThan(0);
    expect(idsSentToGraph()).toEqual(expect.arrayContaining([unknownSession, unknownPoint, seedRestorePointId(2, 1)]));
  });
});

describe('subscription arguments', () => {
  const clients: TestWsClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
  });

  it.each([
    ['restoreSessionStatusChanged', 'subscription ($id: ID!) { restoreSessionStatusChanged(id: $id) { id status } }', 'id'],
    [
      'siteRestoreArtifactStatusChanged',
      'subscription ($id: ID!) { siteRestoreArtifactStatusChanged(restoreSessionId: $id) { id status } }',
      'restoreSessionId',
    ],
  ])('%s ends with one BAD_USER_INPUT result for a malformed session id, before any Graph call', async (field, document, argument) => {
    const c = wsClient(gw.gateway.wsUrl, { authorization: await gw.authorization('admin') });
    clients.push(c);
    for (const id of ['not-a-guid', '', `${SEED_SESSION_IDS.completed}/siteRestoreArtifacts`]) {
      const s = subscribe(c, document, { id });
      await s.ended();
      expect(s.error, id).toBeUndefined();
      expect(s.completed, id).toBe(true);
      expect(s.results, id).toHaveLength(1);
      expect(s.results[0]!.data ?? null, id).toBeNull();
      expect(s.results[0]!.errors, id).toMatchObject([{ path: [field], extensions: { code: 'BAD_USER_INPUT', argument } }]);
    }
    expect(graphCalls(gw.graphEntries())).toEqual([]);
    expect(gw.gateway.live.stats()).toMatchObject({ watched: 0, subscribers: 0 });

    // The same socket still follows a real session.
    const good = subscribe<Record<string, { id: string }>>(c, document, { id: SEED_SESSION_IDS.completed });
    await waitFor(() => good.results.length > 0 || good.completed, 5_000, 'a first result');
    expect(good.results[0]?.errors).toBeUndefined();
    good.stop();
  });
});

describe('_entities references', () => {
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
    __typename
    ... on RestoreSession { id }
    ... on SiteRestoreArtifact { id restoreSessionId }
    ... on RestorePoint { id }
    ... on SiteProtectionUnit { id }
  } }`;

  it('fails each malformed reference at its own index, resolves the others, and sends Graph only the good ones', async () => {
    const point = seedRestorePointId(3, 2);
    const unit = seedUnitId(4);
    const granularLike = [randomUUID(), randomUUID(), randomUUID(), randomUUID()].join(',');
    const r = [
      { __typename: 'RestoreSession', id: SEED_SESSION_IDS.failed },
      { __typename: 'RestoreSession', id: 'not-a-guid' },
      { __typename: 'SharePointRestoreSession', id: ` ${SEED_SESSION_IDS.active}` },
      { __typename: 'ExchangeRestoreSession', id: SEED_SESSION_IDS.exchange.slice(1) },
      { __typename: 'OneDriveForBusinessRestoreSession', id: 12345 },
      { __typename: 'RestorePoint', id: point },
      { __typename: 'RestorePoint', id: '   ' },
      { __typename: 'RestorePoint', id: 'r'.repeat(257) },
      { __typename: 'SiteProtectionUnit', id: unit },
      { __typename: 'SiteProtectionUnit', id: 'u\u0000nit' },
      { __typename: 'SiteProtectionUnit', id: { nested: true } },
      { __typename: 'SiteRestoreArtifact', id: randomUUID(), restoreSessionId: 'nope' },
      { __typename: 'SiteRestoreArtifact', id: 'a\nb', restoreSessionId: SEED_SESSION_IDS.completed },
      // An artifact id need not be a GUID (granular ones are GUID tuples): Graph is asked, and knows none here.
      { __typename: 'SiteRestoreArtifact', id: granularLike, restoreSessionId: SEED_SESSION_IDS.completed },
    ];
    const res = await gw.query<{ _entities: Array<Record<string, unknown> | null> }>(ENTITIES, { r });
    expect(res.status).toBe(200);
    expect(res.data!._entities).toEqual([
      { __typename: 'SharePointRestoreSession', id: SEED_SESSION_IDS.failed },
      null,
      null,
      null,
      null,
      { __typename: 'RestorePoint', id: point },
      null,
      null,
      { __typename: 'SiteProtectionUnit', id: unit },
      null,
      null,
      null,
      null,
      null,
    ]);
    const refused = [1, 2, 3, 4, 6, 7, 9, 10, 11, 12];
    expect(byPath(res.errors)).toEqual(Object.fromEntries(refused.map((i) => [`_entities.${i}`, 'BAD_USER_INPUT representations'])));
    expect(res.errors!.find((e) => e.path?.[1] === 1)?.message).toBe(
      "A RestoreSession reference's 'id' must be a GUID such as 61633878-8321-4950-bfaf-ed285bdd1461.",
    );
    expect(res.errors!.find((e) => e.path?.[1] === 11)?.message).toMatch(
      /^A SiteRestoreArtifact reference's 'restoreSessionId' must be a GUID/,
    );
    expect(res.errors!.find((e) => e.path?.[1] === 4)?.message).toBe(
      "A OneDriveForBusinessRestoreSession reference's 'id' must be a string id.",
    );

    const sent = idsSentToGraph();
    for (const i of refused) {
      const { id, restoreSessionId } = r[i] as { id: unknown; restoreSessionId?: string };
      if (typeof id === 'string') expect(sent, `representation ${i}`).not.toContain(id);
      if (restoreSessionId === 'nope') expect(sent, `representation ${i}`).not.toContain('nope');
    }
    expect(sent).not.toContain('12345');
    // The good ones were read (the artifact through its session's artifact list or by id, as the loader chooses).
    expect(sent).toEqual(expect.arrayContaining([SEED_SESSION_IDS.failed, point, unit, SEED_SESSION_IDS.completed]));
  });

  it('sends nothing at all when every reference is malformed', async () => {
    const r = [
      { __typename: 'RestoreSession', id: 'x' },
      { __typename: 'RestorePoint', id: '..' },
      { __typename: 'SiteProtectionUnit', id: ' ' },
      { __typename: 'SiteRestoreArtifact', id: 'x', restoreSessionId: 'y' },
    ];
    const res = await gw.query<{ _entities: unknown[] }>(ENTITIES, { r });
    expect(res.data!._entities).toEqual([null, null, null, null]);
    expect(res.errors!.map((e) => e.extensions?.code)).toEqual(Array(4).fill('BAD_USER_INPUT'));
    expect(graphCalls(gw.graphEntries())).toEqual([]);
  });
});
