import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLOCK_START_ISO } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import { FAMILY_CASES, familyDocuments, lastWeek, okData, type FamilyCase } from './family-mutations-support.js';
import { onlyError } from '../support/graphql.js';
import { upstreamWrites } from './family-mutations-support.js';
import { useTestGateway } from './harness.js';

// Arguments of the Exchange and OneDrive writes that Graph would refuse are refused before any Graph call, as
// BAD_USER_INPUT naming the argument at fault, and writes whose answer was lost are never repeated blindly, for both
// families alike.

const gw = useTestGateway();

const clockStart = (): string => gw.t.emu.seed.clockStart;

const writes = (): string[] => upstreamWrites(gw);

type Case = [name: string, document: string, variables: Record<string, unknown>, argument: string];

/** Every refusal of one family, with the argument path each must name. */
function validationCases(f: FamilyCase): Case[] {
  const M = familyDocuments(f);
  // Built before the emulator starts: the manual clock's seed is dated at the default instant.
  const point = (index: number, day = 0): string => f.point(index, day, DEFAULT_CLOCK_START_ISO);
  const artifacts = (n: number, destinationType = 'NEW'): Array<Record<string, string>> =>
    Array.from({ length: n }, (_, i) => ({ restorePointId: point(i % 20, Math.floor(i / 20)), destinationType }));
  const session = randomUUID();
  const bulk = (overrides: Record<string, unknown>): Record<string, unknown> => ({
    input: {
      restoreSessionId: session,
      displayName: 'bulk',
      [f.owners]: [f.address(0)],
      destinationType: 'NEW',
      protectionTimePeriod: lastWeek(DEFAULT_CLOCK_START_ISO),
      ...overrides,
    },
  });
  const emails = (n: number): string[] => Array.from({ length: n }, (_, i) => `user${i}@contoso.com`);
  const guids = (n: number): string[] => Array.from({ length: n }, () => randomUUID());
  const owners = `input.${f.owners}`;
  return [
    // destinations
    [
      'create: mixed destination types',
      M.create,
      { input: { [f.artifacts]: [...artifacts(2, 'IN_PLACE'), { restorePointId: point(9), destinationType: 'NEW' }] } },
      `input.${f.artifacts}[2].destinationType`,
    ],
    [
      'update: mixed destination types',
      M.update,
      { input: { id: session, [f.adds]: [...artifacts(1, 'NEW'), { restorePointId: point(9), destinationType: 'IN_PLACE' }] } },
      `input.${f.adds}[1].destinationType`,
    ],
    // duplicates
    [
      'create: the same restore point twice',
      M.create,
      { input: { [f.artifacts]: [...artifacts(2), { restorePointId: point(0).toUpperCase(), destinationType: 'NEW' }] } },
      `input.${f.artifacts}[2].restorePointId`,
    ],
    [
      'update: the same restore point twice',
      M.update,
      { input: { id: session, [f.adds]: [...artifacts(1), ...artifacts(1)] } },
      `input.${f.adds}[1].restorePointId`,
    ],
    [
      'update: the same artifact removed twice',
      M.update,
      { input: { id: session, [f.removes]: ['A', randomUUID(), 'a'] } },
      `input.${f.removes}[2]`,
    ],
    // the size of an update
    ['update: 51 additions', M.update, { input: { id: session, [f.adds]: artifacts(51) } }, `input.${f.adds}`],
    ['update: 51 removals', M.update, { input: { id: session, [f.removes]: guids(51) } }, `input.${f.removes}`],
    [
      'update: 30 additions and 21 removals',
      M.update,
      { input: { id: session, [f.adds]: artifacts(30), [f.removes]: guids(21) } },
      'input',
    ],
    ['update: no change', M.update, { input: { id: session } }, 'input'],
    ['update: empty lists', M.update, { input: { id: session, [f.adds]: [], [f.removes]: null } }, 'input'],
    // ids
    ['update: session id not a GUID', M.update, { input: { id: 'x', [f.removes]: [randomUUID()] } }, 'input.id'],
    ['update: blank artifact id', M.update, { input: { id: session, [f.removes]: [' '] } }, `input.${f.removes}[0]`],
    [
      'add: session id not a GUID',
      M.add,
      { input: { restoreSessionId: 'abc', restorePointId: point(1), destinationType: 'NEW' } },
      'input.restoreSessionId',
    ],
    [
      'add: restore point id with a control character',
      M.add,
      { input: { restoreSessionId: session, restorePointId: 'a\u0000b', destinationType: 'NEW' } },
      'input.restorePointId',
    ],
    [
      'create: blank restore point id',
      M.create,
      { input: { [f.artifacts]: [{ restorePointId: '  ', destinationType: 'NEW' }] } },
      `input.${f.artifacts}[0].restorePointId`,
    ],
    ['bulk: session id not a GUID', M.createBulk, bulk({ restoreSessionId: 'nope' }), 'input.restoreSessionId'],
    ['delete bulk: request id not a GUID', M.deleteBulk, { restoreSessionId: session, id: 'nope' }, 'id'],
    ['delete bulk: session id not a GUID', M.deleteBulk, { restoreSessionId: 'nope', id: randomUUID() }, 'restoreSessionId'],
    // enums
    [
      'create: UNKNOWN_FUTURE_VALUE',
      M.create,
      { input: { [f.artifacts]: [{ restorePointId: point(1), destinationType: 'UNKNOWN_FUTURE_VALUE' }] } },
      `input.${f.artifacts}[0].destinationType`,
    ],
    [
      'update: UNKNOWN_FUTURE_VALUE',
      M.update,
      { input: { id: session, [f.adds]: [{ restorePointId: point(1), destinationType: 'UNKNOWN_FUTURE_VALUE' }] } },
      `input.${f.adds}[0].destinationType`,
    ],
    [
      'add: UNKNOWN_FUTURE_VALUE',
      M.add,
      { input: { restoreSessionId: session, restorePointId: point(1), destinationType: 'UNKNOWN_FUTURE_VALUE' } },
      'input.destinationType',
    ],
    ['bulk: destination UNKNOWN_FUTURE_VALUE', M.createBulk, bulk({ destinationType: 'UNKNOWN_FUTURE_VALUE' }), 'input.destinationType'],
    [
      'bulk: preference UNKNOWN_FUTURE_VALUE',
      M.createBulk,
      bulk({ restorePointPreference: 'UNKNOWN_FUTURE_VALUE' }),
      'input.restorePointPreference',
    ],
    ['bulk: tags UNKNOWN_FUTURE_VALUE', M.createBulk, bulk({ tags: 'UNKNOWN_FUTURE_VALUE' }), 'input.tags'],
    // what a bulk request names
    ['bulk: both lists empty', M.createBulk, bulk({ [f.owners]: [], directoryObjectIds: [] }), owners],
    ['bulk: both lists left out', M.createBulk, bulk({ [f.owners]: null }), owners],
    ['bulk: 10,001 addresses', M.createBulk, bulk({ [f.owners]: emails(10_001) }), owners],
    ['bulk: 10,001 ids', M.createBulk, bulk({ [f.owners]: [], directoryObjectIds: guids(10_001) }), 'input.directoryObjectIds'],
    ['bulk: 10,001 together', M.createBulk, bulk({ [f.owners]: emails(5_000), directoryObjectIds: guids(5_001) }), owners],
    ['bulk: not an e-mail address', M.createBulk, bulk({ [f.owners]: ['megan@contoso.com', 'megan'] }), `${owners}[1]`],
    ['bulk: an address without a dotted domain', M.createBulk, bulk({ [f.owners]: ['megan@contoso'] }), `${owners}[0]`],
    ['bulk: an address with a space', M.createBulk, bulk({ [f.owners]: ['megan bowen@contoso.com'] }), `${owners}[0]`],
    [
      'bulk: the same address twice, in another case',
      M.createBulk,
      bulk({ [f.owners]: ['megan@contoso.com', 'alex@contoso.com', 'Megan@CONTOSO.com'] }),
      `${owners}[2]`,
    ],
    [
      'bulk: the same id twice, in another case',
      M.createBulk,
      bulk({ directoryObjectIds: ['384974e2-2f6a-4a46-9d22-7c2e4c5b1f0a', '384974E2-2F6A-4A46-9D22-7C2E4C5B1F0A'] }),
      'input.directoryObjectIds[1]',
    ],
    [
      'bulk: a directory object id that is not a GUID',
      M.createBulk,
      bulk({ directoryObjectIds: ['megan'] }),
      'input.directoryObjectIds[0]',
    ],
    // name and window
    ['bulk: empty name', M.createBulk, bulk({ displayName: '' }), 'input.displayName'],
    ['bulk: blank name', M.createBulk, bulk({ displayName: '   ' }), 'input.displayName'],
    ['bulk: name too long', M.createBulk, bulk({ displayName: 'n'.repeat(1025) }), 'input.displayName'],
    [
      'bulk: period ends before it starts',
      M.createBulk,
      bulk({ protectionTimePeriod: { startDateTime: '2025-06-02T00:00:00Z', endDateTime: '2025-06-01T23:59:59Z' } }),
      'input.protectionTimePeriod.endDateTime',
    ],
  ];
}

