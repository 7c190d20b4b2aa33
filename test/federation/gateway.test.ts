import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_ARTIFACT_IDS, SEED_SESSION_IDS, seedRestorePointId, seedUnitId } from '@restore-session-gateway/graph-emulator';
import type { SeedFixture } from '@restore-session-gateway/graph-emulator';
import { buildSchema } from '../../src/schema/build-schema.js';
import { upstreamRequests } from '@restore-session-gateway/graph-emulator/testing';
import { startTestGateway, type TestGateway } from '../gateway/harness.js';
import {
  auditedSessions,
  createTestSubgraphs,
  federationSeed,
  REVIEW_SESSION_COUNT,
  reviewSessionId,
  ticketedSessions,
} from './fixtures.js';
import { composeSupergraph, RESTORE_SESSIONS_SUBGRAPH, serviceSdl, startFederatedGateway, startTestSubgraph } from './support.js';
import type { RunningFederatedGateway, RunningServer } from './support.js';

// The gateway subgraph (with the emulator behind it) and four test subgraphs, each on its own
// ephemeral port, composed and run behind @apollo/gateway, as a platform team's router would run them.

const MAX_BATCH_ITEMS = 20;

let seed: SeedFixture;
let gw: TestGateway;
let subgraphs: RunningServer[] = [];
let federated: RunningFederatedGateway;
/** A caller token for the gateway's own API, as a client of the supergraph would send it. */
let authorization: string;

beforeAll(async () => {
  seed = federationSeed();
  gw = await startTestGateway({ seed });
  const sdl = await gw.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
  expect(sdl.errors).toBeUndefined();
  const testSubgraphs = createTestSubgraphs(
    seed,
    Array.from({ length: REVIEW_SESSION_COUNT }, (_, i) => reviewSessionId(i)),
  );
  subgraphs = await Promise.all(testSubgraphs.map((subgraph) => startTestSubgraph(subgraph)));
  const urls: Record<string, string> = { [RESTORE_SESSIONS_SUBGRAPH]: gw.url };
  testSubgraphs.forEach((subgraph, i) => {
    urls[subgraph.name] = subgraphs[i]?.url ?? '';
  });
  const { supergraphSdl } = composeSupergraph(sdl.data?._service.sdl ?? '', testSubgraphs, urls);
  federated = await startFederatedGateway(supergraphSdl);
  authorization = `Bearer ${await gw.t.apiToken('admin')}`;
});

afterAll(async () => {
  await federated?.stop();
  await Promise.all(subgraphs.map((subgraph) => subgraph.stop()));
  await gw?.close();
});

beforeEach(() => {
  gw.resetUpstream();
  federated.fetches.length = 0;
});

function userName(name: string): { id: string; displayName: string; email: string } {
  const user = seed.users.find((candidate) => candidate.name === name);
  if (!user) throw new Error(`no seeded user ${name}`);
  return user;
}

async function federatedQuery<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const answer = await federated.query<T>(query, variables, { authorization });
  expect(answer.errors).toBeUndefined();
  expect(answer.status).toBe(200);
  if (!answer.data) throw new Error('no data');
  return answer.data;
}

