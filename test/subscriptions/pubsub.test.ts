import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryPubSub } from '../../src/subscriptions/pubsub.js';
import { createRedisConnections, type RedisConnections } from '../../src/subscriptions/redis-connection.js';
import { createRedisPubSub, type RedisPubSub } from '../../src/subscriptions/redis-pubsub.js';
import { connectTestRedis, deletePrefix, describeRedis, REDIS_URL, uniquePrefix, waitFor } from './support.js';

describe('createMemoryPubSub', () => {
  it('delivers to every handler of a topic, in order, until they unsubscribe', async () => {
    const pubsub = createMemoryPubSub<number>();
    const a: number[] = [];
    const b: number[] = [];
    const offA = await pubsub.subscribe('t', (m) => a.push(m));
    await pubsub.subscribe('t', (m) => b.push(m));
    await pubsub.subscribe('other', () => a.push(-1));
    await pubsub.publish('t', 1);
    await pubsub.publish('t', 2);
    await offA();
    await pubsub.publish('t', 3);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([1, 2, 3]);
    expect(pubsub.topics().sort()).toEqual(['other', 't']);
  });

  it('keeps delivering when one handler throws', async () => {
    const errors: unknown[] = [];
    const pubsub = createMemoryPubSub<string>({ onHandlerError: (e) => errors.push(e) });
    const got: string[] = [];
    await pubsub.subscribe('t', () => {
      throw new Error('bad handler');
    });
    await pubsub.subscribe('t', (m) => got.push(m));
    await pubsub.publish('t', 'x');
    expect(got).toEqual(['x']);
    expect(errors).toHaveLength(1);
  });
});

describeRedis('createRedisPubSub (REDIS_URL)', () => {
  const prefix = uniquePrefix();
  let admin: Redis;
  let one: RedisConnections;
  let two: RedisConnections;
  let a: RedisPubSub;
  let b: RedisPubSub;
  beforeAll(async () => {
    admin = await connectTestRedis();
    one = createRedisConnections(REDIS_URL!, { name: 'test-pubsub-1' });
    two = createRedisConnections(REDIS_URL!, { name: 'test-pubsub-2' });
    expect(await one.waitUntilReady(3_000)).toBe(true);
    expect(await two.waitUntilReady(3_000)).toBe(true);
    a = createRedisPubSub({ publisher: one.command, subscriber: one.subscriber, prefix });
    b = createRedisPubSub({ publisher: two.command, subscriber: two.subscriber, prefix });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await one?.close();
    await two?.close();
    if (admin) {
      await deletePrefix(admin, prefix);
      admin.disconnect();
    }
  });

  it('carries messages between instances, subscribing each channel once per instance', async () => {
    const got1: string[] = [];
    const got2: string[] = [];
    const got3: string[] = [];
    const off1 = await a.subscribe('s', (m) => got1.push(m));
    const off2 = await a.subscribe('s', (m) => got2.push(m));
    const off3 = await b.subscribe('s', (m) => got3.push(m));
    const numsub = (await admin.pubsub('NUMSUB', `${prefix}s`)) as [string, number];
    expect(Number(numsub[1])).toBe(2);
    await b.publish('s', 'hello');
    await a.publish('s', 'again');
    await waitFor(() => got1.length === 2 && got2.length === 2 && got3.length === 2, 3_000, 'delivery');
    expect(got1).toEqual(['hello', 'again']);
    expect(got3).toEqual(['hello', 'again']);

    await off1();
    await off2();
    const after = (await admin.pubsub('NUMSUB', `${prefix}s`)) as [string, number];
    expect(Number(after[1])).toBe(1);
    await a.publish('s', 'third');
    await waitFor(() => got3.length === 3, 3_000, 'delivery to b');
    expect(got1).toHaveLength(2);
    await off3();
  });

  it('resubscribes a channel left and joined again at once', async () => {
    const got: string[] = [];
    const off = await a.subscribe('flip', () => undefined);
    const leaving = off();
    const off2 = await a.subscribe('flip', (m) => got.push(m));
    await leaving;
    await b.publish('flip', 'still here');
    await waitFor(() => got.length === 1, 3_000, 'delivery after flip');
    await off2();
  });
});
