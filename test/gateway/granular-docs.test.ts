import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type OperationDefinitionNode } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { seedMailboxUnitId } from '@restore-session-gateway/graph-emulator';
import { waitFor } from '../subscriptions/support.js';
import { useTestGateway } from './harness.js';
import { subscribe, wsClient, type TestWsClient } from './live-support.js';
import { ITEM_FAMILIES, ok, openBrowseSession, seedItem } from './granular-support.js';

// The granular walkthrough of docs/api.md ("Granular restores"), run as written, in order, with the variables the page
// explains, each example checked for what the page says it shows. The emulator's clock is advanced, never waited for.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DAY = 86_400_000;
const gw = useTestGateway({ env: { POLL_INTERVAL_MS: '20' } });
const clients: TestWsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
});

/** The ```graphql blocks between the granular markers of docs/api.md, by operation name, in their order. */
function granularExamples(): Map<string, string> {
  const page = readFileSync(`${ROOT}/docs/api.md`, 'utf8');
  const section = /<!-- example-granular:start -->([\s\S]*?)<!-- example-granular:end -->/.exec(page)?.[1];
  if (!section) throw new Error('docs/api.md has no example-granular markers');
  const out = new Map<string, string>();
  for (const [, document] of section.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const operation = parse(document!).definitions[0] as OperationDefinitionNode;
    out.set(operation.name!.value, document!);
  }
  return out;
}

