import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_AUTHORITY_HOST, describeConfig, isLoopbackHost, loadConfig } from '../src/config.js';
import { generateClientCertificate } from '@restore-session-gateway/graph-emulator/testing';

// Every section of the configuration (src/config.ts), one describe per section: its defaults, what it reads, and
// how it names a wrong value.

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const REAL = {
  GRAPH_BASE_URL: 'https://graph.microsoft.com/beta',
  AZURE_TENANT_ID: TENANT,
  AZURE_CLIENT_ID: CLIENT,
  AZURE_CLIENT_SECRET: 's3cr3t-value',
};

let dir: string;
let certAndKey: string;
let caFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
  const cert = generateClientCertificate();
  certAndKey = join(dir, 'client.pem');
  writeFileSync(certAndKey, `${cert.privateKeyPem}\n${cert.certificatePem}`);
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, cert.certificatePem);
});

/** The error of a configuration that must fail. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** The problems of a configuration that must fail. */
function problems(env: Record<string, string>): string[] {
  return [...configError(env).problems];
}

describe('the server', () => {
  it('has defaults for everything, and no Graph URL means the embedded emulator', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      nodeEnv: 'development',
      production: false,
      graphBaseUrl: undefined,
      authorityHost: DEFAULT_AUTHORITY_HOST,
      azure: undefined,
      extraCaCerts: [],
      authMode: 'obo',
      redisUrl: undefined,
      corsOrigins: [],
      logLevel: 'info',
      introspection: true,
      graph: { maxConcurrentBatches: 0, retryMax: 3, retryBaseMs: 200, timeoutMs: 30_000 },
      cache: { maxBytes: 64 * 1024 * 1024, unitTtlMs: 60_000, terminalTtlMs: 300_000 },
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', GRAPH_BASE_URL: ' ' }).port).toBe(4000);
  });

  it('INTROSPECTION overrides the production default', () => {
    expect(loadConfig({ NODE_ENV: 'production', INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadConfig({ INTROSPECTION: '0' }).introspection).toBe(false);
  });

  it('listens on loopback in development and on all interfaces in production, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', ...REAL }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '[::]' }).host).toBe('::');
    expect(loadConfig({ NODE_ENV: 'production', ...REAL, HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
    expect(problems({ HOST: 'not a host!' })).toEqual([
      "HOST: expected an interface address such as 127.0.0.1, 0.0.0.0 or ::, or a host name, got 'not a host!'",
    ]);
  });
});

