import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LEGAL_HOLD_MAILBOX_INDEX, SEED_SESSION_IDS, seedMailboxRestorePointId } from '@restore-session-gateway/graph-emulator';
import { RESTORE_SESSIONS_SUBGRAPH } from '../federation/support.js';
import { subscriberArtifactReads } from '../subscriptions/family-support.js';
import { createDraft, RESTORES, sessionPolls, waitFor } from '../subscriptions/support.js';
import { postGraphQL } from '../support/graphql.js';
import { startHiveGateway, type RunningHiveGateway } from './hive-gateway.js';
import { errorCodes, resetSubgraphs, startTwoSubgraphs, subscribeOverSse, type SseStream, type TwoSubgraphs } from './support.js';

// Hive Gateway on its defaults plus header propagation, in front of this gateway and a helpdesk subgraph, each on an
// ephemeral port, as a platform team runs them. Clients talk to Hive only; the emulator's clock moves the restores.

let subgraphs: TwoSubgraphs;
let hive: RunningHiveGateway;
let authorization: string;
const streams: Array<SseStream<unknown>> = [];

beforeAll(async () => {
  subgraphs = await startTwoSubgraphs({ env: { POLL_INTERVAL_MS: '20' } });
  hive = await startHiveGateway({ supergraphSdl: subgraphs.supergraphSdl });
  authorization = await subgraphs.gw.authorization('admin');
}, 180_000);

afterAll(async () => {
  await hive?.stop();
  await subgraphs?.close();
});

beforeEach(() => {
  resetSubgraphs(subgraphs);
  hive.subgraphRequests.length = 0;
});

afterEach(() => {
  for (const stream of streams.splice(0)) stream.dispose();
});

function throughHive<T>(query: string, variables: Record<string, unknown> = {}) {
  return postGraphQL<T>(hive.url, { query, variables }, { authorization });
}

function subscribeThroughHive<T>(runtime: RunningHiveGateway, query: string, variables: Record<string, unknown>, caller = authorization) {
  const stream = subscribeOverSse<T>(runtime.url, query, variables, caller);
  streams.push(stream);
  return stream;
}

const requestsToGateway = (runtime: RunningHiveGateway = hive) =>
  runtime.subgraphRequests.filter((request) => request.url.startsWith(subgraphs.gw.url));

/** `Bearer <token>` of the emulator's admin, valid for `lifetimeSeconds` (zero: already expired beyond any clock skew). */
async function adminToken(lifetimeSeconds: number): Promise<string> {
  return `Bearer ${await subgraphs.gw.t.apiToken({ user: 'admin', lifetimeSeconds })}`;
}

