import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type OperationDefinitionNode } from 'graphql';
import { expect, it } from 'vitest';
import { SEED_SESSION_IDS, defaultSeed } from '@restore-session-gateway/graph-emulator';
import { useTestGateway } from './harness.js';

// The mutation examples of docs/api.md run as written, each against fresh seed data, with their variables filled as
// that document tells a reader to. The seed is dated at the test's start, as `npm start` dates it, so a restore point
// id written into the document could not pass.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DAY = 86_400_000;
/** The protection unit of `Legal01`, as docs/api.md names it for the `legal` variable. */
const LEGAL01_UNIT = '32d503ef-493a-4585-a4a3-bf5f74fbb985';

/** The ```graphql blocks between one pair of example markers of docs/api.md, by operation name. */
function docExamples(markers: 'example-mutations' | 'example-queries'): Map<string, string> {
  const readme = readFileSync(`${ROOT}/docs/api.md`, 'utf8');
  const section = new RegExp(`<!-- ${markers}:start -->([\\s\\S]*?)<!-- ${markers}:end -->`).exec(readme)?.[1];
  if (!section) throw new Error(`docs/api.md has no ${markers} markers`);
  const out = new Map<string, string>();
  for (const [, document] of section.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const operation = parse(document!).definitions[0] as OperationDefinitionNode;
    out.set(operation.name!.value, document!);
  }
  return out;
}

const gw = useTestGateway({ seed: defaultSeed(Date.now()) });

const examples = docExamples('example-mutations');

/**
 * The variables docs/api.md gives the examples that add sites, looked up as it says: `restorePointId` is the first id
 * `PickRestorePoint` answers, `legal` the newest restore point of Legal01's unit, `since` seven days before the
 * emulator's now.
 */
async function documentedVariables(): Promise<Record<string, unknown>> {
  const pick = await gw.query<{ restorePoints: Array<{ id: string }> }>(docExamples('example-queries').get('PickRestorePoint')!);
  const legal = await gw.query<{ restorePoints: Array<{ id: string }> }>(
    'query ($unit: ID!) { restorePoints(protectionUnitId: $unit) { id } }',
    { unit: LEGAL01_UNIT },
  );
  return {
    restorePointId: pick.data?.restorePoints[0]?.id,
    legal: legal.data?.restorePoints[0]?.id,
    since: new Date(gw.t.emu.clock.now() - 7 * DAY).toISOString(),
  };
}

/** Only the variables an example declares (GraphQL refuses the others); each must be one the document explains. */
function variablesOf(name: string, documented: Record<string, unknown>): Record<string, unknown> | undefined {
  const operation = parse(examples.get(name)!).definitions[0] as OperationDefinitionNode;
  const names = (operation.variableDefinitions ?? []).map((d) => d.variable.name.value);
  if (names.length === 0) return undefined;
  for (const n of names) expect(Object.keys(documented), `${name} takes '${n}'`).toContain(n);
  return Object.fromEntries(names.map((n) => [n, documented[n]]));
}

async function run<T>(name: string, variables?: Record<string, unknown>): Promise<T> {
  const document = examples.get(name);
  expect(document, `README example ${name}`).toBeDefined();
  const res = await gw.query<T>(document!, variables);
  expect(res.errors, `${name}: ${JSON.stringify(res.errors)}`).toBeUndefined();
  return res.data!;
}

it('documents one example per mutation of the schema', () => {
  const used = new Set([...examples.values()].flatMap((d) => [...d.matchAll(/^\s+(?:\w+:\s*)?(\w+)\(/gm)].map((m) => m[1])));
  for (const mutation of [
    'createSharePointRestoreSession',
    'updateSharePointRestoreSession',
    'deleteRestoreSession',
    'activateRestoreSession',
    'addSiteRestoreArtifact',
    'createSiteRestoreArtifactsBulkAdditionRequest',
    'deleteSiteRestoreArtifactsBulkAdditionRequest',
  ]) {
    expect(used, mutation).toContain(mutation);
  }
});

it('runs every example but DeleteBulkRequest, with the documented variables, and answers as the document describes', async () => {
  const answers = new Map<string, unknown>();
  for (const name of examples.keys()) {
    if (name === 'DeleteBulkRequest') continue;
    gw.t.emu.reset();
    answers.set(name, await run(name, variablesOf(name, await documentedVariables())));
  }
  expect(answers.get('CreateRestoreSession')).toMatchObject({
    createSharePointRestoreSession: { restoreSession: { status: 'DRAFT', progress: { total: 2 } } },
  });
  const created = answers.get('CreateRestoreSession') as {
    createSharePointRestoreSession: {
      restoreSession: { siteRestoreArtifacts: { nodes: Array<{ restorePoint: { protectionUnit: { siteName: string } } }> } };
    };
  };
  expect(
    created.createSharePointRestoreSession.restoreSession.siteRestoreArtifacts.nodes.map((n) => n.restorePoint.protectionUnit.siteName),
  ).toEqual(['Finance01', 'Legal01']);
  expect(answers.get('UpdateRestoreSession')).toMatchObject({
    updateSharePointRestoreSession: { failures: [], restoreSession: { status: 'DRAFT', progress: { total: 3 } } },
  });
  expect(answers.get('StartRestore')).toMatchObject({ activateRestoreSession: { restoreSession: { status: 'ACTIVATING' } } });
  expect(answers.get('AddAndStart')).toMatchObject({ start: { restoreSession: { status: 'ACTIVATING', progress: { total: 4 } } } });
  expect(answers.get('AddSitesByUrl')).toMatchObject({
    createSiteRestoreArtifactsBulkAdditionRequest: { bulkAdditionRequest: { status: 'ACTIVE' } },
  });
  expect(answers.size).toBe(examples.size - 1);
});

it('runs DeleteBulkRequest with the ids AddSitesByUrl answered, once the request has finished', async () => {
  const created = await run<{
    createSiteRestoreArtifactsBulkAdditionRequest: { bulkAdditionRequest: { id: string; restoreSessionId: string } };
  }>('AddSitesByUrl', variablesOf('AddSitesByUrl', await documentedVariables()));
  const { id, restoreSessionId } = created.createSiteRestoreArtifactsBulkAdditionRequest.bulkAdditionRequest;
  expect(restoreSessionId).toBe(SEED_SESSION_IDS.emptyDraft);
  const activated = await gw.query(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { status } } }`, {
    id: restoreSessionId,
  });
  expect(activated.errors).toBeUndefined();
  gw.t.emu.advanceClock(1_000);
  // The window starts at `since`, seven days ago: both sites have a restore point in it.
  const finished = await gw.query<{ restoreSession: { siteRestoreArtifactsBulkAdditionRequests: Array<{ status: string }> } }>(
    `query ($id: ID!) { restoreSession(id: $id) { ... on SharePointRestoreSession { siteRestoreArtifactsBulkAdditionRequests { status } } } }`,
    { id: restoreSessionId },
  );
  expect(finished.data?.restoreSession.siteRestoreArtifactsBulkAdditionRequests).toEqual([{ status: 'COMPLETED' }]);
  const deleted = await run<{ deleteSiteRestoreArtifactsBulkAdditionRequest: { deletedBulkAdditionRequestId: string } }>(
    'DeleteBulkRequest',
    {
      restoreSessionId,
      id,
    },
  );
  expect(deleted.deleteSiteRestoreArtifactsBulkAdditionRequest.deletedBulkAdditionRequestId).toBe(id);
});