describe('Graph and the app registration', () => {
  it('reads a complete real-Graph configuration', () => {
    const config = loadConfig({
      ...REAL,
      GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0/',
      PORT: '8080',
      NODE_ENV: 'production',
      AUTH_MODE: 'app',
      REDIS_URL: 'rediss://:pw@cache.contoso.com:6380',
      CORS_ORIGINS: 'https://app.contoso.com, http://localhost:3000,',
      LOG_LEVEL: 'debug',
      GRAPH_MAX_CONCURRENT_BATCHES: '8',
      GRAPH_RETRY_MAX: '0',
      GRAPH_RETRY_BASE_MS: '5',
      GRAPH_TIMEOUT_MS: '1000',
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(config.graphBaseUrl).toBe('https://graph.microsoft.com/v1.0');
    expect(config.port).toBe(8080);
    expect(config.production).toBe(true);
    expect(config.introspection).toBe(false);
    expect(config.authMode).toBe('app');
    expect(config.azure).toEqual({ tenantId: TENANT, clientId: CLIENT, credential: { kind: 'secret', clientSecret: 's3cr3t-value' } });
    expect(config.corsOrigins).toEqual(['https://app.contoso.com', 'http://localhost:3000']);
    expect(config.graph).toMatchObject({ maxConcurrentBatches: 8, retryMax: 0, retryBaseMs: 5, timeoutMs: 1000 });
    expect(config.extraCaCerts).toHaveLength(1);
    expect(config.extraCaCerts[0]).toContain('BEGIN CERTIFICATE');
    expect(JSON.stringify(describeConfig(config))).not.toContain('s3cr3t-value');
    expect(JSON.stringify(describeConfig(config))).not.toContain(':pw@');
  });

  it('accepts http only for loopback Graph URLs', () => {
    expect(loadConfig({ ...REAL, GRAPH_BASE_URL: 'http://127.0.0.1:4010/beta' }).graphBaseUrl).toBe('http://127.0.0.1:4010/beta');
    expect(loadConfig({ ...REAL, GRAPH_BASE_URL: 'http://localhost:4010/v1.0' }).graphBaseUrl).toBe('http://localhost:4010/v1.0');
    expect(loadConfig({ ...REAL, GRAPH_BASE_URL: 'http://[::1]:4010/beta' }).graphBaseUrl).toBe('http://[::1]:4010/beta');
    expect(problems({ ...REAL, GRAPH_BASE_URL: 'http://graph.contoso.com/beta' })[0]).toMatch(
      /^GRAPH_BASE_URL: .*https, or http only for a loopback host/,
    );
    expect(isLoopbackHost('127.4.5.6')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.evil.com')).toBe(false);
  });

  it('requires the app registration with a real Graph URL, and one credential only', () => {
    expect(problems({ GRAPH_BASE_URL: 'https://graph.microsoft.com/beta' })).toEqual([
      'AZURE_TENANT_ID: required when GRAPH_BASE_URL is set (the app registration used to call Graph)',
      'AZURE_CLIENT_ID: required when GRAPH_BASE_URL is set (the app registration used to call Graph)',
      'AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH: required when GRAPH_BASE_URL is set (the app registration used to call Graph)',
    ]);
    expect(problems({ ...REAL, AZURE_CLIENT_CERTIFICATE_PATH: certAndKey })).toEqual([
      'AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH: set one of them, not both',
    ]);
  });

  it('reads a certificate credential from AZURE_CLIENT_CERTIFICATE_PATH', () => {
    const { AZURE_CLIENT_SECRET: _, ...rest } = REAL;
    const config = loadConfig({ ...rest, AZURE_CLIENT_CERTIFICATE_PATH: certAndKey });
    const credential = config.azure?.credential;
    expect(credential?.kind).toBe('certificate');
    if (credential?.kind !== 'certificate') return;
    expect(credential.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
    expect(credential.privateKey).toContain('BEGIN PRIVATE KEY');
    expect(credential.x5c).toContain('BEGIN CERTIFICATE');
  });

  it('rejects a certificate file without its key', () => {
    const certOnly = join(dir, 'cert-only.pem');
    writeFileSync(certOnly, generateClientCertificate().certificatePem);
    expect(problems({ AZURE_CLIENT_CERTIFICATE_PATH: certOnly })[0]).toMatch(
      /^AZURE_CLIENT_CERTIFICATE_PATH: expected a PEM file with the certificate and its private key/,
    );
    const mismatched = join(dir, 'mismatched.pem');
    writeFileSync(mismatched, `${generateClientCertificate().privateKeyPem}\n${generateClientCertificate().certificatePem}`);
    expect(problems({ AZURE_CLIENT_CERTIFICATE_PATH: mismatched })[0]).toMatch(/do not match/);
  });
});

describe('resilience and request limits', () => {
  it('has defaults for the resilience knobs and request limits, and reads them', () => {
    const defaults = loadConfig({});
    expect(defaults.graph).toMatchObject({
      maxConcurrentRequests: 32,
      retryBudgetPercent: 20,
      retryBudgetMinPerSecond: 10,
      operationDeadlineMs: 20_000,
      maxCallsPerOperation: 1_000,
      breakerFailurePercent: 50,
      breakerMinCalls: 20,
      breakerWindowMs: 10_000,
      breakerOpenMs: 5_000,
      callerCallLimit: 2_000,
      callerWindowMs: 10_000,
    });
    expect(defaults.limits).toEqual({
      maxDepth: 12,
      maxCost: 5_000,
      maxAliases: 15,
      maxTokens: 3_000,
      maxDocumentBytes: 32_768,
      maxOperationsPerBatch: 1,
      apqCacheMb: 8,
    });
    const set = loadConfig({
      GRAPH_OPERATION_DEADLINE_MS: '500',
      CALLER_RATE_LIMIT_CALLS: '0',
      MAX_QUERY_COST: '100',
      APQ_CACHE_MB: '0',
      MAX_BATCH_OPERATIONS: '5',
    });
    expect(set.graph).toMatchObject({ operationDeadlineMs: 500, callerCallLimit: 0 });
    expect(set.limits).toMatchObject({ maxCost: 100, apqCacheMb: 0, maxOperationsPerBatch: 5 });
  });
});

describe('transport limits', () => {
  it('has defaults for what a client may send before it is authenticated, and reads them', () => {
    expect(loadConfig({}).transport).toEqual({
      maxRequestBytes: 1_048_576,
      maxWebSocketMessageBytes: 262_144,
      maxPendingConnections: 512,
      maxPendingPerAddress: 32,
      trustProxy: undefined,
    });
    const set = loadConfig({
      MAX_REQUEST_BYTES: '65536',
      WS_MAX_MESSAGE_BYTES: '4096',
      WS_MAX_PENDING_CONNECTIONS: '10',
      WS_MAX_PENDING_PER_ADDRESS: '2',
    });
    expect(set.transport).toMatchObject({
      maxRequestBytes: 65_536,
      maxWebSocketMessageBytes: 4_096,
      maxPendingConnections: 10,
      maxPendingPerAddress: 2,
    });
    expect(problems({ WS_MAX_MESSAGE_BYTES: '10' })).toEqual([
      "WS_MAX_MESSAGE_BYTES: expected an integer from 1024 to 104857600, got '10'",
    ]);
    expect(problems({ WS_MAX_PENDING_CONNECTIONS: '4', WS_MAX_PENDING_PER_ADDRESS: '5' })).toEqual([
      "WS_MAX_PENDING_PER_ADDRESS: expected at most WS_MAX_PENDING_CONNECTIONS (4), got '5'",
    ]);
  });

  it("reads TRUST_PROXY as a hop count or the proxies' addresses, and refuses to trust every hop", () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).transport.trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '1' }).transport.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).transport.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(problems({ TRUST_PROXY: 'true' })[0]).toMatch(/^TRUST_PROXY: expected a hop count or the proxies' addresses, not true/);
    expect(problems({ TRUST_PROXY: '10.0.0.0/99' })[0]).toMatch(/^TRUST_PROXY: expected a hop count, or comma-separated addresses/);
    expect(problems({ TRUST_PROXY: '11' })[0]).toMatch(/^TRUST_PROXY: expected a hop count from 1 to 10/);
  });
});

