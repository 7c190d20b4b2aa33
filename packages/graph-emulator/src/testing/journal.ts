import type { JournalEntry } from '../admin/journal.js';

/**
 * Which journal entries a test counts. They take any list of entries: `emu.journal.list()`, a slice of it, or the
 * `entries` of `GET /_emulator/journal` from an emulator in another process.
 */

/** Graph traffic: lone requests, `$batch` envelopes and their items; everything but token requests. */
export function graphEntries(entries: readonly JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => e.kind !== 'token');
}

/** Upstream HTTP requests: lone requests plus `$batch` envelopes (items travel inside those). */
export function upstreamRequests(entries: readonly JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => e.kind === 'request' || e.kind === 'batch');
}

/** The Graph calls as they were asked for: lone requests and the items of each `$batch`. */
export function graphCalls(entries: readonly JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => e.kind === 'request' || e.kind === 'batchItem');
}

/** Requests to the token endpoint (client credentials and on-behalf-of). */
export function tokenRequests(entries: readonly JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => e.kind === 'token');
}

/**
 * Round trips a client spent waiting on Graph, one after the other: the length of the longest chain of upstream
 * requests in which each one started after the one before it had answered (on the emulator's monotonic stamps).
 * Requests sent side by side count once; a level of a query that waits for the level above counts again.
 */
export function upstreamRounds(entries: readonly JournalEntry[]): number {
  const requests = upstreamRequests(entries).sort((a, b) => a.monotonicMs.started - b.monotonicMs.started);
  const depth: number[] = [];
  requests.forEach((r, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) if (requests[j]!.monotonicMs.finished <= r.monotonicMs.started) before = Math.max(before, depth[j]!);
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
}