describe.each(FAMILY_CASES)('$label input validation: BAD_USER_INPUT naming the argument, before any Graph call', (f) => {
  it.each(validationCases(f))('%s', async (_name, document, variables, argument) => {
    const error = onlyError(gw, await gw.query(document, variables));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(error.message).toContain(`'${argument}'`);
    // Refused before Graph: no write, and not even a read.
    expect(graphCalls(gw.graphEntries())).toEqual([]);
  });

  it(`words a mix of destinations with where a ${f.label} restore to a new location goes`, async () => {
    const M = familyDocuments(f);
    const point = (index: number): string => f.point(index, 0, gw.t.emu.seed.clockStart);
    const error = onlyError(
      gw,
      await gw.query(M.create, {
        input: {
          [f.artifacts]: [
            { restorePointId: point(1), destinationType: 'NEW' },
            { restorePointId: point(2), destinationType: 'IN_PLACE' },
          ],
        },
      }),
    );
    expect(error.message).toContain(`cannot mix restores to ${f.newPlace} with restores in place`);
  });

  it('accepts the limits themselves: 50 changes in one update, 10,000 owners, a period that is one instant', async () => {
    const M = familyDocuments(f);
    const point = (index: number, day = 0): string => f.point(index, day, gw.t.emu.seed.clockStart);
    const created = await gw.t.graph<{ id: string }>('POST', `/solutions/backupRestore/${f.graphSet}`);
    const id = created.body.id;
    const update = await gw.query<Record<string, { failures: unknown[] }>>(M.update, {
      input: {
        id,
        [f.adds]: Array.from({ length: 20 }, (_, i) => ({ restorePointId: point(i), destinationType: 'IN_PLACE' })),
        [f.removes]: Array.from({ length: 30 }, () => randomUUID()),
      },
    });
    expect(update.errors).toBeUndefined();
    expect(update.data?.[f.update]?.failures).toHaveLength(30);

    const empty = await gw.t.graph<{ id: string }>('POST', `/solutions/backupRestore/${f.graphSet}`);
    const bulk = await gw.query(M.createBulk, {
      input: {
        restoreSessionId: empty.body.id,
        displayName: 'n'.repeat(1024),
        [f.owners]: Array.from({ length: 6_000 }, (_, i) => `user${i}@contoso.com`),
        directoryObjectIds: Array.from({ length: 4_000 }, () => randomUUID()),
        destinationType: 'NEW',
        protectionTimePeriod: { startDateTime: '2025-06-01T00:00:00Z', endDateTime: '2025-06-01T00:00:00Z' },
      },
    });
    expect(bulk.errors).toBeUndefined();
  });
});

