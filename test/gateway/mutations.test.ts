import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, seedRestorePointId, stableGuid } from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import type { GraphQLResponse } from '../support/graphql.js';
import { useTestGateway } from './harness.js';

// Every mutation of the contract over real HTTP against the in-process emulator (manual clock), the
// whole life of a session seen through queries, bulk additions, and what later fields of one
// mutation document read after a write.

const gw = useTestGateway();

/** Seed draft session: 3 in-place artifacts (sites 11, 12, 13). */
const DRAFT = SEED_SESSION_IDS.draft;
const DRAFT_ARTIFACT = (n: number): string => stableGuid(`artifact:draft:${n}`);

async function ok<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
  const res: GraphQLResponse<T> = await gw.query<T>(document, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data!;
}

interface ArtifactView {
  id: string;
  status: string;
  destinationType: string;
  restorePointId: string | null;
  restoreSessionId: string;
}
interface SessionView {
  id: string;
  status: string;
  restoreJobType: string | null;
  isTerminal: boolean;
  completedDateTime: string | null;
  progress: { total: number; inProgress: number; completed: number; failed: number };
  siteRestoreArtifacts?: { totalCount: number | null; nodes: ArtifactView[] };
}

const ARTIFACT = `id status destinationType restorePointId restoreSessionId`;
const SESSION = `
  id status restoreJobType isTerminal completedDateTime
  progress { total inProgress completed failed }
  ... on SharePointRestoreSession { siteRestoreArtifacts(first: 100) { totalCount nodes { ${ARTIFACT} } } }
`;

async function readSession(id: string): Promise<SessionView | null> {
  return (await ok<{ restoreSession: SessionView | null }>(`query ($id: ID!) { restoreSession(id: $id) { ${SESSION} } }`, { id }))
    .restoreSession;
}

/** Graph calls other than reads: what a mutation wrote upstream. */
const writes = (): string[] =>
  graphCalls(gw.graphEntries())
    .filter((e) => e.method !== 'GET')
    .map((e) => `${e.method} ${e.path} ${e.status}`);

describe('createSharePointRestoreSession', () => {
  it('creates a draft with its first sites, answering with the session Graph created', async () => {
    const data = await ok<{ createSharePointRestoreSession: { restoreSession: SessionView } }>(
      `mutation ($input: CreateSharePointRestoreSessionInput!) { createSharePointRestoreSession(input: $input) { restoreSession { ${SESSION} } } }`,
      {
        input: {
          siteRestoreArtifacts: [
            { restorePointId: seedRestorePointId(20, 0), destinationType: 'NEW' },
            { restorePointId: seedRestorePointId(21, 1), destinationType: 'NEW' },
          ],
        },
      },
    );
    const created = data.createSharePointRestoreSession.restoreSession;
    expect(created).toMatchObject({
      status: 'DRAFT',
      restoreJobType: 'STANDARD',
      isTerminal: false,
      completedDateTime: null,
      progress: { total: 2 },
    });
    expect(created.siteRestoreArtifacts?.nodes.map((a) => [a.status, a.destinationType, a.restorePointId, a.restoreSessionId])).toEqual([
      ['ADDED', 'NEW', seedRestorePointId(20, 0), created.id],
      ['ADDED', 'NEW', seedRestorePointId(21, 1), created.id],
    ]);
    expect(writes()).toEqual(['POST solutions/backupRestore/sharePointRestoreSessions 201']);
    // The payload's session is Graph's answer, not a second read.
    expect(graphCalls(gw.graphEntries()).filter((e) => e.path === `solutions/backupRestore/restoreSessions/${created.id}`)).toEqual([]);
    expect(await readSession(created.id)).toEqual(created);
  });

  it('creates an empty draft (for a bulk addition request) from an empty input or an empty list', async () => {
    for (const input of [{}, { siteRestoreArtifacts: [] }, { siteRestoreArtifacts: null }]) {
      const data = await ok<{ createSharePointRestoreSession: { restoreSession: SessionView } }>(
        `mutation ($input: CreateSharePointRestoreSessionInput!) { createSharePointRestoreSession(input: $input) { restoreSession { ${SESSION} } } }`,
        { input },
      );
      expect(data.createSharePointRestoreSession.restoreSession).toMatchObject({
        status: 'DRAFT',
        progress: { total: 0 },
        siteRestoreArtifacts: { totalCount: 0, nodes: [] },
      });
    }
  });
});

