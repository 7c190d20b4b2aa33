import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import {
  createFamilyDraft,
  FAMILY_SETS,
  subscriberArtifactReads,
  withOneFailure,
  type RestoreFamily,
} from '../subscriptions/family-support.js';
import { activate, createDraft, RESTORES, waitFor } from '../subscriptions/support.js';
import { dataOf, postGraphQL } from '../support/graphql.js';
import { multipartPost, sseGet, type HttpStream, type StreamRequest } from '../support/http-streams.js';
import { gatewayConfig, startGatewayOn, suiteProfile } from './harness.js';
import { errorCodes, subscribe, wsClient, type Stream, type TestWsClient } from './live-support.js';

// restoreArtifactStatusChanged end to end: the artifacts of SharePoint, Exchange and OneDrive restores followed to their
// end over graphql-ws, SSE and multipart HTTP with the documented example, against the in-process emulator with a manual
// clock; and the deprecated siteRestoreArtifactStatusChanged beside it.

/** docs/live-status.md's artifact example, run as written: every family's fields through its inline fragment. */
const FOLLOW = (() => {
  const page = readFileSync(new URL('../../docs/live-status.md', import.meta.url), 'utf8');
  const example = /```graphql\n(subscription FollowArtifacts[\s\S]*?)```/.exec(page)?.[1];
  if (!example) throw new Error('docs/live-status.md has no FollowArtifacts example');
  return example;
})();
const SITES = `subscription ($id: ID!) { siteRestoreArtifactStatusChanged(restoreSessionId: $id) { id status error { code } } }`;

interface ArtifactEvent {
  __typename: string;
  id: string;
  restoreSessionId: string;
  status: string;
  isTerminal: boolean;
  error: { code: string } | null;
  restoredSiteName?: string | null;
  restoredSiteWebUrl?: string | null;
  restoredFolderName?: string | null;
  restoredItemCount?: number | null;
}
type Followed = { restoreArtifactStatusChanged: ArtifactEvent };

const t = useTestEmulator({ profile: suiteProfile() });
let gw: Gateway;
const clients: TestWsClient[] = [];
const streams: Array<{ stop(): void }> = [];
beforeAll(async () => {
  gw = await startGatewayOn(t, gatewayConfig({ POLL_INTERVAL_MS: '20' }));
});
afterAll(async () => {
  await gw?.stop();
});
afterEach(async () => {
  for (const s of streams.splice(0)) s.stop();
  for (const c of clients.splice(0)) await c.dispose();
  await waitFor(() => gw.live.stats().subscribers === 0, 3_000, 'every subscriber to be let go');
});

async function connect(): Promise<TestWsClient> {
  const c = wsClient(gw.wsUrl, { authorization: `Bearer ${await t.apiToken('admin')}` });
  clients.push(c);
  return c;
}

/** Waits until `n` subscriptions read their baseline: a restore activated before that would be part of it. */
async function baselinesRead(id: string, n = 1): Promise<void> {
  await waitFor(() => subscriberArtifactReads(t, id) >= n, 10_000, `${n} baseline reads`);
}

/** Moves virtual time on in half seconds, two polls after each step, until `done()` (a 3-artifact restore takes 10 s). */
async function runRestore(done: () => boolean): Promise<void> {
  for (let step = 0; step < 30 && !done(); step++) {
    t.emu.advanceClock(500);
    const polls = gw.live.stats().polls;
    await waitFor(() => gw.live.stats().polls >= polls + 2 || done(), 10_000, 'two polls');
  }
}

/** Each artifact's statuses in the order they arrived, artifacts in the order they first did. */
function trails(events: readonly ArtifactEvent[]): string[][] {
  const byArtifact = new Map<string, string[]>();
  for (const a of events) byArtifact.set(a.id, [...(byArtifact.get(a.id) ?? []), a.status]);
  return [...byArtifact.values()];
}

