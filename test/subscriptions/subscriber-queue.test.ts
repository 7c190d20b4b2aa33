import { describe, expect, it, vi } from 'vitest';
import { createSubscriberQueue, SlowConsumerError } from '../../src/subscriptions/subscriber-queue.js';

describe('createSubscriberQueue', () => {
  it('hands values over in order, to a waiting consumer or from the buffer, then completes', async () => {
    const onClose = vi.fn();
    const q = createSubscriberQueue<number>({ capacity: 10, onClose });
    const first = q.next();
    q.push(1);
    q.push(2);
    q.push(3);
    q.end();
    expect(await first).toEqual({ value: 1, done: false });
    const rest: number[] = [];
    for await (const v of q) rest.push(v);
    expect(rest).toEqual([2, 3]);
    expect(onClose).toHaveBeenCalledOnce();
    expect(q.push(4)).toBe(false);
  });

  it('fails after the queued values, once', async () => {
    const q = createSubscriberQueue<number>({ capacity: 10 });
    q.push(1);
    q.fail(new Error('boom'));
    expect(await q.next()).toEqual({ value: 1, done: false });
    await expect(q.next()).rejects.toThrow('boom');
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it('drops a consumer that falls `capacity` events behind, freeing its buffer at once', async () => {
    const onOverflow = vi.fn();
    const onClose = vi.fn();
    const q = createSubscriberQueue<string>({ capacity: 3, onOverflow, onClose });
    expect([q.push('a'), q.push('b'), q.push('c')]).toEqual([true, true, true]);
    expect(q.push('d')).toBe(false);
    expect(onOverflow).toHaveBeenCalledOnce();
    expect(onOverflow.mock.calls[0]?.[0]).toBeInstanceOf(SlowConsumerError);
    expect(onClose).toHaveBeenCalledOnce();
    expect(q.size).toBe(0);
    expect(q.finished).toBe(true);
    await expect(q.next()).rejects.toBeInstanceOf(SlowConsumerError);
    expect(q.push('e')).toBe(false);
  });

  it('keeps memory flat under a flood for a stalled consumer', () => {
    const q = createSubscriberQueue<Buffer>({ capacity: 100 });
    let accepted = 0;
    for (let i = 0; i < 100_000; i++) if (q.push(Buffer.alloc(1024))) accepted++;
    expect(accepted).toBe(100);
    expect(q.size).toBe(0);
  });

  it('runs onClose once when the consumer returns early, and resolves a pending next()', async () => {
    const onClose = vi.fn();
    const q = createSubscriberQueue<number>({ capacity: 10, onClose });
    const pending = q.next();
    await q.return?.();
    expect(await pending).toEqual({ value: undefined, done: true });
    await q.return?.();
    expect(onClose).toHaveBeenCalledOnce();
    expect(q.push(1)).toBe(false);
  });
});