describe('live status', () => {
  it('has defaults', () => {
    expect(loadConfig({}).subscriptions).toEqual({
      pollIntervalMs: 2_000,
      leaseTtlMs: 5_000,
      maxSubscriptionsPerConnection: 100,
      maxConnectionsPerCaller: 50,
      bufferSize: 100,
      redisKeyPrefix: 'restore-gateway:',
      callbackUrls: [],
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
      callbackUrls: [],
    });
  });

  it("reads SUBSCRIPTION_CALLBACK_URLS as the routers' callback URL prefixes: https, or http only for loopback", () => {
    expect(
      loadConfig({
        SUBSCRIPTION_CALLBACK_URLS:
          ' https://Router.Contoso.com:443/callback , http://127.0.0.1:4001/callback/,https://router.contoso.com/callback',
      }).subscriptions.callbackUrls,
    ).toEqual(['https://router.contoso.com/callback', 'http://127.0.0.1:4001/callback/']);
    expect(loadConfig({ SUBSCRIPTION_CALLBACK_URLS: 'http://localhost:4001' }).subscriptions.callbackUrls).toEqual([
      'http://localhost:4001/',
    ]);
    expect(loadConfig({ SUBSCRIPTION_CALLBACK_URLS: ' ' }).subscriptions.callbackUrls).toEqual([]);
    for (const wrong of [
      'http://router.contoso.com/callback',
      'router.contoso.com/callback',
      'https://user:pw@router.contoso.com/callback',
      'https://router.contoso.com/callback?x=1',
      'https://router.contoso.com/callback#x',
      'ftp://127.0.0.1/callback',
      'https://router.contoso.com/callback, nope',
      ',',
    ]) {
      const found = problems({ SUBSCRIPTION_CALLBACK_URLS: wrong });
      expect(found, wrong).toHaveLength(1);
      expect(found[0], wrong).toMatch(/^SUBSCRIPTION_CALLBACK_URLS: expected /);
    }
    // The problem says what would be accepted.
    expect(problems({ SUBSCRIPTION_CALLBACK_URLS: 'http://router.contoso.com/callback' })[0]).toMatch(
      /https, or http only for a loopback host/,
    );
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

describe('operations', () => {
  it('has defaults that trace nothing and serve /metrics on the GraphQL port', () => {
    expect(loadConfig({}).observability).toEqual({
      metricsToken: undefined,
      metricsPort: undefined,
      otlpTracesUrl: undefined,
      serviceName: 'restore-session-gateway',
      readinessCacheMs: 5_000,
      readinessTimeoutMs: 3_000,
      shutdownTimeoutMs: 25_000,
    });
  });

  it('reads the OTLP endpoint as OpenTelemetry SDKs do, and OTEL_SDK_DISABLED wins', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).observability.otlpTracesUrl).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/api/v1/traces',
      }).observability.otlpTracesUrl,
    ).toBe('https://traces.example/api/v1/traces');
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).observability.otlpTracesUrl,
    ).toBeUndefined();
  });

  it('names each wrong variable and never echoes the metrics token', () => {
    expect(
      problems({ METRICS_TOKEN: 'short', METRICS_PORT: '4000', SHUTDOWN_TIMEOUT_MS: '5', OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://x' }),
    ).toEqual([
      "OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:// or https:// URL of an OTLP/HTTP collector, e.g. http://otel-collector:4318, got 'grpc://x'",
      'METRICS_TOKEN: expected at least 16 characters',
      "SHUTDOWN_TIMEOUT_MS: expected an integer from 1000 to 600000, got '5'",
      "METRICS_PORT: expected a port other than PORT (4000), got '4000'",
    ]);
    const config = loadConfig({ METRICS_TOKEN: 'a-long-enough-scrape-token', METRICS_PORT: '9464' });
    expect(config.observability).toMatchObject({ metricsToken: 'a-long-enough-scrape-token', metricsPort: 9464 });
    expect(JSON.stringify(describeConfig(config))).not.toContain('a-long-enough-scrape-token');
  });
});

