import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createShutdown, within } from '../../src/observability/shutdown.js';

describe('shutdown', () => {
  it('runs stop once with a deadline, exits 0, and a second signal exits 1 at once', async () => {
    const exits: number[] = [];
    const deadlines: number[] = [];
    let release!: () => void;
    const shutdown = createShutdown({
      timeoutMs: 5_000,
      now: () => 1_000,
      exit: (code) => exits.push(code),
      stop: (deadline) => {
        deadlines.push(deadline);
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    const signals = new EventEmitter();
    const uninstall = shutdown.install(signals as unknown as NodeJS.Process);
    signals.emit('SIGTERM');
    expect(shutdown.started).toBe(true);
    expect(deadlines).toEqual([6_000]);
    signals.emit('SIGINT');
    expect(exits).toEqual([1]);
    release();
    await shutdown.trigger('ignored');
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([1, 1, 0]);
    uninstall();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits 1 at the deadline when stopping hangs, and 1 when it fails', async () => {
    const hung: number[] = [];
    createShutdown({ timeoutMs: 30, exit: (code) => hung.push(code), stop: () => new Promise<void>(() => undefined) }).trigger('SIGTERM');
    await new Promise((r) => setTimeout(r, 80));
    expect(hung).toEqual([1]);
    const failed: number[] = [];
    await createShutdown({
      timeoutMs: 1_000,
      exit: (code) => failed.push(code),
      stop: async () => Promise.reject(new Error('boom')),
    }).trigger('SIGINT');
    expect(failed).toEqual([1]);
  });

  it('drains fully and then exits with the code it was given (an uncaught exception drains and exits 1)', async () => {
    const exits: number[] = [];
    const stopped: number[] = [];
    await createShutdown({
      timeoutMs: 1_000,
      now: () => 0,
      exit: (code) => exits.push(code),
      stop: async (deadline) => void stopped.push(deadline),
    }).trigger('uncaughtException', 1);
    expect(stopped).toEqual([1_000]);
    expect(exits).toEqual([1]);
  });

  it('gives up on a step that outlasts its budget', async () => {
    expect(await within(1_000, async () => undefined)).toBe(true);
    expect(await within(1_000, async () => Promise.reject(new Error('failed, but done')))).toBe(true);
    expect(await within(20, () => new Promise(() => undefined))).toBe(false);
  });
});
