import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * OpenTelemetry traces. With an OTLP endpoint configured (or an exporter given, as the tests give an
 * in-memory one) this starts a tracer provider with an AsyncLocalStorage context manager and the W3C
 * trace-context propagator, and registers it globally; the gateway's spans then go out over OTLP/HTTP.
 * Without one nothing is started: `enabled` is false, every instrumentation point checks it first and
 * creates no span and no context at all, and whatever else asks the API gets its no-op tracer.
 */

export const TRACER_NAME = 'restore-session-gateway';

export interface TracingOptions {
  /** OTLP/HTTP traces URL (`…/v1/traces`). */
  otlpTracesUrl?: string | undefined;
  /** Instead of OTLP: an exporter of the caller's (tests: InMemorySpanExporter). Spans are exported one by one. */
  exporter?: SpanExporter | undefined;
  /** `service.name`; default `restore-session-gateway`. */
  serviceName?: string | undefined;
}

export interface Tracing {
  /** False: no SDK was started and nothing is traced. */
  readonly enabled: boolean;
  readonly tracer: Tracer;
  /** Exports what is buffered. */
  flush(): Promise<void>;
  /** Flushes, stops the provider and unregisters the globals. */
  shutdown(): Promise<void>;
}

const disabled: Tracing = {
  enabled: false,
  tracer: trace.getTracer(TRACER_NAME),
  flush: async () => undefined,
  shutdown: async () => undefined,
};

export function startTracing({ otlpTracesUrl, exporter, serviceName = TRACER_NAME }: TracingOptions): Tracing {
  if (!exporter && !otlpTracesUrl) return disabled;
  const processor = exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    // Every trace started here is recorded; a caller's `traceparent` decides for its own.
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [processor],
  });
  provider.register();
  let stopped = false;
  return {
    enabled: true,
    tracer: provider.getTracer(TRACER_NAME),
    flush: () => provider.forceFlush(),
    async shutdown() {
      if (stopped) return;
      stopped = true;
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
}
