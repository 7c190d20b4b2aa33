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
  requestId: string | null;
  clientRequestId: string | null;
  /** For `batch` and `batchItem` entries: the envelope's request id, shared by its items. */
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
