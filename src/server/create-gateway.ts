import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import cors from 'cors';
import type { GraphQLSchema } from 'graphql';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { isLoopbackHost } from '../config.js';
import type { Readiness } from '../observability/readiness.js';
import { sandboxHtml, sandboxLandingPage } from './landing-page.js';
import { createFormatError, type ErrorLogger } from './format-error.js';

export interface GatewayServerOptions<Ctx extends BaseContext> {
  port: number;
  /** Default `0.0.0.0` (the gateway passes HOST: loopback in development). */
  host?: string;
  schema: GraphQLSchema;
  /** Builds the per-request context (fresh DataLoaders, caller identity). */
  createContext: (req: express.Request) => Promise<Ctx>;
  /** Exact origins allowed by CORS (CORS_ORIGINS); empty: no cross-origin browser access. */
  corsOrigins: readonly string[];
  introspection: boolean;
  /**
   * Apollo Sandbox landing page (development), or none. `headers` (the development token) are preset only in the page
   * served to a request whose `Host` names the loopback interface: a page any other name reaches (a LAN address, or a
   * DNS-rebound attacker's domain pointing at this machine) never carries them.
   */
  landingPage: false | { document: string; headers?: Record<string, string> };
  logError: ErrorLogger;
  /** Largest accepted request body in bytes (MAX_REQUEST_BYTES), refused with 413 before it is read. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Extra Apollo plugins (metrics, limits, …). */
  plugins?: ApolloServerPlugin<Ctx>[];
  /** Request limits' Apollo options (`limits.ts`): parse limits, validation rules, APQ, batching. */
  limits?: Pick<ApolloServerOptions<Ctx>, 'parseOptions' | 'validationRules' | 'persistedQueries' | 'allowBatchedHttpRequests'>;
  /** Run on /graphql after the JSON body parser and before Apollo (document size, operations per request). */
  requestMiddleware?: express.RequestHandler[];
  /** The WebSocket transport (graphql-ws), set up on the same HTTP server; disposed in Apollo's drain phase. */
  websocket?: (httpServer: http.Server) => { dispose(): Promise<void> };
  /** `/readyz` (`src/observability/readiness.ts`): cached checks of Graph, its token and Redis; without it, always ready. */
  readiness?: Readiness;
  /** `/metrics` on this port (already protected by its token, when one is configured); without it, none here. */
  metrics?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  /** How long stopping waits for in-flight requests before cutting them (default 10 s, Apollo's). */
  drainTimeoutMs?: number;
}

export interface RunningGateway {
  /** `http://host:port/graphql` */
  url: string;
  /** `ws://host:port/graphql` */
  wsUrl: string;
  port: number;
  httpServer: http.Server;
  app: express.Express;
  stop(): Promise<void>;
}

/**
 * Apollo Server 5 on express 5 and a Node HTTP server (which the WebSocket subscriptions share): `/graphql`,
 * `/healthz`, CORS from the configuration, CSRF prevention on, Sandbox as the landing page in development.
 */