describe('the subgraph endpoint', () => {
  it('answers _service { sdl } without a caller token, with the reviewed SDL of the schema it serves', async () => {
    const answer = await gw.queryAs<{ _service: { sdl: string } }>(null, '{ _service { sdl } }');
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    const sdl = answer.data?._service.sdl ?? '';
    expect(sdl).toBe(await serviceSdl(buildSchema()));
    await expect(`${sdl}\n`).toMatchFileSnapshot('../schema/__snapshots__/subgraph.graphql');
  });

  it('resolves every entity by its key, each unknown or mistyped reference to null without failing its siblings', async () => {
    const artifact = seed.sessions.find((session) => session.id === SEED_SESSION_IDS.completed)?.artifacts?.[0];
    if (!artifact) throw new Error('the completed seed session has no artifact');
    const representations = [
      { __typename: 'SharePointRestoreSession', id: SEED_SESSION_IDS.draft },
      { __typename: 'SharePointRestoreSession', id: '00000000-0000-0000-0000-000000000000' },
      { __typename: 'SharePointRestoreSession', id: SEED_SESSION_IDS.exchange },
      { __typename: 'RestoreSession', id: SEED_SESSION_IDS.exchange },
      { __typename: 'RestoreSession', id: SEED_SESSION_IDS.oneDrive },
      { __typename: 'ExchangeRestoreSession', id: SEED_SESSION_IDS.exchange },
      { __typename: 'SiteRestoreArtifact', id: artifact.id, restoreSessionId: SEED_SESSION_IDS.completed },
      { __typename: 'SiteRestoreArtifact', id: artifact.id, restoreSessionId: SEED_SESSION_IDS.draft },
      { __typename: 'RestorePoint', id: seedRestorePointId(0, 0) },
      { __typename: 'RestorePoint', id: `${seedUnitId(0)}_1_14_1` },
      { __typename: 'SiteProtectionUnit', id: seedUnitId(0) },
      { __typename: 'SiteProtectionUnit', id: '00000000-0000-0000-0000-000000000000' },
    ];
    const answer = await gw.query<{ _entities: Array<{ __typename: string; id: string; restoreSessionId?: string } | null> }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          __typename
          ... on RestoreSession { id }
          ... on SiteRestoreArtifact { id restoreSessionId }
          ... on RestorePoint { id }
          ... on SiteProtectionUnit { id }
        }
      }`,
      { representations },
      { authorization },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual([
      { __typename: 'SharePointRestoreSession', id: SEED_SESSION_IDS.draft },
      null,
      null,
      { __typename: 'ExchangeRestoreSession', id: SEED_SESSION_IDS.exchange },
      { __typename: 'OneDriveForBusinessRestoreSession', id: SEED_SESSION_IDS.oneDrive },
      { __typename: 'ExchangeRestoreSession', id: SEED_SESSION_IDS.exchange },
      { __typename: 'SiteRestoreArtifact', id: artifact.id, restoreSessionId: SEED_SESSION_IDS.completed },
      null,
      { __typename: 'RestorePoint', id: seedRestorePointId(0, 0) },
      null,
      { __typename: 'SiteProtectionUnit', id: seedUnitId(0) },
      null,
    ]);
  });

  it('resolves mailbox and drive artifact references together in one $batch, a reference under another family null', async () => {
    const mailbox = SEED_SESSION_ARTIFACT_IDS.exchange.map((id) => ({ id, restoreSessionId: SEED_SESSION_IDS.exchange }));
    const drive = SEED_SESSION_ARTIFACT_IDS.oneDrive.map((id) => ({ id, restoreSessionId: SEED_SESSION_IDS.oneDrive }));
    const representations = [
      ...mailbox.map((key) => ({ __typename: 'MailboxRestoreArtifact', ...key })),
      ...drive.map((key) => ({ __typename: 'DriveRestoreArtifact', ...key })),
      // The drive artifact named under the Exchange session (no such mailbox artifact), and an unknown id.
      { __typename: 'MailboxRestoreArtifact', id: drive[0]!.id, restoreSessionId: SEED_SESSION_IDS.exchange },
      { __typename: 'DriveRestoreArtifact', id: '00000000-0000-0000-0000-000000000000', restoreSessionId: SEED_SESSION_IDS.oneDrive },
    ];
    gw.resetUpstream();
    const answer = await gw.query<{ _entities: Array<{ __typename: string; id: string; status: string } | null> }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          __typename
          ... on RestoreArtifact { id restoreSessionId status }
        }
      }`,
      { representations },
      { authorization },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual([
      ...mailbox.map((key) => ({ __typename: 'MailboxRestoreArtifact', ...key, status: 'SUCCEEDED' })),
      ...drive.map((key, i) => ({ __typename: 'DriveRestoreArtifact', ...key, status: i === 2 ? 'FAILED' : 'SUCCEEDED' })),
      null,
      null,
    ]);
    // Every reference is one Graph call, and all of them travel in one envelope.
    expect(upstreamRequests(gw.graphEntries())).toHaveLength(1);
  });
});