describe('updateSharePointRestoreSession', () => {
  const UPDATE = `mutation ($input: UpdateSharePointRestoreSessionInput!) {
    updateSharePointRestoreSession(input: $input) {
      addedArtifacts { ${ARTIFACT} }
      failures { operation artifactId restorePointId code message }
      restoreSession { ${SESSION} }
    }
  }`;
  interface UpdatePayload {
    updateSharePointRestoreSession: {
      addedArtifacts: ArtifactView[];
      failures: Array<{ operation: string; artifactId: string | null; restorePointId: string | null; code: string; message: string }>;
      restoreSession: SessionView | null;
    };
  }

  it('adds and removes artifacts in one @delta PATCH, listing what Graph added and refused, and the session after it', async () => {
    const unknownArtifact = randomUUID();
    const unknownPoint = 'c0ffee00-0000-4000-a000-000000000000_1748822400_14_1';
    const data = await ok<UpdatePayload>(UPDATE, {
      input: {
        id: DRAFT,
        addSiteRestoreArtifacts: [
          { restorePointId: seedRestorePointId(30, 0), destinationType: 'IN_PLACE' },
          { restorePointId: unknownPoint, destinationType: 'IN_PLACE' },
          { restorePointId: seedRestorePointId(31, 2), destinationType: 'IN_PLACE' },
        ],
        removeSiteRestoreArtifactIds: [DRAFT_ARTIFACT(0), unknownArtifact],
      },
    });
    const payload = data.updateSharePointRestoreSession;
    expect(payload.addedArtifacts.map((a) => [a.restorePointId, a.status, a.destinationType, a.restoreSessionId])).toEqual([
      [seedRestorePointId(30, 0), 'ADDED', 'IN_PLACE', DRAFT],
      [seedRestorePointId(31, 2), 'ADDED', 'IN_PLACE', DRAFT],
    ]);
    expect(payload.failures).toEqual([
      {
        operation: 'ADD',
        artifactId: null,
        restorePointId: unknownPoint,
        code: 'InvalidRestorePoint',
        message: expect.stringContaining('not valid'),
      },
      {
        operation: 'REMOVE',
        artifactId: unknownArtifact,
        restorePointId: null,
        code: 'Invalid',
        message: 'The identifier to be removed from the Restore Session does not exist',
      },
    ]);
    // Graph answers the delta only: the session is read again, after the write.
    const session = payload.restoreSession!;
    expect(session.progress.total).toBe(4);
    expect(session.siteRestoreArtifacts?.nodes.map((a) => a.id).sort()).toEqual(
      [DRAFT_ARTIFACT(1), DRAFT_ARTIFACT(2), ...payload.addedArtifacts.map((a) => a.id)].sort(),
    );
    expect(writes()).toEqual([`PATCH solutions/backupRestore/sharePointRestoreSessions/${DRAFT} 200`]);
    expect(await readSession(DRAFT)).toEqual(session);
  });

  it('reads the session only when the payload asks for it', async () => {
    await ok(
      `mutation ($id: ID!, $rm: ID!) { updateSharePointRestoreSession(input: { id: $id, removeSiteRestoreArtifactIds: [$rm] }) { failures { code } } }`,
      { id: DRAFT, rm: DRAFT_ARTIFACT(2) },
    );
    expect(graphCalls(gw.graphEntries()).map((e) => e.method)).toEqual(['PATCH']);
  });
});

