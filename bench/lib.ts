import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request, type Agent } from 'undici';
import { loadConfig } from '../src/config.js';
import { startGateway, upstreamFromSettings, type Gateway, type UpstreamSettings } from '../src/gateway.js';

/** Shared helpers for the benchmarks. Benchmarks print figures; they never pass or fail. */

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);

/**
 * Runs `op` from `concurrency` workers for `durationMs`, returning the throughput and per-operation latencies.
 */
export async function load(
  op: () => Promise<void>,
  { concurrency, durationMs }: { concurrency: number; durationMs: number },
): Promise<{ perSecond: number; seconds: number; latencies: number[]; errors: number; firstError?: string; count: number }> {
  const run = await loadEach(() => true, op, { concurrency, durationMs });
  return { ...run, perSecond: run.latencies.length / run.seconds, count: run.latencies.length };
}

/**
 * Like `load`, but each operation gets its own input from `next`, taken before its clock starts (a fresh caller, say);
 * a worker stops when `next` has nothing left or the time is up, whichever comes first.
 */
export async function loadEach<T>(
  next: () => T | undefined,
  op: (input: T) => Promise<void>,
  { concurrency, durationMs }: { concurrency: number; durationMs: number },
): Promise<{ seconds: number; latencies: number[]; errors: number; firstError?: string }> {
  const latencies: number[] = [];
  let errors = 0;
  // A count alone would say that a run failed but not why; the first message is kept for the report.
  let firstError: string | undefined;
  const end = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const input = next();
        if (input === undefined) return;
        const t0 = performance.now();
        try {
          await op(input);
        } catch (err) {
          errors++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies, errors, ...(firstError === undefined ? {} : { firstError }) };
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

export interface EmulatorProcess {
  settings: Record<string, string>;
  caCert: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The emulator's command-line entry, the one `npm run emulator` runs. */
const EMULATOR_CLI = fileURLToPath(import.meta.resolve('@restore-session-gateway/graph-emulator/cli'));

/** Starts the emulator in its own process (its own core), as `npm run emulator` does, on an ephemeral port. */
export async function spawnEmulator(env: Record<string, string> = {}): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', EMULATOR_CLI], {
    env: { ...process.env, EMULATOR_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const settings: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the emulator did not print its settings within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
    lines.on('line', (line) => {
      const eq = line.indexOf('=');
      if (eq > 0) settings[line.slice(0, eq)] = line.slice(eq + 1);
      if (Object.keys(settings).length >= 6) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    settings,
    caCert: readFileSync(settings.NODE_EXTRA_CA_CERTS!, 'utf8'),
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export type EmulatorAdmin = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => Promise<T>;

/** Calls the emulator's `/_emulator/<path>` admin API at `origin` through `agent`, answering its JSON body (or undefined). */
export function emulatorAdmin(origin: string, agent: Agent): EmulatorAdmin {
  return async <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const res = await request(`${origin}/_emulator/${path}`, {
      method,
      dispatcher: agent,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} /_emulator/${path}: ${res.statusCode} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** The upstream settings of a gateway pointed at `proc` (the emulator's development credentials and CA). */
export function upstreamOf(proc: EmulatorProcess): UpstreamSettings {
  const s = proc.settings;
  const setting = (name: string): string => s[name] ?? '';
  return upstreamFromSettings(
    {
      GRAPH_BASE_URL: setting('GRAPH_BASE_URL'),
      AZURE_AUTHORITY_HOST: setting('AZURE_AUTHORITY_HOST'),
      AZURE_TENANT_ID: setting('AZURE_TENANT_ID'),
      AZURE_CLIENT_ID: setting('AZURE_CLIENT_ID'),
      AZURE_CLIENT_SECRET: setting('AZURE_CLIENT_SECRET'),
    },
    [proc.caCert],
  );
}

/** A gateway in this process, configured for production (silent, ephemeral port) plus `env`, pointed at `proc`. */
export function startBenchGateway(proc: EmulatorProcess, env: Record<string, string> = {}): Promise<Gateway> {
  return startGateway({
    config: loadConfig({ NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'silent', ...env }),
    host: '127.0.0.1',
    upstream: upstreamOf(proc),
  });
}
