import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

// The live-status knobs of src/config.ts (the rest of the configuration is tested in test/config.test.ts).

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('live status configuration', () => {
  it('has defaults', () => {
    expect(loadConfig({}).subscriptions).toEqual({
      pollIntervalMs: 2_000,
      leaseTtlMs: 5_000,
      maxSubscriptionsPerConnection: 100,
      maxConnectionsPerCaller: 50,
      bufferSize: 100,
      redisKeyPrefix: 'restore-gateway:',
    });
  });

  it('reads every knob', () => {
    const config = loadConfig({
      POLL_INTERVAL_MS: '20',
      LEASE_TTL_MS: '600',
      MAX_SUBSCRIPTIONS_PER_CONNECTION: '5',
      MAX_CONNECTIONS_PER_CALLER: '2',
      SUBSCRIPTION_BUFFER_SIZE: '8',
      REDIS_KEY_PREFIX: 'staging:{gw}:',
    });
    expect(config.subscriptions).toEqual({
      pollIntervalMs: 20,
      leaseTtlMs: 600,
      maxSubscriptionsPerConnection: 5,
      maxConnectionsPerCaller: 2,
      bufferSize: 8,
      redisKeyPrefix: 'staging:{gw}:',
    });
  });

  it('names each wrong knob and what it expects', () => {
    expect(
      problems({
        POLL_INTERVAL_MS: '5',
        LEASE_TTL_MS: 'soon',
        MAX_SUBSCRIPTIONS_PER_CONNECTION: '0',
        MAX_CONNECTIONS_PER_CALLER: '-1',
        SUBSCRIPTION_BUFFER_SIZE: '1.5',
        REDIS_KEY_PREFIX: 'has space',
      }),
    ).toEqual([
      "POLL_INTERVAL_MS: expected an integer from 10 to 600000, got '5'",
      "LEASE_TTL_MS: expected an integer from 300 to 600000, got 'soon'",
      "MAX_SUBSCRIPTIONS_PER_CONNECTION: expected an integer from 1 to 100000, got '0'",
      "MAX_CONNECTIONS_PER_CALLER: expected an integer from 1 to 100000, got '-1'",
      "SUBSCRIPTION_BUFFER_SIZE: expected an integer from 1 to 100000, got '1.5'",
      "REDIS_KEY_PREFIX: expected 1 to 64 letters, digits or : . _ - { }, got 'has space'",
    ]);
  });
});