describe('queries and mutations through Hive Gateway', () => {
  it('joins a restore session and its helpdesk tickets in both directions, with the caller’s token on every fetch', async () => {
    subgraphs.helpdesk.tickets.push({ id: 'HD-7', subject: 'Restore the finance site', restoreSessionId: SEED_SESSION_IDS.completed });
    const answer = await throughHive<{
      restoreSession: { __typename: string; status: string; tickets: Array<{ id: string; subject: string }> };
      ticket: { subject: string; restoreSession: { __typename: string; id: string; status: string } };
    }>(
      `query ($id: ID!) {
        restoreSession(id: $id) { __typename status tickets { id subject } }
        ticket(id: "HD-7") { subject restoreSession { __typename id status } }
      }`,
      { id: SEED_SESSION_IDS.completed },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      restoreSession: {
        __typename: 'SharePointRestoreSession',
        status: 'COMPLETED',
        tickets: [{ id: 'HD-7', subject: 'Restore the finance site' }],
      },
      ticket: {
        subject: 'Restore the finance site',
        restoreSession: { __typename: 'SharePointRestoreSession', id: SEED_SESSION_IDS.completed, status: 'COMPLETED' },
      },
    });
    // Hive propagates no header by default: the caller's own token reached this gateway because the config says so.
    const toGateway = requestsToGateway();
    expect(toGateway.length).toBeGreaterThan(0);
    for (const request of toGateway) expect(request.authorization).toBe(authorization);
    // …and to this gateway only: the helpdesk has no use for a token of this API.
    const toHelpdesk = hive.subgraphRequests.filter((request) => request.url.startsWith(subgraphs.helpdeskUrl));
    expect(toHelpdesk.length).toBeGreaterThan(0);
    for (const request of toHelpdesk) expect(request.authorization).toBeNull();
  });

  it('runs a mutation of each subgraph, the second one’s answer joined back to the first', async () => {
    const created = await throughHive<{ createSharePointRestoreSession: { restoreSession: { id: string; status: string } } }>(
      `mutation { createSharePointRestoreSession(input: {}) { restoreSession { id status } } }`,
    );
    expect(created.errors).toBeUndefined();
    const session = created.data?.createSharePointRestoreSession.restoreSession;
    expect(session?.status).toBe('DRAFT');
    // Graph holds the session the mutation made.
    expect((await subgraphs.gw.t.graph('GET', `/solutions/backupRestore/restoreSessions/${session?.id}`)).status).toBe(200);

    const opened = await throughHive<{
      openTicket: { id: string; restoreSession: { __typename: string; id: string; status: string; tickets: unknown[] } };
    }>(
      `mutation ($id: ID!) {
        openTicket(subject: "Restore before Friday", restoreSessionId: $id) { id restoreSession { __typename id status tickets { id } } }
      }`,
      { id: session?.id },
    );
    expect(opened.errors).toBeUndefined();
    expect(opened.data?.openTicket).toEqual({
      id: 'HD-1',
      restoreSession: { __typename: 'SharePointRestoreSession', id: session?.id, status: 'DRAFT', tickets: [{ id: 'HD-1' }] },
    });
  });

  it('resolves @interfaceObject fields only below fields typed RestoreSession (a Hive limitation docs/federation.md names)', async () => {
    subgraphs.helpdesk.tickets.push({ id: 'HD-3', subject: 'Check the draft', restoreSessionId: SEED_SESSION_IDS.draft });
    const throughInterface = await throughHive<{ restoreSessions: { nodes: Array<{ id: string; tickets: Array<{ id: string }> }> } }>(
      `{ restoreSessions(first: 100) { nodes { id tickets { id } } } }`,
    );
    expect(throughInterface.errors).toBeUndefined();
    const draft = throughInterface.data?.restoreSessions.nodes.find((node) => node.id === SEED_SESSION_IDS.draft);
    expect(draft?.tickets).toEqual([{ id: 'HD-3' }]);
    // The same field below a field typed with one implementation: Hive 2.12 never asks the helpdesk, and masks the
    // null it then finds. When this starts to pass, Hive has fixed it: drop the caveat from docs/federation.md.
    const throughImplementation = await throughHive(`{ sharePointRestoreSessions(first: 100) { nodes { id tickets { id } } } }`);
    expect(throughImplementation.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
      ['Unexpected error.', 'INTERNAL_SERVER_ERROR'],
    ]);
  });

  it('keeps openTicket’s data next to a refused activateRestoreSession in the same operation', async () => {
    const answer = await throughHive<{
      openTicket: { id: string; subject: string } | null;
      done: unknown;
      unknown: unknown;
    }>(
      `mutation ($done: ID!, $unknown: ID!) {
        openTicket(subject: "Restore it again") { id subject }
        done: activateRestoreSession(id: $done) { restoreSession { id status } }
        unknown: activateRestoreSession(id: $unknown) { restoreSession { id status } }
      }`,
      { done: SEED_SESSION_IDS.completed, unknown: '00000000-0000-4000-8000-000000000000' },
    );
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ openTicket: { id: 'HD-1', subject: 'Restore it again' }, done: null, unknown: null });
    expect(answer.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([
      ['done', 'ACTION_NOT_ALLOWED'],
      ['unknown', 'NOT_FOUND'],
    ]);
    expect(subgraphs.helpdesk.tickets.map((ticket) => ticket.id)).toEqual(['HD-1']);
  });
});

