import { randomUUID, createHash } from 'node:crypto';
import type { EmulatorContext } from '../context.js';
import type { Router } from './router.js';
import type { GraphResponse, GraphVersion } from './types.js';
import { GraphError, badRequest } from './errors.js';
import { errorResponse, runGraphRequest, sanitizeHeaderValue, JSON_CONTENT_TYPE, type RawGraphRequest } from './graph-pipeline.js';
import { truncate } from './router.js';

/** Graph's limit of requests in one `$batch`. */
export const MAX_BATCH_ITEMS = 20;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

export interface BatchEnvelope {
  method: string;
  version: GraphVersion;
  headers: Record<string, string>;
  body: unknown;
  origin: string;
}

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Lets the fault injector and the journal wrap each item; the default runs the item as is. */
export type BatchItemRunner = (raw: RawGraphRequest, run: () => Promise<GraphResponse>) => Promise<GraphResponse>;
const runAsIs: BatchItemRunner = (_raw, run) => run();

/** Thrown by an item runner to drop the whole batch's connection, as a network failure would. */
export class DropConnection extends Error {
  /** The envelope's request id, so the journal can tie the dropped envelope to its items. */
  constructor(readonly batchRequestId?: string) {
    super('connection dropped by an injected fault');
  }
}

let batchCounter = 0;

/** `POST /$batch`: validates the envelope, runs the items in dependsOn order, answers 200 with every item's result. */
export async function handleBatch(
  ctx: EmulatorContext,
  router: Router,
  env: BatchEnvelope,
  itemRunner: BatchItemRunner = runAsIs,
): Promise<GraphResponse> {
  const batchRequestId = randomUUID();
  const clientRequestId = sanitizeHeaderValue(env.headers['client-request-id']);
  const baseHeaders = { 'request-id': batchRequestId, 'client-request-id': clientRequestId ?? batchRequestId };
  let subject: string | undefined;
  try {
    if (env.method !== 'POST') throw new GraphError(405, 'MethodNotAllowed', '$batch only accepts POST.');
    // The envelope's token is the items' token: an unauthenticated envelope fails as a whole.
    subject = (await ctx.authority.authenticateGraph(env.headers['authorization'])).subject;
    const items = parseItems(env.body);
    const results = await runItems(items, (item) => {
      const q = item.url.indexOf('?');
      const path = (q === -1 ? item.url : item.url.slice(0, q)).replace(/^\/+/, '');
      const raw: RawGraphRequest = {
        method: item.method,
        version: env.version,
        path,
        query: new URLSearchParams(q === -1 ? '' : item.url.slice(q + 1)),
        headers: { ...item.headers, authorization: env.headers['authorization'] ?? '' },
        body: item.body,
        origin: env.origin,
        batch: { batchRequestId, itemId: item.id },
      };
      return itemRunner(raw, () => runItem(ctx, router, raw, item));
    });
    const order = ++batchCounter;
    // Graph may answer items in any order; a stable shuffle keeps clients honest about correlating by id.
    const responses = [...results].sort((a, b) => rank(a.id, order).localeCompare(rank(b.id, order)));
    return {
      status: 200,
      headers: { ...baseHeaders, 'content-type': JSON_CONTENT_TYPE },
      body: { responses },
      ...(subject !== undefined ? { subject } : {}),
    };
  } catch (err) {
    if (err instanceof DropConnection) throw err;
    const res = errorResponse(err, batchRequestId, clientRequestId, baseHeaders);
    if (subject !== undefined) res.subject = subject;
    return res;
  }
}

function rank(id: string, order: number): string {
  return createHash('md5').update(`${order}:${id}`).digest('hex');
}

/**
 * An item that fails before reaching the pipeline still answers like one: its own request-id and its echoed
 * client-request-id, in the headers and in the error envelope.
 */
function itemError(err: GraphError, itemHeaders: Record<string, string>): GraphResponse {
  const requestId = randomUUID();
  const clientRequestId = sanitizeHeaderValue(itemHeaders['client-request-id']);
  return errorResponse(err, requestId, clientRequestId, { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId });
}

async function runItem(ctx: EmulatorContext, router: Router, raw: RawGraphRequest, item: BatchItem): Promise<GraphResponse> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(item.url) || item.url.startsWith('//')) {
    return itemError(badRequest('Batch request URLs must be relative to the version root, e.g. /solutions/backupRestore.'), raw.headers);
  }
  if (raw.path.split('/')[0]?.toLowerCase() === '$batch') {
    return itemError(badRequest('A $batch request cannot contain another $batch request.'), raw.headers);
  }
  return runGraphRequest(ctx, router, raw);
}

