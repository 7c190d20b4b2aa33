import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from './context.js';
import type { Router } from './http/router.js';
import type { GraphResponse, GraphVersion } from './http/types.js';
import { GraphError } from './http/errors.js';
import { errorResponse, runGraphRequest, JSON_CONTENT_TYPE } from './http/graph-pipeline.js';
import { handleBatch, DropConnection } from './http/batch.js';
import type { AdminApi } from './admin/admin-api.js';
import type { Journal } from './admin/journal.js';
import { journalStart, journalTiming, unverifiedSubject, type JournalStart } from './admin/journal.js';
import type { FaultInjector } from './admin/faults.js';
import { batchItemRunner, graphEntry, withFaults, type Outcome } from './admin/instrument.js';

/** Graph accepts JSON bodies up to 4 MB (the `$batch` limit); anything larger is 413. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface ServerParts {
  ctx: EmulatorContext;
  router: Router;
  admin: AdminApi;
  journal: Journal;
  faults: FaultInjector;
  /** The emulator's own origin, used when a request's Host header is unusable. */
  origin: string;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new BodyTooLarge());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Lower-cased single-valued headers. */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Parses a JSON body; an empty body is undefined. Malformed JSON is Graph's 400. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
}

function send(res: ServerResponse, r: GraphResponse): void {
  if (res.headersSent || res.destroyed) return;
  const body = r.body === undefined ? undefined : JSON.stringify(r.body);
  const headers: Record<string, string | number> = { ...r.headers };
  if (body !== undefined) {
    headers['content-type'] ??= JSON_CONTENT_TYPE;
    headers['content-length'] = Buffer.byteLength(body);
  } else {
    headers['content-length'] = 0;
  }
  res.writeHead(r.status, headers);
  res.end(body);
}

function originOf(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  return host && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(host) ? `https://${host}` : fallback;
}

/** One HTTPS request: admin API, Graph (`/beta`, `/v1.0`, `$batch`) or the token authority. */
export async function handleHttp(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = flatHeaders(req);
  const origin = originOf(req, parts.origin);
  const first = rawPath.split('/')[1] ?? '';
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (err) {
    const e =
      err instanceof BodyTooLarge
        ? new GraphError(413, 'RequestEntityTooLarge', `The request body exceeds the limit of ${MAX_BODY_BYTES} bytes.`)
        : new GraphError(400, 'BadRequest', 'The request body could not be read.');
    send(res, errorResponse(e, randomUUID(), undefined));
    return;
  }
  try {
    if (first === '_emulator') {
      send(res, await parts.admin.handle({ method, path: rawPath, query, headers, rawBody: raw, origin }));
      return;
    }
    if (first === 'beta' || first === 'v1.0') {
      await handleGraph(parts, res, { method, version: first, path: rawPath.slice(first.length + 2), query, headers, raw, origin });
      return;
    }
    const started = journalStart();
    const answer = await parts.ctx.authority.handle({ method, path: rawPath, query, headers, rawBody: raw });
    if (answer) {
      send(res, answer);
      if (rawPath.endsWith('/token')) parts.journal.add(tokenEntry(method, rawPath, raw, headers, answer.status, started));
      return;
    }
    throw new GraphError(404, 'NotFound', 'The requested resource does not exist. Graph paths start with /beta or /v1.0.');
  } catch (err) {
    send(res, errorResponse(err, randomUUID(), undefined));
  }
}

async function handleGraph(
  parts: ServerParts,
  res: ServerResponse,
  r: {
    method: string;
    version: GraphVersion;
    path: string;
    query: URLSearchParams;
    headers: Record<string, string>;
    raw: Buffer;
    origin: string;
  },
): Promise<void> {
  const started = journalStart();
  const isBatch = r.path.toLowerCase() === '$batch' || r.path.toLowerCase() === '%24batch';
  const clientRequestId = r.headers['client-request-id'];
  let outcome: Outcome;
  try {
    outcome = await withFaults(parts.faults, r.method, r.path, 'request', clientRequestId, async () => {
      let body: unknown;
      try {
        body = parseJsonBody(r.raw);
      } catch (err) {
        return errorResponse(err, randomUUID(), clientRequestId);
      }
      return isBatch
        ? handleBatch(
            parts.ctx,
            parts.router,
            { method: r.method, version: r.version, headers: r.headers, body, origin: r.origin },
            batchItemRunner(parts.faults, parts.journal),
          )
        : runGraphRequest(parts.ctx, parts.router, {
            method: r.method,
            version: r.version,
            path: r.path,
            query: r.query,
            headers: r.headers,
            body,
            origin: r.origin,
          });
    });
  } catch (err) {
    if (!(err instanceof DropConnection)) throw err;
    outcome = { kind: 'drop', fault: 'drop (batch item)', ...(err.batchRequestId ? { batchRequestId: err.batchRequestId } : {}) };
  }
  parts.journal.add(graphEntry(isBatch ? 'batch' : 'request', r, started, outcome));
  if (outcome.kind === 'drop') {
    res.socket?.destroy();
    res.destroy();
    return;
  }
  send(res, outcome.response);
}

function tokenEntry(
  method: string,
  path: string,
  raw: Buffer,
  headers: Record<string, string>,
  status: number,
  started: JournalStart,
): Parameters<Journal['add']>[0] {
  const form = new URLSearchParams(raw.toString('utf8'));
  let clientId = form.get('client_id') ?? undefined;
  const basic = headers['authorization'];
  if (!clientId && basic?.toLowerCase().startsWith('basic ')) {
    clientId = decodeURIComponent(Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':')[0] ?? '');
  }
  const grantType = form.get('grant_type') ?? undefined;
  return {
    kind: 'token',
    method,
    path,
    query: '',
    status,
    subject: grantType === 'client_credentials' ? (clientId ?? null) : unverifiedSubject(form.get('assertion') ?? undefined),
    ...journalTiming(started),
    requestId: null,
    clientRequestId: headers['client-request-id'] ?? null,
    ...(grantType ? { grantType } : {}),
    ...(clientId ? { clientId } : {}),
  };
}

export interface ListeningServer {
  server: https.Server;
  port: number;
  close(): Promise<void>;
}

/** Listens first, so the origin (and the token issuer) is known before the handler is wired. */
export async function listen(
  tls: { cert: string; key: string },
  port: number,
  host: string,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<ListeningServer> {
  const server = https.createServer({ cert: tls.cert, key: tls.key, keepAlive: true, keepAliveTimeout: 65_000 }, onRequest);
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
