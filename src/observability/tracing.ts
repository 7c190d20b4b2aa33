import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

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
  serviceVersion?: string | undefined;
  /** Share of traces started here that are recorded (1: all); a caller's sampled `traceparent` is always followed. */
  sampleRatio?: number | undefined;
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

export function startTracing(options: TracingOptions = {}): Tracing {
  if (!options.exporter && !options.otlpTracesUrl) return disabled;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: options.otlpTracesUrl }));
  const ratio = options.sampleRatio ?? 1;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName ?? TRACER_NAME,
      ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(Math.min(1, Math.max(0, ratio))) }),
    spanProcessors: [processor],
  });
  provider.register();
  let stopped = false;
  return {
    enabled: true,
    tracer: provider.getTracer(TRACER_NAME, options.serviceVersion),
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
