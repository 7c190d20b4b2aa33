import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, seedRestorePointId, stableGuid } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import { onlyError } from '../support/graphql.js';
import { useTestGateway } from './harness.js';

// Graph's rules reach the client as typed errors, and arguments Graph would refuse are refused
// before any Graph call, naming the argument at fault.

const gw = useTestGateway();

const DRAFT = SEED_SESSION_IDS.draft;
const POINT = (site: number, day = 0): string => seedRestorePointId(site, day);

const M = {
  create: `mutation ($input: CreateSharePointRestoreSessionInput!) { createSharePointRestoreSession(input: $input) { restoreSession { id } } }`,
  update: `mutation ($input: UpdateSharePointRestoreSessionInput!) { updateSharePointRestoreSession(input: $input) { failures { operation code } } }`,
  delete: `mutation ($id: ID!) { deleteRestoreSession(id: $id) { deletedRestoreSessionId } }`,
  activate: `mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id status } } }`,
  add: `mutation ($input: AddSiteRestoreArtifactInput!) { addSiteRestoreArtifact(input: $input) { siteRestoreArtifact { id } } }`,
  createBulk: `mutation ($input: CreateSiteRestoreArtifactsBulkAdditionRequestInput!) {
    createSiteRestoreArtifactsBulkAdditionRequest(input: $input) { bulkAdditionRequest { id status } }
  }`,
  deleteBulk: `mutation ($restoreSessionId: ID!, $id: ID!) {
    deleteSiteRestoreArtifactsBulkAdditionRequest(restoreSessionId: $restoreSessionId, id: $id) { deletedBulkAdditionRequestId }
  }`,
};

const bulkInput = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  restoreSessionId: SEED_SESSION_IDS.emptyDraft,
  displayName: 'bulk',
  siteWebUrls: ['https://contoso.sharepoint.com/sites/Finance01'],
  destinationType: 'NEW',
  protectionTimePeriod: { startDateTime: '2025-05-26T00:00:00Z', endDateTime: '2025-06-02T00:00:00Z' },
  ...overrides,
});

describe('draft-only rules: ACTION_NOT_ALLOWED with Graph code RestoreSessionActionNotAllowed', () => {
  it('refuses update, add, bulk addition, delete and a second activation once the session is activated', async () => {
    const activated = await gw.query(M.activate, { id: DRAFT });
    expect(activated.errors).toBeUndefined();
    const attempts: Array<[string, string, Record<string, unknown>]> = [
      ['update', M.update, { input: { id: DRAFT, addSiteRestoreArtifacts: [{ restorePointId: POINT(30), destinationType: 'IN_PLACE' }] } }],
      ['update (remove)', M.update, { input: { id: DRAFT, removeSiteRestoreArtifactIds: [stableGuid('artifact:draft:0')] } }],
      ['add', M.add, { input: { restoreSessionId: DRAFT, restorePointId: POINT(30), destinationType: 'IN_PLACE' } }],
      ['bulk', M.createBulk, { input: bulkInput({ restoreSessionId: DRAFT }) }],
      ['delete', M.delete, { id: DRAFT }],
      ['activate', M.activate, { id: DRAFT }],
    ];
    for (const [name, document, variables] of attempts) {
      const error = onlyError(gw, await gw.query(document, variables));
      expect(error.extensions, name).toMatchObject({
        code: 'ACTION_NOT_ALLOWED',
        graph: { status: 403, code: 'RestoreSessionActionNotAllowed' },
      });
      expect(error.message, name).toMatch(/Draft state/);
    }
    // The same holds once the restore is over.
    gw.t.emu.advanceClock(120_000);
    const status = await gw.query<{ restoreSession: { status: string } }>(`query ($id: ID!) { restoreSession(id: $id) { status } }`, {
      id: DRAFT,
    });
    expect(status.data?.restoreSession.status).toBe('COMPLETED');
    for (const [name, document, variables] of attempts) {
      expect(onlyError(gw, await gw.query(document, variables)).extensions, name).toMatchObject({ code: 'ACTION_NOT_ALLOWED' });
    }
    expect(gw.loggedErrors).toEqual([]);
  });

  it('refuses deleting a bulk addition request that is still active', async () => {
    const created = await gw.query<{ createSiteRestoreArtifactsBulkAdditionRequest: { bulkAdditionRequest: { id: string } } }>(
      M.createBulk,
      { input: bulkInput() },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createSiteRestoreArtifactsBulkAdditionRequest.bulkAdditionRequest.id;
    const error = onlyError(gw, await gw.query(M.deleteBulk, { restoreSessionId: SEED_SESSION_IDS.emptyDraft, id }));
    expect(error.extensions).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      graph: { status: 403, code: 'InvalidStateForBulkRequestDeletion' },
    });
  });
});

