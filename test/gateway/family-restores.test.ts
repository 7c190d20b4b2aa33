import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LEGAL_HOLD_DRIVE_INDEX,
  LEGAL_HOLD_MAILBOX_INDEX,
  defaultSeed,
  seedDriveUnitId,
  seedMailboxUnitId,
  seedPerson,
} from '@restore-session-gateway/graph-emulator';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { waitFor } from '../subscriptions/support.js';
import { postGraphQL, type GraphQLResponse } from '../support/graphql.js';
import { gatewayConfig, startGatewayOn, suiteProfile } from './harness.js';
import { subscribe, wsClient, type Stream, type TestWsClient } from './live-support.js';

// Exchange and OneDrive restores end to end through GraphQL, as a console would drive them: find the protected
// mailboxes and OneDrives, pick their restore points, build a session by bulk request, activate it, follow it by
// subscription to its end, read each artifact's result. Then the walkthrough of docs/api.md ("Exchange and OneDrive
// restores"), run as written with the variables it explains. The emulator's clock is advanced, never waited for.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DAY = 86_400_000;

const t = useTestEmulator({ profile: suiteProfile(), seed: defaultSeed(Date.now()) });
let gw: Gateway;
const clients: TestWsClient[] = [];
beforeAll(async () => {
  gw = await startGatewayOn(t, gatewayConfig({ POLL_INTERVAL_MS: '20' }));
});
afterAll(async () => {
  await gw?.stop();
});
beforeEach(() => t.emu.reset());
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
});

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(gw.url, { query, variables }, { authorization: `Bearer ${await t.apiToken('admin')}` });
}

