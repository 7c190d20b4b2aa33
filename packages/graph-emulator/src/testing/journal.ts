import { sequentialRounds, type JournalEntry } from '../admin/journal.js';

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
 * Round trips a client spent waiting on Graph, one after the other ({@link sequentialRounds} of the upstream requests):
 * requests sent side by side count once; a level of a query that waits for the level above counts again.
 */
export function upstreamRounds(entries: readonly JournalEntry[]): number {
  return sequentialRounds(upstreamRequests(entries).map((e) => e.monotonicMs));
}
