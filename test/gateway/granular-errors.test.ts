import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seedBrowseTree, seedMailboxRestorePointId, SEED_SITE_COUNT, seedUnitId } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import { onlyError } from '../support/graphql.js';
import { upstreamWrites } from './family-mutations-support.js';
import { useTestGateway } from './harness.js';
import { subscribe, wsClient } from './live-support.js';
import { ITEM_FAMILIES, itemDocuments, itemInputs, ok, openBrowseSession, seedItem, type ItemFamily } from './granular-support.js';

// What the granular writes refuse, and what they do when Graph refuses or loses the answer: arguments Graph would
// refuse are BAD_USER_INPUT naming the argument before any Graph call; Graph's own refusals come back with its codes;
// a lost answer is OUTCOME_UNKNOWN, never repeated; read-only callers are refused; every write is audited. Then the bound
// of the lists the gateway reads whole.

const gw = useTestGateway();
const v1 = useTestGateway({ upstream: (u) => ({ ...u, graphBaseUrl: u.graphBaseUrl.replace(/\/beta$/, '/v1.0') }) });

const clockStart = (): string => gw.t.emu.seed.clockStart;
const KEY = 'a535851e-1b6c-4c3f-9b4d-2a8b7eaf0001,38eec3f1-1b6c-4c3f-9b4d-2a8b7eaf0002';
const BROWSE = 'm_RtZ8BiiUXOK69cuN6gwubfm9_yeVlDg8s6hci01_cVOAE';
const item = (itemKey = KEY, browseSessionId = BROWSE): { browseSessionId: string; itemKey: string } => ({ browseSessionId, itemKey });
const items = (n: number): Array<{ browseSessionId: string; itemKey: string }> =>
  Array.from({ length: n }, (_, i) => item(`${KEY},${String(i).padStart(12, '0')}`));

const EXCHANGE = `mutation ($input: CreateGranularExchangeRestoreSessionInput!) {
  createGranularExchangeRestoreSession(input: $input) { restoreSession { id } } }`;

type Case = [name: string, document: string, variables: Record<string, unknown>, argument: string];

function validationCases(f: ItemFamily): Case[] {
  const M = itemDocuments(f);
  const session = randomUUID();
  return [
    ['create: no item', M.create, { input: { items: [] } }, 'input.items'],
    [
      'create: the same item twice, in another case',
      M.create,
      { input: { items: [item(), item(KEY.toUpperCase())] } },
      'input.items[1].itemKey',
    ],
    ['create: a blank browse session id', M.create, { input: { items: [item(KEY, ' ')] } }, 'input.items[0].browseSessionId'],
    ['create: an item key with a control character', M.create, { input: { items: [item('a\u0007b')] } }, 'input.items[0].itemKey'],
    ['create: an item key longer than 256 characters', M.create, { input: { items: [item('k'.repeat(257))] } }, 'input.items[0].itemKey'],
    ['update: no change', M.update, { input: { id: session } }, 'input'],
    ['update: empty lists', M.update, { input: { id: session, addItems: [], removeItemKeys: null } }, 'input'],
    ['update: session id not a GUID', M.update, { input: { id: 'x', removeItemKeys: [KEY] } }, 'input.id'],
    ['update: 51 additions', M.update, { input: { id: session, addItems: items(51) } }, 'input.addItems'],
    ['update: 51 removals', M.update, { input: { id: session, removeItemKeys: items(51).map((i) => i.itemKey) } }, 'input.removeItemKeys'],
    [
      'update: 30 additions and 21 removals',
      M.update,
      { input: { id: session, addItems: items(30), removeItemKeys: items(21).map((i) => `${i.itemKey}0`) } },
      'input',
    ],
    ['update: the same item added twice', M.update, { input: { id: session, addItems: [item(), item()] } }, 'input.addItems[1].itemKey'],
    [
      'update: the same key removed twice',
      M.update,
      { input: { id: session, removeItemKeys: [KEY, KEY.toUpperCase()] } },
      'input.removeItemKeys[1]',
    ],
    ['update: a blank key to remove', M.update, { input: { id: session, removeItemKeys: ['  '] } }, 'input.removeItemKeys[0]'],
    ...(f.label === 'SharePoint'
      ? ([
          [
            'create: destination UNKNOWN_FUTURE_VALUE',
            M.create,
            { input: { items: [item()], destinationType: 'UNKNOWN_FUTURE_VALUE' } },
            'input.destinationType',
          ],
        ] as Case[])
      : []),
  ];
}

