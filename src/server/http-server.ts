import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import cors from 'cors';
import type { GraphQLSchema } from 'graphql';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { isLoopbackHost } from '../config.js';
import type { Readiness } from '../observability/readiness.js';
import { sandboxHtml, sandboxLandingPage } from './landing-page.js';
import { createFormatError, type ErrorLogger } from './format-error.js';

/**
 * The gateway's HTTP server: Apollo Server 5 on express 5 and a Node HTTP server (which the WebSocket subscriptions
 * share): `/graphql`, `/healthz`, `/readyz`, `/metrics` (when served on this port), CORS from the configuration, CSRF
 * prevention on, Sandbox as the landing page in development. `gateway.ts` composes everything else and hands it in.
 */

/** The server's settings, from the configuration (`options-from-config.ts`). */
export interface HttpServerSettings {
  port: number;
  /** The interface to listen on (HOST: loopback in development). */
  host: string;
  /** Exact origins allowed by CORS (CORS_ORIGINS); empty: no cross-origin browser access. */
  corsOrigins: readonly string[];
  introspection: boolean;
  /** Largest accepted request body in bytes (MAX_REQUEST_BYTES), refused with 413 before it is read. */
  bodyLimitBytes: number;
  /** How long stopping waits for in-flight requests before cutting them. */
  drainTimeoutMs: number;
}

export interface HttpServerOptions<Ctx extends BaseContext> extends HttpServerSettings {
  schema: GraphQLSchema;
  /** Builds the per-request context (fresh DataLoaders, caller identity). */
  createContext: (req: express.Request) => Promise<Ctx>;
  /**
   * Apollo Sandbox landing page (development), or none. `headers` (the development token) are preset only in the page
   * served to a request whose `Host` names the loopback interface: a page any other name reaches (a LAN address, or a
   * DNS-rebound attacker's domain pointing at this machine) never carries them.
   */
  landingPage: false | { document: string; headers: Record<string, string> | undefined };
  logError: ErrorLogger;
  /** Apollo plugins (metrics, limits, …). */
  plugins: ApolloServerPlugin<Ctx>[];
  /** Request limits' Apollo options (`limits.ts`): parse limits, validation rules, APQ, batching. */
  limits: Pick<ApolloServerOptions<Ctx>, 'parseOptions' | 'validationRules' | 'persistedQueries' | 'allowBatchedHttpRequests'>;
  /** Run on /graphql after the JSON body parser and before Apollo (document size, operations per request). */
  requestMiddleware: express.RequestHandler[];
  /**
   * Subscriptions over HTTP (SSE and multipart, `http-subscriptions.ts`): run on /graphql after the JSON body parser,
   * before the request middleware and Apollo (whose CSRF prevention would refuse the bare GET a gateway sends).
   */
  httpSubscriptions: express.RequestHandler;
  /** The WebSocket transport (graphql-ws), set up on the same HTTP server; disposed in Apollo's drain phase. */
  websocket: (httpServer: http.Server) => { dispose(): Promise<void> };
  /** `/readyz` (`src/observability/readiness.ts`): cached checks of Graph, its token and Redis. */
  readiness: Readiness;
  /** `/metrics` on this port (already protected by its token, when one is configured); undefined: none here. */
  metrics: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
}

export interface RunningHttpServer {
  /** `http://host:port/graphql` */
  url: string;
  /** `ws://host:port/graphql` */
  wsUrl: string;
  port: number;
  httpServer: http.Server;
  app: express.Express;
  stop(): Promise<void>;
}

/** Where a browser reaches the server: the page's own origin must match the endpoint it presets. */
interface PublicUrls {
  url: string;
  wsUrl: string;
}

/** Binds that a browser on this machine opens as `localhost`. */
const LOCAL_BINDS = new Set(['0.0.0.0', '::', '127.0.0.1', '::1']);

/** Every GraphQL answer is one caller's view of Graph: never kept by a browser or a shared cache. */
const noStore: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