describe('unknown ids: NOT_FOUND', () => {
  it('answers NOT_FOUND with Graph code for every mutation naming a session or request Graph does not know', async () => {
    const unknown = randomUUID();
    const attempts: Array<[string, string, Record<string, unknown>, string]> = [
      ['update', M.update, { input: { id: unknown, removeSiteRestoreArtifactIds: [randomUUID()] } }, 'RestoreSessionNotFound'],
      ['add', M.add, { input: { restoreSessionId: unknown, restorePointId: POINT(30), destinationType: 'NEW' } }, 'RestoreSessionNotFound'],
      ['bulk', M.createBulk, { input: bulkInput({ restoreSessionId: unknown }) }, 'RestoreSessionNotFound'],
      ['delete', M.delete, { id: unknown }, 'RestoreSessionNotFound'],
      ['activate', M.activate, { id: unknown }, 'RestoreSessionNotFound'],
      ['delete bulk (session)', M.deleteBulk, { restoreSessionId: unknown, id: randomUUID() }, 'RestoreSessionNotFound'],
      [
        'delete bulk (request)',
        M.deleteBulk,
        { restoreSessionId: SEED_SESSION_IDS.emptyDraft, id: unknown },
        'BulkRestoreArtifactsNotFound',
      ],
    ];
    for (const [name, document, variables, graphCode] of attempts) {
      const error = onlyError(gw, await gw.query(document, variables));
      expect(error.extensions, name).toMatchObject({ code: 'NOT_FOUND', graph: { status: 404, code: graphCode } });
    }
  });

  it('lists an unknown restore point or artifact of an update among its failures, the rest going through', async () => {
    const res = await gw.query<{ updateSharePointRestoreSession: { failures: Array<{ operation: string; code: string }> } }>(M.update, {
      input: { id: DRAFT, removeSiteRestoreArtifactIds: [randomUUID(), stableGuid('artifact:draft:1')] },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.updateSharePointRestoreSession.failures).toEqual([{ operation: 'REMOVE', code: 'Invalid' }]);
  });

  it('answers BAD_USER_INPUT with Graph code for writes Graph refuses as a whole (unknown restore point, too many artifacts on create)', async () => {
    const error = onlyError(
      gw,
      await gw.query(M.add, { input: { restoreSessionId: DRAFT, restorePointId: 'no-such-point', destinationType: 'IN_PLACE' } }),
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', graph: { status: 400, code: 'InvalidRestorePoint' } });
    // Graph documents no limit for create, so the gateway leaves it to Graph (413 on the emulator above 50).
    const many = Array.from({ length: 51 }, (_, i) => ({ restorePointId: POINT(i), destinationType: 'NEW' }));
    const tooMany = onlyError(gw, await gw.query(M.create, { input: { siteRestoreArtifacts: many } }));
    expect(tooMany.extensions).toMatchObject({ code: 'BAD_USER_INPUT', graph: { status: 413, code: 'RestoreArtifactsLimitBreached' } });
  });
});

describe('too many active restore sessions', () => {
  // The seed has two sessions restoring at the clock's start (the short `active` one and the long `large` one).
  const small = useTestGateway({ maxActiveSessions: 2 });

  it('is ACTION_NOT_ALLOWED with Graph code TooManyActiveRestoreSessions (a 500 upstream), never an internal error; the draft stays a draft', async () => {
    const res = await small.query(M.activate, { id: DRAFT });
    expect(res.status).toBe(200);
    expect(res.errors).toHaveLength(1);
    const error = res.errors![0]!;
    expect(error.extensions).toMatchObject({ code: 'ACTION_NOT_ALLOWED', graph: { status: 500, code: 'TooManyActiveRestoreSessions' } });
    expect(error.message).toMatch(/At most 2 restore sessions can be activating or active at the same time/);
    expect(small.loggedErrors).toEqual([]);
    // A write is never retried on a 500.
    expect(graphCalls(small.graphEntries()).map((e) => `${e.method} ${e.status}`)).toEqual(['POST 500']);
    const draft = await small.query<{ restoreSession: { status: string } }>(`query ($id: ID!) { restoreSession(id: $id) { status } }`, {
      id: DRAFT,
    });
    expect(draft.data?.restoreSession.status).toBe('DRAFT');

    // Once the running restores have finished, the same activation goes through.
    small.t.emu.advanceClock(3 * 3_600_000);
    const later = await small.query<{ activateRestoreSession: { restoreSession: { status: string } } }>(M.activate, { id: DRAFT });
    expect(later.errors).toBeUndefined();
    expect(later.data?.activateRestoreSession.restoreSession.status).toBe('ACTIVATING');
  });
});

describe('input validation: BAD_USER_INPUT naming the argument, before any Graph call', () => {
  const artifacts = (n: number, destinationType = 'NEW'): Array<Record<string, string>> =>
    Array.from({ length: n }, (_, i) => ({ restorePointId: POINT(i % 72, Math.floor(i / 72)), destinationType }));
  const long = 'a'.repeat(300);

  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    // ids
    ['activate: empty id', M.activate, { id: '' }, 'id'],
    ['activate: not a GUID', M.activate, { id: 'not-a-guid' }, 'id'],
    ['delete: too long', M.delete, { id: long }, 'id'],
    ['delete: path traversal', M.delete, { id: '../restoreSessions' }, 'id'],
    ['update: session id not a GUID', M.update, { input: { id: 'x', removeSiteRestoreArtifactIds: [randomUUID()] } }, 'input.id'],
    [
      'update: artifact id blank',
      M.update,
      { input: { id: DRAFT, removeSiteRestoreArtifactIds: [randomUUID(), ' '] } },
      'input.removeSiteRestoreArtifactIds[1]',
    ],
    [
      'update: empty restore point id',
      M.update,
      { input: { id: DRAFT, addSiteRestoreArtifacts: [{ restorePointId: '  ', destinationType: 'NEW' }] } },
      'input.addSiteRestoreArtifacts[0].restorePointId',
    ],
    [
      'add: session id not a GUID',
      M.add,
      { input: { restoreSessionId: 'abc', restorePointId: POINT(1), destinationType: 'NEW' } },
      'input.restoreSessionId',
    ],
    [
      'add: restore point id with a control character',
      M.add,
      { input: { restoreSessionId: DRAFT, restorePointId: 'a\u0000b', destinationType: 'NEW' } },
      'input.restorePointId',
    ],
    [
      'add: restore point id too long',
      M.add,
      { input: { restoreSessionId: DRAFT, restorePointId: long, destinationType: 'NEW' } },
      'input.restorePointId',
    ],
    ['bulk: session id not a GUID', M.createBulk, { input: bulkInput({ restoreSessionId: 'nope' }) }, 'input.restoreSessionId'],
    ['delete bulk: request id not a GUID', M.deleteBulk, { restoreSessionId: DRAFT, id: 'nope' }, 'id'],
    ['delete bulk: session id not a GUID', M.deleteBulk, { restoreSessionId: 'nope', id: randomUUID() }, 'restoreSessionId'],
    // enums
    [
      'create: UNKNOWN_FUTURE_VALUE',
      M.create,
      { input: { siteRestoreArtifacts: [{ restorePointId: POINT(1), destinationType: 'UNKNOWN_FUTURE_VALUE' }] } },
      'input.siteRestoreArtifacts[0].destinationType',
    ],
    [
      'add: UNKNOWN_FUTURE_VALUE',
      M.add,
      { input: { restoreSessionId: DRAFT, restorePointId: POINT(1), destinationType: 'UNKNOWN_FUTURE_VALUE' } },
      'input.destinationType',
    ],
    [
      'bulk: destination UNKNOWN_FUTURE_VALUE',
      M.createBulk,
      { input: bulkInput({ destinationType: 'UNKNOWN_FUTURE_VALUE' }) },
      'input.destinationType',
    ],
    [
      'bulk: preference UNKNOWN_FUTURE_VALUE',
      M.createBulk,
      { input: bulkInput({ restorePointPreference: 'UNKNOWN_FUTURE_VALUE' }) },
      'input.restorePointPreference',
    ],
    ['bulk: tags UNKNOWN_FUTURE_VALUE', M.createBulk, { input: bulkInput({ tags: 'UNKNOWN_FUTURE_VALUE' }) }, 'input.tags'],
    // limits, mixing, duplicates, empty updates
    ['update: 51 additions', M.update, { input: { id: DRAFT, addSiteRestoreArtifacts: artifacts(51) } }, 'input.addSiteRestoreArtifacts'],
    [
      'update: 51 removals',
      M.update,
      { input: { id: DRAFT, removeSiteRestoreArtifactIds: Array.from({ length: 51 }, () => randomUUID()) } },
      'input.removeSiteRestoreArtifactIds',
    ],
    [
      'update: 30 additions and 21 removals',
      M.update,
      {
        input: {
          id: DRAFT,
          addSiteRestoreArtifacts: artifacts(30),
          removeSiteRestoreArtifactIds: Array.from({ length: 21 }, () => randomUUID()),
        },
      },
      'input',
    ],
    ['update: nothing to change', M.update, { input: { id: DRAFT } }, 'input'],
    ['update: empty lists', M.update, { input: { id: DRAFT, addSiteRestoreArtifacts: [], removeSiteRestoreArtifactIds: null } }, 'input'],
    [
      'update: mixed destination types',
      M.update,
      {
        input: { id: DRAFT, addSiteRestoreArtifacts: [...artifacts(1, 'NEW'), { restorePointId: POINT(40), destinationType: 'IN_PLACE' }] },
      },
      'input.addSiteRestoreArtifacts[1].destinationType',
    ],
    [
      'create: mixed destination types',
      M.create,
      { input: { siteRestoreArtifacts: [...artifacts(2, 'IN_PLACE'), { restorePointId: POINT(40), destinationType: 'NEW' }] } },
      'input.siteRestoreArtifacts[2].destinationType',
    ],
    [
      'create: the same restore point twice',
      M.create,
      { input: { siteRestoreArtifacts: [...artifacts(2), { restorePointId: POINT(0).toUpperCase(), destinationType: 'NEW' }] } },
      'input.siteRestoreArtifacts[2].restorePointId',
    ],
    [
      'update: the same artifact removed twice',
      M.update,
      { input: { id: DRAFT, removeSiteRestoreArtifactIds: [stableGuid('artifact:draft:0'), stableGuid('artifact:draft:0')] } },
      'input.removeSiteRestoreArtifactIds[1]',
    ],
    // bulk requests
    ['bulk: no site', M.createBulk, { input: bulkInput({ siteWebUrls: [] }) }, 'input.siteWebUrls'],
    [
      'bulk: 10,001 sites',
      M.createBulk,
      { input: bulkInput({ siteWebUrls: Array.from({ length: 10_001 }, (_, i) => `https://c.sharepoint.com/sites/s${i}`) }) },
      'input.siteWebUrls',
    ],
    [
      'bulk: http URL',
      M.createBulk,
      { input: bulkInput({ siteWebUrls: ['https://contoso.sharepoint.com/sites/A', 'http://contoso.sharepoint.com/sites/B'] }) },
      'input.siteWebUrls[1]',
    ],
    ['bulk: not a URL', M.createBulk, { input: bulkInput({ siteWebUrls: ['Finance01'] }) }, 'input.siteWebUrls[0]'],
    [
      'bulk: URL with a query',
      M.createBulk,
      { input: bulkInput({ siteWebUrls: ['https://contoso.sharepoint.com/sites/A?x=1'] }) },
      'input.siteWebUrls[0]',
    ],
    [
      'bulk: URL with spaces',
      M.createBulk,
      { input: bulkInput({ siteWebUrls: ['https://contoso.sharepoint.com/sites/A B'] }) },
      'input.siteWebUrls[0]',
    ],
    [
      'bulk: the same site twice',
      M.createBulk,
      { input: bulkInput({ siteWebUrls: ['https://contoso.sharepoint.com/sites/A', 'https://CONTOSO.sharepoint.com/sites/a/'] }) },
      'input.siteWebUrls[1]',
    ],
    [
      'bulk: period ends before it starts',
      M.createBulk,
      { input: bulkInput({ protectionTimePeriod: { startDateTime: '2025-06-02T00:00:00Z', endDateTime: '2025-06-01T00:00:00Z' } }) },
      'input.protectionTimePeriod.endDateTime',
    ],
    ['bulk: blank name', M.createBulk, { input: bulkInput({ displayName: '   ' }) }, 'input.displayName'],
    ['bulk: name too long', M.createBulk, { input: bulkInput({ displayName: 'n'.repeat(1025) }) }, 'input.displayName'],
  ];

  for (const [name, document, variables, argument] of cases) {
    it(`${name} → ${argument}`, async () => {
      const error = onlyError(gw, await gw.query(document, variables));
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      expect(error.message).toContain(`'${argument}'`);
      // Refused before Graph: no write, and not even a read.
      expect(graphCalls(gw.graphEntries())).toEqual([]);
    });
  }

  it('accepts the limits themselves: 50 changes in one update, a period that is one instant', async () => {
    const update = await gw.query<{ updateSharePointRestoreSession: { failures: unknown[] } }>(M.update, {
      input: {
        id: DRAFT,
        addSiteRestoreArtifacts: artifacts(49, 'IN_PLACE').slice(14),
        removeSiteRestoreArtifactIds: Array.from({ length: 15 }, () => randomUUID()),
      },
    });
    expect(update.errors).toBeUndefined();
    expect(update.data?.updateSharePointRestoreSession.failures).toHaveLength(15);
    const bulk = await gw.query(M.createBulk, {
      input: bulkInput({ protectionTimePeriod: { startDateTime: '2025-06-01T00:00:00Z', endDateTime: '2025-06-01T00:00:00Z' } }),
    });
    expect(bulk.errors).toBeUndefined();
  });
});
