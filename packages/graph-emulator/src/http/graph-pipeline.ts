import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context.js';
import type { GraphRequest, GraphResponse, GraphVersion } from './types.js';
import type { Router } from './router.js';
import { GraphError, errorEnvelope } from './errors.js';
import { checkQueryOptions } from './odata.js';
import { refuseUndocumentedOptions } from './strict-query-options.js';

export const JSON_CONTENT_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
const PREFER_UNKNOWN = 'include-unknown-enum-members';

/** A Graph request before authentication: what the HTTPS server or a `$batch` item hands over. */
export interface RawGraphRequest {
  method: string;
  version: GraphVersion;
  /** Path after the version root, still percent-encoded, without a leading slash (`solutions/backupRestore/...`). */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  origin: string;
  batch?: { batchRequestId: string; itemId: string };
}

/** Whether the Prefer header asks for evolvable enum members (it may list several preferences). */
export function prefersUnknownEnumMembers(headers: Record<string, string>): boolean {
  const prefer = headers['prefer'];
  return !!prefer && prefer.split(',').some((p) => p.trim().toLowerCase() === PREFER_UNKNOWN);
}

/** Splits and percent-decodes a path once; a malformed escape is 400, as Graph answers it. */
export function decodeSegments(path: string): string[] {
  const raw = path.split('/');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  return raw.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new GraphError(400, 'BadRequest', 'The request URI is not valid: it has a malformed percent-encoding.');
    }
  });
}

/** Authenticates, routes and runs one Graph request; every failure becomes Graph's error envelope. */
export async function runGraphRequest(ctx: EmulatorContext, router: Router, raw: RawGraphRequest): Promise<GraphResponse> {
  const requestId = randomUUID();
  const clientRequestId = sanitizeHeaderValue(raw.headers['client-request-id']);
  const include = prefersUnknownEnumMembers(raw.headers);
  const baseHeaders: Record<string, string> = { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId };
  let subject: string | undefined;
  try {
    const caller = await ctx.authority.authenticateGraph(raw.headers['authorization']);
    subject = caller.subject;
    const segments = decodeSegments(raw.path);
    const { route, params } = router.match(raw.method, segments);
    if (!route.permissions.some((p) => caller.permissions.has(p))) {
      throw new GraphError(
        403,
        'Forbidden',
        `Missing role permissions on the request. API requires one of '${route.permissions.join(', ')}'.`,
      );
    }
    if (ctx.options.profile === 'strict') refuseUndocumentedOptions(raw.query, route);
    checkQueryOptions(raw.query, route.queryOptions ?? []);
    const req: GraphRequest = {
      method: raw.method,
      segments,
      query: raw.query,
      headers: raw.headers,
      body: raw.body,
      origin: raw.origin,
      version: raw.version,
      requestId,
      clientRequestId,
      includeUnknownEnumMembers: include,
      caller,
      batch: raw.batch,
    };
    const res = route.handler(req, params, ctx);
    const headers: Record<string, string> = { ...baseHeaders, ...res.headers };
    if (res.body !== undefined) headers['content-type'] ??= JSON_CONTENT_TYPE;
    if (include) headers['preference-applied'] = PREFER_UNKNOWN;
    return { status: res.status, headers, body: res.body, subject };
  } catch (err) {
    const res = errorResponse(err, requestId, clientRequestId, baseHeaders);
    if (subject !== undefined) res.subject = subject;
    return res;
  }
}

export function errorResponse(
  err: unknown,
  requestId: string,
  clientRequestId: string | undefined,
  baseHeaders: Record<string, string> = {},
): GraphResponse {
  const graphError =
    err instanceof GraphError
      ? err
      : new GraphError(500, 'InternalServerError', 'An internal server error occurred while processing the request.');
  if (!(err instanceof GraphError)) console.error('[emulator] unexpected error', err);
  return {
    status: graphError.status,
    headers: { ...baseHeaders, 'content-type': JSON_CONTENT_TYPE, ...graphError.extra.headers },
    body: errorEnvelope(graphError, requestId, clientRequestId),
  };
}

/** Echoed header values are bounded and printable: a hostile client-request-id is not reflected as is. */
export function sanitizeHeaderValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const clean = value.replace(/[^\u0020-\u007e]/g, '').slice(0, 128);
  return clean.length > 0 ? clean : undefined;
}
