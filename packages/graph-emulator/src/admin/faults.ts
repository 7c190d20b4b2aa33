import { badRequest } from '../http/errors.js';
import { truncate } from '../http/router.js';

/**
 * Faults on demand (`PUT /_emulator/faults`): latency, error statuses (429/503 with a Retry-After that may be
 * fractional), and dropped connections, each by rate, path pattern and method, at top level and inside `$batch`
 * items. Decisions come from a seeded PRNG, so a run with the same seed and the same request order is reproduced.
 */

export type FaultScope = 'any' | 'request' | 'batchItem';

export interface FaultRule {
  /** Glob on the path after the version root (`solutions/backupRestore/restoreSessions/*`); `*` is one segment, `**` any. Default `**`. */
  path: string;
  /** HTTP method, or `*` (default). */
  method: string;
  /** Top-level requests, `$batch` items, or both (default). */
  scope: FaultScope;
  /** Probability in [0, 1] that a matching request is hit (default 1). */
  rate: number;
  /** Added latency: `fixedMs` plus a uniform `jitterMs`. */
  latency?: { fixedMs: number; jitterMs: number };
  /** Answer with this status instead of the real one. */
  status?: number;
  /** Seconds for the Retry-After header (429 and 503 get 1 by default; fractional values allowed). */
  retryAfter?: number;
  /** Close the connection without an answer. Inside a `$batch` this drops the whole batch's connection. */
  drop?: boolean;
  /**
   * `before` (default): the request is not processed (what 429 and 503 promise). `after`: the request is processed,
   * then the answer is replaced or lost — the ambiguous failure a gateway must not retry blindly.
   */
  phase: 'before' | 'after';
  /** Stop after this many hits (default unlimited). */
  limit?: number;
}

export interface FaultConfig {
  seed: number;
  rules: FaultRule[];
}

export interface FaultDecision {
  rule: number;
  latencyMs: number;
  status?: number;
  retryAfter?: number;
  drop: boolean;
  phase: 'before' | 'after';
}

const STATUSES = new Set([400, 401, 403, 404, 409, 429, 500, 502, 503, 504]);

/** mulberry32: tiny, fast, good enough for fault rates; tests use it for seeded workloads too. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/^\/+/, '')
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

export class FaultInjector {
  private config: FaultConfig = { seed: 1, rules: [] };
  private patterns: RegExp[] = [];
  private random: () => number = prng(1);
  private hits: number[] = [];

  /** Replaces the configuration (validated) and restarts the PRNG from its seed. */
  set(input: unknown): FaultConfig {
    this.config = parseFaultConfig(input);
    this.patterns = this.config.rules.map((r) => globToRegExp(r.path));
    this.random = prng(this.config.seed);
    this.hits = this.config.rules.map(() => 0);
    return this.config;
  }

  clear(): void {
    this.set({ rules: [] });
  }

  view(): FaultConfig & { hits: number[] } {
    return { ...this.config, hits: [...this.hits] };
  }

  get active(): boolean {
    return this.config.rules.length > 0;
  }

  /** The first matching rule that fires, if any. `path` is the Graph path after the version root. */
  decide(method: string, path: string, scope: 'request' | 'batchItem'): FaultDecision | undefined {
    if (this.config.rules.length === 0) return undefined;
    const cleanPath = path.replace(/^\/+/, '').split('?')[0] ?? '';
    for (let i = 0; i < this.config.rules.length; i++) {
      const rule = this.config.rules[i]!;
      if (rule.scope !== 'any' && rule.scope !== scope) continue;
      if (rule.method !== '*' && rule.method !== method.toUpperCase()) continue;
      if (!this.patterns[i]!.test(cleanPath)) continue;
      if (rule.limit !== undefined && (this.hits[i] ?? 0) >= rule.limit) continue;
      if (rule.rate < 1 && this.random() >= rule.rate) continue;
      this.hits[i] = (this.hits[i] ?? 0) + 1;
      const latencyMs = rule.latency ? rule.latency.fixedMs + this.random() * rule.latency.jitterMs : 0;
      const decision: FaultDecision = { rule: i, latencyMs, drop: rule.drop ?? false, phase: rule.phase };
      if (rule.status !== undefined) {
        decision.status = rule.status;
        const retryAfter = rule.retryAfter ?? (rule.status === 429 || rule.status === 503 ? 1 : undefined);
        if (retryAfter !== undefined) decision.retryAfter = retryAfter;
      }
      return decision;
    }
    return undefined;
  }
}

