import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, type JournalEntry } from '@restore-session-gateway/graph-emulator';
import { GraphTransportError, type GraphRequestError } from '../../../src/graph/errors.js';
import { GraphOutcomeUnknownError } from '../../../src/graph/write-recovery.js';
import { toGraphQLError } from '../../../src/graphql-errors.js';
import type { GraphObserver } from '../../../src/graph/observer.js';
import { graphPaths } from '../../../src/graph/url.js';
import { startGraphFixture, unknownGuid, type GraphFixture } from '../support.js';

let f: GraphFixture;
beforeAll(async () => {
  f = await startGraphFixture();
  await f.tokens.getGraphToken(); // token traffic out of the way
});
afterAll(async () => {
  await f?.close();
});
beforeEach(() => f.resetEmulatorSide());

const SEEDED = Object.values(SEED_SESSION_IDS);
const count = (kind: JournalEntry['kind']): number => f.graphEntries().filter((e) => e.kind === kind).length;

describe('coalescing into $batch', () => {
  it('sends 45 concurrent reads as 3 envelopes and matches every answer to its caller', async () => {
    const ids = Array.from({ length: 45 }, (_, i) => (i < SEEDED.length ? SEEDED[i]! : unknownGuid(i)));
    const results = await Promise.allSettled(ids.map((id) => f.client.getSession(id)));
    expect(count('batch')).toBe(3);
    expect(count('batchItem')).toBe(45);
    expect(count('request')).toBe(0);
    const sizes = new Map<string, number>();
    for (const e of f.graphEntries().filter((x) => x.kind === 'batchItem'))
      sizes.set(e.batchRequestId!, (sizes.get(e.batchRequestId!) ?? 0) + 1);
    expect([...sizes.values()].sort((a, b) => a - b)).toEqual([5, 20, 20]);
    results.forEach((r, i) => {
      if (i < SEEDED.length) {
        expect(r.status).toBe('fulfilled');
        expect((r as PromiseFulfilledResult<{ id: string }>).value.id).toBe(ids[i]);
      } else {
        expect(r.status).toBe('rejected');
        const reason = (r as PromiseRejectedResult).reason as GraphRequestError;
        expect(reason.status).toBe(404);
        expect(toGraphQLError(reason).extensions.code).toBe('NOT_FOUND');
      }
    });
  });

  it('sends identical reads once and a lone read unbatched', async () => {
    const same = await Promise.all(Array.from({ length: 10 }, () => f.client.getSession(SEED_SESSION_IDS.large)));
    expect(new Set(same.map((s) => s.id))).toEqual(new Set([SEED_SESSION_IDS.large]));
    expect(count('request')).toBe(1);
    expect(count('batch')).toBe(0);

    f.resetEmulatorSide();
    await Promise.all([
      f.client.getSession(SEED_SESSION_IDS.large),
      f.client.getSession(SEED_SESSION_IDS.large),
      f.client.getSession(SEED_SESSION_IDS.draft),
    ]);
    expect(count('batch')).toBe(1);
    expect(count('batchItem')).toBe(2);
  });

  it('gives every item its own client-request-id, relative URL and Prefer header', async () => {
    const [a, b] = await Promise.all([
      f.client.fetch({ method: 'GET', path: graphPaths.restoreSession(SEED_SESSION_IDS.draft) }),
      f.client.fetch({ method: 'GET', path: graphPaths.restoreSession(SEED_SESSION_IDS.failed) }),
    ]);
    expect(a.clientRequestId).not.toBe(b.clientRequestId);
    const items = f.graphEntries().filter((e) => e.kind === 'batchItem');
    expect(items.map((e) => e.clientRequestId).sort()).toEqual([a.clientRequestId, b.clientRequestId].sort());
    expect(items.every((e) => e.path.startsWith('solutions/backupRestore/restoreSessions/'))).toBe(true);
    // The failed session's status is Prefer-gated: without the header it would read unknownFutureValue.
    expect((b.body as { status: string }).status).toBe('failed');
    expect(a.headers['preference-applied']).toBe('include-unknown-enum-members');
  });
});

