import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type OperationDefinitionNode } from 'graphql';
import { expect, it } from 'vitest';
import { defaultSeed, seedDriveRestorePointId, seedDriveUnitId, seedUnitId } from '@restore-session-gateway/graph-emulator';
import { dataOf } from '../support/graphql.js';
import { useTestGateway } from './harness.js';

// The "Browsing a backup" examples of docs/api.md run in order, as written, against fresh seed data dated at the test's
// start (as `npm start` dates it), with their variables found the way that section tells a reader to.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The units docs/api.md names: Finance01's and Adele Vance's OneDrive. */
const FINANCE01_UNIT = 'c1efaba2-5029-49c9-aae7-2e5fa8e819c6';
const ADELE_DRIVE_UNIT = '0db7153a-38cc-42d7-a1c4-8584213ac72d';

function examples(): Map<string, string> {
  const page = readFileSync(`${ROOT}/docs/api.md`, 'utf8');
  const section = /<!-- example-browse:start -->([\s\S]*?)<!-- example-browse:end -->/.exec(page)?.[1];
  if (!section) throw new Error('docs/api.md has no example-browse markers');
  const out = new Map<string, string>();
  for (const [, document] of section.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    out.set((parse(document!).definitions[0] as OperationDefinitionNode).name!.value, document!);
  }
  return out;
}

const gw = useTestGateway({ seed: defaultSeed(Date.now()) });

interface Item {
  itemKey: string;
  name: string;
  path: string;
  kind: string;
  location: string | null;
}
type Listing = { browseSession: { items: { totalCount: number; nodes: Item[] } } };

it('runs every example of "Browsing a backup" as written', async () => {
  const docs = examples();
  expect([...docs.keys()]).toEqual([
    'PickFastRestorePoint',
    'OpenSiteBackup',
    'BrowseBackup',
    'FindInFolder',
    'OpenOneDriveBackup',
    'OpenBrowseSessions',
  ]);
  expect(seedUnitId(0)).toBe(FINANCE01_UNIT);
  expect(seedDriveUnitId(0)).toBe(ADELE_DRIVE_UNIT);
  const run = async <T>(name: string, variables?: Record<string, unknown>): Promise<T> =>
    dataOf(await gw.query<T>(docs.get(name)!, variables));

  const points = (await run<{ restorePoints: Array<{ id: string; tags: string }> }>('PickFastRestorePoint', { unit: FINANCE01_UNIT }))
    .restorePoints;
  const restorePointId = points.find((p) => p.tags === 'FAST_RESTORE')!.id;
  const opened = await run<{ createSharePointBrowseSession: { browseSession: { id: string; status: string } } }>('OpenSiteBackup', {
    restorePointId,
  });
  const browseSessionId = opened.createSharePointBrowseSession.browseSession.id;
  expect(opened.createSharePointBrowseSession.browseSession.status).toBe('CREATED');

  const top = (await run<Listing>('BrowseBackup', { browseSessionId })).browseSession.items;
  expect(top.nodes.map((n) => [n.kind, n.path])).toEqual([['SITE', '/Finance01']]);
  const libraries = (await run<Listing>('BrowseBackup', { browseSessionId, location: top.nodes[0]!.location })).browseSession.items;
  const documents = libraries.nodes.find((n) => n.name === 'Documents')!;
  const content = (await run<Listing>('BrowseBackup', { browseSessionId, location: documents.location })).browseSession.items;
  const reports = content.nodes.find((n) => n.name === 'Reports')!;
  expect(reports).toMatchObject({ kind: 'FOLDER', path: '/Finance01/Documents/Reports' });

  type Found = {
    browseSession: { items: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: unknown[] } };
  };
  const first = (await run<Found>('FindInFolder', { browseSessionId, location: reports.location })).browseSession.items;
  expect(first).toMatchObject({ totalCount: 15, pageInfo: { hasNextPage: true } });
  expect(first.edges).toHaveLength(10);
  const second = (await run<Found>('FindInFolder', { browseSessionId, location: reports.location, after: first.pageInfo.endCursor }))
    .browseSession.items;
  expect(second.edges).toHaveLength(5);
  expect(second.pageInfo.hasNextPage).toBe(false);

  const drive = seedDriveRestorePointId(0, 0, gw.t.emu.seed.clockStart);
  const oneDrive = await run<{ createOneDriveForBusinessBrowseSession: { browseSession: { id: string; items: { nodes: Item[] } } } }>(
    'OpenOneDriveBackup',
    { drive },
  );
  expect(oneDrive.createOneDriveForBusinessBrowseSession.browseSession.items.nodes.map((n) => n.path)).toEqual(['/Adele Vance']);

  const open = (
    await run<{ browseSessions: { totalCount: number; nodes: Array<{ __typename: string; id: string }> } }>('OpenBrowseSessions')
  ).browseSessions;
  expect(open.nodes.map((n) => [n.__typename, n.id])).toEqual([
    ['SharePointBrowseSession', browseSessionId],
    ['OneDriveForBusinessBrowseSession', oneDrive.createOneDriveForBusinessBrowseSession.browseSession.id],
  ]);
  expect(open.totalCount).toBe(2);
});