function exchangeCases(): Case[] {
  const point = seedMailboxRestorePointId(0, 0);
  const search = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    restorePointId: point,
    searchResponseId: 'M2UyZDAwMDAwMDMxMzkzYTMyNj',
    destinationType: 'NEW',
    ...overrides,
  });
  return [
    ['exchange: no search', EXCHANGE, { input: { mailboxItems: [] } }, 'input.mailboxItems'],
    [
      'exchange: the same search twice',
      EXCHANGE,
      { input: { mailboxItems: [search(), search({ restorePointId: point.toUpperCase() })] } },
      'input.mailboxItems[1].searchResponseId',
    ],
    [
      'exchange: two destinations',
      EXCHANGE,
      { input: { mailboxItems: [search(), search({ searchResponseId: 'other', destinationType: 'IN_PLACE' })] } },
      'input.mailboxItems[1].destinationType',
    ],
    [
      'exchange: a blank search id',
      EXCHANGE,
      { input: { mailboxItems: [search({ searchResponseId: '' })] } },
      'input.mailboxItems[0].searchResponseId',
    ],
    [
      'exchange: a blank restore point',
      EXCHANGE,
      { input: { mailboxItems: [search({ restorePointId: ' ' })] } },
      'input.mailboxItems[0].restorePointId',
    ],
    [
      'exchange: UNKNOWN_FUTURE_VALUE',
      EXCHANGE,
      { input: { mailboxItems: [search({ destinationType: 'UNKNOWN_FUTURE_VALUE' })] } },
      'input.mailboxItems[0].destinationType',
    ],
  ];
}

describe.each(ITEM_FAMILIES)('granular $label input validation: BAD_USER_INPUT naming the argument, before any Graph call', (f) => {
  it.each(validationCases(f))('%s', async (_name, document, variables, argument) => {
    const error = onlyError(gw, await gw.query(document, variables));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(error.message).toContain(`'${argument}'`);
    expect(graphCalls(gw.graphEntries())).toEqual([]);
  });
});

describe('granular Exchange input validation', () => {
  it.each(exchangeCases())('%s', async (_name, document, variables, argument) => {
    const error = onlyError(gw, await gw.query(document, variables));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(graphCalls(gw.graphEntries())).toEqual([]);
  });

  it('words a mix of destinations as a session that cannot mix new folders with restores in place', async () => {
    const mixed = exchangeCases().find(([name]) => name === 'exchange: two destinations')!;
    const error = onlyError(gw, await gw.query(EXCHANGE, mixed[2]));
    expect(error.message).toContain('cannot mix restores to new folders with restores in place');
  });
});

describe('the SharePoint destination on v1.0', () => {
  it('is refused before any Graph call, since v1.0 restores granular items in place only', async () => {
    const f = ITEM_FAMILIES[0]!;
    const error = onlyError(v1, await v1.query(itemDocuments(f).create, { input: { items: [item()], destinationType: 'NEW' } }));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input.destinationType' });
    expect(graphCalls(v1.graphEntries())).toEqual([]);
  });

  it('is left out of the create body without it, and Graph v1.0 answers no destination or error', async () => {
    const f = ITEM_FAMILIES[0]!;
    const browse = await openBrowseSession(v1, f, f.point(0, 0, v1.t.emu.seed.clockStart));
    const res = ok(
      await v1.query<Record<string, { restoreSession: Record<string, { nodes: Array<{ destinationType: string | null }> }> }>>(
        itemDocuments(f).create,
        { input: { items: itemInputs(browse, [seedItem(f, 0, 'Documents/notes.txt')]), conflictBehavior: 'REPLACE' } },
      ),
    );
    expect(res[f.create]!.restoreSession[f.list]!.nodes).toEqual([expect.objectContaining({ destinationType: null, error: null })]);
  });
});