const ONE_FAILURE = [
  ['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'SUCCEEDED'],
  ['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'FAILED'],
  ['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'SUCCEEDED'],
];

/** A restore with one failure among three, followed to its end: every artifact's whole trail, as its family's type. */
function expectFollowedToTheEnd(events: readonly ArtifactEvent[], sessionId: string, typename: string): void {
  expect(trails(events)).toEqual(ONE_FAILURE);
  for (const a of events) {
    expect(a).toMatchObject({ __typename: typename, restoreSessionId: sessionId, isTerminal: ['SUCCEEDED', 'FAILED'].includes(a.status) });
  }
  expect(events.filter((a) => a.status === 'FAILED').map((a) => a.error?.code)).toEqual(['ArtifactCannotBeRestored']);
  for (const a of events.filter((e) => e.status === 'SUCCEEDED')) {
    // What each family restores to, through its own inline fragment.
    if (typename === 'MailboxRestoreArtifact') {
      expect(a.restoredFolderName).toEqual(expect.any(String));
      expect(a.restoredItemCount).toEqual(expect.any(Number));
    } else {
      expect(a.restoredSiteName).toEqual(expect.any(String));
      expect(a.restoredSiteWebUrl).toEqual(expect.any(String));
    }
  }
}

async function draftOf(family: RestoreFamily | 'sharePoint'): Promise<string> {
  return family === 'sharePoint' ? createDraft(t, RESTORES.completedWithError) : createFamilyDraft(t, family, withOneFailure(family));
}

const CASES: Array<{ label: string; family: RestoreFamily | 'sharePoint'; typename: string }> = [
  { label: 'an Exchange', family: 'exchange', typename: FAMILY_SETS.exchange.typename },
  { label: 'a OneDrive', family: 'oneDrive', typename: FAMILY_SETS.oneDrive.typename },
  { label: 'a SharePoint', family: 'sharePoint', typename: 'SiteRestoreArtifact' },
];

describe('restoreArtifactStatusChanged over graphql-ws', () => {
  it.each(CASES)('follows every artifact of $label restore to its end, then completes', async ({ family, typename }) => {
    const id = await draftOf(family);
    const s: Stream<Followed> = subscribe<Followed>(await connect(), FOLLOW, { id });
    await baselinesRead(id);
    await activate(t, id);
    await s.next(3);
    await runRestore(() => s.completed);
    await s.ended();
    expect(errorCodes(s.results)).toEqual([]);
    expectFollowedToTheEnd(s.values, id, typename);
    await waitFor(() => gw.live.stats().watched === 0, 10_000, 'the poller to stop');
  });

  it('completes at once, sending nothing, for a restore that has already ended', async () => {
    const s = subscribe<Followed>(await connect(), FOLLOW, { id: SEED_SESSION_IDS.exchange });
    await s.ended();
    expect(s.results).toEqual([]);
    expect(s.completed).toBe(true);
  });

  it('ends with NOT_FOUND for a session Graph does not know', async () => {
    const s = subscribe<Followed>(await connect(), FOLLOW, { id: '00000000-0000-4000-8000-00000000abcd' });
    await s.ended();
    expect(errorCodes(s.results)).toEqual(['NOT_FOUND']);
  });
});

type Transport = (url: string, request: StreamRequest) => HttpStream<Followed>;
const HTTP_CASES: Array<{ name: string; label: string; transport: Transport; family: RestoreFamily }> = [
  { name: 'SSE', label: 'an Exchange', transport: sseGet, family: 'exchange' },
  { name: 'multipart', label: 'a OneDrive', transport: multipartPost, family: 'oneDrive' },
];

describe('restoreArtifactStatusChanged over HTTP', () => {
  it.each(HTTP_CASES)('follows every artifact over $name to the end of $label restore', async ({ transport, family }) => {
    const id = await draftOf(family);
    const s = transport(gw.url, { query: FOLLOW, variables: { id }, token: await t.apiToken('admin') });
    streams.push(s);
    await baselinesRead(id);
    await activate(t, id);
    await s.next(3);
    await runRestore(() => s.completed);
    await s.ended();
    expect(s.status).toBe(200);
    expect(errorCodes(s.results)).toEqual([]);
    const events = s.results.flatMap((r) => (r.data ? [r.data.restoreArtifactStatusChanged] : []));
    expectFollowedToTheEnd(events, id, FAMILY_SETS[family].typename);
  });
});

describe('siteRestoreArtifactStatusChanged (deprecated)', () => {
  it('still follows a SharePoint restore, event for event as restoreArtifactStatusChanged does', async () => {
    const id = await draftOf('sharePoint');
    const c = await connect();
    const old = subscribe<{ siteRestoreArtifactStatusChanged: { id: string; status: string; error: { code: string } | null } }>(c, SITES, {
      id,
    });
    // One after the other, so that each reads its own baseline.
    await baselinesRead(id, 1);
    const current = subscribe<Followed>(c, FOLLOW, { id });
    await baselinesRead(id, 2);
    await activate(t, id);
    await old.next(3);
    await current.next(3);
    await runRestore(() => old.completed && current.completed);
    await old.ended();
    await current.ended();
    expect(old.values.map((a) => `${a.id}:${a.status}`)).toEqual(current.values.map((a) => `${a.id}:${a.status}`));
    expect(trails(current.values)).toEqual(ONE_FAILURE);
  });

  it('still ends with the same NOT_FOUND for a session of another family', async () => {
    for (const id of [SEED_SESSION_IDS.exchange, SEED_SESSION_IDS.oneDrive]) {
      const s = subscribe(await connect(), SITES, { id });
      await s.ended();
      expect(errorCodes(s.results)).toEqual(['NOT_FOUND']);
      expect(s.results[0]?.errors?.[0]?.message).toBe(
        'No SharePoint restore session has this id; siteRestoreArtifactStatusChanged follows SharePoint sessions only.',
      );
    }
  });

  it('is marked deprecated in the schema, pointing at restoreArtifactStatusChanged', async () => {
    const data = dataOf(
      await postGraphQL<{ __type: { fields: Array<{ name: string; isDeprecated: boolean; deprecationReason: string | null }> } }>(
        gw.url,
        { query: '{ __type(name: "Subscription") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }' },
        { authorization: `Bearer ${await t.apiToken('admin')}` },
      ),
    );
    const field = (name: string) => data.__type.fields.find((f) => f.name === name);
    expect(field('siteRestoreArtifactStatusChanged')).toMatchObject({ isDeprecated: true });
    expect(field('siteRestoreArtifactStatusChanged')?.deprecationReason).toContain('restoreArtifactStatusChanged');
    expect(field('restoreArtifactStatusChanged')).toMatchObject({ isDeprecated: false });
  });
});
