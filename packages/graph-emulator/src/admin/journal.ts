/**
 * The request journal (`GET /_emulator/journal`): every Graph request, every `$batch` envelope and item, and every
 * token request, so tests and benchmarks can see exactly what a gateway sent. Bounded: the oldest entries go first.
 */
export interface JournalEntry {
  /** Increasing sequence number; `?since=<seq>` lists only later entries. */
  seq: number;
  kind: 'request' | 'batch' | 'batchItem' | 'token';
  method: string;
  /** `beta` or `v1.0` for Graph requests. */
  version?: string;
  /** Graph: the path after the version root as sent (`solutions/backupRestore/restoreSessions`); token: the raw path. */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  /** The answer's status; 0 when the connection was dropped. */
  status: number;
  /** The caller: the token's `oid` for users, the app id for app-only tokens; null when unauthenticated. */
  subject: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /**
   * The same two moments on a monotonic clock (`performance.now()`, fractional milliseconds): `started` once the
   * request was read, `finished` just before the answer was written or the connection dropped. A `batchItem`'s
   * answer leaves only with its envelope, at that `batch` entry's `finished`. Sub-millisecond and immune to
   * wall-clock steps, so waits between requests can be measured; comparable only between entries of one emulator
   * process (its origin is that process's start), never with another process's stamps or with `startedAt`.
   */
  monotonicMs: { started: number; finished: number };
  requestId: string | null;
  clientRequestId: string | null;
  /** For `batch` and `batchItem` entries: the envelope's request id, shared by its items (also when an item dropped the envelope). */
  batchRequestId?: string;
  /** For `batchItem` entries: the item's id inside the batch. */
  itemId?: string;
  /** The injected fault, when one fired: `status:429`, `drop`, `latency:120ms`, with `@after` for after-phase faults. */
  fault?: string;
  /** For token requests: the grant type and the client id (never secrets or assertions). */
  grantType?: string;
  clientId?: string;
}

export const JOURNAL_CAPACITY = 20_000;

/** When handling began, on both clocks an entry is stamped with. */
export interface JournalStart {
  wallMs: number;
  monotonicMs: number;
}

export function journalStart(): JournalStart {
  return { wallMs: Date.now(), monotonicMs: performance.now() };
}

/** An entry's timing fields, from its start until now. */
export function journalTiming(start: JournalStart): Pick<JournalEntry, 'startedAt' | 'finishedAt' | 'durationMs' | 'monotonicMs'> {
  const finishedMono = performance.now();
  const finished = Date.now();
  return {
    startedAt: new Date(start.wallMs).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - start.wallMs,
    monotonicMs: { started: start.monotonicMs, finished: finishedMono },
  };
}

export class Journal {
  private entries: JournalEntry[] = [];
  private seq = 0;

  add(entry: Omit<JournalEntry, 'seq'>): JournalEntry {
    const full = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    if (this.entries.length > JOURNAL_CAPACITY) this.entries.splice(0, this.entries.length - JOURNAL_CAPACITY);
    return full;
  }

  list(since = 0): JournalEntry[] {
    if (since <= 0) return [...this.entries];
    return this.entries.filter((e) => e.seq > since);
  }

  clear(): void {
    this.entries = [];
  }

  /** The last sequence number handed out (not reset by clear, so `since` stays meaningful). */
  get lastSeq(): number {
    return this.seq;
  }
}

/** Reads the `oid` (or app id) from a JWT without verifying it: for the journal of token requests only. */
export function unverifiedSubject(jwt: string | undefined): string | null {
  if (!jwt) return null;
  const part = jwt.split('.')[1];
  if (!part) return null;
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    const oid = payload.oid ?? payload.appid ?? payload.azp;
    return typeof oid === 'string' ? oid : null;
  } catch {
    return null;
  }
}

/**
 * Round trips a client waited for one after the other: the length of the longest chain of requests in which each one
 * started only after the one before it had answered (on the journal's `monotonicMs`). Requests sent side by side count
 * once; a level of a query that waits for the level above counts again.
 */
export function sequentialRounds(spans: ReadonlyArray<{ started: number; finished: number }>): number {
  const sorted = [...spans].sort((a, b) => a.started - b.started);
  const depth: number[] = [];
  let longest = 0;
  for (let i = 0; i < sorted.length; i++) {
    let d = 1;
    // A request that ended before this one began also began before it, so it sits earlier in `sorted`.
    for (let j = 0; j < i; j++) if (sorted[j]!.finished <= sorted[i]!.started) d = Math.max(d, depth[j]! + 1);
    depth.push(d);
    longest = Math.max(longest, d);
  }
  return longest;
}
