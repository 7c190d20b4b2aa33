import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveBackendUnavailableError } from '../../src/subscriptions/live-backend.js';
import { createRedisConnections, describeRedisUrl, type RedisConnections } from '../../src/subscriptions/redis-connection.js';
import { describeRedis, REDIS_URL } from './support.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const opened: RedisConnections[] = [];
afterAll(async () => {
  for (const c of opened) await c.close();
});

describe('createRedisConnections against a Redis that is down', () => {
  it('fails readiness at once with a clear error, and commands fail fast instead of queueing', async () => {
    const port = await closedPort();
    const redis = createRedisConnections(`redis://:s3cret@127.0.0.1:${port}`, { connectTimeoutMs: 300 });
    opened.push(redis);
    expect(await redis.waitUntilReady(300)).toBe(false);
    const started = Date.now();
    const err = await redis.check().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LiveBackendUnavailableError);
    expect((err as Error).message).toMatch(new RegExp(`^Redis at redis://127\\.0\\.0\\.1:${port} is unreachable: `));
    expect((err as Error).message).toMatch(/ECONNREFUSED|connect|connection/);
    expect((err as Error).message).not.toContain('s3cret');
    await expect(redis.command.get('anything')).rejects.toThrow(/enableOfflineQueue|writeable/i);
    await expect(redis.command.publish('c', 'm')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('describes URLs without their credentials', () => {
    expect(describeRedisUrl('rediss://user:pw@cache.contoso.com:6380/2')).toBe('rediss://cache.contoso.com:6380/2');
  });
});

describeRedis('createRedisConnections against REDIS_URL', () => {
  it('is ready, and readiness passes', async () => {
    const redis = createRedisConnections(REDIS_URL!);
    opened.push(redis);
    expect(await redis.waitUntilReady(3_000)).toBe(true);
    await expect(redis.check()).resolves.toBeUndefined();
  });

  it('runs again the listeners after the subscriber connection came back', async () => {
    const redis = createRedisConnections(REDIS_URL!);
    opened.push(redis);
    expect(await redis.waitUntilReady(3_000)).toBe(true);
    let reconnects = 0;
    redis.onSubscriberReconnect(() => reconnects++);
    redis.subscriber.disconnect(true);
    const deadline = Date.now() + 5_000;
    while (reconnects === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(reconnects).toBe(1);
  });
});