describe.each(FAMILY_CASES)('$label writes whose answer was lost', (f) => {
  const M = familyDocuments(f);
  const point = (index: number, day = 0): string => f.point(index, day, clockStart());

  const graphSessionCount = async (): Promise<number> => {
    const res = await gw.t.graph<{ value: unknown[] }>('GET', `/solutions/backupRestore/${f.graphSet}`);
    expect(res.status).toBe(200);
    return res.body.value.length;
  };

  it('a create answered 502 is OUTCOME_UNKNOWN, sent once, and Graph holds at most one new session', async () => {
    for (const [phase, made] of [
      ['before', 0],
      ['after', 1],
    ] as const) {
      const before = await graphSessionCount();
      gw.resetUpstream();
      gw.t.emu.faults.set({ rules: [{ path: `solutions/backupRestore/${f.graphSet}`, method: 'POST', status: 502, phase, limit: 1 }] });
      const error = onlyError(
        gw,
        await gw.query(M.create, { input: { [f.artifacts]: [{ restorePointId: point(1), destinationType: 'NEW' }] } }),
      );
      expect(error.extensions?.code, phase).toBe('OUTCOME_UNKNOWN');
      expect(writes(), phase).toEqual([`POST solutions/backupRestore/${f.graphSet} 502`]);
      gw.t.emu.faults.clear();
      expect(await graphSessionCount(), phase).toBe(before + made);
    }
  });

  it('an update answered 502 is OUTCOME_UNKNOWN, sent once, and Graph added the artifact once', async () => {
    const created = await gw.t.graph<{ id: string }>('POST', `/solutions/backupRestore/${f.graphSet}`, {
      body: { [f.graphArtifacts]: [{ restorePoint: { id: point(1) }, destinationType: 'new' }] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    gw.resetUpstream();
    gw.t.emu.faults.set({
      rules: [{ path: `solutions/backupRestore/${f.graphSet}/*`, method: 'PATCH', status: 502, phase: 'after', limit: 1 }],
    });
    const error = onlyError(
      gw,
      await gw.query(M.update, { input: { id, [f.adds]: [{ restorePointId: point(2), destinationType: 'NEW' }] } }),
    );
    expect(error.extensions?.code).toBe('OUTCOME_UNKNOWN');
    expect(writes()).toEqual([`PATCH solutions/backupRestore/${f.graphSet}/${id} 502`]);
    gw.t.emu.faults.clear();
    const listed = await gw.t.graph<{ value: Array<{ restorePoint: { id: string } }> }>(
      'GET',
      `/solutions/backupRestore/${f.graphSet}/${id}/${f.graphArtifacts}`,
    );
    expect(listed.body.value.map((a) => a.restorePoint.id)).toEqual([point(1), point(2)]);
  });

  it('a bulk request delete answered 502 is confirmed by reading the request back: gone', async () => {
    const created = await gw.t.graph<{ id: string }>('POST', `/solutions/backupRestore/${f.graphSet}`);
    const sessionId = created.body.id;
    const bulk = await gw.t.graph<{ id: string }>('POST', `/solutions/backupRestore/${f.graphSet}/${sessionId}/${f.graphBulk}`, {
      body: { displayName: 'b', [f.owners]: [f.address(2)], destinationType: 'new', protectionTimePeriod: lastWeek(clockStart()) },
    });
    expect(bulk.status).toBe(201);
    expect((await gw.t.graph('POST', `/solutions/backupRestore/restoreSessions/${sessionId}/activate`)).status).toBe(200);
    gw.t.emu.advanceClock(1_000);
    gw.resetUpstream();
    gw.t.emu.faults.set({
      rules: [
        { path: `solutions/backupRestore/${f.graphSet}/*/${f.graphBulk}/*`, method: 'DELETE', status: 502, phase: 'after', limit: 1 },
      ],
    });
    const data = okData(
      await gw.query<Record<string, { deletedBulkAdditionRequestId: string }>>(M.deleteBulk, {
        restoreSessionId: sessionId,
        id: bulk.body.id,
      }),
    );
    expect(data[f.deleteBulk]!.deletedBulkAdditionRequestId).toBe(bulk.body.id);
    const path = `solutions/backupRestore/${f.graphSet}/${sessionId}/${f.graphBulk}/${bulk.body.id}`;
    expect(graphCalls(gw.graphEntries()).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `DELETE ${path} 502`,
      `GET ${path} 404`,
    ]);
  });
});