export async function startHttpServer<Ctx extends BaseContext>(options: HttpServerOptions<Ctx>): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = await listen(app, options);
  const port = (httpServer.address() as AddressInfo).port;
  const publicHost = LOCAL_BINDS.has(options.host) ? 'localhost' : options.host;
  const urls: PublicUrls = { url: `http://${publicHost}:${port}/graphql`, wsUrl: `ws://${publicHost}:${port}/graphql` };
  const websocket = options.websocket(httpServer);
  const apollo = new ApolloServer<Ctx>({
    ...options.limits,
    schema: options.schema,
    introspection: options.introspection,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(options.logError, { hideSuggestions: !options.introspection }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.drainTimeoutMs }),
      // Apollo's pattern for subscriptions: the WebSocket server closes its sockets when the HTTP server drains.
      { serverWillStart: async () => ({ drainServer: async () => websocket.dispose() }) },
      options.landingPage
        ? sandboxLandingPage({ endpoint: urls.url, subscriptionEndpoint: urls.wsUrl, document: options.landingPage.document })
        : ApolloServerPluginLandingPageDisabled(),
      // The schema gives no cache hints, so Apollo's cache-control plugin would only work out, field by field of every
      // answer (a cost that grows with a large dashboard), the `no-store` every answer gets here anyway: each is one
      // caller's view.
      ApolloServerPluginCacheControlDisabled(),
      noStore,
      ...options.plugins,
    ],
  });
  await apollo.start();
  mountProbes(app, options);
  mountLandingPageWithHeaders(app, options.landingPage, urls);
  const tooLarge = tooLargeAnswer(options.bodyLimitBytes);
  app.use(
    '/graphql',
    cors<cors.CorsRequest>(corsOptions(options.corsOrigins)),
    ...bodyParsing(options.bodyLimitBytes, tooLarge),
    options.httpSubscriptions,
    ...options.requestMiddleware,
    expressMiddleware(apollo, { context: ({ req }) => options.createContext(req) }),
  );
  // A GET of the root opens Sandbox too, as Apollo Server's standalone mode does.
  app.get('/', (_req, res) => {
    res.redirect(302, '/graphql');
  });
  app.use(bodyParserErrors(tooLarge, options.logError));
  return {
    ...urls,
    port,
    httpServer,
    app,
    async stop() {
      await apollo.stop();
      httpServer.closeAllConnections();
    },
  };
}

/** The listening HTTP server of `app`. */
async function listen(
  app: express.Express,
  options: Pick<HttpServerOptions<BaseContext>, 'port' | 'host' | 'logError'>,
): Promise<http.Server> {
  const httpServer = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  // After listening, a failed accept (EMFILE when file descriptors run out) is an 'error' event: unlistened, it would
  // be an uncaught exception and stop the process; logged, the server keeps accepting once descriptors free up.
  httpServer.on('error', (err) => options.logError('http-server', err));
  return httpServer;
}

/** `/healthz`, `/readyz` and, when served on this port, `/metrics`. */
function mountProbes(app: express.Express, options: Pick<HttpServerOptions<BaseContext>, 'readiness' | 'metrics'>): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const { readiness, metrics } = options;
  app.get('/readyz', (req, res) => readiness.handler(req, res));
  if (metrics) app.get('/metrics', (req, res) => metrics(req, res));
}

function corsOptions(origins: readonly string[]): cors.CorsOptions {
  return {
    origin: [...origins],
    credentials: true,
    allowedHeaders: [
      'authorization',
      'content-type',
      // Apollo Client's multipart subscription Accept holds quotes, so a browser asks before sending it.
      'accept',
      'apollo-require-preflight',
      'x-apollo-operation-name',
      'apollographql-client-name',
    ],
    // A browser client reads why its token was refused (RFC 6750 challenge) from a 401.
    exposedHeaders: ['www-authenticate'],
    maxAge: 600,
  };
}

/** The Sandbox page with preset headers, for loopback `Host`s only (Apollo's own page, without them, for the rest). */
function mountLandingPageWithHeaders(app: express.Express, landing: HttpServerOptions<BaseContext>['landingPage'], urls: PublicUrls): void {
  if (!landing || !landing.headers || Object.keys(landing.headers).length === 0) return;
  const withHeaders = sandboxHtml({
    endpoint: urls.url,
    subscriptionEndpoint: urls.wsUrl,
    document: landing.document,
    headers: landing.headers,
  });
  app.get('/graphql', (req, res, next) => {
    if (!prefersHtml(req) || !isLoopbackHostHeader(req.headers.host)) {
      next();
      return;
    }
    res.set('cache-control', 'no-store').type('html').send(withHeaders);
  });
}

interface TooLarge {
  errors: Array<{ message: string; extensions: { code: 'BAD_REQUEST' } }>;
}

function tooLargeAnswer(bodyLimitBytes: number): TooLarge {
  return {
    errors: [
      { message: `The request body is larger than ${bodyLimitBytes} bytes (MAX_REQUEST_BYTES).`, extensions: { code: 'BAD_REQUEST' } },
    ],
  };
}

/** The JSON body, refused with 413 once it is over the limit. */
function bodyParsing(bodyLimitBytes: number, tooLarge: TooLarge): express.RequestHandler[] {
  return [
    // A declared Content-Length over the limit is answered at once and the connection closed: body-parser would refuse
    // it too, but only after reading (and discarding) everything the client chose to send.
    (req, res, next) => {
      const declared = Number(req.headers['content-length']);
      if (!(declared > bodyLimitBytes)) return next();
      res.status(413).set('connection', 'close').json(tooLarge);
    },
    // A chunked body is read no further than the limit before it is refused: nothing bigger is buffered or parsed.
    express.json({ limit: bodyLimitBytes }),
  ];
}

/**
 * Body-parser failures (malformed JSON, too large) answer as GraphQL over HTTP does, never with express's HTML page
 * and its stack trace.
 */
function bodyParserErrors(tooLarge: TooLarge, logError: ErrorLogger): express.ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
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
    if (status === 500) logError('http', err);
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
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