describe('addSiteRestoreArtifact', () => {
  it('adds one site to a draft and answers with the artifact Graph created', async () => {
    const data = await ok<{
      addSiteRestoreArtifact: { siteRestoreArtifact: ArtifactView & { restorePoint: { protectionUnit: { siteName: string } } } };
    }>(
      `mutation ($input: AddSiteRestoreArtifactInput!) {
        addSiteRestoreArtifact(input: $input) { siteRestoreArtifact { ${ARTIFACT} restorePoint { protectionUnit { ... on SiteProtectionUnit { siteName } } } } }
      }`,
      { input: { restoreSessionId: DRAFT, restorePointId: seedRestorePointId(40, 3), destinationType: 'IN_PLACE' } },
    );
    const artifact = data.addSiteRestoreArtifact.siteRestoreArtifact;
    expect(artifact).toMatchObject({
      status: 'ADDED',
      destinationType: 'IN_PLACE',
      restorePointId: seedRestorePointId(40, 3),
      restoreSessionId: DRAFT,
    });
    expect(artifact.restorePoint.protectionUnit.siteName).toBe('Finance03');
    expect(writes()).toEqual([`POST solutions/backupRestore/sharePointRestoreSessions/${DRAFT}/siteRestoreArtifacts 201`]);
    expect((await readSession(DRAFT))?.siteRestoreArtifacts?.nodes.map((a) => a.id)).toContain(artifact.id);
  });
});

describe('deleteRestoreSession', () => {
  it('deletes a draft; afterwards Graph no longer knows it', async () => {
    const data = await ok<{ deleteRestoreSession: { deletedRestoreSessionId: string } }>(
      `mutation ($id: ID!) { deleteRestoreSession(id: $id) { deletedRestoreSessionId } }`,
      { id: DRAFT },
    );
    expect(data.deleteRestoreSession.deletedRestoreSessionId).toBe(DRAFT);
    expect(writes()).toEqual([`DELETE solutions/backupRestore/restoreSessions/${DRAFT} 204`]);
    expect(await readSession(DRAFT)).toBeNull();
  });
});

describe('activateRestoreSession', () => {
  it('answers with the session as Graph returned it from the activation: ACTIVATING', async () => {
    const data = await ok<{ activateRestoreSession: { restoreSession: SessionView & { __typename: string } } }>(
      `mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { __typename ${SESSION} } } }`,
      { id: DRAFT },
    );
    expect(data.activateRestoreSession.restoreSession).toMatchObject({
      __typename: 'SharePointRestoreSession',
      id: DRAFT,
      status: 'ACTIVATING',
      progress: { total: 3, inProgress: 3 },
    });
    expect(writes()).toEqual([`POST solutions/backupRestore/restoreSessions/${DRAFT}/activate 200`]);
  });
});

