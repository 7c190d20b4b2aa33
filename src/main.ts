import { Agent, request } from 'undici';
import { ConfigError, loadConfig, type Config } from './config.js';
import { EXAMPLE_OPERATION, startGateway, upstreamFromSettings, type Gateway, type UpstreamSettings } from './gateway.js';
// Types only: the emulator is a development dependency, loaded (by `loadEmulator`) only when the gateway starts one.
import type * as EmulatorPackage from '@restore-session-gateway/graph-emulator';
import type { RunningEmulator } from '@restore-session-gateway/graph-emulator';
import { createLogger, type Logger } from './logger.js';
import { createShutdown, installProcessGuards } from './observability/index.js';

/**
 * `npm start`: reads the configuration, starts the embedded Graph emulator when no GRAPH_BASE_URL
 * is set, starts the gateway and prints where it is. A configuration error stops the process with
 * exit code 2 and one line per wrong variable; so does NODE_ENV=production without GRAPH_BASE_URL (production is
 * never a demo: the emulator's unauthenticated admin API mints tokens). SIGINT/SIGTERM drain and stop cleanly within
 * SHUTDOWN_TIMEOUT_MS (exit 0; a second signal, or a stop that overruns, exits 1). An unhandled rejection is logged
 * and counted and the process keeps serving; an uncaught exception drains as SIGTERM does, then exits 1.
 */

const EXIT_CONFIG = 2;
/** Lifetime of the development token the banner prints: a working day and more (the emulator allows 24 h at most). */
const DEV_TOKEN_LIFETIME_SECONDS = 86_400;

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, EXIT_CONFIG);
    throw err;
  }
}

const EMULATOR_PACKAGE = '@restore-session-gateway/graph-emulator';

/**
 * The emulator package, on the development path only: a production install (`npm ci --omit=dev --workspaces=false`)
 * leaves it and node-forge out, and a gateway with GRAPH_BASE_URL set never loads it.
 */
