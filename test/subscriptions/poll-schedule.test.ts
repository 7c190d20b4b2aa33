import { describe, expect, it } from 'vitest';
import type { GraphRestoreSession } from '../../src/graph/dto.js';
import { createPollSchedule, dueSoon, isRunningStatus, reactToChannel, type PollerView } from '../../src/subscriptions/poll-schedule.js';

// The poll schedule with plain values: ticks in, ticks out.

describe('createPollSchedule', () => {
  const schedule = createPollSchedule({ pollIntervalMs: 25, draftEvery: 8, maxBackoffTicks: 8 });

  it('polls a running session every tick, a draft every draftEvery ticks, and a terminal one never again', () => {
    expect(schedule.afterPoll(10, 'ACTIVATING')).toBe(11);
    expect(schedule.afterPoll(10, 'ACTIVE')).toBe(11);
    // A status this gateway does not know may still be running.
    expect(schedule.afterPoll(10, 'UNKNOWN_FUTURE_VALUE')).toBe(11);
    expect(schedule.afterPoll(10, 'DRAFT')).toBe(18);
    for (const status of ['COMPLETED', 'COMPLETED_WITH_ERROR', 'FAILED'] as const) expect(schedule.afterPoll(10, status)).toBe(Infinity);
  });

  it('doubles the wait after each failure in a row, up to maxBackoffTicks', () => {
    expect([1, 2, 3, 4, 5, 30].map((failures) => schedule.afterFailure(100, failures) - 100)).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it("waits as long as Graph's Retry-After says, in whole ticks, at least one", () => {
    expect(schedule.afterFailure(100, 1, 300)).toBe(112);
    expect(schedule.afterFailure(100, 1, 310)).toBe(113);
    expect(schedule.afterFailure(100, 9, 0)).toBe(101);
    // Retry-After wins over the backoff, either way.
    expect(schedule.afterFailure(100, 6, 1_000)).toBe(140);
  });

  it('defaults to a draft every 5 ticks and backoff up to 16, and never paces faster than every tick', () => {
    const defaults = createPollSchedule({ pollIntervalMs: 1_000 });
    expect(defaults.afterPoll(0, 'DRAFT')).toBe(5);
    expect(defaults.afterFailure(0, 10)).toBe(16);
    const eager = createPollSchedule({ pollIntervalMs: 1_000, draftEvery: 0, maxBackoffTicks: 0 });
    expect(eager.afterPoll(0, 'DRAFT')).toBe(1);
    expect(eager.afterFailure(0, 3)).toBe(1);
  });

  it('brings a poll forward to the next tick, never back', () => {
    expect(dueSoon(50, 10)).toBe(11);
    expect(dueSoon(5, 10)).toBe(5);
  });

  it('counts ACTIVATING, ACTIVE and unknown statuses as running', () => {
    expect(['ACTIVATING', 'ACTIVE', 'UNKNOWN_FUTURE_VALUE'].map(isRunningStatus)).toEqual([true, true, true]);
    expect(['DRAFT', 'COMPLETED', 'FAILED'].map(isRunningStatus)).toEqual([false, false, false]);
  });
});

describe('reactToChannel', () => {
  const standby: PollerView = { holding: false, done: false, status: 'DRAFT' };
  const holder: PollerView = { holding: true, done: false, status: 'DRAFT' };
  const session = (status: string): { kind: 'session'; session: GraphRestoreSession } => ({
    kind: 'session',
    session: { id: 's', status },
  });

  it('takes the lease when its holder elsewhere let go, unless it holds it or is done', () => {
    expect(reactToChannel({ kind: 'released', sessionId: 's' }, standby)).toEqual({ kind: 'acquire' });
    expect(reactToChannel({ kind: 'released', sessionId: 's' }, holder)).toEqual({ kind: 'none' });
    expect(reactToChannel({ kind: 'released', sessionId: 's' }, { ...standby, done: true })).toEqual({ kind: 'none' });
  });

  it('stops at a deletion, and at an end another instance saw unless this one polls', () => {
    expect(reactToChannel({ kind: 'gone', sessionId: 's' }, holder)).toEqual({ kind: 'finish' });
    expect(reactToChannel(session('completed'), standby)).toEqual({ kind: 'finish' });
    // The holder publishes the end itself (artifacts first), so it keeps going until its own poll sees it.
    expect(reactToChannel(session('completed'), holder)).toEqual({ kind: 'none' });
  });

  it('polls at the next tick when touched, or when activated elsewhere while it still thought the session a draft', () => {
    expect(reactToChannel({ kind: 'touched', sessionId: 's' }, holder)).toEqual({ kind: 'soon' });
    expect(reactToChannel(session('activating'), holder)).toEqual({ kind: 'soon', status: 'ACTIVATING' });
    expect(reactToChannel(session('active'), { ...holder, status: 'ACTIVATING' })).toEqual({ kind: 'none' });
    // Not polled yet: its first poll comes at the next tick anyway.
    expect(reactToChannel(session('activating'), { ...holder, status: undefined })).toEqual({ kind: 'none' });
    expect(reactToChannel(session('draft'), holder)).toEqual({ kind: 'none' });
  });
});
