import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import react from '@vitejs/plugin-react';
import { createServer, type ViteDevServer } from 'vite';
import {
  DEV_CLIENT_SECRET,
  emulatorOptionsFromEnv,
  startEmulator,
  type EmulatorEnvOptions,
  type RunningEmulator,
} from '@restore-session-gateway/graph-emulator';
import { ConfigError, loadConfig, type Config } from '../../../../src/config.js';
import { startGateway, upstreamFromSettings, type Gateway } from '../../../../src/gateway.js';
import { createLogger } from '../../../../src/logger.js';
import { createDevSignIn, type DevSignIn } from './dev-sign-in.js';

/**
 * `npm run console`: the restore console in development, in one process. The Graph emulator (as `npm start` embeds
 * it, with a faster clock unless EMULATOR_TIME_SCALE says otherwise), the gateway on it (as `npm start` wires it,
 * PORT and every other setting from the environment, CORS_ORIGINS set to the console's origin), and the console's
 * Vite dev server on `--port` (default 5173) with the development sign-in (`/dev/token`).
 *
 * The console's server listens first: its origin is what the gateway's CORS allows, and the gateway's URL is what the
 * page is served with.
 */

const EXIT_CONFIG = 2;
const CONSOLE_DIR = fileURLToPath(new URL('..', import.meta.url));
/** A restore of three sites takes 10 s at time scale 1: half that here, slow enough to watch and quick to finish. */
const DEFAULT_TIME_SCALE = '0.5';
/** Live status polls four times as often as the gateway's default, so a fast restore shows each of its steps. */
const DEFAULT_POLL_INTERVAL_MS = '500';

/** What the page imports, bundled once at start: without it Vite discovers them on first load and reloads the page. */
const PREBUNDLED = [
  'react',
  'react/jsx-dev-runtime',
  'react-dom/client',
  '@apollo/client',
  '@apollo/client/cache',
  '@apollo/client/errors',
  '@apollo/client/link/context',
  '@apollo/client/link/error',
  '@apollo/client/link/subscriptions',
  '@apollo/client/react',
  'graphql',
  'graphql-sse',
  'graphql-ws',
  'rxjs',
];

function fail(message: string): never {
  console.error(message);
  process.exit(EXIT_CONFIG);
}

function consolePort(): number {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '5173' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port: expected a port number (0 picks a free one), got '${values.port}'`);
  return port;
}

async function listen(server: http.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** The gateway's configuration: the environment, with the console's defaults under it and its origin for CORS. */
function gatewayConfig(consoleOrigins: readonly string[]): Config {
  const env = process.env;
  const corsOrigins = [...(env.CORS_ORIGINS ? [env.CORS_ORIGINS] : []), ...consoleOrigins].join(',');
  try {
    const config = loadConfig({ POLL_INTERVAL_MS: DEFAULT_POLL_INTERVAL_MS, LOG_LEVEL: 'warn', ...env, CORS_ORIGINS: corsOrigins });
    if (config.production || config.graphBaseUrl !== undefined)
      fail('npm run console is for development: it runs on the embedded emulator (unset NODE_ENV=production and GRAPH_BASE_URL).');
    return config;
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

function emulatorOptions(): EmulatorEnvOptions {
  try {
    return emulatorOptionsFromEnv({ EMULATOR_TIME_SCALE: DEFAULT_TIME_SCALE, ...process.env });
  } catch (err) {
    fail(`Invalid configuration:\n  - ${(err as Error).message.split('\n').join('\n  - ')}`);
  }
}

async function startVite(server: http.Server, gatewayUrl: string): Promise<ViteDevServer> {
  return createServer({
    configFile: false,
    root: CONSOLE_DIR,
    appType: 'spa',
    clearScreen: false,
    logLevel: 'warn',
    plugins: [react()],
    define: { __GATEWAY_URL__: JSON.stringify(gatewayUrl) },
    // Its own HTTP server is ours; hot reload shares its port.
    server: { middlewareMode: true, ws: { server }, cors: false },
    optimizeDeps: { include: PREBUNDLED },
  });
}

interface Running {
  emulator: RunningEmulator;
  timeScale: number;
  gateway: Gateway;
  server: http.Server;
  vite: ViteDevServer;
  signIn: DevSignIn;
}

function banner({ emulator, timeScale }: Running, consoleUrl: string, gatewayUrl: string): string {
  return [
    '',
    'Restore console is running (development).',
    `  Console:         ${consoleUrl}   (open it in a browser; sign in as admin or reader)`,
    `  GraphQL:         ${gatewayUrl}   (CORS allows the console's origin)`,
    `  Microsoft Graph: embedded emulator at ${emulator.settings.GRAPH_BASE_URL} (${emulator.clock.mode} clock, time scale ${timeScale})`,
    `  Subscriptions:   ${gatewayUrl.replace(/^http/, 'ws')}, SSE and multipart: ?transport=ws|sse|multipart on the console's URL`,
    '',
    'Stop with Ctrl+C.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const port = consolePort();
  const { timeScale, ...options } = emulatorOptions();
  // Ephemeral, as `npm start` does: nothing but the gateway and the dev sign-in talk to it.
  const emulator = await startEmulator({ ...options, timeScale, port: 0 });
  const server = http.createServer();
  const listening = await listen(server, port).catch((err: NodeJS.ErrnoException) =>
    fail(err.code === 'EADDRINUSE' ? `Port ${port} is in use: pass another with --port (0 picks a free one).` : String(err)),
  );
  const consoleOrigins = [`http://127.0.0.1:${listening}`, `http://localhost:${listening}`];
  const config = gatewayConfig(consoleOrigins);
  const logger = createLogger({ level: config.logLevel, secrets: [DEV_CLIENT_SECRET] });
  const gateway = await startGateway({
    config,
    upstream: upstreamFromSettings(emulator.settings, [emulator.caCert, ...config.extraCaCerts]),
    logger,
  });
  // The gateway listens on loopback; the page names it by address, as the console's own origin does.
  const gatewayUrl = gateway.url.replace('//localhost:', '//127.0.0.1:');
  const vite = await startVite(server, gatewayUrl);
  const signIn = createDevSignIn({
    emulatorOrigin: emulator.origin,
    caCert: emulator.caCert,
    audience: emulator.settings.AZURE_CLIENT_ID,
    consoleOrigins,
  });
  server.on('request', (req, res) => {
    if (!signIn.handle(req, res)) vite.middlewares(req, res);
  });
  const running: Running = { emulator, timeScale, gateway, server, vite, signIn };
  console.log(banner(running, `${consoleOrigins[0]}/`, gatewayUrl));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(running));
}

async function stop({ emulator, gateway, server, vite, signIn }: Running): Promise<void> {
  console.error('Stopping…');
  await vite.close();
  server.closeAllConnections();
  server.close();
  await gateway.stop();
  await signIn.close();
  await emulator.stop();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error('The restore console failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
