import { createHash, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayMetrics } from './metrics.js';

/**
 * `/metrics` in Prometheus' text format. It says how much traffic there is and how Graph behaves, which is
 * not for everyone, so it is protected one of two ways (or both): a bearer token (METRICS_TOKEN) that the
 * scraper sends as `Authorization: Bearer <token>`, and/or its own port (METRICS_PORT), which a deployment
 * keeps off the public ingress.
 */

export interface MetricsEndpointOptions {
  metrics: GatewayMetrics;
  /** Required bearer token; undefined: none asked. */
  token?: string | undefined;
}

export function metricsHandler({ metrics, token }: MetricsEndpointOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = token === undefined ? undefined : digest(token);
  return (req, res) => {
    if (expected !== undefined) {
      const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '')?.[1];
      // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
      if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
        res.statusCode = 401;
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('A bearer token (METRICS_TOKEN) is required.\n');
        return;
      }
    }
    metrics.render().then(
      ({ contentType, body }) => {
        res.statusCode = 200;
        res.setHeader('content-type', contentType);
        res.setHeader('cache-control', 'no-store');
        res.end(body);
      },
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export interface MetricsServerOptions extends MetricsEndpointOptions {
  port: number;
  /** The interface to listen on (the GraphQL port's). */
  host: string;
  /** The listening server failed to accept a connection (e.g. EMFILE); it keeps listening. Default: logged to stderr. */
  onError?: (error: Error) => void;
}

/** `/metrics` alone on a port of its own (METRICS_PORT); everything else there is 404. */
export async function startMetricsServer({
  port,
  host,
  onError = (error) => console.error('[metrics] server error', error),
  ...endpoint
}: MetricsServerOptions): Promise<MetricsServer> {
  const handler = metricsHandler(endpoint);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      handler(req, res);
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Without a listener, an 'error' the server emits later (a failed accept) would be thrown as an uncaught exception.
  server.on('error', onError);
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
