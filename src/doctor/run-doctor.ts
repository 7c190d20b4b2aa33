import { writeFile } from 'node:fs/promises';
import { appCredential, type MsalClientOptions } from '../auth/msal-client.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createGraphHttp } from '../graph/http.js';
import { parseDoctorArgs, USAGE, UsageError, type DoctorArgs } from './args.js';
import { CAPABILITIES, checkCapabilities } from './capabilities.js';
import { checkPermissionRead, checkPermissions, writePermission } from './permissions.js';
import { createProbe, skipped } from './probe.js';
import { renderReport } from './render.js';
import { failingChecks, type DoctorReport, type PermissionOutcome } from './results.js';
import { checkAppToken, checkOnBehalfOf, type TokenCheck } from './tokens.js';
import { loadUndocumentedEndpoints, noteUndocumented } from './undocumented.js';
import { checkWrites } from './writes.js';

/**
 * `npm run doctor`: checks a real tenant's Graph for what the gateway needs, with the gateway's own settings
 * (`loadConfig`), token providers and Graph HTTP client. Returns the exit code: 0 everything needed works (a refused
 * capability the gateway falls back from included), 1 something needed is refused without a fallback, denied or failed,
 * 2 bad usage or settings. Everything printed goes to `output`; no token or secret
 * is ever part of it.
 */

export interface DoctorOutput {
  write(text: string): unknown;
}

type Env = Readonly<Record<string, string | undefined>>;

const EXIT_OK = 0;
const EXIT_NEEDS = 1;
const EXIT_USAGE = 2;

export async function runDoctor(argv: readonly string[], env: Env, output: DoctorOutput): Promise<number> {
  let args: DoctorArgs;
  let config: Config;
  try {
    args = parseDoctorArgs(argv);
    if (args.help) {
      output.write(USAGE);
      return EXIT_OK;
    }
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof UsageError) output.write(`${err.message}\n\n${USAGE}`);
    else if (err instanceof ConfigError) output.write(`${err.message}\n`);
    else throw err;
    return EXIT_USAGE;
  }
  if (config.graphBaseUrl === undefined || config.azure === undefined) {
    output.write(
      'The doctor checks a real Microsoft Graph: set GRAPH_BASE_URL with AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET ' +
        'or AZURE_CLIENT_CERTIFICATE_PATH (docs/configuration.md). `npm run emulator` prints such settings for the local emulator.\n',
    );
    return EXIT_USAGE;
  }
  const userToken = args.userToken ?? (env.DOCTOR_USER_TOKEN?.trim() || undefined);
  const report = await examine(config, config.graphBaseUrl, config.azure, { write: args.write, userToken });
  output.write(renderReport(report));
  if (args.jsonPath !== undefined) {
    try {
      await writeFile(args.jsonPath, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o644 });
      output.write(`Results written to ${args.jsonPath}\n`);
    } catch (err) {
      output.write(`Cannot write ${args.jsonPath}: ${(err as NodeJS.ErrnoException).code ?? 'error'}\n`);
      return EXIT_USAGE;
    }
  }
  return report.ok ? EXIT_OK : EXIT_NEEDS;
}

interface Run {
  write: boolean;
  userToken: string | undefined;
}

async function examine(config: Config, graphBaseUrl: string, azure: NonNullable<Config['azure']>, run: Run): Promise<DoctorReport> {
  const now = new Date();
  const msal: MsalClientOptions = {
    authorityHost: config.authorityHost,
    tenantId: azure.tenantId,
    clientId: azure.clientId,
    ...appCredential(azure.credential),
    ca: config.extraCaCerts,
  };
  const [app, obo, undocumentedList] = await Promise.all([
    checkAppToken(msal),
    checkOnBehalfOf(msal, run.userToken),
    loadUndocumentedEndpoints(),
  ]);
  const partial: Omit<DoctorReport, 'ok'> = {
    version: 1,
    graphBaseUrl,
    checkedAt: now.toISOString(),
    tokens: { app: app.outcome, onBehalfOf: obo.outcome },
    permissions: {},
    capabilities: {},
    writes: null,
    undocumentedEndpoints: null,
  };
  const endpoints: Record<string, string> = {};
  if (app.token === undefined) {
    partial.capabilities = Object.fromEntries(CAPABILITIES.map((c) => [c.name, skipped('no app token')]));
  } else {
    const http = createGraphHttp({ baseUrl: graphBaseUrl, ca: config.extraCaCerts, timeoutMs: config.graph.timeoutMs });
    try {
      const probe = createProbe(http, app.token, config.graph.timeoutMs);
      const checked = await checkPermissions(probe, now);
      Object.assign(endpoints, checked.endpoints);
      const acting = actingToken(config, app, obo);
      partial.permissions = { ...checked.permissions, ...(await oboRead(http, obo, config)), writes: acting.permission };
      partial.capabilities = await checkCapabilities(probe, checked.discovered);
      for (const c of CAPABILITIES) endpoints[c.name] = c.endpoint;
      if (run.write) partial.writes = await checkWrites(createProbe(http, acting.token ?? app.token, config.graph.timeoutMs));
    } finally {
      await http.close();
    }
  }
  partial.undocumentedEndpoints = undocumentedList === undefined ? null : noteUndocumented(undocumentedList, endpoints);
  return { ...partial, ok: failingChecks(partial).length === 0 };
}

/** With a user's token, one read on their behalf: the delegated permission is the user's tenant's to grant. */
async function oboRead(
  http: ReturnType<typeof createGraphHttp>,
  obo: TokenCheck,
  config: Config,
): Promise<Record<string, PermissionOutcome>> {
  if (obo.token === undefined) return {};
  return { 'restoreSessions.onBehalfOf': await checkPermissionRead(createProbe(http, obo.token, config.graph.timeoutMs)) };
}

/**
 * The token the gateway's writes travel with: each user's (on-behalf-of) in AUTH_MODE=obo, the app's in AUTH_MODE=app.
 * Without a user token in obo mode, the write permission cannot be read from any token the doctor has.
 */
function actingToken(config: Config, app: TokenCheck, obo: TokenCheck): { token: TokenCheck['token']; permission: PermissionOutcome } {
  if (config.authMode === 'app') return { token: app.token, permission: writePermission(app.outcome.permissions, "the app's") };
  if (obo.token !== undefined) return { token: obo.token, permission: writePermission(obo.outcome.permissions, "the user's on-behalf-of") };
  return {
    token: app.token,
    permission: {
      ...skipped("AUTH_MODE=obo: writes use each user's delegated permission; give a user token to check it"),
      result: 'skipped',
      permission: 'BackupRestore-Restore.ReadWrite.All',
    },
  };
}