function parseItems(body: unknown): BatchItem[] {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { requests?: unknown }).requests)) {
    throw badRequest("Invalid batch payload format: expected an object with a 'requests' array.");
  }
  const requests = (body as { requests: unknown[] }).requests;
  if (requests.length === 0) throw badRequest('Invalid batch payload format: the requests array is empty.');
  if (requests.length > MAX_BATCH_ITEMS) {
    throw badRequest(`Number of batch request steps exceeds the maximum of ${MAX_BATCH_ITEMS}.`);
  }
  const seen = new Set<string>();
  const items = requests.map((r, index): BatchItem => {
    if (typeof r !== 'object' || r === null) throw badRequest(`Invalid batch payload format: request ${index} is not an object.`);
    const o = r as Record<string, unknown>;
    if (typeof o.id !== 'string' || o.id.trim() === '') throw badRequest(`Invalid batch payload format: request ${index} has no id.`);
    const id = o.id;
    const key = id.toLowerCase();
    if (seen.has(key)) throw badRequest(`Invalid batch payload format: the request id '${truncate(id)}' is used more than once.`);
    seen.add(key);
    if (typeof o.method !== 'string' || !METHODS.has(o.method.toUpperCase())) {
      throw badRequest(`Invalid batch payload format: request '${truncate(id)}' has no valid method.`);
    }
    if (typeof o.url !== 'string' || o.url === '') throw badRequest(`Invalid batch payload format: request '${truncate(id)}' has no url.`);
    const headers: Record<string, string> = {};
    if (o.headers !== undefined) {
      if (typeof o.headers !== 'object' || o.headers === null || Array.isArray(o.headers)) {
        throw badRequest(`Invalid batch payload format: the headers of request '${truncate(id)}' are not an object.`);
      }
      for (const [k, v] of Object.entries(o.headers as Record<string, unknown>)) {
        if (typeof v !== 'string')
          throw badRequest(`Invalid batch payload format: header '${truncate(k)}' of request '${truncate(id)}' is not a string.`);
        if (k.toLowerCase() === 'authorization') continue; // the envelope's token is used for every item
        headers[k.toLowerCase()] = v;
      }
    }
    if (o.body !== undefined && !headers['content-type']) {
      throw badRequest(`Invalid batch payload format: request '${truncate(id)}' has a body but no Content-Type header.`);
    }
    let dependsOn: string[] = [];
    if (o.dependsOn !== undefined) {
      if (!Array.isArray(o.dependsOn) || o.dependsOn.some((d) => typeof d !== 'string')) {
        throw badRequest(`Invalid batch payload format: dependsOn of request '${truncate(id)}' must be an array of ids.`);
      }
      dependsOn = o.dependsOn as string[];
    }
    return { id, method: o.method.toUpperCase(), url: o.url, headers, body: o.body, dependsOn };
  });
  const byKey = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  for (const item of items) {
    for (const d of item.dependsOn) {
      if (!byKey.has(d.toLowerCase())) {
        throw badRequest(`Invalid batch payload format: request '${truncate(item.id)}' depends on unknown request '${truncate(d)}'.`);
      }
    }
  }
  // Cycles can never run: refuse them up front.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: BatchItem): void => {
    const key = item.id.toLowerCase();
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') throw badRequest('Invalid batch payload format: dependsOn forms a cycle.');
    state.set(key, 'visiting');
    for (const d of item.dependsOn) visit(byKey.get(d.toLowerCase())!);
    state.set(key, 'done');
  };
  items.forEach(visit);
  return items;
}

/** Runs items as soon as their dependencies finish; a failed dependency (status >= 400) fails its dependents with 424. */
async function runItems(items: BatchItem[], run: (item: BatchItem) => Promise<GraphResponse>): Promise<BatchItemResponse[]> {
  const byKey = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const done = new Map<string, Promise<GraphResponse>>();
  const start = (item: BatchItem): Promise<GraphResponse> => {
    const key = item.id.toLowerCase();
    let p = done.get(key);
    if (p) return p;
    p = (async () => {
      const deps = await Promise.all(item.dependsOn.map((d) => start(byKey.get(d.toLowerCase())!)));
      if (deps.some((d) => d.status >= 400)) {
        return itemError(
          new GraphError(424, 'FailedDependency', 'The request could not be run because a request it depends on failed.'),
          item.headers,
        );
      }
      return run(item);
    })();
    done.set(key, p);
    return p;
  };
  const results = await Promise.all(items.map(start));
  return items.map((item, i) => {
    const r = results[i]!;
    const out: BatchItemResponse = { id: item.id, status: r.status, headers: r.headers ?? {} };
    if (r.body !== undefined) out.body = r.body;
    return out;
  });
}
