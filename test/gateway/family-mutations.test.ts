import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seedPerson } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import {
  ARTIFACT,
  FAMILY_CASES,
  artifactsOf,
  familyDocuments,
  lastWeek,
  okData,
  sessionFields,
  type ArtifactView,
  type SessionView,
} from './family-mutations-support.js';
import { onlyError } from '../support/graphql.js';
import { upstreamWrites } from './family-mutations-support.js';
import { useTestGateway } from './harness.js';

// The Exchange and OneDrive writes over real HTTP against the in-process emulator (manual clock): sessions built,
// changed and filled by bulk requests, Graph's refusals as typed errors, the audit log, and read-only callers.
// Validation before any Graph call, and writes whose answer was lost, are in family-mutations-errors.test.ts.

const gw = useTestGateway();

const clockStart = (): string => gw.t.emu.seed.clockStart;

const writes = (): string[] => upstreamWrites(gw);

describe.each(FAMILY_CASES)('$label writes', (f) => {
  const M = familyDocuments(f);
  const point = (index: number, day = 0): string => f.point(index, day, clockStart());

  async function create(artifacts: Array<{ restorePointId: string; destinationType: string }>): Promise<SessionView> {
    const data = okData(await gw.query<Record<string, { restoreSession: SessionView }>>(M.create, { input: { [f.artifacts]: artifacts } }));
    return data[f.create]!.restoreSession;
  }

  async function readSession(id: string): Promise<SessionView | null> {
    const query = `query ($id: ID!) { restoreSession(id: $id) { ${sessionFields(f)} } }`;
    return okData(await gw.query<{ restoreSession: SessionView | null }>(query, { id })).restoreSession;
  }

  it('creates a draft with its first artifacts, listed with restore points of the family', async () => {
    const session = await create([
      { restorePointId: point(1), destinationType: 'NEW' },
      { restorePointId: point(2, 3), destinationType: 'NEW' },
    ]);
    expect(session).toMatchObject({ __typename: f.sessionType, status: 'DRAFT', restoreJobType: 'STANDARD', progress: { total: 2 } });
    const artifacts = artifactsOf(f, session);
    expect(artifacts.map((a) => [a.__typename, a.status, a.destinationType, a.restorePointId, a.restoreSessionId])).toEqual([
      [f.artifactType, 'ADDED', 'NEW', point(1), session.id],
      [f.artifactType, 'ADDED', 'NEW', point(2, 3), session.id],
    ]);
    for (const a of artifacts) {
      expect(a.restorePoint).toMatchObject({ id: a.restorePointId, protectionUnit: { __typename: f.unitType } });
    }
    expect(writes()).toEqual([`POST solutions/backupRestore/${f.graphSet} 201`]);
    expect(await readSession(session.id)).toEqual(session);
  });

  it('creates an empty draft from an empty input or an empty list, sending Graph an empty body', async () => {
    for (const input of [{}, { [f.artifacts]: [] }, { [f.artifacts]: null }]) {
      const data = okData(await gw.query<Record<string, { restoreSession: SessionView }>>(M.create, { input }));
      const session = data[f.create]!.restoreSession;
      expect(session).toMatchObject({ __typename: f.sessionType, status: 'DRAFT', progress: { total: 0 } });
      expect(session[f.artifacts]).toEqual({ totalCount: 0, nodes: [] });
    }
    expect(writes()).toEqual(Array.from({ length: 3 }, () => `POST solutions/backupRestore/${f.graphSet} 201`));
  });

  it('adds and removes in one update, listing what Graph refused, and answers with the session after it', async () => {
    const session = await create([
      { restorePointId: point(1), destinationType: 'IN_PLACE' },
      { restorePointId: point(2), destinationType: 'IN_PLACE' },
    ]);
    const [first, second] = artifactsOf(f, session);
    const unknownArtifact = randomUUID();
    gw.resetUpstream();
    const data = okData(
      await gw.query<
        Record<
          string,
          {
            addedArtifacts: ArtifactView[];
            failures: Array<Record<string, unknown>>;
            restoreSession: SessionView;
          }
        >
      >(M.update, {
        input: {
          id: session.id,
          [f.adds]: [
            { restorePointId: point(3), destinationType: 'IN_PLACE' },
            // Unit 2 stays in the session: Graph refuses a second artifact of it inside its 200.
            { restorePointId: point(2, 4), destinationType: 'IN_PLACE' },
            { restorePointId: point(4, 1), destinationType: 'IN_PLACE' },
          ],
          [f.removes]: [first!.id, unknownArtifact],
        },
      }),
    );
    const payload = data[f.update]!;
    expect(payload.addedArtifacts.map((a) => [a.__typename, a.restorePointId, a.status, a.destinationType, a.restoreSessionId])).toEqual([
      [f.artifactType, point(3), 'ADDED', 'IN_PLACE', session.id],
      [f.artifactType, point(4, 1), 'ADDED', 'IN_PLACE', session.id],
    ]);
    expect(payload.failures).toEqual([
      {
        operation: 'ADD',
        artifactId: null,
        restorePointId: point(2, 4),
        code: 'DuplicateArtifactInList',
        message: expect.stringContaining('only once'),
      },
      {
        operation: 'REMOVE',
        artifactId: unknownArtifact,
        restorePointId: null,
        code: 'Invalid',
        message: 'The identifier to be removed from the Restore Session does not exist',
      },
    ]);
    expect(payload.restoreSession.progress.total).toBe(3);
    expect(
      artifactsOf(f, payload.restoreSession)
        .map((a) => a.id)
        .sort(),
    ).toEqual([second!.id, ...payload.addedArtifacts.map((a) => a.id)].sort());
    expect(writes()).toEqual([`PATCH solutions/backupRestore/${f.graphSet}/${session.id} 200`]);
    expect(await readSession(session.id)).toEqual(payload.restoreSession);
  });

  it('adds one artifact; the payload and a later field of the same document see it', async () => {
    const session = await create([{ restorePointId: point(1), destinationType: 'NEW' }]);
    gw.resetUpstream();
    const nested = `${f.added} { ${ARTIFACT} restoreSession { id progress { total } ... on ${f.sessionType} { ${f.artifacts} { nodes { id } } } } }`;
    const data = okData(
      await gw.query<Record<string, Record<string, ArtifactView & { restoreSession: SessionView }>>>(
        `mutation ($a: ${f.addInput}!, $b: ${f.addInput}!) {
          first: ${f.add}(input: $a) { ${nested} }
          second: ${f.add}(input: $b) { ${nested} }
        }`,
        {
          a: { restoreSessionId: session.id, restorePointId: point(6, 2), destinationType: 'NEW' },
          b: { restoreSessionId: session.id, restorePointId: point(7), destinationType: 'NEW' },
        },
      ),
    );
    const first = data.first![f.added]!;
    const second = data.second![f.added]!;
    expect(first).toMatchObject({
      __typename: f.artifactType,
      status: 'ADDED',
      destinationType: 'NEW',
      restorePointId: point(6, 2),
      restoreSessionId: session.id,
      restorePoint: { protectionUnit: { __typename: f.unitType } },
    });
    expect(first.restoreSession.progress.total).toBe(2);
    expect(artifactsOf(f, first.restoreSession).map((a) => a.id)).toContain(first.id);
    // The second field re-reads the session after its own write: it sees both additions.
    expect(second.restoreSession.progress.total).toBe(3);
    expect(artifactsOf(f, second.restoreSession).map((a) => a.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    const patches = writes();
    expect(patches).toEqual([
      `PATCH solutions/backupRestore/${f.graphSet}/${session.id} 200`,
      `PATCH solutions/backupRestore/${f.graphSet}/${session.id} 200`,
    ]);
  });

  it("refuses a second artifact of the same unit as the field's error, with Graph's code", async () => {
    const session = await create([{ restorePointId: point(1), destinationType: 'NEW' }]);
    gw.resetUpstream();
    const error = onlyError(
      gw,
      await gw.query(M.add, { input: { restoreSessionId: session.id, restorePointId: point(1, 5), destinationType: 'NEW' } }),
    );
    expect(error.path).toEqual([f.add]);
    expect(error.extensions).toMatchObject({ code: 'ACTION_NOT_ALLOWED', graph: { status: 409, code: 'DuplicateArtifactInList' } });
    // The refusal came inside the PATCH's 200: its ids are the PATCH's, for a support case.
    const [patch] = gw.graphEntries().filter((e) => e.method === 'PATCH');
    expect(error.extensions?.graph).toMatchObject({ requestId: patch!.requestId, clientRequestId: patch!.clientRequestId });
    expect(patch!.requestId).toEqual(expect.any(String));
    expect(error.message).toMatch(/only once/);
    expect((await readSession(session.id))?.progress.total).toBe(1);
    expect(gw.loggedErrors).toEqual([]);
  });

  it('refuses an addition Graph finds invalid as BAD_USER_INPUT with its code: an unknown point, another destination', async () => {
    const session = await create([{ restorePointId: point(1), destinationType: 'NEW' }]);
    gw.resetUpstream();
    const attempts: Array<[string, string, string]> = [
      [`${point(1, 0).slice(0, -1)}9`, 'NEW', 'InvalidRestorePoint'],
      [point(2), 'IN_PLACE', 'DifferentRestoreDestinationType'],
    ];
    for (const [restorePointId, destinationType, graphCode] of attempts) {
      const error = onlyError(gw, await gw.query(M.add, { input: { restoreSessionId: session.id, restorePointId, destinationType } }));
      expect(error.extensions, graphCode).toMatchObject({ code: 'BAD_USER_INPUT', graph: { status: 400, code: graphCode } });
    }
    expect(writes()).toHaveLength(2);
    expect((await readSession(session.id))?.progress.total).toBe(1);
  });

  it('activates and deletes its sessions through the family-agnostic mutations', async () => {
    const full = await create([{ restorePointId: point(1), destinationType: 'NEW' }]);
    const empty = await create([]);
    const data = okData(
      await gw.query<{ activate: { restoreSession: { __typename: string; status: string } }; del: { deletedRestoreSessionId: string } }>(
        `mutation ($full: ID!, $empty: ID!) {
          activate: activateRestoreSession(id: $full) { restoreSession { __typename status } }
          del: deleteRestoreSession(id: $empty) { deletedRestoreSessionId }
        }`,
        { full: full.id, empty: empty.id },
      ),
    );
    expect(data).toEqual({
      activate: { restoreSession: { __typename: f.sessionType, status: 'ACTIVATING' } },
      del: { deletedRestoreSessionId: empty.id },
    });
    expect(await readSession(empty.id)).toBeNull();
    gw.t.emu.advanceClock(3_600_000);
    const done = await readSession(full.id);
    expect(done?.status).toBe('COMPLETED');
    expect(artifactsOf(f, done!).map((a) => a.status)).toEqual(['SUCCEEDED']);
  });

  it('refuses update, add and bulk requests once the session is activated', async () => {
    const session = await create([{ restorePointId: point(1), destinationType: 'NEW' }]);
    okData(await gw.query(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }`, { id: session.id }));
    gw.resetUpstream();
    const attempts: Array<[string, string, Record<string, unknown>]> = [
      ['update', M.update, { input: { id: session.id, [f.adds]: [{ restorePointId: point(2), destinationType: 'NEW' }] } }],
      ['update (remove)', M.update, { input: { id: session.id, [f.removes]: [artifactsOf(f, session)[0]!.id] } }],
      ['add', M.add, { input: { restoreSessionId: session.id, restorePointId: point(2), destinationType: 'NEW' } }],
      [
        'bulk',
        M.createBulk,
        {
          input: {
            restoreSessionId: session.id,
            displayName: 'late',
            [f.owners]: [f.address(2)],
            destinationType: 'NEW',
            protectionTimePeriod: lastWeek(clockStart()),
          },
        },
      ],
    ];
    for (const [name, document, variables] of attempts) {
      const error = onlyError(gw, await gw.query(document, variables));
      expect(error.extensions, name).toMatchObject({
        code: 'ACTION_NOT_ALLOWED',
        graph: { status: 403, code: 'RestoreSessionActionNotAllowed' },
      });
    }
    expect(gw.loggedErrors).toEqual([]);
  });

  it('answers NOT_FOUND for a session of another family and for an unknown session', async () => {
    const bulkInput = (restoreSessionId: string): Record<string, unknown> => ({
      input: {
        restoreSessionId,
        displayName: 'x',
        [f.owners]: [f.address(2)],
        destinationType: 'NEW',
        protectionTimePeriod: lastWeek(clockStart()),
      },
    });
    for (const id of [f.otherFamilyDraft, randomUUID()]) {
      const attempts: Array<[string, string, Record<string, unknown>]> = [
        ['update', M.update, { input: { id, [f.removes]: [randomUUID()] } }],
        ['add', M.add, { input: { restoreSessionId: id, restorePointId: point(2), destinationType: 'NEW' } }],
        ['bulk', M.createBulk, bulkInput(id)],
        ['delete bulk', M.deleteBulk, { restoreSessionId: id, id: randomUUID() }],
      ];
      for (const [name, document, variables] of attempts) {
        const error = onlyError(gw, await gw.query(document, variables));
        expect(error.extensions, `${name} ${id}`).toMatchObject({
          code: 'NOT_FOUND',
          graph: { status: 404, code: 'RestoreSessionNotFound' },
        });
      }
    }
    // The other family's draft is untouched.
    const other = await gw.query<{ restoreSession: { status: string; progress: { total: number } } }>(
      `query ($id: ID!) { restoreSession(id: $id) { status progress { total } } }`,
      { id: f.otherFamilyDraft },
    );
    expect(other.data?.restoreSession).toEqual({ status: 'DRAFT', progress: { total: 3 } });
  });
});

describe.each(FAMILY_CASES)('$label bulk addition requests', (f) => {
  const M = familyDocuments(f);
  const point = (index: number, day = 0): string => f.point(index, day, clockStart());

  interface BulkView {
    __typename: string;
    id: string;
    status: string;
    isTerminal: boolean;
    error: { code: string; details: Array<{ code: string; target: string }> } | null;
  }
  const BULK_SESSION = `query ($id: ID!) { restoreSession(id: $id) { ${sessionFields(f)}
    ... on ${f.sessionType} { ${f.bulkList} { __typename id status isTerminal error { code details { code target } } } }
  } }`;
  const bulkSession = async (id: string): Promise<SessionView> =>
    okData(await gw.query<{ restoreSession: SessionView }>(BULK_SESSION, { id })).restoreSession;
  const bulkList = (session: SessionView): BulkView[] => session[f.bulkList] as BulkView[];

  it('names owners by address and by directory object id, resolves them at activation, and reports the unknown one', async () => {
    const unknown = 'nobody@contoso.onmicrosoft.com';
    const empty = okData(await gw.query<Record<string, { restoreSession: SessionView }>>(M.create, { input: {} }));
    const sessionId = empty[f.create]!.restoreSession.id;
    const period = lastWeek(clockStart());
    const created = okData(
      await gw.query<Record<string, { bulkAdditionRequest: Record<string, unknown> & { id: string } }>>(M.createBulk, {
        input: {
          restoreSessionId: sessionId,
          displayName: 'Sales, last week',
          [f.owners]: [f.address(0), unknown, f.address(1)],
          directoryObjectIds: [seedPerson(3).id],
          destinationType: 'NEW',
          protectionTimePeriod: period,
          restorePointPreference: 'LATEST',
        },
      }),
    );
    const request = created[f.createBulk]!.bulkAdditionRequest;
    expect(request).toMatchObject({
      __typename: f.bulkType,
      restoreSessionId: sessionId,
      displayName: 'Sales, last week',
      status: 'ACTIVE',
      isTerminal: false,
      destinationType: 'NEW',
      restorePointPreference: 'LATEST',
      protectionTimePeriod: { startDateTime: period.startDateTime, endDateTime: period.endDateTime },
    });
    expect(await bulkSession(sessionId)).toMatchObject({
      status: 'DRAFT',
      restoreJobType: 'BULK',
      [f.bulkList]: [{ __typename: f.bulkType, id: request.id, status: 'ACTIVE', error: null }],
    });

    // Still active: Graph refuses to delete it.
    const early = onlyError(gw, await gw.query(M.deleteBulk, { restoreSessionId: sessionId, id: request.id }));
    expect(early.extensions).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      graph: { status: 403, code: 'InvalidStateForBulkRequestDeletion' },
    });

    okData(await gw.query(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { status } } }`, { id: sessionId }));
    gw.t.emu.advanceClock(1_000);
    const resolved = await bulkSession(sessionId);
    expect(bulkList(resolved)).toEqual([
      {
        __typename: f.bulkType,
        id: request.id,
        status: 'COMPLETED_WITH_ERRORS',
        isTerminal: true,
        error: { code: 'BulkRestoreArtifactsNotResolved', details: [{ code: 'UserNotBackedup', target: unknown }] },
      },
    ]);
    expect(resolved.progress.total).toBe(3);
    expect(
      artifactsOf(f, resolved).map((a) => [a.__typename, a.destinationType, a.restorePointId, a.restorePoint?.protectionUnit?.__typename]),
    ).toEqual([
      [f.artifactType, 'NEW', point(0), f.unitType],
      [f.artifactType, 'NEW', point(1), f.unitType],
      [f.artifactType, 'NEW', point(3), f.unitType],
    ]);

    gw.t.emu.advanceClock(3_600_000);
    expect((await bulkSession(sessionId)).status).toBe('COMPLETED');
    const deleted = okData(
      await gw.query<Record<string, { deletedBulkAdditionRequestId: string }>>(M.deleteBulk, {
        restoreSessionId: sessionId,
        id: request.id,
      }),
    );
    expect(deleted[f.deleteBulk]!.deletedBulkAdditionRequestId).toBe(request.id);
    expect(bulkList(await bulkSession(sessionId))).toEqual([]);
  });

  it('resolves the family of each request through the RestoreArtifactsBulkAdditionRequest interface', async () => {
    const empty = okData(await gw.query<Record<string, { restoreSession: SessionView }>>(M.create, { input: {} }));
    const sessionId = empty[f.create]!.restoreSession.id;
    okData(
      await gw.query(M.createBulk, {
        input: {
          restoreSessionId: sessionId,
          displayName: 'one',
          [f.owners]: [f.address(2)],
          destinationType: 'IN_PLACE',
          protectionTimePeriod: lastWeek(clockStart()),
        },
      }),
    );
    const res = await gw.query<{ restoreSession: Record<string, Array<Record<string, unknown>>> }>(
      `fragment shared on RestoreArtifactsBulkAdditionRequest {
        __typename id restoreSessionId displayName status destinationType
        ... on MailboxRestoreArtifactsBulkAdditionRequest { mailboxes }
        ... on DriveRestoreArtifactsBulkAdditionRequest { drives }
        ... on SiteRestoreArtifactsBulkAdditionRequest { siteWebUrls }
      }
      query ($id: ID!) { restoreSession(id: $id) {
        ... on ExchangeRestoreSession { mailboxRestoreArtifactsBulkAdditionRequests { ...shared } }
        ... on OneDriveForBusinessRestoreSession { driveRestoreArtifactsBulkAdditionRequests { ...shared } }
      } }`,
      { id: sessionId },
    );
    expect(res.errors).toBeUndefined();
    const [request] = res.data!.restoreSession[f.bulkList]!;
    expect(request).toMatchObject({
      __typename: f.bulkType,
      restoreSessionId: sessionId,
      displayName: 'one',
      status: 'ACTIVE',
      destinationType: 'IN_PLACE',
    });
    // Only the family's own fragment applied: the other families' fields are absent, not null.
    const others = ['mailboxes', 'drives', 'siteWebUrls'].filter((k) => k !== f.owners);
    for (const k of others) expect(request).not.toHaveProperty(k);
    expect(request).toHaveProperty(f.owners);
  });
});

describe.each(FAMILY_CASES)('$label audit and access', (f) => {
  const M = familyDocuments(f);
  const point = (index: number, day = 0): string => f.point(index, day, clockStart());

  it('writes one audit line per mutation, naming it, its session and what it created', async () => {
    const lines = gw.logLines.length;
    const created = okData(
      await gw.query<Record<string, { restoreSession: SessionView }>>(M.create, {
        input: { [f.artifacts]: [{ restorePointId: point(1), destinationType: 'NEW' }] },
      }),
    )[f.create]!.restoreSession;
    okData(await gw.query(M.update, { input: { id: created.id, [f.adds]: [{ restorePointId: point(2), destinationType: 'NEW' }] } }));
    const added = okData(
      await gw.query<Record<string, Record<string, ArtifactView>>>(M.add, {
        input: { restoreSessionId: created.id, restorePointId: point(3), destinationType: 'NEW' },
      }),
    )[f.add]![f.added]!;
    const empty = okData(await gw.query<Record<string, { restoreSession: SessionView }>>(M.create, { input: {} }))[f.create]!
      .restoreSession;
    const bulk = okData(
      await gw.query<Record<string, { bulkAdditionRequest: { id: string } }>>(M.createBulk, {
        input: {
          restoreSessionId: empty.id,
          displayName: 'audit',
          [f.owners]: [f.address(2)],
          destinationType: 'NEW',
          protectionTimePeriod: lastWeek(clockStart()),
        },
      }),
    )[f.createBulk]!.bulkAdditionRequest;
    okData(await gw.query(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }`, { id: empty.id }));
    gw.t.emu.advanceClock(1_000);
    okData(await gw.query(M.deleteBulk, { restoreSessionId: empty.id, id: bulk.id }));

    const audit = gw.logLines
      .slice(lines)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.component === 'audit');
    expect(audit.map((a) => [a.mutation, a.outcome, a.restoreSessionId])).toEqual([
      [f.create, 'succeeded', created.id],
      [f.update, 'succeeded', created.id],
      [f.add, 'succeeded', created.id],
      [f.create, 'succeeded', empty.id],
      [f.createBulk, 'succeeded', empty.id],
      ['activateRestoreSession', 'succeeded', empty.id],
      [f.deleteBulk, 'succeeded', empty.id],
    ]);
    const [create, update, add, , createBulk, , deleteBulk] = audit;
    expect(create!.graph).toEqual([expect.objectContaining({ method: 'POST', status: 201 })]);
    expect(update!.graph).toEqual([expect.objectContaining({ method: 'PATCH', status: 200 })]);
    expect(add).toMatchObject({ [`${f.added}Id`]: added.id, graph: [{ method: 'PATCH', status: 200 }] });
    expect(createBulk).toMatchObject({ bulkAdditionRequestId: bulk.id, graph: [{ method: 'POST', status: 201 }] });
    expect(deleteBulk).toMatchObject({ bulkAdditionRequestId: bulk.id, graph: [{ method: 'DELETE', status: 204 }] });
  });

  it('refuses a read-only caller every new mutation with FORBIDDEN before anything reaches Graph', async () => {
    const draft = randomUUID();
    const attempts: Array<[string, string, Record<string, unknown>]> = [
      [f.create, M.create, { input: { [f.artifacts]: [{ restorePointId: point(1), destinationType: 'NEW' }] } }],
      [f.update, M.update, { input: { id: draft, [f.adds]: [{ restorePointId: point(1), destinationType: 'NEW' }] } }],
      [f.add, M.add, { input: { restoreSessionId: draft, restorePointId: point(1), destinationType: 'NEW' } }],
      [
        f.createBulk,
        M.createBulk,
        {
          input: {
            restoreSessionId: draft,
            displayName: 'r',
            [f.owners]: [f.address(2)],
            destinationType: 'NEW',
            protectionTimePeriod: lastWeek(clockStart()),
          },
        },
      ],
      [f.deleteBulk, M.deleteBulk, { restoreSessionId: draft, id: randomUUID() }],
      // The permission is checked before the arguments: an invalid input is FORBIDDEN too, not BAD_USER_INPUT.
      [f.update, M.update, { input: { id: 'not-a-guid' } }],
    ];
    const lines = gw.logLines.length;
    for (const [field, document, variables] of attempts) {
      const error = onlyError(gw, await gw.queryAs('reader', document, variables));
      expect(error.path, field).toEqual([field]);
      expect(error.extensions, field).toEqual({ code: 'FORBIDDEN' });
    }
    expect(graphCalls(gw.graphEntries())).toEqual([]);
    const audit = gw.logLines
      .slice(lines)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.component === 'audit');
    expect(audit.map((a) => [a.mutation, a.outcome, a.code, a.graph])).toEqual(
      attempts.map(([field]) => [field, 'refused', 'FORBIDDEN', []]),
    );
  });
});