interface WatchedSession {
  status: string;
  progress: { completed: number; failed: number };
  tickets: Array<{ subject: string }>;
}

const WATCH = `subscription ($id: ID!) {
  restoreSessionStatusChanged(id: $id) { status progress { completed failed } tickets { subject } }
}`;

const trail = (stream: SseStream<{ restoreSessionStatusChanged: WatchedSession }>): string[] =>
  stream.results.map((result) => {
    const session = result.data?.restoreSessionStatusChanged;
    return session ? `${session.status}:${session.progress.completed}:${session.progress.failed}` : JSON.stringify(result.errors);
  });

describe('subscriptions through Hive Gateway', () => {
  it('delivers a restore’s status events, each joined to the helpdesk’s tickets, over SSE (Hive’s default to subgraphs)', async () => {
    const id = await createDraft(subgraphs.gw.t, RESTORES.completed);
    subgraphs.helpdesk.tickets.push({ id: 'HD-9', subject: 'Weekly restore', restoreSessionId: id });
    const stream = subscribeThroughHive<{ restoreSessionStatusChanged: WatchedSession }>(hive, WATCH, { id });
    await stream.next(1);
    const activated = await throughHive(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { status } } }`, { id });
    expect(activated.errors).toBeUndefined();
    await stream.next(2);
    const expected = ['DRAFT:0:0', 'ACTIVATING:0:0', 'ACTIVE:0:0', 'ACTIVE:1:0', 'ACTIVE:2:0', 'COMPLETED:3:0'];
    // Virtual time: each step moves the restore one change further.
    for (const [i, step] of [1_000, 6_000, 1_500, 1_500].entries()) {
      subgraphs.gw.t.emu.advanceClock(step);
      await stream.next(3 + i);
    }
    await stream.ended();
    expect(stream.error).toBeUndefined();
    expect(trail(stream)).toEqual(expected);
    for (const result of stream.results) expect(result.data?.restoreSessionStatusChanged.tickets).toEqual([{ subject: 'Weekly restore' }]);

    // Hive's default subscription transport to a subgraph: a GET of /graphql asking for text/event-stream, with the token.
    const subscription = requestsToGateway().find((request) => request.accept?.includes('text/event-stream'));
    expect(subscription).toMatchObject({ method: 'GET', authorization });
    expect(new URL(subscription?.url ?? 'http://invalid').searchParams.get('query')).toContain('restoreSessionStatusChanged');
  });

  it('ends a subscription whose token expires with an UNAUTHENTICATED result the client can act on', async () => {
    const stream = subscribeThroughHive<{ restoreSessionStatusChanged: WatchedSession }>(
      hive,
      WATCH,
      { id: SEED_SESSION_IDS.active },
      await adminToken(3),
    );
    await stream.next(1);
    expect(stream.results[0]?.data?.restoreSessionStatusChanged.status).toBe('ACTIVE');
    // Real time: the token's expiry is on the wall clock, not the emulator's. Its 2 to 3 seconds leave the start
    // time to pass through Hive before it, on a busy machine too.
    await stream.ended(6_000);
    expect(stream.error).toBeUndefined();
    expect(stream.results.length).toBeGreaterThanOrEqual(2);
    expect(stream.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await waitFor(() => subgraphs.gw.gateway.live.stats().subscribers === 0, 2_000, 'the subscriber to be let go');
  });

  it('answers a subscription started with an expired token with one UNAUTHENTICATED result', async () => {
    const stream = subscribeThroughHive(hive, WATCH, { id: SEED_SESSION_IDS.active }, await adminToken(0));
    await stream.ended();
    expect(stream.error).toBeUndefined();
    expect(errorCodes(stream.results)).toEqual(['UNAUTHENTICATED']);
    expect(stream.results[0]?.data ?? null).toBeNull();
  });
});

describe('subscriptions through Hive Gateway over WebSocket (connectionParams)', () => {
  let hiveWs: RunningHiveGateway;
  let upgrades = 0;
  const countUpgrade = (): void => {
    upgrades++;
  };

  beforeAll(async () => {
    // What docs/federation.md gives platform teams that want WebSocket to this subgraph instead of SSE.
    hiveWs = await startHiveGateway({
      supergraphSdl: subgraphs.supergraphSdl,
      transportEntries: {
        [RESTORE_SESSIONS_SUBGRAPH]: {
          options: {
            subscriptions: { kind: 'ws', options: { connectionParams: { authorization: '{context.headers.authorization}' } } },
          },
        },
      },
    });
    subgraphs.gw.gateway.server.httpServer.on('upgrade', countUpgrade);
  });

  afterAll(async () => {
    subgraphs.gw.gateway.server.httpServer.off('upgrade', countUpgrade);
    await hiveWs?.stop();
  });

  it('carries the caller’s token in connection_init, and the subscriptions of one token share one socket', async () => {
    upgrades = 0;
    const ids = [await createDraft(subgraphs.gw.t, RESTORES.completed), SEED_SESSION_IDS.active];
    const [first, second] = ids.map((id) => subscribeThroughHive<{ restoreSessionStatusChanged: WatchedSession }>(hiveWs, WATCH, { id }));
    await first?.next(1);
    await second?.next(1);
    expect(trail(first!)).toEqual(['DRAFT:0:0']);
    expect(second?.results[0]?.data?.restoreSessionStatusChanged.status).toBe('ACTIVE');
    // One socket for both: this gateway's per-connection cap becomes a cap per token on this transport.
    expect(upgrades).toBe(1);
    expect(requestsToGateway(hiveWs).filter((request) => request.accept?.includes('text/event-stream'))).toEqual([]);
  });

  it('ends a subscription whose token expires with UNAUTHENTICATED on this transport too, before the socket closes', async () => {
    const stream = subscribeThroughHive<{ restoreSessionStatusChanged: WatchedSession }>(
      hiveWs,
      WATCH,
      { id: SEED_SESSION_IDS.active },
      await adminToken(3),
    );
    await stream.next(1);
    await stream.ended(6_000);
    expect(stream.error).toBeUndefined();
    expect(stream.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

interface MailboxEvent {
  __typename: string;
  id: string;
  restoreSessionId: string;
  status: string;
  isTerminal: boolean;
  error: { code: string } | null;
  restoredFolderName?: string | null;
}

const FOLLOW_ARTIFACTS = `subscription ($id: ID!) {
  restoreArtifactStatusChanged(restoreSessionId: $id) {
    __typename id restoreSessionId status isTerminal error { code } ... on MailboxRestoreArtifact { restoredFolderName }
  }
}`;

/** Creates an Exchange draft through Hive restoring `mailboxes` to new folders; its id and each artifact's id by mailbox. */
async function createMailboxRestoreThroughHive(mailboxes: readonly number[]): Promise<{ id: string; artifactIds: string[] }> {
  const points = mailboxes.map((index) => seedMailboxRestorePointId(index, 0));
  const created = await throughHive<{
    createExchangeRestoreSession: {
      restoreSession: { id: string; status: string; mailboxRestoreArtifacts: { nodes: Array<{ id: string; restorePointId: string }> } };
    };
  }>(
    `mutation ($input: CreateExchangeRestoreSessionInput!) {
      createExchangeRestoreSession(input: $input) { restoreSession { id status mailboxRestoreArtifacts(first: 10) { nodes { id restorePointId } } } }
    }`,
    { input: { mailboxRestoreArtifacts: points.map((restorePointId) => ({ restorePointId, destinationType: 'NEW' })) } },
  );
  expect(created.errors).toBeUndefined();
  const session = created.data!.createExchangeRestoreSession.restoreSession;
  expect(session.status).toBe('DRAFT');
  const byPoint = new Map(session.mailboxRestoreArtifacts.nodes.map((node) => [node.restorePointId, node.id]));
  return { id: session.id, artifactIds: points.map((point) => byPoint.get(point) ?? `no artifact on ${point}`) };
}

/**
 * Moves virtual time on in half seconds until the stream ends, each step seen by two of the gateway's reads of session
 * `id` (counted in the emulator's journal, so that polls of other sessions still watched from earlier tests do not count).
 */
async function runUntilEnded(stream: SseStream<unknown>, id: string): Promise<void> {
  const { t } = subgraphs.gw;
  const ended = (): boolean => stream.completed || stream.error !== undefined;
  for (let step = 0; step < 40 && !ended(); step++) {
    const reads = sessionPolls(t, id);
    t.emu.advanceClock(500);
    await waitFor(() => sessionPolls(t, id) >= reads + 2 || ended(), 2_000, 'two polls of the session after the clock moved');
  }
  await stream.ended();
}

describe('an Exchange restore through Hive Gateway', () => {
  it('creates it, follows its artifacts over SSE to the end and sees the mailbox under legal hold fail', async () => {
    const { id, artifactIds } = await createMailboxRestoreThroughHive([2, LEGAL_HOLD_MAILBOX_INDEX]);
    const [restored, held] = artifactIds;
    // The subscription's baseline is the session as it finds it: activating before that read would hide the first changes.
    // The mutation above read the artifacts as the caller too, so the baseline is the read after those.
    const readsBefore = subscriberArtifactReads(subgraphs.gw.t, id);
    const stream = subscribeThroughHive<{ restoreArtifactStatusChanged: MailboxEvent }>(hive, FOLLOW_ARTIFACTS, { id });
    await waitFor(() => subscriberArtifactReads(subgraphs.gw.t, id) > readsBefore, 5_000, 'the subscription to read its baseline');
    const activated = await throughHive<{ activateRestoreSession: { restoreSession: { status: string } } }>(
      `mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { status } } }`,
      { id },
    );
    expect(activated.errors).toBeUndefined();
    expect(activated.data?.activateRestoreSession.restoreSession.status).toBe('ACTIVATING');
    await runUntilEnded(stream, id);

    expect(stream.error).toBeUndefined();
    expect(errorCodes(stream.results)).toEqual([]);
    const events = stream.results.map((result) => result.data!.restoreArtifactStatusChanged);
    for (const event of events) expect(event).toMatchObject({ __typename: 'MailboxRestoreArtifact', restoreSessionId: id });
    const trailOf = (artifactId: string | undefined): string[] => events.filter((e) => e.id === artifactId).map((e) => e.status);
    expect(trailOf(restored)).toEqual(['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'SUCCEEDED']);
    expect(trailOf(held)).toEqual(['SCHEDULING', 'SCHEDULED', 'IN_PROGRESS', 'FAILED']);
    const last = new Map(events.map((event) => [event.id, event]));
    expect(last.get(restored!)).toMatchObject({ isTerminal: true, error: null, restoredFolderName: expect.stringMatching(/\S/) });
    expect(last.get(held!)).toMatchObject({ isTerminal: true, error: { code: 'ArtifactCannotBeRestored' } });

    // Every fetch of this gateway carried the caller's token, the SSE subscription too.
    const toGateway = requestsToGateway();
    expect(toGateway.length).toBeGreaterThan(0);
    for (const request of toGateway) expect(request.authorization).toBe(authorization);
    const subscription = toGateway.find((request) => request.accept?.includes('text/event-stream'));
    expect(subscription).toMatchObject({ method: 'GET', authorization });
    expect(new URL(subscription?.url ?? 'http://invalid').searchParams.get('query')).toContain('restoreArtifactStatusChanged');
  });
});