describe('the granular walkthrough of docs/api.md', () => {
  const examples = granularExamples();
  const vars: Record<string, unknown> = {};

  /** The example's document and the variables it declares, each one the page explains. */
  function example(name: string): { document: string; variables: Record<string, unknown> } {
    const document = examples.get(name);
    expect(document, `docs example ${name}`).toBeDefined();
    const operation = parse(document!).definitions[0] as OperationDefinitionNode;
    const names = (operation.variableDefinitions ?? []).map((d) => d.variable.name.value);
    for (const n of names) expect(vars, `${name} takes '${n}'`).toHaveProperty(n);
    return { document: document!, variables: Object.fromEntries(names.map((n) => [n, vars[n]])) };
  }

  async function run<T>(name: string): Promise<T> {
    const { document, variables } = example(name);
    return ok(await gw.query<T>(document, variables));
  }

  it('documents every granular mutation, the mail search and the artifact subscription', () => {
    const used = [...examples.values()].join('\n');
    for (const field of [
      'createGranularSharePointRestoreSession',
      'updateGranularSharePointRestoreSession',
      'createGranularOneDriveForBusinessRestoreSession',
      'createGranularExchangeRestoreSession',
      'mailItems',
      'restoreArtifactStatusChanged',
    ]) {
      expect(used, field).toContain(field);
    }
  });

  it('restores site items, follows them and reads the results; then OneDrive items, then mail', async () => {
    const [site, drive] = ITEM_FAMILIES as [(typeof ITEM_FAMILIES)[0], (typeof ITEM_FAMILIES)[1]];
    const clockStart = gw.t.emu.seed.clockStart;
    vars.browseSessionId = await openBrowseSession(gw, site, site.point(0, 0, clockStart));
    vars.budget = seedItem(site, 0, 'Documents/Budget 2025.xlsx').itemKey;
    vars.projects = seedItem(site, 0, 'Documents/Projects').itemKey;
    vars.locked = seedItem(site, 0, 'Documents/Board minutes (locked).docx').itemKey;
    vars.readme = seedItem(site, 0, 'Documents/readme.md').itemKey;

    const created = await run<{ createGranularSharePointRestoreSession: { restoreSession: { id: string; restoreJobType: string } } }>(
      'RestoreSiteItems',
    );
    expect(created.createGranularSharePointRestoreSession.restoreSession.restoreJobType).toBe('GRANULAR');
    vars.sessionId = created.createGranularSharePointRestoreSession.restoreSession.id;
    const changed = await run<{
      updateGranularSharePointRestoreSession: { failures: unknown[]; restoreSession: { progress: { total: number } } };
    }>('ChangeSiteItems');
    expect(changed.updateGranularSharePointRestoreSession).toMatchObject({ failures: [], restoreSession: { progress: { total: 3 } } });

    const c = wsClient(gw.gateway.wsUrl, { authorization: await gw.authorization('admin') });
    clients.push(c);
    const follow = example('FollowGranularRestore');
    const stream = subscribe<Record<string, { status: string }>>(c, follow.document, follow.variables);
    await waitFor(() => gw.gateway.live.stats().subscribers > 0, 10_000, 'the subscription');
    await run('StartGranularRestore');
    for (let step = 0; step < 100 && !stream.completed && stream.error === undefined; step++) {
      const polls = gw.gateway.live.stats().polls;
      gw.t.emu.advanceClock(1_000);
      await waitFor(() => gw.gateway.live.stats().polls > polls || stream.completed, 10_000, 'a poll');
    }
    await stream.ended();
    expect(stream.error).toBeUndefined();
    expect(stream.values.at(-1)).toEqual(expect.objectContaining({ __typename: 'GranularSiteRestoreArtifact' }));

    const results = await run<{
      restoreSession: {
        status: string;
        granularSiteRestoreArtifacts: { totalCount: number; nodes: Array<{ restoredItemPath: string | null }> };
        failed: { totalCount: number; nodes: Array<{ id: string; error: { code: string } }> };
      };
    }>('SiteItemResults');
    expect(results.restoreSession).toMatchObject({ status: 'COMPLETED_WITH_ERROR', granularSiteRestoreArtifacts: { totalCount: 3 } });
    expect(results.restoreSession.failed).toEqual({
      totalCount: 1,
      nodes: [expect.objectContaining({ id: vars.locked, error: expect.objectContaining({ code: 'ArtifactCannotBeRestored' }) })],
    });

    vars.driveBrowseSessionId = await openBrowseSession(gw, drive, drive.point(0, 0, clockStart));
    vars.driveFile = seedItem(drive, 0, 'Documents/notes.txt').itemKey;
    const onedrive = await run<{ createGranularOneDriveForBusinessRestoreSession: { restoreSession: { restoreJobType: string } } }>(
      'RestoreOneDriveItems',
    );
    expect(onedrive.createGranularOneDriveForBusinessRestoreSession.restoreSession.restoreJobType).toBe('GRANULAR');

    vars.mailbox = seedMailboxUnitId(0);
    expect(vars.mailbox).toBe('096de770-6b9b-443b-a90a-54699db774d6');
    vars.since = new Date(gw.t.emu.clock.now() - 7 * DAY).toISOString();
    const found = await run<{
      searchRestorePoints: { searchResponseId: string; results: Array<{ artifactHitCount: number; restorePoint: { id: string } }> };
    }>('SearchMailbox');
    expect(found.searchRestorePoints.results[0]!.artifactHitCount).toBeGreaterThan(0);
    vars.searchResponseId = found.searchRestorePoints.searchResponseId;
    vars.restorePointId = found.searchRestorePoints.results[0]!.restorePoint.id;
    const mail = await run<{ createGranularExchangeRestoreSession: { restoreSession: { id: string } } }>('RestoreMail');
    vars.sessionId = mail.createGranularExchangeRestoreSession.restoreSession.id;
    await run('StartGranularRestore');
    gw.t.emu.advanceClock(60_000);
    const mailResults = await run<{
      restoreSession: { status: string; granularMailboxRestoreArtifacts: { nodes: Array<{ restoredItemCount: number }> } };
    }>('MailResults');
    expect(mailResults.restoreSession.status).toBe('COMPLETED');
    expect(mailResults.restoreSession.granularMailboxRestoreArtifacts.nodes).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', restoredItemCount: found.searchRestorePoints.results[0]!.artifactHitCount }),
    ]);
  });
});
