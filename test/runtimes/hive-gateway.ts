import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { RESTORE_SESSIONS_SUBGRAPH } from '../federation/support.js';

/**
 * Hive Gateway (`@graphql-hive/gateway-runtime`) in process, loaded from its own npm project in ./hive/: it needs newer
 * `@graphql-tools/*` than the root's overrides allow, so it brings its own copies (and its own graphql, which never
 * meets the root's: the two sides only exchange SDL text and HTTP). Loading it through `require` from that folder keeps
 * it out of vitest's module graph and the root's type check; the few parts of its API these tests use are typed here.
 */

const HIVE_PROJECT = fileURLToPath(new URL('./hive/', import.meta.url));

/** What Hive hands `fromClientToSubgraphs` (a subset). */
interface FromClientToSubgraphsPayload {
  request: Request;
  subgraphName: string;
}

/** What Hive's `onFetch` plugin hook sees of each request it sends to a subgraph (a subset). */
interface HiveFetchPayload {
  url: string;
  options: { method?: string; headers?: Record<string, string> | Headers | Array<[string, string]> };
}

interface HiveGatewayConfig {
  supergraph: string;
  /** Which client headers go to which subgraph. Hive propagates none by default. */
  propagateHeaders?: {
    fromClientToSubgraphs?: (payload: FromClientToSubgraphsPayload) => Record<string, string | null | undefined> | void;
  };
  /** Per subgraph (by name) transport options, e.g. `{ options: { subscriptions: { kind: 'ws', … } } }`. */
  transportEntries?: Record<string, { options?: Record<string, unknown> }>;
  plugins?: () => Array<{ onFetch?: (payload: HiveFetchPayload) => void }>;
  logging?: boolean | 'debug' | 'info' | 'warn' | 'error';
}

/** The runtime is a Node request listener (a Yoga server) that can be disposed of. */
interface HiveGatewayRuntime {
  (req: IncomingMessage, res: ServerResponse): void;
  dispose(): Promise<void> | void;
}

interface HiveRuntimeModule {
  createGatewayRuntime(config: HiveGatewayConfig): HiveGatewayRuntime;
}

/** One request Hive sent to a subgraph. */
export interface HiveSubgraphRequest {
  url: string;
  method: string;
  accept: string | null;
  authorization: string | null;
}

export interface RunningHiveGateway {
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  /** Every request Hive sent to a subgraph since start (or since the last `subgraphRequests.length = 0`). */
  subgraphRequests: HiveSubgraphRequest[];
  stop(): Promise<void>;
}

export interface HiveGatewayOptions {
  supergraphSdl: string;
  /** Subgraph transport settings on top of Hive's defaults (e.g. subscriptions over WebSocket). */
  transportEntries?: HiveGatewayConfig['transportEntries'];
}

let loaded: HiveRuntimeModule | undefined;

/**
 * Hive's runtime from ./hive/node_modules, installed first when it is missing or stale (npm test's `pretest` does that
 * already; this covers `npx vitest run` of one file on a fresh clone).
 */
export function loadHiveRuntime(): HiveRuntimeModule {
  if (loaded) return loaded;
  execFileSync(process.execPath, [fileURLToPath(new URL('./hive/install.mjs', import.meta.url))], { stdio: 'inherit' });
  const requireFromHive = createRequire(`${HIVE_PROJECT}package.json`);
  loaded = requireFromHive('@graphql-hive/gateway-runtime') as HiveRuntimeModule;
  return loaded;
}

function headerOf(headers: HiveFetchPayload['options']['headers'], name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.find(([key]) => key.toLowerCase() === name)?.[1] ?? null;
}

/**
 * Hive Gateway on its defaults (subscriptions to subgraphs over SSE, errors masked as it masks them) plus the one
 * setting every deployment of this subgraph needs: the client's `authorization` header propagated to it.
 */
export async function startHiveGateway({ supergraphSdl, transportEntries }: HiveGatewayOptions): Promise<RunningHiveGateway> {
  const { createGatewayRuntime } = loadHiveRuntime();
  const subgraphRequests: HiveSubgraphRequest[] = [];
  const runtime = createGatewayRuntime({
    supergraph: supergraphSdl,
    // docs/federation.md's configuration: the caller's token, to this gateway's subgraph only.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) =>
        subgraphName === RESTORE_SESSIONS_SUBGRAPH ? { authorization: request.headers.get('authorization') } : {},
    },
    ...(transportEntries ? { transportEntries } : {}),
    plugins: () => [
      {
        onFetch: ({ url, options }) => {
          subgraphRequests.push({
            url,
            method: options.method ?? 'GET',
            accept: headerOf(options.headers, 'accept'),
            authorization: headerOf(options.headers, 'authorization'),
          });
        },
      },
    ],
    // Quieter than its default (`info`): the tests read what clients and subgraphs see, not Hive's log.
    logging: 'error',
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    subgraphRequests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.dispose();
    },
  };
}