describe.each(ITEM_FAMILIES)('Graph refusing granular $label writes', (f) => {
  const M = itemDocuments(f);

  it("answers Graph's codes: an item outside the browse session, a granular change of a standard session, a change after activation", async () => {
    const browse = await openBrowseSession(gw, f, f.point(0, 0, clockStart()));
    const stranger = onlyError(
      gw,
      await gw.query(M.create, { input: { items: itemInputs(browse, [seedItem(f, 1, 'Documents/notes.txt')]) } }),
    );
    expect(stranger.extensions).toMatchObject({ code: 'BAD_USER_INPUT', graph: { status: 400, code: 'InvalidArtifactRequest' } });

    // Graph's create limit has no documented number: the gateway leaves it to Graph, whose 413 is the caller's.
    const tooMany = onlyError(gw, await gw.query(M.create, { input: { items: items(51) } }));
    expect(tooMany.extensions).toMatchObject({ code: 'BAD_USER_INPUT', graph: { status: 413, code: 'RestoreArtifactsLimitBreached' } });

    const other = ITEM_FAMILIES.find((o) => o !== f)!;
    const foreign = await openBrowseSession(gw, other, other.point(0, 0, clockStart()));
    const wrongFamily = onlyError(
      gw,
      await gw.query(M.create, { input: { items: itemInputs(foreign, [seedItem(other, 0, 'Documents/notes.txt')]) } }),
    );
    expect(wrongFamily.extensions).toMatchObject({ code: 'BAD_USER_INPUT', graph: { status: 400 } });

    const standard = await gw.t.graph<{ id: string }>('POST', `/solutions/backupRestore/${f.graphSet}`, {
      body: {
        [f.label === 'SharePoint' ? 'siteRestoreArtifacts' : 'driveRestoreArtifacts']: [
          { restorePoint: { id: f.point(3, 0, clockStart()) }, destinationType: 'new' },
        ],
      },
    });
    expect(standard.status).toBe(201);
    const onStandard = onlyError(
      gw,
      await gw.query(M.update, { input: { id: standard.body.id, addItems: itemInputs(browse, [seedItem(f, 0, 'Documents/notes.txt')]) } }),
    );
    expect(onStandard.extensions).toMatchObject({ code: 'BAD_USER_INPUT', graph: { status: 400 } });

    const created = ok(
      await gw.query<Record<string, { restoreSession: { id: string } }>>(M.create, {
        input: { items: itemInputs(browse, [seedItem(f, 0, 'Documents/notes.txt')]) },
      }),
    );
    const id = created[f.create]!.restoreSession.id;
    const again = ok(
      await gw.query<Record<string, { failures: unknown[] }>>(M.update, {
        input: { id, addItems: itemInputs(browse, [seedItem(f, 0, 'Documents/notes.txt')]) },
      }),
    );
    expect(again[f.update]!.failures).toEqual([
      expect.objectContaining({
        operation: 'ADD',
        code: 'DuplicateArtifactInList',
        itemKey: seedItem(f, 0, 'Documents/notes.txt').itemKey,
      }),
    ]);
    ok(await gw.query(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }`, { id }));
    const late = onlyError(
      gw,
      await gw.query(M.update, { input: { id, removeItemKeys: [seedItem(f, 0, 'Documents/notes.txt').itemKey] } }),
    );
    expect(late.extensions).toMatchObject({ code: 'ACTION_NOT_ALLOWED', graph: { status: 403 } });
  });

  it('reports a lost create and a lost update as OUTCOME_UNKNOWN, each sent once', async () => {
    const browse = await openBrowseSession(gw, f, f.point(0, 0, clockStart()));
    const [a, b] = [seedItem(f, 0, 'Documents/notes.txt'), seedItem(f, 0, 'Documents/readme.md')];
    const sessionIds = async (): Promise<string[]> =>
      (await gw.t.graph<{ value: Array<{ id: string }> }>('GET', `/solutions/backupRestore/${f.graphSet}`)).body.value.map((s) => s.id);
    const before = new Set(await sessionIds());
    gw.resetUpstream();
    gw.t.emu.faults.set({
      rules: [{ path: `solutions/backupRestore/${f.graphSet}`, method: 'POST', status: 502, phase: 'after', limit: 1 }],
    });
    const lost = onlyError(gw, await gw.query(M.create, { input: { items: itemInputs(browse, [a]) } }));
    expect(lost.extensions?.code).toBe('OUTCOME_UNKNOWN');
    expect(lost.message).toContain('granular restore session was created');
    expect(upstreamWrites(gw)).toEqual([`POST solutions/backupRestore/${f.graphSet} 502`]);
    // Graph made it, once.
    gw.t.emu.faults.clear();
    const made = (await sessionIds()).filter((id) => !before.has(id)).map((id) => ({ id }));
    expect(made).toHaveLength(1);

    gw.resetUpstream();
    gw.t.emu.faults.set({
      rules: [{ path: `solutions/backupRestore/${f.graphSet}/*`, method: 'PATCH', status: 502, phase: 'after', limit: 1 }],
    });
    const lostUpdate = onlyError(gw, await gw.query(M.update, { input: { id: made[0]!.id, addItems: itemInputs(browse, [b]) } }));
    expect(lostUpdate.extensions?.code).toBe('OUTCOME_UNKNOWN');
    expect(upstreamWrites(gw)).toEqual([`PATCH solutions/backupRestore/${f.graphSet}/${made[0]!.id} 502`]);
    gw.t.emu.faults.clear();
    const listed = await gw.t.graph<{ value: Array<{ id: string }> }>(
      'GET',
      `/solutions/backupRestore/${f.graphSet}/${made[0]!.id}/${f.list}`,
    );
    expect(listed.body.value.map((x) => x.id)).toEqual([a.itemKey, b.itemKey]);
  });

  it('audits each write, and refuses a read-only caller every granular mutation before anything reaches Graph', async () => {
    const browse = await openBrowseSession(gw, f, f.point(0, 0, clockStart()));
    const lines = gw.logLines.length;
    const created = ok(
      await gw.query<Record<string, { restoreSession: { id: string } }>>(M.create, {
        input: { items: itemInputs(browse, [seedItem(f, 0, 'Documents/notes.txt')]) },
      }),
    );
    const id = created[f.create]!.restoreSession.id;
    ok(await gw.query(M.update, { input: { id, addItems: itemInputs(browse, [seedItem(f, 0, 'Documents/readme.md')]) } }));
    const attempts: Array<[string, string, Record<string, unknown>]> = [
      [f.create, M.create, { input: { items: [item()] } }],
      [f.update, M.update, { input: { id, removeItemKeys: [KEY] } }],
      ['createGranularExchangeRestoreSession', EXCHANGE, { input: { mailboxItems: [] } }],
    ];
    for (const [field, document, variables] of attempts) {
      const error = onlyError(gw, await gw.queryAs('reader', document, variables));
      expect(error.extensions, field).toEqual({ code: 'FORBIDDEN' });
    }
    const audit = gw.logLines
      .slice(lines)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.component === 'audit');
    expect(audit.map((a) => [a.mutation, a.outcome, a.restoreSessionId ?? null, (a.graph as unknown[]).length])).toEqual([
      [f.create, 'succeeded', id, 1],
      [f.update, 'succeeded', id, 1],
      [f.create, 'refused', null, 0],
      [f.update, 'refused', id, 0],
      ['createGranularExchangeRestoreSession', 'refused', null, 0],
    ]);
  });
});

describe('the deprecated site artifact subscription and a granular SharePoint session', () => {
  it('ends with NOT_FOUND pointing at restoreArtifactStatusChanged', async () => {
    const f = ITEM_FAMILIES[0]!;
    const browse = await openBrowseSession(gw, f, f.point(0, 0, clockStart()));
    const created = ok(
      await gw.query<Record<string, { restoreSession: { id: string } }>>(itemDocuments(f).create, {
        input: { items: itemInputs(browse, [seedItem(f, 0, 'Documents/notes.txt')]) },
      }),
    );
    const c = wsClient(gw.gateway.wsUrl, { authorization: await gw.authorization('admin') });
    try {
      const stream = subscribe<Record<string, unknown>>(
        c,
        `subscription ($id: ID!) { siteRestoreArtifactStatusChanged(restoreSessionId: $id) { id } }`,
        {
          id: created[f.create]!.restoreSession.id,
        },
      );
      await stream.ended();
      expect(stream.results).toEqual([
        expect.objectContaining({
          errors: [
            expect.objectContaining({
              message: expect.stringContaining('restoreArtifactStatusChanged'),
              extensions: { code: 'NOT_FOUND' },
            }),
          ],
        }),
      ]);
    } finally {
      await c.dispose();
    }
  });
});

describe('the bound of the lists the gateway reads whole', () => {
  it('counts 5,000 granular artifacts and refuses to list 5,001 with BAD_USER_INPUT', async () => {
    const f = ITEM_FAMILIES[0]!;
    const created = await gw.t.graph<{ id: string }>('POST', `/solutions/backupRestore/${f.graphSet}`);
    const id = created.body.id;
    let total = 0;
    const add = async (list: Array<{ browseSessionId: string; itemKey: string }>): Promise<void> => {
      for (let at = 0; at < list.length; at += 50) {
        const res = await gw.t.graph<Record<string, Array<Record<string, unknown>>>>(
          'PATCH',
          `/solutions/backupRestore/${f.graphSet}/${id}`,
          {
            body: { 'granularSiteRestoreArtifacts@delta': list.slice(at, at + 50) },
          },
        );
        expect(res.status).toBe(200);
        total += res.body['granularSiteRestoreArtifacts@delta']!.filter((i) => i.status === 'added').length;
      }
    };
    for (let site = 0; site < SEED_SITE_COUNT - 1 && total < 5_001; site++) {
      const browse = await openBrowseSession(gw, f, f.point(site, 0, clockStart()));
      const keys = seedBrowseTree(seedUnitId(site))
        .filter((i) => i.type !== 'site')
        .map((i) => ({ browseSessionId: browse, itemKey: i.itemKey }));
      await add(keys.slice(0, 5_000 - total));
      if (total === 5_000) {
        const counted = ok(
          await gw.query<{ restoreSession: { granularSiteRestoreArtifacts: { totalCount: number; nodes: unknown[] } } }>(
            `query ($id: ID!) { restoreSession(id: $id) { ... on SharePointRestoreSession { granularSiteRestoreArtifacts(first: 3) { totalCount nodes { id } } } } }`,
            { id },
          ),
        );
        expect(counted.restoreSession.granularSiteRestoreArtifacts).toMatchObject({ totalCount: 5_000 });
        await add(keys.slice(keys.length - 1));
      }
    }
    expect(total).toBe(5_001);
    const res = await gw.query<{ restoreSession: Record<string, unknown> | null }>(
      `query ($id: ID!) { restoreSession(id: $id) { id ... on SharePointRestoreSession { granularSiteRestoreArtifacts { totalCount } } } }`,
      { id },
    );
    expect(res.data?.restoreSession).toEqual({ id, granularSiteRestoreArtifacts: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['restoreSession', 'granularSiteRestoreArtifacts'],
        message: expect.stringContaining('more than 5,000 granularSiteRestoreArtifacts'),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
  }, 120_000);
});
