import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
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