// When retries go out and what travels together is the scheduler's own timing, tested on fake timers in
// `batch/scheduler.test.ts`; here, what Graph (the emulator) sees of them.
describe('throttling and failures', () => {
  it('retries a throttled $batch item with its own client-request-id, and the query succeeds', async () => {
    f.t.emu.faults.set({
      rules: [
        { path: 'solutions/backupRestore/restoreSessions/*', method: 'GET', scope: 'batchItem', status: 429, retryAfter: 0.01, limit: 1 },
      ],
    });
    const ids = [SEED_SESSION_IDS.draft, SEED_SESSION_IDS.active, SEED_SESSION_IDS.completed];
    const sessions = await Promise.all(ids.map((id) => f.client.getSession(id)));
    expect(sessions.map((s) => s.id)).toEqual(ids);
    const entries = f.graphEntries();
    const throttled = entries.find((e) => e.status === 429)!;
    expect(throttled.kind).toBe('batchItem');
    const retry = entries.find((e) => e.seq > throttled.seq && e.path === throttled.path)!;
    expect(retry.status).toBe(200);
    expect(retry.clientRequestId).toBe(throttled.clientRequestId);
  });

  it('does not wait for a Retry-After longer than the limit', async () => {
    f.t.emu.faults.set({ rules: [{ path: 'solutions/backupRestore/restoreSessions/*', status: 429, retryAfter: 120 }] });
    const err = await f.client.getSession(SEED_SESSION_IDS.draft).catch((e: unknown) => e);
    expect(toGraphQLError(err).message).toBe('Microsoft Graph is throttling requests; try again in 120 s.');
    expect(f.graphEntries()).toHaveLength(1);
  });

  it('maps 401 and 403 answered by Graph to UNAUTHENTICATED and FORBIDDEN with extensions.graph', async () => {
    f.t.emu.faults.set({ rules: [{ path: `solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.draft}`, status: 401 }] });
    const unauthenticated = toGraphQLError(await f.client.getSession(SEED_SESSION_IDS.draft).catch((e: unknown) => e));
    expect(unauthenticated.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      graph: { status: 401, code: 'InvalidAuthenticationToken', requestId: expect.any(String), clientRequestId: expect.any(String) },
    });
    const [entry] = f.graphEntries();
    expect((unauthenticated.extensions.graph as { clientRequestId: string }).clientRequestId).toBe(entry!.clientRequestId);
    expect((unauthenticated.extensions.graph as { requestId: string }).requestId).toBe(entry!.requestId);

    // Inside a batch: the forbidden item fails alone.
    f.resetEmulatorSide();
    f.t.emu.faults.set({
      rules: [{ path: `solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.draft}`, scope: 'batchItem', status: 403 }],
    });
    const [forbidden, fine] = await Promise.allSettled([
      f.client.getSession(SEED_SESSION_IDS.draft),
      f.client.getSession(SEED_SESSION_IDS.active),
    ]);
    expect(fine.status).toBe('fulfilled');
    expect(forbidden.status).toBe('rejected');
    expect(toGraphQLError((forbidden as PromiseRejectedResult).reason).extensions).toMatchObject({
      code: 'FORBIDDEN',
      graph: { status: 403, code: 'Forbidden' },
    });
  });

  it('retries a dropped read but never a dropped write', async () => {
    f.t.emu.faults.set({
      rules: [{ path: 'solutions/backupRestore/restoreSessions/*', method: 'GET', scope: 'request', drop: true, limit: 1 }],
    });
    expect((await f.client.getSession(SEED_SESSION_IDS.draft)).id).toBe(SEED_SESSION_IDS.draft);
    expect(f.graphEntries().map((e) => e.status)).toEqual([0, 200]);

    f.resetEmulatorSide();
    f.t.emu.faults.set({
      rules: [{ path: 'solutions/backupRestore/sharePointRestoreSessions', method: 'POST', drop: true, phase: 'after', limit: 1 }],
    });
    const err = await f.client.createSession('sharePoint').catch((e: unknown) => e);
    // Graph created the session and the answer was lost: the outcome is unknown to the gateway, and it says so.
    expect(err).toBeInstanceOf(GraphOutcomeUnknownError);
    expect((err as GraphOutcomeUnknownError).failure).toBeInstanceOf(GraphTransportError);
    expect(toGraphQLError(err).extensions.code).toBe('OUTCOME_UNKNOWN');
    expect(f.graphEntries()).toHaveLength(1);
  });

  it('retries a throttled write (Graph did not process it) exactly once more', async () => {
    f.t.emu.faults.set({
      rules: [{ path: 'solutions/backupRestore/sharePointRestoreSessions', method: 'POST', status: 429, retryAfter: 0.02, limit: 1 }],
    });
    const created = await f.client.createSession('sharePoint');
    expect(created.status).toBe('draft');
    expect(f.graphEntries().map((e) => e.status)).toEqual([429, 201]);
    await f.client.deleteSession(created.id);
  });

  it('does not retry a write answered 500, and says its outcome is unknown', async () => {
    f.t.emu.faults.set({ rules: [{ path: 'solutions/backupRestore/sharePointRestoreSessions', method: 'POST', status: 500 }] });
    const err = await f.client.createSession('sharePoint').catch((e: unknown) => e);
    expect(toGraphQLError(err).extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', graph: { status: 500 } });
    expect(toGraphQLError(err).message).toMatch(/did not confirm whether the restore session was created/);
    expect(f.graphEntries()).toHaveLength(1);
  });
});

describe('work nobody awaits', () => {
  it('fails the calls of a send that a throwing hook broke, instead of leaving them waiting and the rejection unobserved', async () => {
    const hookFailed = new Error('retry hook failed');
    let ended = 0;
    const observer: GraphObserver = {
      call: () => ({ end: () => void ended++ }),
      exchange: () => undefined,
      retry() {
        throw hookFailed;
      },
    };
    const client = f.makeClient({ observer });
    f.t.emu.faults.set({
      rules: [{ path: 'solutions/backupRestore/restoreSessions/*', method: 'GET', status: 429, retryAfter: 0.01, limit: 1 }],
    });
    await expect(client.getSession(SEED_SESSION_IDS.draft)).rejects.toBe(hookFailed);
    expect(ended).toBe(1);

    // In an envelope: a call answered before the hook threw keeps its answer.
    f.resetEmulatorSide();
    f.t.emu.faults.set({
      rules: [
        {
          path: `solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.draft}`,
          scope: 'batchItem',
          status: 429,
          retryAfter: 0.01,
          limit: 1,
        },
      ],
    });
    const [answered, broken] = await Promise.allSettled([
      client.getSession(SEED_SESSION_IDS.active),
      client.getSession(SEED_SESSION_IDS.draft),
    ]);
    expect(answered).toMatchObject({ status: 'fulfilled', value: { id: SEED_SESSION_IDS.active } });
    expect(broken).toEqual({ status: 'rejected', reason: hookFailed });
    expect(f.graphEntries().filter((e) => e.kind === 'batch')).toHaveLength(1);
    // Each call's observation ended once, the answered one included.
    expect(ended).toBe(3);
  });
});