describe('queries across subgraphs, through @apollo/gateway', () => {
  interface SessionAcross {
    __typename: string;
    id: string;
    status: string;
    auditNotes: Array<{ author: string; text: string }>;
    createdBy: {
      user: { id: string; displayName: string; mail: string | null } | null;
      userIdentity: { displayName: string | null } | null;
    } | null;
    ticket?: { id: string; title: string } | null;
  }

  const SESSION_ACROSS = `
    __typename id status
    auditNotes { author text }
    createdBy { user { id displayName mail } userIdentity { displayName } }
    ... on SharePointRestoreSession { ticket { id title } }
  `;

  it('adds tickets, audit notes and directory users to restore sessions', async () => {
    const ids = [...new Set([...ticketedSessions(seed), ...auditedSessions(seed)].map((session) => session.id))];
    const document = `query (${ids.map((_, i) => `$id${i}: ID!`).join(', ')}) {
      ${ids.map((_, i) => `s${i}: restoreSession(id: $id${i}) { ${SESSION_ACROSS} }`).join('\n')}
    }`;
    const data = await federatedQuery<Record<string, SessionAcross | null>>(
      document,
      Object.fromEntries(ids.map((id, i) => [`id${i}`, id])),
    );
    const sessions = ids.map((_, i) => data[`s${i}`]);
    for (const [i, session] of sessions.entries()) {
      const seeded = seed.sessions.find((candidate) => candidate.id === ids[i]);
      if (!session || !seeded) throw new Error(`session ${ids[i]} missing`);
      const user = userName(seeded.createdBy);
      // The directory's profile of the user Graph recorded, joined by the Entra object id.
      expect(session.createdBy?.user).toEqual({ id: user.id, displayName: user.displayName, mail: user.email });
      expect(session.createdBy?.userIdentity?.displayName).toBe(user.displayName);
      const audited = auditedSessions(seed).some((candidate) => candidate.id === session.id);
      expect(session.auditNotes.length, session.id).toBe(audited ? 1 : 0);
      if (audited) expect(session.auditNotes[0]?.text).toContain(session.id);
      const ticketIndex = ticketedSessions(seed).findIndex((candidate) => candidate.id === session.id);
      if (session.__typename === 'SharePointRestoreSession') {
        expect(session.ticket ?? null).toEqual(
          ticketIndex < 0 ? null : { id: `TCK-${1001 + ticketIndex}`, title: `Restore request ${ticketIndex + 1}` },
        );
      } else {
        expect(session.ticket).toBeUndefined();
      }
    }
    expect(sessions.map((session) => session?.__typename)).toContain('ExchangeRestoreSession');
  });

  it('lists sessions of every family with fields from all subgraphs', async () => {
    const data = await federatedQuery<{ restoreSessions: { nodes: SessionAcross[] } }>(
      `{ restoreSessions(first: 100) { nodes { ${SESSION_ACROSS} } } }`,
    );
    const nodes = data.restoreSessions.nodes;
    expect(nodes.length).toBe(100);
    for (const node of nodes) {
      const seeded = seed.sessions.find((candidate) => candidate.id === node.id);
      expect(node.createdBy?.user?.displayName, node.id).toBe(seeded ? userName(seeded.createdBy).displayName : undefined);
    }
  });

  it('follows a ticket to its restore session and on to the directory', async () => {
    const data = await federatedQuery<{
      tickets: {
        nodes: Array<{
          id: string;
          restoreSession: { id: string; status: string; createdBy: { user: { displayName: string } | null } | null } | null;
        }>;
        pageInfo: { hasNextPage: boolean };
      };
    }>(`{ tickets { nodes { id restoreSession { id status createdBy { user { displayName } } } } pageInfo { hasNextPage } } }`);
    expect(data.tickets.nodes.map((ticket) => ticket.restoreSession?.id)).toEqual(ticketedSessions(seed).map((session) => session.id));
    for (const ticket of data.tickets.nodes) {
      const seeded = ticketedSessions(seed).find((session) => session.id === ticket.restoreSession?.id);
      expect(ticket.restoreSession?.createdBy?.user?.displayName).toBe(userName(seeded?.createdBy ?? '').displayName);
      expect(ticket.restoreSession?.status).toMatch(/^[A-Z_]+$/);
    }
    expect(data.tickets.pageInfo.hasNextPage).toBe(false);
  });

  it('resolves @interfaceObject references to their concrete session types', async () => {
    const data = await federatedQuery<{
      recentlyAuditedRestoreSessions: Array<{ __typename: string; id: string; status: string; auditNotes: unknown[] }>;
    }>(`{ recentlyAuditedRestoreSessions { __typename id status auditNotes { text } } }`);
    expect(data.recentlyAuditedRestoreSessions.map(({ __typename, id }) => ({ __typename, id }))).toEqual([
      { __typename: 'SharePointRestoreSession', id: auditedSessions(seed)[0]?.id },
      { __typename: 'ExchangeRestoreSession', id: auditedSessions(seed)[1]?.id },
    ]);
    expect(data.recentlyAuditedRestoreSessions.map((session) => session.status)).toEqual(['COMPLETED', 'COMPLETED']);
  });

  it('joins protection units to the sites subgraph by Graph site id', async () => {
    const data = await federatedQuery<{
      siteProtectionUnits: {
        nodes: Array<{
          siteId: string;
          siteName: string;
          siteWebUrl: string;
          site: { id: string; displayName: string; webUrl: string } | null;
        }>;
      };
    }>(`{ siteProtectionUnits(first: 5) { nodes { siteId siteName siteWebUrl site { id displayName webUrl } } } }`);
    expect(data.siteProtectionUnits.nodes).toHaveLength(5);
    for (const unit of data.siteProtectionUnits.nodes) {
      expect(unit.site).toEqual({ id: unit.siteId, displayName: unit.siteName, webUrl: unit.siteWebUrl });
    }
  });

  it('forwards the caller’s Authorization header to the subgraph', async () => {
    await federatedQuery(`{ restoreSession(id: "${SEED_SESSION_IDS.draft}") { id } }`);
    const fetches = federated.fetches.filter((fetch) => fetch.subgraph === RESTORE_SESSIONS_SUBGRAPH);
    expect(fetches.length).toBeGreaterThan(0);
    for (const fetch of fetches) expect(fetch.authorization).toBe(authorization);
  });
});