/** Graph's error body for an injected status. */
export function faultError(status: number): { code: string; message: string; innerCode?: string } {
  switch (status) {
    case 429:
      return { code: 'TooManyRequests', message: 'Please retry again later.', innerCode: '429' };
    case 503:
      return { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable. Please retry later.' };
    case 504:
      return { code: 'GatewayTimeout', message: 'The gateway timed out waiting for the backend.' };
    case 502:
      return { code: 'BadGateway', message: 'The backend answered with an invalid response.' };
    case 500:
      return { code: 'InternalServerError', message: 'An internal server error occurred.' };
    case 401:
      return { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' };
    case 403:
      return { code: 'Forbidden', message: 'Access denied: the caller lacks the required permission.' };
    case 404:
      return { code: 'ResourceNotFound', message: 'The requested resource does not exist.' };
    case 409:
      return { code: 'Conflict', message: 'The request conflicts with the current state of the resource.' };
    default:
      return { code: 'BadRequest', message: 'The request is invalid.' };
  }
}

function parseFaultConfig(input: unknown): FaultConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest('The fault configuration must be a JSON object: {"seed"?: number, "rules": [...]}');
  }
  const o = input as Record<string, unknown>;
  const seed = o.seed === undefined ? 1 : o.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw badRequest("'seed' must be an integer.");
  const rulesIn = o.rules === undefined ? [] : o.rules;
  if (!Array.isArray(rulesIn) || rulesIn.length > 100) throw badRequest("'rules' must be an array of at most 100 rules.");
  const rules = rulesIn.map((r, i): FaultRule => {
    const where = `rules[${i}]`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw badRequest(`${where} must be an object.`);
    const x = r as Record<string, unknown>;
    const known = new Set(['path', 'method', 'scope', 'rate', 'latency', 'status', 'retryAfter', 'drop', 'phase', 'limit']);
    for (const k of Object.keys(x)) if (!known.has(k)) throw badRequest(`${where} has an unknown property '${truncate(k)}'.`);
    const path = x.path ?? '**';
    if (typeof path !== 'string' || path.length > 512) throw badRequest(`${where}.path must be a glob string.`);
    const method = x.method ?? '*';
    if (typeof method !== 'string' || !/^(\*|GET|POST|PATCH|PUT|DELETE)$/i.test(method)) {
      throw badRequest(`${where}.method must be GET, POST, PATCH, PUT, DELETE or *.`);
    }
    const scope = x.scope ?? 'any';
    if (scope !== 'any' && scope !== 'request' && scope !== 'batchItem')
      throw badRequest(`${where}.scope must be any, request or batchItem.`);
    const rate = x.rate ?? 1;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw badRequest(`${where}.rate must be a number from 0 to 1.`);
    const phase = x.phase ?? 'before';
    if (phase !== 'before' && phase !== 'after') throw badRequest(`${where}.phase must be before or after.`);
    const rule: FaultRule = { path, method: method.toUpperCase(), scope, rate, phase };
    if (x.latency !== undefined) {
      const l = x.latency as Record<string, unknown> | null;
      const fixedMs = l?.fixedMs ?? 0;
      const jitterMs = l?.jitterMs ?? 0;
      if (typeof fixedMs !== 'number' || typeof jitterMs !== 'number' || fixedMs < 0 || jitterMs < 0 || fixedMs + jitterMs > 120_000) {
        throw badRequest(`${where}.latency must be {fixedMs, jitterMs}, non-negative, at most 120000 ms together.`);
      }
      rule.latency = { fixedMs, jitterMs };
    }
    if (x.status !== undefined) {
      if (typeof x.status !== 'number' || !STATUSES.has(x.status)) {
        throw badRequest(`${where}.status must be one of ${[...STATUSES].join(', ')}.`);
      }
      rule.status = x.status;
    }
    if (x.retryAfter !== undefined) {
      if (typeof x.retryAfter !== 'number' || !(x.retryAfter >= 0 && x.retryAfter <= 3600)) {
        throw badRequest(`${where}.retryAfter must be seconds from 0 to 3600 (fractions allowed).`);
      }
      rule.retryAfter = x.retryAfter;
    }
    if (x.drop !== undefined) {
      if (typeof x.drop !== 'boolean') throw badRequest(`${where}.drop must be a boolean.`);
      rule.drop = x.drop;
    }
    if (x.limit !== undefined) {
      if (typeof x.limit !== 'number' || !Number.isInteger(x.limit) || x.limit < 0)
        throw badRequest(`${where}.limit must be a non-negative integer.`);
      rule.limit = x.limit;
    }
    if (rule.status === undefined && !rule.drop && !rule.latency) {
      throw badRequest(`${where} does nothing: give it a status, drop: true, or a latency.`);
    }
    if (rule.status !== undefined && rule.drop) throw badRequest(`${where} cannot both answer with a status and drop the connection.`);
    return rule;
  });
  return { seed, rules };
}
