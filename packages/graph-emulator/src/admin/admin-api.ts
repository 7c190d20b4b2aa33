import { randomUUID } from 'node:crypto';
import type { GraphResponse } from '../http/types.js';
import { GraphError, badRequest } from '../http/errors.js';
import { errorResponse, JSON_CONTENT_TYPE } from '../http/graph-pipeline.js';
import { parseJsonBody } from '../server.js';
import type { EmulatorContext } from '../context.js';

export interface AdminRequest {
  method: string;
  /** Raw path, starting with `/_emulator/`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  rawBody: Buffer;
  origin: string;
}

export type AdminHandler = (body: unknown, req: AdminRequest) => Promise<unknown> | unknown;

/**
 * The emulator's own API under `/_emulator/`, never reachable through the Graph paths. It needs no token: it is a
 * local development tool, and the emulator only listens on loopback.
 */
export class AdminApi {
  private readonly handlers = new Map<string, AdminHandler>();

  constructor(private readonly ctx: () => EmulatorContext) {}

  /** Registers `METHOD /_emulator/<name>`. */
  on(method: string, name: string, handler: AdminHandler): this {
    this.handlers.set(`${method.toUpperCase()} ${name}`, handler);
    return this;
  }

  async handle(req: AdminRequest): Promise<GraphResponse> {
    const requestId = randomUUID();
    try {
      const name = req.path.replace(/^\/_emulator\/?/, '').replace(/\/+$/, '');
      const handler = this.handlers.get(`${req.method} ${name}`);
      if (!handler) {
        const exists = [...this.handlers.keys()].some((k) => k.endsWith(` ${name}`));
        if (exists) throw new GraphError(405, 'MethodNotAllowed', `${req.method} is not allowed on /_emulator/${name}.`);
        throw new GraphError(404, 'NotFound', `There is no admin endpoint /_emulator/${name}.`);
      }
      const body = parseJsonBody(req.rawBody);
      const result = await handler(body, req);
      if (result === undefined) return { status: 204, headers: { 'request-id': requestId } };
      return { status: 200, headers: { 'request-id': requestId, 'content-type': JSON_CONTENT_TYPE }, body: result };
    } catch (err) {
      return errorResponse(err, requestId, undefined, { 'request-id': requestId });
    }
  }

  get context(): EmulatorContext {
    return this.ctx();
  }
}

/** Reads a JSON object body, or 400. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}
