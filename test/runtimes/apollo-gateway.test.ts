import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, seedDriveRestorePointId, seedPerson } from '@restore-session-gateway/graph-emulator';
import { RESTORE_SESSIONS_SUBGRAPH, startFederatedGateway, type RunningFederatedGateway } from '../federation/support.js';
import { resetSubgraphs, startTwoSubgraphs, type TwoSubgraphs } from './support.js';

// @apollo/gateway (the Node.js runtime Apollo Router replaced; it serves no subscriptions) in front of this gateway and
// the helpdesk subgraph, forwarding the caller's Authorization header as router.yaml does.

let subgraphs: TwoSubgraphs;
let apollo: RunningFederatedGateway;
let authorization: string;

beforeAll(async () => {
  subgraphs = await startTwoSubgraphs();
  apollo = await startFederatedGateway(subgraphs.supergraphSdl);
  authorization = await subgraphs.gw.authorization('admin');
});

afterAll(async () => {
  await apollo?.stop();
  await subgraphs?.close();
});

beforeEach(() => {
  resetSubgraphs(subgraphs);
  apollo.fetches.length = 0;
});

describe('the supergraph through @apollo/gateway', () => {
  it('joins restore sessions of any type to their helpdesk tickets, and a ticket to its session', async () => {
    subgraphs.helpdesk.tickets.push({ id: 'HD-4', subject: 'Mailbox restore', restoreSessionId: SEED_SESSION_IDS.exchange });
    const answer = await apollo.query<{
      sharePointRestoreSessions: { nodes: Array<{ id: string; tickets: unknown[] }> };
      ticket: { restoreSession: { __typename: string; id: string; status: string; tickets: Array<{ subject: string }> } };
    }>(
      `{
        sharePointRestoreSessions(first: 3) { nodes { id tickets { id } } }
        ticket(id: "HD-4") { restoreSession { __typename id status tickets { subject } } }
      }`,
      {},
      { authorization },
    );
    expect(answer.errors).toBeUndefined();
    // Unlike Hive Gateway, @apollo/gateway resolves @interfaceObject fields below a field typed with one implementation.
    expect(answer.data?.sharePointRestoreSessions.nodes.map((node) => node.tickets)).toEqual([[], [], []]);
    expect(answer.data?.ticket.restoreSession).toEqual({
      __typename: 'ExchangeRestoreSession',
      id: SEED_SESSION_IDS.exchange,
      status: expect.stringMatching(/^[A-Z_]+$/),
      tickets: [{ subject: 'Mailbox restore' }],
    });
    const toGateway = apollo.fetches.filter((fetch) => fetch.subgraph === RESTORE_SESSIONS_SUBGRAPH);
    expect(toGateway.length).toBeGreaterThan(0);
    for (const fetch of toGateway) expect(fetch.authorization).toBe(authorization);
  });

  it('keeps openTicket’s data next to a refused activateRestoreSession in the same operation', async () => {
    const answer = await apollo.query<{ openTicket: { id: string; subject: string } | null; done: unknown; unknown: unknown }>(
      `mutation ($done: ID!, $unknown: ID!) {
        openTicket(subject: "Restore it again") { id subject }
        done: activateRestoreSession(id: $done) { restoreSession { id status } }
        unknown: activateRestoreSession(id: $unknown) { restoreSession { id status } }
      }`,
      { done: SEED_SESSION_IDS.completed, unknown: '00000000-0000-4000-8000-000000000000' },
      { authorization },
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

/** An operation through @apollo/gateway as the admin, which must answer without errors; every fetch to this gateway carried the token. */
async function throughApollo<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = await apollo.query<T>(query, variables, { authorization });
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  const toGateway = apollo.fetches.filter((fetch) => fetch.subgraph === RESTORE_SESSIONS_SUBGRAPH);
  expect(toGateway.length).toBeGreaterThan(0);
  for (const fetch of toGateway) expect(fetch.authorization).toBe(authorization);
  return answer.data!;
}

interface JoinedArtifact {
  __typename: string;
  id: string;
  restoreSessionId: string;
  status: string;
  destinationType: string;
  restorePointId: string;
  restoredSiteWebUrl: string | null;
  restorePoint: { protectionUnit: { __typename: string; email: string } };
}
interface JoinedSession {
  __typename: string;
  id: string;
  status: string;
  tickets: Array<{ id: string }>;
  driveRestoreArtifacts: { totalCount: number; nodes: JoinedArtifact[] };
}

const JOIN_ONEDRIVE_SESSION = `query ($id: ID!) {
  restoreSession(id: $id) { ...OneDriveSession }
  ticket(id: "HD-8") { subject restoreSession { ...OneDriveSession } }
}
fragment OneDriveSession on RestoreSession {
  __typename id status tickets { id }
  ... on OneDriveForBusinessRestoreSession {
    driveRestoreArtifacts(first: 10) {
      totalCount
      nodes {
        ... on RestoreArtifact { __typename id restoreSessionId status destinationType restorePointId }
        ... on DriveRestoreArtifact { restoredSiteWebUrl restorePoint { protectionUnit { __typename ... on DriveProtectionUnit { email } } } }
      }
    }
  }
}`;

describe('OneDrive restores through @apollo/gateway', () => {
  it('creates a OneDrive session and joins it, by restoreSession, to its artifacts through fragments on RestoreArtifact', async () => {
    const drives = [2, 3];
    const points = drives.map((index) => seedDriveRestorePointId(index, 0));
    const created = await throughApollo<{
      createOneDriveForBusinessRestoreSession: { restoreSession: { __typename: string; id: string; status: string } };
    }>(
      `mutation ($input: CreateOneDriveForBusinessRestoreSessionInput!) {
        createOneDriveForBusinessRestoreSession(input: $input) { restoreSession { __typename id status } }
      }`,
      { input: { driveRestoreArtifacts: points.map((restorePointId) => ({ restorePointId, destinationType: 'NEW' })) } },
    );
    const { id } = created.createOneDriveForBusinessRestoreSession.restoreSession;
    expect(created.createOneDriveForBusinessRestoreSession.restoreSession).toEqual({
      __typename: 'OneDriveForBusinessRestoreSession',
      id,
      status: 'DRAFT',
    });
    subgraphs.helpdesk.tickets.push({ id: 'HD-8', subject: 'Restore the leavers’ OneDrives', restoreSessionId: id });
    apollo.fetches.length = 0;

    const joined = await throughApollo<{ restoreSession: JoinedSession; ticket: { subject: string; restoreSession: JoinedSession } }>(
      JOIN_ONEDRIVE_SESSION,
      { id },
    );
    const session = joined.restoreSession;
    expect(session).toMatchObject({ __typename: 'OneDriveForBusinessRestoreSession', id, status: 'DRAFT', tickets: [{ id: 'HD-8' }] });
    expect(session.driveRestoreArtifacts.totalCount).toBe(2);
    const nodes = [...session.driveRestoreArtifacts.nodes].sort(
      (a, b) => points.indexOf(a.restorePointId) - points.indexOf(b.restorePointId),
    );
    expect(nodes).toEqual(
      drives.map((index, i) => ({
        __typename: 'DriveRestoreArtifact',
        id: expect.any(String),
        restoreSessionId: id,
        status: 'ADDED',
        destinationType: 'NEW',
        restorePointId: points[i],
        restoredSiteWebUrl: null,
        restorePoint: { protectionUnit: { __typename: 'DriveProtectionUnit', email: seedPerson(index).email } },
      })),
    );
    // The ticket's side of the join (helpdesk first, then this gateway by the session's key) reaches the same session.
    expect(joined.ticket).toEqual({ subject: 'Restore the leavers’ OneDrives', restoreSession: session });
    expect(apollo.fetches.map((fetch) => fetch.subgraph)).toContain(subgraphs.helpdesk.name);
  });

  it('reads a bulk request through driveRestoreArtifactsBulkAdditionRequests with a fragment on RestoreArtifactsBulkAdditionRequest', async () => {
    const draft = await throughApollo<{ createOneDriveForBusinessRestoreSession: { restoreSession: { id: string } } }>(
      `mutation { createOneDriveForBusinessRestoreSession(input: {}) { restoreSession { id } } }`,
    );
    const sessionId = draft.createOneDriveForBusinessRestoreSession.restoreSession.id;
    const since = new Date(subgraphs.gw.t.emu.clock.now() - 7 * 86_400_000).toISOString();
    const bulk = await throughApollo<{
      createDriveRestoreArtifactsBulkAdditionRequest: { bulkAdditionRequest: { id: string; status: string } };
    }>(
      `mutation ($input: CreateDriveRestoreArtifactsBulkAdditionRequestInput!) {
        createDriveRestoreArtifactsBulkAdditionRequest(input: $input) { bulkAdditionRequest { id status } }
      }`,
      {
        input: {
          restoreSessionId: sessionId,
          displayName: 'Leavers, last week',
          drives: [seedPerson(2).email],
          directoryObjectIds: [seedPerson(3).id],
          destinationType: 'NEW',
          protectionTimePeriod: { startDateTime: since },
        },
      },
    );
    const request = bulk.createDriveRestoreArtifactsBulkAdditionRequest.bulkAdditionRequest;
    expect(request.status).toBe('ACTIVE');
    await throughApollo(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }`, { id: sessionId });
    subgraphs.gw.t.emu.advanceClock(1_000);

    const read = await throughApollo<{
      restoreSession: {
        __typename: string;
        driveRestoreArtifactsBulkAdditionRequests: unknown[];
        driveRestoreArtifacts: { totalCount: number };
      };
    }>(
      `query ($id: ID!) {
        restoreSession(id: $id) {
          __typename
          ... on OneDriveForBusinessRestoreSession {
            driveRestoreArtifactsBulkAdditionRequests { ...BulkRequest }
            driveRestoreArtifacts(first: 10) { totalCount }
          }
        }
      }
      fragment BulkRequest on RestoreArtifactsBulkAdditionRequest {
        __typename id restoreSessionId displayName destinationType status isTerminal error { code }
      }`,
      { id: sessionId },
    );
    expect(read.restoreSession).toEqual({
      __typename: 'OneDriveForBusinessRestoreSession',
      driveRestoreArtifactsBulkAdditionRequests: [
        {
          __typename: 'DriveRestoreArtifactsBulkAdditionRequest',
          id: request.id,
          restoreSessionId: sessionId,
          displayName: 'Leavers, last week',
          destinationType: 'NEW',
          status: 'COMPLETED',
          isTerminal: true,
          error: null,
        },
      ],
      driveRestoreArtifacts: { totalCount: 2 },
    });
  });
});
