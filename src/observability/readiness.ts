import type { IncomingMessage, ServerResponse } from 'node:http';
import { scrubString } from '../logger.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * `/readyz`: whether this instance can serve, with a JSON body saying what was checked. Each check is a
 * function that resolves (with an optional detail, e.g. `answered 200`) when its dependency works and
 * rejects with a message saying what does not. Checks run in parallel, each bounded by `timeoutMs`;
 * the report is cached for `cacheMs` and concurrent probes share one run, so however many probes and
 * load balancers ask, Graph sees at most one request per `cacheMs`. Once shutdown begins the answer is
 * 503 `stopping` at once, without checking anything, so traffic drains away before the listener closes.
 */

export type ReadinessCheck = () => Promise<string | void>;

export interface CheckResult {
  ok: boolean;
  /** What was seen: `answered 200`, `connected`, or what failed. Never a URL or a token. */
  detail: string;
  durationMs: number;
}

export interface ReadinessReport {
  status: 'ready' | 'unready' | 'stopping';
  /** ISO time the checks ran. */
  checkedAt: string;
  checks: Record<string, CheckResult>;
}

export interface ReadinessOptions {
  checks: Record<string, ReadinessCheck>;
  /** How long a report is reused (READINESS_CACHE_MS). */
  cacheMs: number;
  /** How long one check may take before it counts as failed (READINESS_TIMEOUT_MS). */
  timeoutMs: number;
  metrics?: GatewayMetrics | undefined;
  now?: () => number;
}

export interface Readiness {
  report(): Promise<ReadinessReport>;
  /** From now on: 503 `stopping`. */
  markStopping(): void;
  readonly stopping: boolean;
  /** The `/readyz` handler: 200 when ready, 503 otherwise; never cached by intermediaries. */
  handler(req: IncomingMessage, res: ServerResponse): void;
}

export function createReadiness({ checks, cacheMs, timeoutMs, metrics, now = Date.now }: ReadinessOptions): Readiness {
  let cached: { report: ReadinessReport; at: number } | undefined;
  let running: Promise<ReadinessReport> | undefined;
  let stopping = false;

  async function runCheck(name: string, check: ReadinessCheck): Promise<[string, CheckResult]> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      const detail = await Promise.race([check(), timeout]);
      return [name, { ok: true, detail: typeof detail === 'string' ? detail : 'ok', durationMs: elapsed(started) }];
    } catch (err) {
      return [name, { ok: false, detail: describe(err), durationMs: elapsed(started) }];
    } finally {
      clearTimeout(timer);
    }
  }

  async function run(): Promise<ReadinessReport> {
    const checkedAt = new Date(now()).toISOString();
    const results = await Promise.all(Object.entries(checks).map(([name, check]) => runCheck(name, check)));
    for (const [name, result] of results) metrics?.readinessCheck(name, result.ok);
    const report: ReadinessReport = {
      status: results.every(([, r]) => r.ok) ? 'ready' : 'unready',
      checkedAt,
      checks: Object.fromEntries(results),
    };
    cached = { report, at: now() };
    return report;
  }

  const readiness: Readiness = {
    async report() {
      if (stopping) return { status: 'stopping', checkedAt: new Date(now()).toISOString(), checks: {} };
      if (cached && now() - cached.at < cacheMs) return cached.report;
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
    markStopping() {
      stopping = true;
    },
    get stopping() {
      return stopping;
    },
    handler(_req, res) {
      readiness.report().then(
        (report) => send(res, report.status === 'ready' ? 200 : 503, report),
        () => send(res, 503, { status: 'unready', checkedAt: new Date(now()).toISOString(), checks: {} }),
      );
    },
  };
  return readiness;
}

function send(res: ServerResponse, status: number, body: ReadinessReport): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'not ready';
  // Probes may be public: whatever a dependency's error says, no credential and no URL goes out.
  // URLs keep their scheme, host and path (which Redis, which Graph), never credentials or a query.
  return scrubString(message)
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1')
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s?#]*)[?#]\S*/gi, '$1')
    .slice(0, 300);
}