export async function startGatewayServer<Ctx extends BaseContext>(opts: GatewayServerOptions<Ctx>): Promise<RunningGateway> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  // After listening, a failed accept (EMFILE when file descriptors run out) is an 'error' event: unlistened, it would
  // be an uncaught exception and stop the process; logged, the server keeps accepting once descriptors free up.
  httpServer.on('error', (err) => opts.logError('http-server', err));
  const port = (httpServer.address() as AddressInfo).port;
  // A browser opens `localhost` (the page's own origin must match the endpoint it presets), whichever loopback or
  // wildcard address the socket is bound to.
  const publicHost = !opts.host || ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(opts.host) ? 'localhost' : opts.host;
  const url = `http://${publicHost}:${port}/graphql`;
  const wsUrl = `ws://${publicHost}:${port}/graphql`;
  const websocket = opts.websocket?.(httpServer);

  const apollo = new ApolloServer<Ctx>({
    ...opts.limits,
    schema: opts.schema,
    introspection: opts.introspection,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(opts.logError, { hideSuggestions: !opts.introspection }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, ...(opts.drainTimeoutMs !== undefined ? { stopGracePeriodMillis: opts.drainTimeoutMs } : {}) }),
      // Apollo's pattern for subscriptions: the WebSocket server closes its sockets when the HTTP server drains.
      { serverWillStart: async () => ({ drainServer: async () => websocket?.dispose() }) },
      opts.landingPage
        ? sandboxLandingPage({ endpoint: url, subscriptionEndpoint: wsUrl, document: opts.landingPage.document })
        : ApolloServerPluginLandingPageDisabled(),
      ...(opts.plugins ?? []),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const readiness = opts.readiness;
  app.get('/readyz', (req, res) => {
    if (readiness) readiness.handler(req, res);
    else res.json({ status: 'ready', checkedAt: new Date().toISOString(), checks: {} });
  });
  const metrics = opts.metrics;
  if (metrics) app.get('/metrics', (req, res) => metrics(req, res));
  const corsOptions: cors.CorsOptions = {
    origin: [...opts.corsOrigins],
    credentials: true,
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'apollographql-client-name'],
    // A browser client reads why its token was refused (RFC 6750 challenge) from a 401.
    exposedHeaders: ['www-authenticate'],
    maxAge: 600,
  };
  const landing = opts.landingPage;
  if (landing && landing.headers && Object.keys(landing.headers).length > 0) {
    const withHeaders = sandboxHtml({ endpoint: url, subscriptionEndpoint: wsUrl, document: landing.document, headers: landing.headers });
    app.get('/graphql', (req, res, next) => {
      if (!prefersHtml(req) || !isLoopbackHostHeader(req.headers.host)) {
        next();
        return;
      }
      res.set('cache-control', 'no-store').type('html').send(withHeaders);
    });
  }
  const bodyLimitBytes = opts.bodyLimitBytes ?? 1_048_576;
  const tooLarge = { errors: [{ message: `The request body is larger than ${bodyLimitBytes} bytes (MAX_REQUEST_BYTES).`, extensions: { code: 'BAD_REQUEST' } }] };
  app.use(
    '/graphql',
    cors<cors.CorsRequest>(corsOptions),
    // A declared Content-Length over the limit is answered at once and the connection closed: body-parser would refuse
    // it too, but only after reading (and discarding) everything the client chose to send.
    (req, res, next) => {
      const declared = Number(req.headers['content-length']);
      if (!(declared > bodyLimitBytes)) return next();
      res.status(413).set('connection', 'close').json(tooLarge);
    },
    // A chunked body is read no further than the limit before it is refused: nothing bigger is buffered or parsed.
    express.json({ limit: bodyLimitBytes }),
    ...(opts.requestMiddleware ?? []),
    expressMiddleware(apollo, { context: ({ req }) => opts.createContext(req) }),
  );
  // A GET of the root opens Sandbox too, as Apollo Server's standalone mode does.
  app.get('/', (_req, res) => {
    res.redirect(302, '/graphql');
  });
  // Body-parser failures (malformed JSON, too large) answer as GraphQL over HTTP does, never with express's HTML
  // page and its stack trace.
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const e = err as { status?: number; type?: string };
    const status = e.status === 413 ? 413 : e.status && e.status >= 400 && e.status < 500 ? 400 : 500;
    if (status === 413) {
      res.status(413).json(tooLarge);
      return;
    }
    const message = status === 400 ? 'The request body is not valid JSON.' : 'Internal server error.';
    if (status === 500) opts.logError('http', err);
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  });

  return {
    url,
    wsUrl,
    port,
    httpServer,
    app,
    async stop() {
      await apollo.stop();
      httpServer.closeAllConnections();
    },
  };
}

/** Whether Apollo Server would answer this request with its landing page (a GET that prefers HTML), as Apollo decides it. */
function prefersHtml(req: express.Request): boolean {
  return (
    req.method === 'GET' &&
    typeof req.headers.accept === 'string' &&
    req.accepts(['application/json', 'application/graphql-response+json', 'multipart/mixed', 'text/html']) === 'text/html'
  );
}

/** A `Host` header naming the loopback interface (`localhost`, `127.0.0.1`, `[::1]`, with any port). */
function isLoopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return name !== '' && isLoopbackHost(name);
}