async function loadEmulator(): Promise<typeof EmulatorPackage> {
  try {
    return await import('@restore-session-gateway/graph-emulator');
  } catch (err) {
    // Only the package itself missing means "left out by a production install"; a module missing inside it is a broken
    // install, and its own error says which.
    const missing =
      (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(EMULATOR_PACKAGE);
    if (!missing) throw err;
    fail(
      'GRAPH_BASE_URL is unset, and the embedded emulator is a development dependency this install left out: set GRAPH_BASE_URL (with the AZURE_* settings), or install with `npm ci`.',
      EXIT_CONFIG,
    );
  }
}

/** Where the gateway sends its Graph calls, and what the banner says about it. */
interface Upstream {
  upstream: UpstreamSettings;
  graphLine: string;
  /** The embedded emulator, when the gateway started one. */
  emulator?: RunningEmulator;
}

async function startEmbeddedEmulator({ emulatorOptionsFromEnv, startEmulator }: typeof EmulatorPackage, config: Config): Promise<Upstream> {
  let options;
  try {
    options = emulatorOptionsFromEnv(process.env);
  } catch (err) {
    fail(`Invalid configuration:\n  - ${(err as Error).message.split('\n').join('\n  - ')}`, EXIT_CONFIG);
  }
  // Ephemeral port: the banner says where it is, and a second `npm start` never collides with it.
  const emulator = await startEmulator({ ...options, port: 0 });
  const upstream = upstreamFromSettings(emulator.settings, [emulator.caCert, ...config.extraCaCerts]);
  const graphLine = [
    // The profile is named only when strict, so the default banner stays as the README shows it.
    `embedded emulator at ${upstream.graphBaseUrl} (GRAPH_BASE_URL is unset; ${options.clock} clock, time scale ${options.timeScale}` +
      `${options.profile === 'strict' ? ', strict profile: documented query options only' : ''})`,
    `                   no Microsoft 365 tenant needed; seed data and admin API at ${emulator.origin}/_emulator/`,
  ].join('\n');
  return { emulator, upstream, graphLine };
}

/** Production talks to a real Graph: the embedded emulator (and its token-minting admin API) is development only. */
function refuseProductionDemo(config: Config): void {
  if (config.production && config.graphBaseUrl === undefined) {
    fail(
      'NODE_ENV=production needs GRAPH_BASE_URL (with AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH); the embedded emulator is for development only.',
      EXIT_CONFIG,
    );
  }
}

/** The Graph that GRAPH_BASE_URL names, called as the configured app registration. */
function realUpstream(config: Config): Upstream {
  const { graphBaseUrl, azure } = config;
  // main asks for it only with GRAPH_BASE_URL set (and loads the emulator otherwise).
  if (graphBaseUrl === undefined) throw new Error('realUpstream needs GRAPH_BASE_URL');
  // loadConfig refuses GRAPH_BASE_URL without a complete app registration.
  if (!azure)
    fail(
      'Invalid configuration:\n  - AZURE_TENANT_ID, AZURE_CLIENT_ID and a secret or certificate are required with GRAPH_BASE_URL',
      EXIT_CONFIG,
    );
  return {
    upstream: {
      graphBaseUrl,
      authorityHost: config.authorityHost,
      tenantId: azure.tenantId,
      clientId: azure.clientId,
      credential: azure.credential,
      ca: config.extraCaCerts,
    },
    graphLine: `${graphBaseUrl} (as app ${azure.clientId} of tenant ${azure.tenantId})`,
  };
}

/**
 * A token of the embedded emulator's `admin` user for the gateway's own API, through the emulator's admin API (the same
 * call a developer would make with curl). Development only: the emulator's keys live in this process.
 */
async function emulatorUserToken(emulator: RunningEmulator, audience: string): Promise<string> {
  const agent = new Agent({ connect: { ca: emulator.caCert } });
  try {
    const res = await request(`${emulator.origin}/_emulator/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'admin', audience, lifetimeSeconds: DEV_TOKEN_LIFETIME_SECONDS }),
      dispatcher: agent,
    });
    const body = (await res.body.json()) as { access_token?: unknown };
    if (res.statusCode !== 200 || typeof body.access_token !== 'string') throw new Error(`the emulator answered ${res.statusCode}`);
    return body.access_token;
  } finally {
    await agent.close();
  }
}

function banner(config: Config, gateway: Gateway, graph: string, callers: string[]): string {
  return [
    '',
    `Restore-session gateway is running (${config.nodeEnv}).`,
    `  GraphQL:         ${gateway.url}${config.production ? '' : '   (open it in a browser for Apollo Sandbox)'}`,
    `  Subscriptions:   ${gateway.wsUrl}   (also SSE and multipart HTTP on the GraphQL URL)`,
    `  Health:          ${gateway.url.replace(/\/graphql$/, '/healthz')}`,
    `  Microsoft Graph: ${graph}`,
    ...callers,
    '',
    'Try this operation in Sandbox (or POST it to the GraphQL URL):',
    '',
    EXAMPLE_OPERATION.trimEnd(),
    '',
    'Stop with Ctrl+C.',
    '',
  ].join('\n');
}

/** What the banner says about caller tokens: with the embedded emulator, a ready one and where to put it. */
function callerLines(config: Config, upstream: UpstreamSettings, devToken: string | undefined): string[] {
  const mode =
    config.authMode === 'obo'
      ? 'AUTH_MODE=obo: Graph is called on behalf of each signed-in user'
      : 'AUTH_MODE=app: Graph is called as the app; callers still need a token';
  const lines = [
    `  Callers:         an Entra ID bearer token for the gateway's API (audience api://${upstream.clientId}) on every operation;`,
    `                   ${mode}`,
  ];
  if (devToken === undefined) return lines;
  return [
    ...lines,
    '',
    `A ready token of the emulator's user 'admin' (scopes RestoreSessions.Read RestoreSessions.ReadWrite), valid 24 hours.`,
    'Apollo Sandbox opened from the GraphQL URL has it preset as a shared header; elsewhere (Sandbox on',
    'studio.apollographql.com: Connection settings > Shared headers; curl: -H) send this Authorization header:',
    '',
    `Authorization: Bearer ${devToken}`,
    '',
    `More tokens ('reader', app roles): POST /_emulator/token on the emulator (packages/graph-emulator/README.md, Admin API).`,
  ];
}

async function main(): Promise<void> {
  const config = readConfig();
  refuseProductionDemo(config);
  const emulatorPackage = config.graphBaseUrl === undefined ? await loadEmulator() : undefined;
  // Secrets are redacted from log lines wherever they turn up, on top of the field-name and token-shape rules.
  const secrets = [
    ...(config.azure?.credential.kind === 'secret' ? [config.azure.credential.clientSecret] : []),
    ...(emulatorPackage ? [emulatorPackage.DEV_CLIENT_SECRET] : []),
  ];
  const logger: Logger = createLogger({ level: config.logLevel, secrets });
  // Until the gateway is up there is nothing to drain: a fatal error exits at once.
  let onFatal: (reason: string) => void = () => process.exit(1);
  let countRejection: () => void = () => undefined;
  installProcessGuards({ logger, onUnhandledRejection: () => countRejection(), onFatal: (reason) => onFatal(reason) });

  const { emulator, upstream, graphLine } = emulatorPackage ? await startEmbeddedEmulator(emulatorPackage, config) : realUpstream(config);

  // Only the embedded emulator's development token is ever printed or preset; it never goes through the logger.
  let devToken: string | undefined;
  if (emulator) {
    try {
      devToken = await emulatorUserToken(emulator, upstream.clientId);
    } catch (err) {
      logger.warn('could not get a development token from the embedded emulator', { error: err });
    }
  }
  let gateway: Gateway;
  try {
    gateway = await startGateway({
      config,
      upstream,
      logger,
      sandboxHeaders: devToken === undefined ? undefined : { Authorization: `Bearer ${devToken}` },
    });
  } catch (err) {
    await emulator?.stop();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      fail(`PORT ${config.port} is already in use; set PORT to another port (0 picks a free one).`, 1);
    throw err;
  }
  console.log(banner(config, gateway, graphLine, callerLines(config, upstream, devToken)));

  const shutdown = createShutdown({
    timeoutMs: config.observability.shutdownTimeoutMs,
    logger,
    async stop(deadline) {
      await gateway.stop(deadline);
      await emulator?.stop();
    },
  });
  countRejection = () => gateway.observability.metrics.unhandledRejection();
  onFatal = (reason) => void shutdown.trigger(reason, 1);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // For the person at the terminal; the log line that follows is for the log pipeline.
      console.error(shutdown.started ? `${signal} again: exiting without draining.` : `${signal}: draining and stopping…`);
      void shutdown.trigger(signal);
    });
  }
}

main().catch((err: unknown) => {
  console.error('The gateway failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
