import type { PermissionSet } from '../authority/caller.js';
import type { GraphRequest, GraphResponse } from './types.js';
import type { EmulatorContext } from '../context.js';
import { GraphError } from './errors.js';

export type RouteHandler = (req: GraphRequest, params: Record<string, string>, ctx: EmulatorContext) => GraphResponse;

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** Path after the version root, with `{name}` placeholders, e.g. `solutions/backupRestore/restoreSessions/{id}`. */
  path: string;
  /** Any one of these Graph permissions is required. */
  permissions: PermissionSet;
  /** The `$` query options this endpoint supports; any other `$` option is 400. */
  queryOptions?: readonly string[];
  handler: RouteHandler;
}

interface CompiledRoute extends Route {
  parts: Array<{ literal: string } | { param: string }>;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/**
 * Matches decoded path segments against the routes. Literal segments compare case-insensitively, as Graph's do
 * (`sharepointRestoreSessions` works as well as `sharePointRestoreSessions`).
 */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(...routes: Route[]): this {
    for (const r of routes) {
      const parts = r.path
        .split('/')
        .map((p) => (p.startsWith('{') && p.endsWith('}') ? { param: p.slice(1, -1) } : { literal: p.toLowerCase() }));
      this.routes.push({ ...r, parts });
    }
    return this;
  }

  /** Throws GraphError 400 (no such resource, as Graph says it) or 405 (resource exists, method doesn't). */
  match(method: string, segments: string[]): RouteMatch {
    let pathMatched = false;
    // Literal matches win over parameters: `restorePoints/search` is not the restore point with id "search".
    let best: { route: CompiledRoute; params: Record<string, string>; literals: number } | undefined;
    const lower = segments.map((s) => s.toLowerCase());
    for (const route of this.routes) {
      if (route.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (let i = 0; i < route.parts.length; i++) {
        const part = route.parts[i]!;
        const seg = segments[i]!;
        if ('literal' in part) {
          if (part.literal !== lower[i]) {
            ok = false;
            break;
          }
          literals++;
        } else {
          params[part.param] = seg;
        }
      }
      if (!ok) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      if (!best || literals > best.literals) best = { route, params, literals };
    }
    if (best) return { route: best.route, params: best.params };
    if (pathMatched) {
      throw new GraphError(405, 'MethodNotAllowed', `The HTTP method '${method}' is not allowed on this resource.`);
    }
    const unknown = this.firstUnknownSegment(segments);
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${unknown}'.`);
  }

  private firstUnknownSegment(segments: string[]): string {
    let depth = 0;
    for (; depth < segments.length; depth++) {
      const prefix = segments.slice(0, depth + 1);
      const known = this.routes.some(
        (r) =>
          r.parts.length > depth &&
          prefix.every((seg, i) => {
            const part = r.parts[i]!;
            return 'param' in part || part.literal === seg.toLowerCase();
          }),
      );
      if (!known) break;
    }
    return truncate(segments[depth] ?? segments[segments.length - 1] ?? '');
  }
}

/** Echoes a segment of the caller's input in a message without echoing 10 kB strings or control characters. */
export function truncate(value: string, max = 64): string {
  const clean = value.replace(/(?![\u0080-\u009f])\p{Cc}/gu, '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
