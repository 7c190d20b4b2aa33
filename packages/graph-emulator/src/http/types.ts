import type { Caller } from '../authority/caller.js';

export type GraphVersion = 'beta' | 'v1.0';

/** One Graph request as the route handlers see it: a top-level HTTP request or one `$batch` item. */
export interface GraphRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Path segments after the version root, each percent-decoded once (`solutions`, `backupRestore`, …). */
  segments: string[];
  /** The query string, parsed. */
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** `https://host:port` the request came to (from the Host header); used for absolute nextLinks. */
  origin: string;
  version: GraphVersion;
  /** Server-generated `request-id`. */
  requestId: string;
  /** The caller's `client-request-id`, echoed back. */
  clientRequestId: string | undefined;
  /** Whether `Prefer: include-unknown-enum-members` was sent (per item inside `$batch`). */
  includeUnknownEnumMembers: boolean;
  /** The authenticated caller (set before any route handler runs). */
  caller: Caller;
  /** Set for `$batch` items: the envelope's request id and the item's id. */
  batch?: { batchRequestId: string; itemId: string };
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  /** A JSON value; undefined for an empty body (204). */
  body?: unknown;
  /** Internal, never sent: who was authenticated (`oid` or app id), for the journal. */
  subject?: string;
}
