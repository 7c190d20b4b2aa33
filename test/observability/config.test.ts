import { describe, expect, it } from 'vitest';
import type { ConfigError} from '../../src/config.js';
import { describeConfig, loadConfig } from '../../src/config.js';

describe('operations configuration', () => {
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
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).observability.otlpTracesUrl).toBe('http://collector:4318/v1/traces');
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/api/v1/traces' }).observability
        .otlpTracesUrl,
    ).toBe('https://traces.example/api/v1/traces');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).observability.otlpTracesUrl).toBeUndefined();
  });

  it('names each wrong variable and never echoes the metrics token', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ METRICS_TOKEN: 'short', METRICS_PORT: '4000', SHUTDOWN_TIMEOUT_MS: '5', OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://x' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.problems).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:// or https:// URL of an OTLP/HTTP collector, e.g. http://otel-collector:4318, got \'grpc://x\'',
      'METRICS_TOKEN: expected at least 16 characters',
      'SHUTDOWN_TIMEOUT_MS: expected an integer from 1000 to 600000, got \'5\'',
      "METRICS_PORT: expected a port other than PORT (4000), got '4000'",
    ]);
    const config = loadConfig({ METRICS_TOKEN: 'a-long-enough-scrape-token', METRICS_PORT: '9464' });
    expect(config.observability).toMatchObject({ metricsToken: 'a-long-enough-scrape-token', metricsPort: 9464 });
    expect(JSON.stringify(describeConfig(config))).not.toContain('a-long-enough-scrape-token');
  });
});