describe('entity fetches from another subgraph', () => {
  it(`resolves ${REVIEW_SESSION_COUNT} session references in one _entities fetch and at most ceil(${REVIEW_SESSION_COUNT}/${MAX_BATCH_ITEMS}) Graph $batch calls`, async () => {
    const data = await federatedQuery<{
      restoreSessionsUnderReview: Array<{
        id: string;
        status: string;
        createdDateTime: string;
        createdBy: { user: { displayName: string } | null } | null;
      } | null>;
    }>(`{ restoreSessionsUnderReview { id status createdDateTime createdBy { user { displayName } } } }`);

    const sessions = data.restoreSessionsUnderReview;
    expect(sessions).toHaveLength(REVIEW_SESSION_COUNT);
    sessions.forEach((session, i) => {
      const seeded = seed.sessions.find((candidate) => candidate.id === reviewSessionId(i));
      expect(session).toEqual({
        id: reviewSessionId(i),
        status: 'DRAFT',
        createdDateTime: seeded?.createdDateTime,
        createdBy: { user: { displayName: userName(seeded?.createdBy ?? '').displayName } },
      });
    });

    const entityFetches = federated.fetches.filter((fetch) => fetch.subgraph === RESTORE_SESSIONS_SUBGRAPH);
    expect(entityFetches.map((fetch) => fetch.representations)).toEqual([REVIEW_SESSION_COUNT]);

    const entries = gw.graphEntries();
    const upstream = upstreamRequests(entries);
    const batches = upstream.filter((entry) => entry.kind === 'batch');
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(REVIEW_SESSION_COUNT / MAX_BATCH_ITEMS));
    expect(upstream.filter((entry) => entry.kind === 'request')).toEqual([]);
    expect(entries.filter((entry) => entry.kind === 'batchItem')).toHaveLength(REVIEW_SESSION_COUNT);
  });
});