describe('the life of a restore session, seen through queries', () => {
  it('draft → update → activate → ACTIVE → COMPLETED as the emulator clock advances', async () => {
    const created = await ok<{ createSharePointRestoreSession: { restoreSession: SessionView } }>(
      `mutation { createSharePointRestoreSession(input: { siteRestoreArtifacts: [
        { restorePointId: "${seedRestorePointId(50, 0)}", destinationType: NEW },
        { restorePointId: "${seedRestorePointId(51, 0)}", destinationType: NEW }
      ] }) { restoreSession { ${SESSION} } } }`,
    );
    const id = created.createSharePointRestoreSession.restoreSession.id;
    const first = created.createSharePointRestoreSession.restoreSession.siteRestoreArtifacts!.nodes[0]!.id;
    expect(await readSession(id)).toMatchObject({ status: 'DRAFT', progress: { total: 2 } });

    await ok(
      `mutation ($id: ID!, $rm: ID!, $rp: ID!) {
        updateSharePointRestoreSession(input: { id: $id, removeSiteRestoreArtifactIds: [$rm], addSiteRestoreArtifacts: [{ restorePointId: $rp, destinationType: NEW }] }) {
          failures { code }
        }
      }`,
      { id, rm: first, rp: seedRestorePointId(52, 1) },
    );
    const updated = await readSession(id);
    expect(updated).toMatchObject({ status: 'DRAFT', progress: { total: 2 } });
    expect(updated!.siteRestoreArtifacts!.nodes.map((a) => a.restorePointId).sort()).toEqual(
      [seedRestorePointId(51, 0), seedRestorePointId(52, 1)].sort(),
    );

    const activated = await ok<{ activateRestoreSession: { restoreSession: SessionView } }>(
      `mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id status } } }`,
      { id },
    );
    expect(activated.activateRestoreSession.restoreSession.status).toBe('ACTIVATING');
    expect((await readSession(id))?.siteRestoreArtifacts?.nodes.map((a) => a.status)).toEqual(['SCHEDULING', 'SCHEDULING']);

    gw.t.emu.advanceClock(1_000);
    expect(await readSession(id)).toMatchObject({ status: 'ACTIVE', isTerminal: false, progress: { inProgress: 2 } });

    gw.t.emu.advanceClock(60_000);
    const done = await readSession(id);
    expect(done).toMatchObject({ status: 'COMPLETED', isTerminal: true, progress: { total: 2, completed: 2, failed: 0, inProgress: 0 } });
    expect(done?.completedDateTime).not.toBeNull();
    expect(done?.siteRestoreArtifacts?.nodes.map((a) => a.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});

describe('bulk addition requests', () => {
  const CREATE_BULK = `mutation ($input: CreateSiteRestoreArtifactsBulkAdditionRequestInput!) {
    createSiteRestoreArtifactsBulkAdditionRequest(input: $input) {
      bulkAdditionRequest { id restoreSessionId displayName status isTerminal destinationType restorePointPreference tags protectionTimePeriod { startDateTime endDateTime } }
    }
  }`;
  const DELETE_BULK = `mutation ($sessionId: ID!, $id: ID!) {
    deleteSiteRestoreArtifactsBulkAdditionRequest(restoreSessionId: $sessionId, id: $id) { deletedBulkAdditionRequestId }
  }`;
  const BULK_SESSION = `query ($id: ID!) { restoreSession(id: $id) { ${SESSION}
    ... on SharePointRestoreSession { siteRestoreArtifactsBulkAdditionRequests { id status isTerminal error { code details { code target } } } }
  } }`;
  interface BulkSession extends SessionView {
    siteRestoreArtifactsBulkAdditionRequests: Array<{
      id: string;
      status: string;
      isTerminal: boolean;
      error: { code: string; details: Array<{ code: string; target: string }> } | null;
    }>;
  }
  const bulkSession = async (id: string): Promise<BulkSession> =>
    (await ok<{ restoreSession: BulkSession }>(BULK_SESSION, { id })).restoreSession;

  it('adds sites by URL to an empty draft, resolves them at activation, and ends COMPLETED_WITH_ERRORS for an unknown site', async () => {
    const unknownSite = 'https://contoso.sharepoint.com/sites/NoSuchSite';
    const created = await ok<{ createSharePointRestoreSession: { restoreSession: { id: string } } }>(
      `mutation { createSharePointRestoreSession(input: {}) { restoreSession { id } } }`,
    );
    const sessionId = created.createSharePointRestoreSession.restoreSession.id;
    const bulk = await ok<{
      createSiteRestoreArtifactsBulkAdditionRequest: { bulkAdditionRequest: Record<string, unknown> & { id: string } };
    }>(CREATE_BULK, {
      input: {
        restoreSessionId: sessionId,
        displayName: 'Finance and legal, last week',
        siteWebUrls: ['https://contoso.sharepoint.com/sites/Finance01', 'https://contoso.sharepoint.com/sites/Legal01', unknownSite],
        destinationType: 'NEW',
        protectionTimePeriod: { startDateTime: '2025-05-26T00:00:00Z', endDateTime: '2025-06-02T00:00:00Z' },
        restorePointPreference: 'LATEST',
        tags: 'FAST_RESTORE',
      },
    });
    const request = bulk.createSiteRestoreArtifactsBulkAdditionRequest.bulkAdditionRequest;
    expect(request).toMatchObject({
      restoreSessionId: sessionId,
      displayName: 'Finance and legal, last week',
      status: 'ACTIVE',
      isTerminal: false,
      destinationType: 'NEW',
      restorePointPreference: 'LATEST',
      tags: 'FAST_RESTORE',
      protectionTimePeriod: { startDateTime: '2025-05-26T00:00:00.000Z', endDateTime: '2025-06-02T00:00:00.000Z' },
    });
    expect(await bulkSession(sessionId)).toMatchObject({
      status: 'DRAFT',
      restoreJobType: 'BULK',
      siteRestoreArtifactsBulkAdditionRequests: [{ id: request.id, status: 'ACTIVE', error: null }],
    });

    // Still active: Graph refuses to delete it.
    const early = await gw.query(DELETE_BULK, { sessionId, id: request.id });
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      graph: { status: 403, code: 'InvalidStateForBulkRequestDeletion' },
    });

    await ok(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { status } } }`, { id: sessionId });
    gw.t.emu.advanceClock(1_000);
    const resolved = await bulkSession(sessionId);
    expect(resolved.siteRestoreArtifactsBulkAdditionRequests).toEqual([
      {
        id: request.id,
        status: 'COMPLETED_WITH_ERRORS',
        isTerminal: true,
        error: { code: 'BulkRestoreArtifactsNotResolved', details: [{ code: 'SiteUrlNotFound', target: unknownSite }] },
      },
    ]);
    expect(resolved.progress.total).toBe(2);
    expect(resolved.siteRestoreArtifacts?.nodes.map((a) => [a.destinationType, a.restorePointId])).toEqual([
      ['NEW', seedRestorePointId(0, 0)],
      ['NEW', seedRestorePointId(1, 0)],
    ]);

    gw.t.emu.advanceClock(60_000);
    expect(await bulkSession(sessionId)).toMatchObject({ status: 'COMPLETED', progress: { completed: 2 } });

    const deleted = await ok<{ deleteSiteRestoreArtifactsBulkAdditionRequest: { deletedBulkAdditionRequestId: string } }>(DELETE_BULK, {
      sessionId,
      id: request.id,
    });
    expect(deleted.deleteSiteRestoreArtifactsBulkAdditionRequest.deletedBulkAdditionRequestId).toBe(request.id);
    expect((await bulkSession(sessionId)).siteRestoreArtifactsBulkAdditionRequests).toEqual([]);
  });
});

describe('later fields of the same operation read what Graph holds after a write', () => {
  it('activate, then nested reads in its payload: the activated session and its scheduling artifacts, the session not read again', async () => {
    const data = await ok<{
      activateRestoreSession: {
        restoreSession: {
          status: string;
          siteRestoreArtifacts: { nodes: Array<{ status: string; restoreSession: { id: string; status: string } }> };
        };
      };
    }>(
      `mutation ($id: ID!) {
        activateRestoreSession(id: $id) {
          restoreSession {
            status
            ... on SharePointRestoreSession { siteRestoreArtifacts { nodes { status restoreSession { id status } } } }
          }
        }
      }`,
      { id: DRAFT },
    );
    const session = data.activateRestoreSession.restoreSession;
    expect(session.status).toBe('ACTIVATING');
    expect(session.siteRestoreArtifacts.nodes).toEqual(
      Array.from({ length: 3 }, () => ({ status: 'SCHEDULING', restoreSession: { id: DRAFT, status: 'ACTIVATING' } })),
    );
    expect(graphCalls(gw.graphEntries()).map((e) => `${e.method} ${e.path}`)).toEqual([
      `POST solutions/backupRestore/restoreSessions/${DRAFT}/activate`,
      `GET solutions/backupRestore/sharePointRestoreSessions/${DRAFT}/siteRestoreArtifacts`,
    ]);
  });

  it('a field that read the session and its artifacts, a write, then the same reads: the second sees the write', async () => {
    const data = await ok<{
      before: {
        siteRestoreArtifact: {
          id: string;
          restoreSession: {
            progress: { total: number };
            siteRestoreArtifacts: { totalCount: number; nodes: Array<{ id: string; status: string }> };
          };
        };
      };
      update: {
        restoreSession: {
          progress: { total: number };
          siteRestoreArtifacts: { totalCount: number; nodes: Array<{ id: string; status: string }> };
        };
      };
      activate: { restoreSession: { status: string; siteRestoreArtifacts: { nodes: Array<{ id: string; status: string }> } } };
    }>(
      `mutation ($id: ID!, $rp: ID!, $rm: ID!) {
        before: addSiteRestoreArtifact(input: { restoreSessionId: $id, restorePointId: $rp, destinationType: IN_PLACE }) {
          siteRestoreArtifact { id restoreSession { progress { total } siteRestoreArtifacts { totalCount nodes { id status } } } }
        }
        update: updateSharePointRestoreSession(input: { id: $id, removeSiteRestoreArtifactIds: [$rm] }) {
          restoreSession { progress { total } siteRestoreArtifacts { totalCount nodes { id status } } }
        }
        activate: activateRestoreSession(id: $id) {
          restoreSession { status ... on SharePointRestoreSession { siteRestoreArtifacts { nodes { id status } } } }
        }
      }`,
      { id: DRAFT, rp: seedRestorePointId(40, 0), rm: DRAFT_ARTIFACT(1) },
    );
    const added = data.before.siteRestoreArtifact.id;
    expect(data.before.siteRestoreArtifact.restoreSession.progress.total).toBe(4);
    expect(data.before.siteRestoreArtifact.restoreSession.siteRestoreArtifacts.totalCount).toBe(4);
    // Same loader keys as the first field read (session by id, first artifact page): re-read, not reused.
    const remaining = [DRAFT_ARTIFACT(0), DRAFT_ARTIFACT(2), added].sort();
    expect(data.update.restoreSession.progress.total).toBe(3);
    expect(data.update.restoreSession.siteRestoreArtifacts.totalCount).toBe(3);
    expect(data.update.restoreSession.siteRestoreArtifacts.nodes.map((a) => a.id).sort()).toEqual(remaining);
    expect(data.update.restoreSession.siteRestoreArtifacts.nodes.map((a) => a.status)).toEqual(['ADDED', 'ADDED', 'ADDED']);
    expect(data.activate.restoreSession.status).toBe('ACTIVATING');
    expect(data.activate.restoreSession.siteRestoreArtifacts.nodes.map((a) => a.id).sort()).toEqual(remaining);
    expect(data.activate.restoreSession.siteRestoreArtifacts.nodes.map((a) => a.status)).toEqual([
      'SCHEDULING',
      'SCHEDULING',
      'SCHEDULING',
    ]);
  });

  it('delete, then a write to the deleted session in a later field: Graph no longer knows it', async () => {
    const res = await gw.query(
      `mutation ($id: ID!) {
        del: deleteRestoreSession(id: $id) { deletedRestoreSessionId }
        again: activateRestoreSession(id: $id) { restoreSession { id } }
      }`,
      { id: DRAFT },
    );
    // Mutation fields are nullable: the failed second field is null on its own, and the first one's answer stays.
    expect(res.data).toEqual({ del: { deletedRestoreSessionId: DRAFT }, again: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]).toMatchObject({
      path: ['again'],
      extensions: { code: 'NOT_FOUND', graph: { status: 404, code: 'RestoreSessionNotFound' } },
    });
    expect(writes()).toEqual([
      `DELETE solutions/backupRestore/restoreSessions/${DRAFT} 204`,
      `POST solutions/backupRestore/restoreSessions/${DRAFT}/activate 404`,
    ]);
  });

  it('a refused write neither hides the answers before it nor stops the writes after it', async () => {
    const res = await gw.query<{ first: unknown; refused: unknown; last: unknown }>(
      `mutation ($draft: ID!, $done: ID!, $empty: ID!) {
        first: activateRestoreSession(id: $draft) { restoreSession { id status } }
        refused: deleteRestoreSession(id: $done) { deletedRestoreSessionId }
        last: deleteRestoreSession(id: $empty) { deletedRestoreSessionId }
      }`,
      { draft: DRAFT, done: SEED_SESSION_IDS.completed, empty: SEED_SESSION_IDS.emptyDraft },
    );
    expect(res.data).toEqual({
      first: { restoreSession: { id: DRAFT, status: 'ACTIVATING' } },
      refused: null,
      last: { deletedRestoreSessionId: SEED_SESSION_IDS.emptyDraft },
    });
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['refused'], 'ACTION_NOT_ALLOWED']]);
    expect(writes()).toEqual([
      `POST solutions/backupRestore/restoreSessions/${DRAFT}/activate 200`,
      `DELETE solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.completed} 403`,
      `DELETE solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.emptyDraft} 204`,
    ]);
  });
});
