import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { startTestGateway, type TestGateway } from '../gateway/harness.js';
import { composeSupergraph, RESTORE_SESSIONS_SUBGRAPH, startFederatedGateway, startTestSubgraph } from './support.js';
import type { RunningFederatedGateway, RunningServer } from './support.js';
import type { TestSubgraph } from './subgraphs/types.js';

// The supergraph case behind nullable Mutation fields: one document writes to two subgraphs, and this gateway refuses its
// part. Graph has no transactions and the other subgraph's write has happened, so its answer must reach the client; with
// a non-null payload the refusal would null all of `data` and the client would never learn the ticket's id.

interface OpenedTicket {
  id: string;
  title: string;
}

/** A helpdesk subgraph with a write of its own, as another team would run next to this gateway. */
function createHelpdeskSubgraph(opened: OpenedTicket[]): TestSubgraph {
  return {
    name: 'helpdesk',
    typeDefs: parse(/* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

      type Query {
        openTickets: Int!
      }

      type Mutation {
        openTicket(title: String!): HelpdeskTicket
      }

      type HelpdeskTicket @key(fields: "id") {
        id: ID!
        title: String!
      }
    `),
    resolvers: {
      Query: { openTickets: () => opened.length },
      Mutation: {
        openTicket: (_root: unknown, args: { title: string }) => {
          const ticket = { id: `T-${opened.length + 1}`, title: args.title };
          opened.push(ticket);
          return ticket;
        },
      },
    },
  };
}

const opened: OpenedTicket[] = [];
let gw: TestGateway;
let helpdesk: RunningServer;
let federated: RunningFederatedGateway;
let authorization: string;

beforeAll(async () => {
  gw = await startTestGateway();
  const sdl = await gw.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
  const subgraph = createHelpdeskSubgraph(opened);
  helpdesk = await startTestSubgraph(subgraph);
  const { supergraphSdl } = composeSupergraph(sdl.data?._service.sdl ?? '', [subgraph], {
    [RESTORE_SESSIONS_SUBGRAPH]: gw.url,
    helpdesk: helpdesk.url,
  });
  federated = await startFederatedGateway(supergraphSdl);
  authorization = await gw.authorization('admin');
});

afterAll(async () => {
  await federated?.stop();
  await helpdesk?.stop();
  await gw?.close();
});

beforeEach(() => {
  opened.length = 0;
  gw.t.emu.reset();
});

interface Answer {
  openTicket: OpenedTicket | null;
  activateRestoreSession: { restoreSession: { id: string; status: string } } | null;
}

const TICKET_THEN_ACTIVATE = `mutation TicketThenActivate($id: ID!) {
  openTicket(title: "Restore Finance01") { id title }
  activateRestoreSession(id: $id) { restoreSession { id status } }
}`;

it("keeps the other subgraph's completed write when this gateway refuses its mutation", async () => {
  // A completed session is no draft: Graph refuses its activation.
  const res = await federated.query<Answer>(TICKET_THEN_ACTIVATE, { id: SEED_SESSION_IDS.completed }, { authorization });
  expect(res.status).toBe(200);
  expect(res.data).toEqual({ openTicket: { id: 'T-1', title: 'Restore Finance01' }, activateRestoreSession: null });
  expect(res.errors).toHaveLength(1);
  expect(res.errors?.[0]).toMatchObject({ path: ['activateRestoreSession'], extensions: { code: 'ACTION_NOT_ALLOWED' } });
  expect(opened).toEqual([{ id: 'T-1', title: 'Restore Finance01' }]);
});

it('runs the later write of the other subgraph after a refused one, and answers both', async () => {
  const res = await federated.query<Answer>(
    `mutation ActivateThenTicket($id: ID!) {
      activateRestoreSession(id: $id) { restoreSession { id status } }
      openTicket(title: "Activation refused") { id title }
    }`,
    { id: SEED_SESSION_IDS.failed },
    { authorization },
  );
  expect(res.data).toEqual({ activateRestoreSession: null, openTicket: { id: 'T-1', title: 'Activation refused' } });
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['ACTION_NOT_ALLOWED']);
});

it('answers both writes when neither is refused', async () => {
  const res = await federated.query<Answer>(TICKET_THEN_ACTIVATE, { id: SEED_SESSION_IDS.draft }, { authorization });
  expect(res.errors).toBeUndefined();
  expect(res.data).toEqual({
    openTicket: { id: 'T-1', title: 'Restore Finance01' },
    activateRestoreSession: { restoreSession: { id: SEED_SESSION_IDS.draft, status: 'ACTIVATING' } },
  });
});