describe('wrong values', () => {
  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['PORT', { PORT: 'eighty' }, /^PORT: expected an integer from 0 to 65535, got 'eighty'$/],
    ['PORT', { PORT: '70000' }, /^PORT: expected an integer from 0 to 65535/],
    ['NODE_ENV', { NODE_ENV: 'staging' }, /^NODE_ENV: expected one of development, production, test, got 'staging'$/],
    ['GRAPH_BASE_URL', { ...REAL, GRAPH_BASE_URL: 'graph.microsoft.com/beta' }, /^GRAPH_BASE_URL: expected an absolute URL/],
    ['GRAPH_BASE_URL', { ...REAL, GRAPH_BASE_URL: 'https://graph.microsoft.com' }, /^GRAPH_BASE_URL: .*must end with \/beta or \/v1\.0/],
    [
      'GRAPH_BASE_URL',
      { ...REAL, GRAPH_BASE_URL: 'https://graph.microsoft.com/beta?x=1' },
      /^GRAPH_BASE_URL: .*without credentials, query or fragment/,
    ],
    ['AZURE_TENANT_ID', { ...REAL, AZURE_TENANT_ID: 'common' }, /^AZURE_TENANT_ID: expected a specific tenant/],
    ['AZURE_TENANT_ID', { ...REAL, AZURE_TENANT_ID: 'not a tenant!' }, /^AZURE_TENANT_ID: expected the directory \(tenant\) id/],
    [
      'AZURE_CLIENT_ID',
      { ...REAL, AZURE_CLIENT_ID: 'my-app' },
      /^AZURE_CLIENT_ID: expected the application \(client\) id, a GUID, got 'my-app'$/,
    ],
    [
      'AZURE_CLIENT_CERTIFICATE_PATH',
      { AZURE_CLIENT_CERTIFICATE_PATH: '/nonexistent/cert.pem' },
      /^AZURE_CLIENT_CERTIFICATE_PATH: expected a readable file \(ENOENT\)/,
    ],
    ['AZURE_AUTHORITY_HOST', { AZURE_AUTHORITY_HOST: 'http://login.contoso.com' }, /^AZURE_AUTHORITY_HOST: expected an https origin/],
    [
      'AZURE_AUTHORITY_HOST',
      { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/tenant' },
      /^AZURE_AUTHORITY_HOST: expected an origin only/,
    ],
    ['NODE_EXTRA_CA_CERTS', { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' }, /^NODE_EXTRA_CA_CERTS: expected a readable file/],
    ['AUTH_MODE', { AUTH_MODE: 'none' }, /^AUTH_MODE: expected one of obo, app, got 'none'$/],
    ['REDIS_URL', { REDIS_URL: 'http://:hunter2@cache' }, /^REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL$/],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.contoso.com/path' }, /^CORS_ORIGINS: expected a comma-separated list of origins/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent/],
    ['INTROSPECTION', { INTROSPECTION: 'maybe' }, /^INTROSPECTION: expected true or false, got 'maybe'$/],
    [
      'GRAPH_MAX_CONCURRENT_BATCHES',
      { GRAPH_MAX_CONCURRENT_BATCHES: '-1' },
      /^GRAPH_MAX_CONCURRENT_BATCHES: expected an integer from 0 to 1024/,
    ],
    ['GRAPH_CACHE_MAX_MB', { GRAPH_CACHE_MAX_MB: 'lots' }, /^GRAPH_CACHE_MAX_MB: expected an integer from 0 to 65536/],
    ['GRAPH_CACHE_UNIT_TTL_MS', { GRAPH_CACHE_UNIT_TTL_MS: '-5' }, /^GRAPH_CACHE_UNIT_TTL_MS: expected an integer from 0 to 86400000/],
    [
      'GRAPH_CACHE_TERMINAL_TTL_MS',
      { GRAPH_CACHE_TERMINAL_TTL_MS: '1e9' },
      /^GRAPH_CACHE_TERMINAL_TTL_MS: expected an integer from 0 to 86400000/,
    ],
    ['GRAPH_RETRY_MAX', { GRAPH_RETRY_MAX: '-1' }, /^GRAPH_RETRY_MAX: expected an integer from 0 to 10/],
    ['GRAPH_RETRY_BASE_MS', { GRAPH_RETRY_BASE_MS: '1.5' }, /^GRAPH_RETRY_BASE_MS: expected an integer from 0 to 60000/],
    ['GRAPH_TIMEOUT_MS', { GRAPH_TIMEOUT_MS: '10' }, /^GRAPH_TIMEOUT_MS: expected an integer from 100 to 600000/],
    [
      'GRAPH_BREAKER_FAILURE_PERCENT',
      { GRAPH_BREAKER_FAILURE_PERCENT: '0' },
      /^GRAPH_BREAKER_FAILURE_PERCENT: expected an integer from 1 to 100/,
    ],
    [
      'GRAPH_RETRY_BUDGET_PERCENT',
      { GRAPH_RETRY_BUDGET_PERCENT: '0.2' },
      /^GRAPH_RETRY_BUDGET_PERCENT: expected an integer from 0 to 1000/,
    ],
    ['MAX_QUERY_DEPTH', { MAX_QUERY_DEPTH: '0' }, /^MAX_QUERY_DEPTH: expected an integer from 1 to 100/],
    ['MAX_BATCH_OPERATIONS', { MAX_BATCH_OPERATIONS: 'many' }, /^MAX_BATCH_OPERATIONS: expected an integer from 1 to 100/],
  ];

  it.each(bad)('names %s and what it expects', (_name, env, message) => {
    const found = problems(env);
    expect(
      found.some((p) => message.test(p)),
      found.join('\n'),
    ).toBe(true);
  });

  it('collects every problem into one message and never echoes a secret', () => {
    const err = configError({ PORT: 'x', LOG_LEVEL: 'y', REDIS_URL: 'ftp://user:topsecret@host' });
    expect(err.problems).toHaveLength(3);
    expect(err.message).toMatch(/^Invalid configuration:\n {2}- PORT: .*\n {2}- REDIS_URL: .*\n {2}- LOG_LEVEL: /);
    expect(err.message).not.toContain('topsecret');
  });
});