/** The data of an operation that must answer without errors. */
async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await gql<T>(query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

async function connect(): Promise<TestWsClient> {
  const c = wsClient(gw.wsUrl, { authorization: `Bearer ${await t.apiToken('admin')}` });
  clients.push(c);
  return c;
}

/** Advances the emulator's clock a step at a time, each step seen by a poll, until every stream has ended. */
async function runToEnd(streams: ReadonlyArray<Stream<Record<string, unknown>>>): Promise<void> {
  for (let step = 0; step < 120 && streams.some((s) => !s.completed && s.error === undefined); step++) {
    const polls = gw.live.stats().polls;
    t.emu.advanceClock(500);
    await waitFor(() => gw.live.stats().polls > polls || streams.every((s) => s.completed), 10_000, 'a poll after the clock moved');
  }
  for (const s of streams) await s.ended();
}

interface Family {
  name: 'Exchange' | 'OneDrive';
  units: string;
  unitFields: string;
  sessionType: string;
  createEmpty: string;
  createBulk: string;
  bulkTargets: string;
  bulkList: string;
  artifacts: string;
  artifactType: string;
  familyFields: string;
  /** Units to restore (by address or id) and the one under a legal hold, whose restore fails. */
  unitIndexes: number[];
  legalHold: number;
  unitId: (index: number) => string;
}

const FAMILIES: Family[] = [
  {
    name: 'Exchange',
    units: 'mailboxProtectionUnits',
    unitFields: 'id directoryObjectId displayName email mailboxType status',
    sessionType: 'ExchangeRestoreSession',
    createEmpty: 'createExchangeRestoreSession',
    createBulk: 'createMailboxRestoreArtifactsBulkAdditionRequest',
    bulkTargets: 'mailboxes',
    bulkList: 'mailboxRestoreArtifactsBulkAdditionRequests',
    artifacts: 'mailboxRestoreArtifacts',
    artifactType: 'MailboxRestoreArtifact',
    familyFields: 'restoredFolderId restoredFolderName restoredItemCount',
    unitIndexes: [0, 2, LEGAL_HOLD_MAILBOX_INDEX],
    legalHold: LEGAL_HOLD_MAILBOX_INDEX,
    unitId: seedMailboxUnitId,
  },
  {
    name: 'OneDrive',
    units: 'driveProtectionUnits',
    unitFields: 'id directoryObjectId displayName email status',
    sessionType: 'OneDriveForBusinessRestoreSession',
    createEmpty: 'createOneDriveForBusinessRestoreSession',
    createBulk: 'createDriveRestoreArtifactsBulkAdditionRequest',
    bulkTargets: 'drives',
    bulkList: 'driveRestoreArtifactsBulkAdditionRequests',
    artifacts: 'driveRestoreArtifacts',
    artifactType: 'DriveRestoreArtifact',
    familyFields: 'restoredSiteId restoredSiteName restoredSiteWebUrl',
    unitIndexes: [0, 2, LEGAL_HOLD_DRIVE_INDEX],
    legalHold: LEGAL_HOLD_DRIVE_INDEX,
    unitId: seedDriveUnitId,
  },
];

interface Unit {
  id: string;
  directoryObjectId: string;
  displayName: string;
  email: string;
  status: string;
}
interface ArtifactView {
  __typename: string;
  id: string;
  restoreSessionId: string;
  status: string;
  isTerminal: boolean;
  error: { code: string } | null;
  restorePointId: string;
  [field: string]: unknown;
}

describe.each(FAMILIES)('a full $name restore through GraphQL', (f) => {
  it('finds units, picks restore points, adds them by bulk request, activates, follows to the end and reads each result', async () => {
    // 1. Find the protected units (all of them, page by page) and pick three of them.
    const units: Unit[] = [];
    for (let after: string | null = null; ;) {
      const page: { [k: string]: { nodes: Unit[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await data(
        `query ($after: String) { ${f.units}(first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${f.unitFields} } } }`,
        { after },
      );
      units.push(...page[f.units]!.nodes);
      if (!page[f.units]!.pageInfo.hasNextPage) break;
      after = page[f.units]!.pageInfo.endCursor;
    }
    const chosen = f.unitIndexes.map((i) => units.find((u) => u.id === f.unitId(i))!);
    expect(chosen.every((u) => u?.status === 'PROTECTED')).toBe(true);

    // 2. Pick the restore point of two days ago for each: its instant bounds the bulk request's window.
    const points = await data<Record<string, Array<{ id: string; protectionDateTime: string }>>>(
      `query (${chosen.map((_, i) => `$u${i}: ID!`).join(', ')}) { ${chosen
        .map((_, i) => `p${i}: restorePoints(protectionUnitId: $u${i}) { id protectionDateTime }`)
        .join(' ')} }`,
      Object.fromEntries(chosen.map((u, i) => [`u${i}`, u.id])),
    );
    const picked = chosen.map((_, i) => points[`p${i}`]![2]!);
    const instant = Date.parse(picked[0]!.protectionDateTime);
    expect(picked.every((p) => Date.parse(p.protectionDateTime) === instant)).toBe(true);

    // 3. An empty draft, filled by one bulk request: two units by address, one by its owner's id, one unknown address.
    const draft = await data<Record<string, { restoreSession: { id: string; status: string } }>>(
      `mutation { ${f.createEmpty}(input: {}) { restoreSession { id status } } }`,
    );
    const sessionId = draft[f.createEmpty]!.restoreSession.id;
    const [byAddress1, byAddress2, byId] = [chosen[0]!, chosen[2]!, chosen[1]!];
    const bulk = await data<Record<string, { bulkAdditionRequest: { id: string; status: string } }>>(
      `mutation ($input: ${f.createBulk[0]!.toUpperCase()}${f.createBulk.slice(1)}Input!) {
        ${f.createBulk}(input: $input) { bulkAdditionRequest { id restoreSessionId status } }
      }`,
      {
        input: {
          restoreSessionId: sessionId,
          displayName: `${f.name} restore of two days ago`,
          [f.bulkTargets]: [byAddress1.email, byAddress2.email.toUpperCase(), 'leeg@contoso.onmicrosoft.com'],
          directoryObjectIds: [byId.directoryObjectId],
          destinationType: 'NEW',
          protectionTimePeriod: {
            startDateTime: new Date(instant - 60_000).toISOString(),
            endDateTime: new Date(instant + 60_000).toISOString(),
          },
        },
      },
    );
    expect(bulk[f.createBulk]!.bulkAdditionRequest.status).toBe('ACTIVE');

    // 4. Follow the session and its artifacts from before the activation to the end.
    const c = await connect();
    const session = subscribe<Record<string, { status: string; progress: { total: number; completed: number; failed: number } }>>(
      c,
      `subscription ($id: ID!) { restoreSessionStatusChanged(id: $id) { id status progress { total completed failed } } }`,
      { id: sessionId },
    );
    const artifacts = subscribe<Record<string, ArtifactView>>(
      c,
      `subscription ($id: ID!) { restoreArtifactStatusChanged(restoreSessionId: $id) {
        __typename id restoreSessionId status isTerminal error { code } restorePointId ... on ${f.artifactType} { ${f.familyFields} }
      } }`,
      { id: sessionId },
    );
    await session.next(1);
    const activated = await data<{ activateRestoreSession: { restoreSession: { status: string } } }>(
      `mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id status } } }`,
      { id: sessionId },
    );
    expect(activated.activateRestoreSession.restoreSession.status).toBe('ACTIVATING');
    await runToEnd([session, artifacts] as Array<Stream<Record<string, unknown>>>);

    expect(session.error).toBeUndefined();
    expect(session.values.at(-1)).toMatchObject({ status: 'COMPLETED_WITH_ERROR', progress: { total: 3, completed: 2, failed: 1 } });
    expect(artifacts.error).toBeUndefined();
    const last = new Map(artifacts.values.map((a) => [a.id, a]));
    expect([...last.values()].map((a) => a.status).sort()).toEqual(['FAILED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(artifacts.values.every((a) => a.__typename === f.artifactType && a.restoreSessionId === sessionId)).toBe(true);

    // 5. The results, per artifact and for the bulk request: the picked restore points, the legal hold's failure,
    // where each restore went, and the address Graph could not resolve.
    const result = await data<{ restoreSession: Record<string, unknown> }>(
      `query ($id: ID!) { restoreSession(id: $id) { id status restoreJobType ... on ${f.sessionType} {
        ${f.bulkList} { id status error { code details { code target } } }
        ${f.artifacts}(first: 10) { totalCount nodes { id restoreSessionId status isTerminal destinationType error { code message }
          restorePointId restorePoint { id protectionUnit { id ... on MailboxProtectionUnit { email } ... on DriveProtectionUnit { email } } }
          ${f.familyFields} } }
      } } }`,
      { id: sessionId },
    );
    const read = result.restoreSession as {
      status: string;
      restoreJobType: string;
    } & Record<string, unknown>;
    expect(read).toMatchObject({ status: 'COMPLETED_WITH_ERROR', restoreJobType: 'BULK' });
    const requests = read[f.bulkList] as Array<{ status: string; error: { details: Array<{ code: string; target: string }> } }>;
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ status: 'COMPLETED_WITH_ERRORS' });
    expect(requests[0]!.error.details).toEqual([{ code: 'UserNotBackedup', target: 'leeg@contoso.onmicrosoft.com' }]);
    const nodes = (
      read[f.artifacts] as { totalCount: number; nodes: Array<ArtifactView & { restorePoint: { protectionUnit: { email: string } } }> }
    ).nodes;
    expect(nodes.map((n) => n.restorePointId).sort()).toEqual(picked.map((p) => p.id).sort());
    for (const n of nodes) {
      expect(last.get(n.id)?.status, 'the last event of each artifact is its final state').toBe(n.status);
      const held = n.restorePoint.protectionUnit.email === seedPerson(f.legalHold).email;
      expect(n).toMatchObject(
        held ? { status: 'FAILED', error: { code: 'ArtifactCannotBeRestored' } } : { status: 'SUCCEEDED', error: null },
      );
      if (!held) {
        const restoredTo = f.name === 'Exchange' ? n.restoredFolderName : n.restoredSiteWebUrl;
        expect(restoredTo, `${n.id} says where it was restored`).toEqual(expect.any(String));
      }
    }
  });
});

// --- the walkthrough of docs/api.md ------------------------------------------------------------------------------

/** The ```graphql blocks between the family markers of docs/api.md, by operation name, in their order. */
function familyExamples(): Map<string, string> {
  const page = readFileSync(`${ROOT}/docs/api.md`, 'utf8');
  const section = /<!-- example-family-restores:start -->([\s\S]*?)<!-- example-family-restores:end -->/.exec(page)?.[1];
  if (!section) throw new Error('docs/api.md has no example-family-restores markers');
  const out = new Map<string, string>();
  for (const [, document] of section.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const operation = parse(document!).definitions[0] as OperationDefinitionNode;
    out.set(operation.name!.value, document!);
  }
  return out;
}

describe('the Exchange and OneDrive walkthrough of docs/api.md', () => {
  const examples = familyExamples();
  const vars: Record<string, unknown> = {};

  /** Runs an example as written, with only the variables it declares, each one the document explains. */
  async function run<T>(name: string): Promise<T> {
    const document = examples.get(name);
    expect(document, `docs example ${name}`).toBeDefined();
    const operation = parse(document!).definitions[0] as OperationDefinitionNode;
    const names = (operation.variableDefinitions ?? []).map((d) => d.variable.name.value);
    for (const n of names) expect(vars, `${name} takes '${n}'`).toHaveProperty(n);
    return data<T>(document!, Object.fromEntries(names.map((n) => [n, vars[n]])));
  }

  /** The documented restore point variables: the newest point of each named unit. */
  async function lookUpRestorePoints(): Promise<void> {
    const units = {
      mailbox: seedMailboxUnitId(0),
      otherMailbox: seedMailboxUnitId(1),
      legalHoldMailbox: seedMailboxUnitId(LEGAL_HOLD_MAILBOX_INDEX),
      drive: seedDriveUnitId(0),
      otherDrive: seedDriveUnitId(1),
    };
    for (const [name, unit] of Object.entries(units)) {
      const res = await data<{ restorePoints: Array<{ id: string }> }>('query ($u: ID!) { restorePoints(protectionUnitId: $u) { id } }', {
        u: unit,
      });
      vars[name] = res.restorePoints[0]!.id;
    }
    vars.since = new Date(t.emu.clock.now() - 7 * DAY).toISOString();
  }

  async function emptyDraft(create: string): Promise<string> {
    const res = await data<Record<string, { restoreSession: { id: string } }>>(
      `mutation { ${create}(input: {}) { restoreSession { id } } }`,
    );
    return res[create]!.restoreSession.id;
  }

  async function activate(id: string): Promise<void> {
    await data(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }`, { id });
  }

  it('documents an example of each Exchange and OneDrive mutation and of the artifact subscription', () => {
    const used = [...examples.values()].join('\n');
    for (const field of [
      'createExchangeRestoreSession',
      'updateExchangeRestoreSession',
      'addMailboxRestoreArtifact',
      'createMailboxRestoreArtifactsBulkAdditionRequest',
      'deleteMailboxRestoreArtifactsBulkAdditionRequest',
      'createOneDriveForBusinessRestoreSession',
      'updateOneDriveForBusinessRestoreSession',
      'addDriveRestoreArtifact',
      'createDriveRestoreArtifactsBulkAdditionRequest',
      'deleteDriveRestoreArtifactsBulkAdditionRequest',
      'restoreArtifactStatusChanged',
    ]) {
      expect(used, field).toMatch(new RegExp(`\\b${field}\\(`));
    }
  });

  it('runs the Exchange examples in order: create, change, add and start, follow to the end, read the results', async () => {
    await lookUpRestorePoints();
    const created = await run<{
      createExchangeRestoreSession: { restoreSession: { id: string; mailboxRestoreArtifacts: { nodes: Array<{ id: string }> } } };
    }>('RestoreMailboxes');
    expect(created.createExchangeRestoreSession.restoreSession).toMatchObject({ status: 'DRAFT', progress: { total: 2 } });
    vars.sessionId = created.createExchangeRestoreSession.restoreSession.id;
    vars.artifactId = created.createExchangeRestoreSession.restoreSession.mailboxRestoreArtifacts.nodes[0]!.id;

    const changed = await run<{ updateExchangeRestoreSession: unknown }>('ChangeMailboxRestore');
    expect(changed.updateExchangeRestoreSession).toMatchObject({ failures: [], restoreSession: { progress: { total: 2 } } });

    const c = await connect();
    const stream = subscribe<{ restoreArtifactStatusChanged: ArtifactView }>(c, examples.get('FollowRestoreArtifacts')!, {
      sessionId: vars.sessionId,
    });
    const started = await run<{ activateRestoreSession: { restoreSession: { status: string; progress: { total: number } } } }>(
      'AddMailboxAndStart',
    );
    expect(started.activateRestoreSession.restoreSession).toMatchObject({ status: 'ACTIVATING', progress: { total: 3 } });
    await runToEnd([stream as unknown as Stream<Record<string, unknown>>]);
    expect(stream.error).toBeUndefined();
    expect(new Set(stream.values.filter((a) => ['SUCCEEDED', 'FAILED'].includes(a.status)).map((a) => a.id)).size).toBe(3);

    const results = await run<{ restoreSession: { status: string; mailboxRestoreArtifacts: { nodes: ArtifactView[] } } }>('MailboxResults');
    expect(results.restoreSession.status).toBe('COMPLETED_WITH_ERROR');
    expect(results.restoreSession.mailboxRestoreArtifacts.nodes.map((n) => n.error?.code ?? n.status).sort()).toEqual([
      'ArtifactCannotBeRestored',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
  });

  it('runs the Exchange bulk examples: by address and id on an empty draft, the result, the delete', async () => {
    await lookUpRestorePoints();
    vars.draftId = await emptyDraft('createExchangeRestoreSession');
    const created = await run<{
      createMailboxRestoreArtifactsBulkAdditionRequest: { bulkAdditionRequest: { id: string; status: string } };
    }>('RestoreMailboxesByAddress');
    expect(created.createMailboxRestoreArtifactsBulkAdditionRequest.bulkAdditionRequest.status).toBe('ACTIVE');
    vars.id = created.createMailboxRestoreArtifactsBulkAdditionRequest.bulkAdditionRequest.id;
    await activate(vars.draftId as string);
    t.emu.advanceClock(1_000);
    const result = await run<{ restoreSession: Record<string, unknown> }>('MailboxBulkResult');
    expect(result.restoreSession).toMatchObject({
      restoreJobType: 'BULK',
      mailboxRestoreArtifactsBulkAdditionRequests: [
        { status: 'COMPLETED_WITH_ERRORS', error: { details: [{ code: 'UserNotBackedup', target: 'leeg@contoso.onmicrosoft.com' }] } },
      ],
      mailboxRestoreArtifacts: { totalCount: 3 },
    });
    const deleted = await run<{ deleteMailboxRestoreArtifactsBulkAdditionRequest: { deletedBulkAdditionRequestId: string } }>(
      'DeleteMailboxBulkRequest',
    );
    expect(deleted.deleteMailboxRestoreArtifactsBulkAdditionRequest.deletedBulkAdditionRequestId).toBe(vars.id);
  });

  it('runs the OneDrive examples: create, swap, add, bulk by owner and delete', async () => {
    await lookUpRestorePoints();
    const created = await run<{
      createOneDriveForBusinessRestoreSession: { restoreSession: { id: string; driveRestoreArtifacts: { nodes: Array<{ id: string }> } } };
    }>('RestoreOneDrives');
    vars.sessionId = created.createOneDriveForBusinessRestoreSession.restoreSession.id;
    vars.artifactId = created.createOneDriveForBusinessRestoreSession.restoreSession.driveRestoreArtifacts.nodes[0]!.id;
    const swapped = await run<{ updateOneDriveForBusinessRestoreSession: { addedArtifacts: unknown[]; failures: unknown[] } }>(
      'ChangeOneDriveRestore',
    );
    expect(swapped.updateOneDriveForBusinessRestoreSession.failures).toEqual([]);
    expect(swapped.updateOneDriveForBusinessRestoreSession.addedArtifacts).toHaveLength(1);

    vars.draftId = await emptyDraft('createOneDriveForBusinessRestoreSession');
    const added = await run<{ addDriveRestoreArtifact: { driveRestoreArtifact: { status: string; destinationType: string } } }>(
      'AddOneDrive',
    );
    expect(added.addDriveRestoreArtifact.driveRestoreArtifact).toMatchObject({ status: 'ADDED', destinationType: 'NEW' });

    vars.draftId = await emptyDraft('createOneDriveForBusinessRestoreSession');
    const bulk = await run<{ createDriveRestoreArtifactsBulkAdditionRequest: { bulkAdditionRequest: { id: string; status: string } } }>(
      'RestoreOneDrivesByOwner',
    );
    vars.id = bulk.createDriveRestoreArtifactsBulkAdditionRequest.bulkAdditionRequest.id;
    await activate(vars.draftId as string);
    t.emu.advanceClock(1_000);
    const deleted = await run<{ deleteDriveRestoreArtifactsBulkAdditionRequest: { deletedBulkAdditionRequestId: string } }>(
      'DeleteOneDriveBulkRequest',
    );
    expect(deleted.deleteDriveRestoreArtifactsBulkAdditionRequest.deletedBulkAdditionRequestId).toBe(vars.id);
  });
});
