import type { GraphBatchRequest, GraphBatchRequestItem, GraphHttpMethod } from '../dto.js';
import { lowerCaseHeaders, PREFER_UNKNOWN_ENUM_MEMBERS } from '../http.js';

/**
 * The `$batch` wire format: a chunk of calls as one `POST /$batch` body, and Graph's answer read back into one answer
 * per call. Items are numbered from 1 in the order given; answers are matched by id (compared case-insensitively, as
 * Graph does), whatever order Graph answers in. Every item carries its own `client-request-id` and the `Prefer` header
 * the top-level requests carry. `dependsOn` is not offered: nothing needs ordered items, and a retried item would have
 * to carry its dependencies along.
 */

/** Items Graph accepts in one envelope. */
export const MAX_BATCH_SIZE = 20;

export interface EnvelopeItem {
  method: GraphHttpMethod;
  /** Relative to the version root, as `$batch` items need. */
  path: string;
  body?: unknown;
  clientRequestId: string;
}

export interface ItemAnswer {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: unknown;
}

/** Splits `items` into envelopes of at most {@link MAX_BATCH_SIZE}. */
export function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_BATCH_SIZE) out.push(items.slice(i, i + MAX_BATCH_SIZE));
  return out;
}

export function encodeEnvelope(items: readonly EnvelopeItem[]): GraphBatchRequest {
  const requests = items.map((call, i): GraphBatchRequestItem => {
    const headers: Record<string, string> = { 'client-request-id': call.clientRequestId, prefer: PREFER_UNKNOWN_ENUM_MEMBERS };
    const item: GraphBatchRequestItem = { id: String(i + 1), method: call.method, url: call.path, headers };
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      item.body = call.body;
    }
    return item;
  });
  return { requests };
}

/**
 * The answer to each of `count` items, in the order they were encoded; undefined where Graph left one unanswered.
 * Entries that are not answers (no string id, no numeric status) are skipped.
 */
export function decodeEnvelope(body: unknown, count: number): Array<ItemAnswer | undefined> {
  const answers = new Map<string, ItemAnswer>();
  const responses = typeof body === 'object' && body !== null ? (body as { responses?: unknown }).responses : undefined;
  if (Array.isArray(responses)) {
    for (const r of responses as unknown[]) {
      if (typeof r !== 'object' || r === null) continue;
      const { id, status, headers, body: itemBody } = r as Record<string, unknown>;
      if (typeof id !== 'string' || typeof status !== 'number') continue;
      answers.set(id.toLowerCase(), { status, headers: lowerCaseHeaders(headers), body: itemBody });
    }
  }
  return Array.from({ length: count }, (_, i) => answers.get(String(i + 1)));
}
