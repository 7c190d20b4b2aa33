import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type OperationDefinitionNode } from 'graphql';
import { expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { useTestGateway } from './harness.js';

// The mutation examples of docs/api.md run as written, each against fresh seed data, as that document promises.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The ```graphql blocks between the example-mutations markers of docs/api.md, by operation name. */
function readmeMutations(): Map<string, string> {
  const readme = readFileSync(`${ROOT}/docs/api.md`, 'utf8');
  const section = /<!-- example-mutations:start -->([\s\S]*?)<!-- example-mutations:end -->/.exec(readme)?.[1];
  if (!section) throw new Error('docs/api.md has no example-mutations markers');
  const out = new Map<string, string>();
  for (const [, document] of section.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const operation = parse(document!).definitions[0] as OperationDefinitionNode;
    out.set(operation.name!.value, document!);
  }
  return out;
}

const gw = useTestGateway();

const examples = readmeMutations();

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

it('runs every example without variables as written, with the answers the README describes', async () => {
  const answers = new Map<string, unknown>();
  for (const [name, document] of examples) {
    if (document.includes('$')) continue;
    gw.t.emu.reset();
    answers.set(name, await run(name));
  }
  expect(answers.get('CreateRestoreSession')).toMatchObject({
    createSharePointRestoreSession: { restoreSession: { status: 'DRAFT', progress: { total: 2 } } },
  });
  expect(answers.get('UpdateRestoreSession')).toMatchObject({
    updateSharePointRestoreSession: { failures: [], restoreSession: { status: 'DRAFT', progress: { total: 3 } } },
  });
  expect(answers.get('StartRestore')).toMatchObject({ activateRestoreSession: { restoreSession: { status: 'ACTIVATING' } } });
  expect(answers.get('AddAndStart')).toMatchObject({ start: { restoreSession: { status: 'ACTIVATING', progress: { total: 4 } } } });
  expect(answers.get('AddSitesByUrl')).toMatchObject({
    createSiteRestoreArtifactsBulkAdditionRequest: { bulkAdditionRequest: { status: 'ACTIVE' } },
  });
});

it('runs DeleteBulkRequest with the ids AddSitesByUrl answered, once the request has finished', async () => {
  const created = await run<{
    createSiteRestoreArtifactsBulkAdditionRequest: { bulkAdditionRequest: { id: string; restoreSessionId: string } };
  }>('AddSitesByUrl');
  const { id, restoreSessionId } = created.createSiteRestoreArtifactsBulkAdditionRequest.bulkAdditionRequest;
  expect(restoreSessionId).toBe(SEED_SESSION_IDS.emptyDraft);
  const activated = await gw.query(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { status } } }`, {
    id: restoreSessionId,
  });
  expect(activated.errors).toBeUndefined();
  gw.t.emu.advanceClock(1_000);
  const deleted = await run<{ deleteSiteRestoreArtifactsBulkAdditionRequest: { deletedBulkAdditionRequestId: string } }>(
    'DeleteBulkRequest',
    {
      restoreSessionId,
      id,
    },
  );
  expect(deleted.deleteSiteRestoreArtifactsBulkAdditionRequest.deletedBulkAdditionRequestId).toBe(id);
});
