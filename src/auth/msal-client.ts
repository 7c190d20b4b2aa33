import {
  AuthError,
  ConfidentialClientApplication,
  LogLevel,
  ServerError,
  type AuthenticationResult,
  type Configuration,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { Agent } from 'undici';
import { accessToken, TokenAcquisitionError, type AccessToken, type ClientCredential } from './types.js';
import { trustedConnect } from '../tls-trust.js';

/**
 * The msal-node confidential client of the gateway's app registration, which both token providers use: the app's own
 * tokens (`app-token-provider.ts`) and on-behalf-of tokens for callers (`obo-token-provider.ts`). Each provider makes its
 * own, with its own in-memory token cache, so an app-token lookup can never find a user's token.
 *
 * msal-node gets a network client of ours, built on undici with the trusted CA, because Node reads
 * NODE_EXTRA_CA_CERTS only at start and the emulator's CA may be created after that. For an
 * authority host that is not Microsoft's, the host is listed in `knownAuthorities`, which makes
 * msal-node trust it without instance discovery (msal-node 7 has no separate switch for that).
 *
 * The scope is always `https://graph.microsoft.com/.default`: Graph's audience does not change with
 * GRAPH_BASE_URL, and the emulator accepts the same tokens.
 */

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Entra's own hosts (public and national clouds), where msal-node's instance discovery applies. */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

export type MsalCredential =
  | { clientSecret: string; certificate?: undefined }
  | { certificate: { privateKey: string; thumbprintSha256: string; x5c?: string | undefined }; clientSecret?: undefined };

export type MsalClientOptions = MsalCredential & {
  /** Origin of the authority, e.g. `https://login.microsoftonline.com` or the emulator's. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: readonly string[] | undefined;
  /** Per request to the authority. Default 10 s. */
  timeoutMs?: number | undefined;
  /** msal-node's log lines (no PII); default: dropped. */
  log?: ((level: MsalLogLevel, message: string) => void) | undefined;
  /** The most detailed msal-node lines passed to `log`. Default `warning`. */
  logLevel?: MsalLogLevel | undefined;
  /** Each token lookup: answered from msal-node's cache, fetched from the authority, or failed (metrics). */
  onTokenLookup?: ((result: TokenLookupResult) => void) | undefined;
};

export type TokenLookupResult = 'cache_hit' | 'acquired' | 'failed';

export type MsalLogLevel = 'error' | 'warning' | 'info' | 'verbose';
const MSAL_LEVELS: Record<MsalLogLevel, LogLevel> = {
  error: LogLevel.Error,
  warning: LogLevel.Warning,
  info: LogLevel.Info,
  verbose: LogLevel.Verbose,
};

/** Converts the config's credential into msal-node's. */
export function appCredential(credential: ClientCredential): MsalCredential {
  if (credential.kind === 'secret') return { clientSecret: credential.clientSecret };
  const { privateKey, thumbprintSha256, x5c } = credential;
  return { certificate: { privateKey, thumbprintSha256, x5c } };
}

/** A token msal-node handed out, and where it came from. */
export interface MsalToken {
  token: AccessToken;
  fromCache: boolean;
  expiresOn: Date | null;
}

export interface MsalClient {
  readonly msal: ConfidentialClientApplication;
  /**
   * Runs one msal-node token request and reports the lookup: its token, or its failure mapped by `mapError` (told
   * whether the authority could not be reached meanwhile) into the gateway's vocabulary.
   */
  token(
    request: () => Promise<AuthenticationResult | null>,
    mapError?: (err: unknown, transportFailed: boolean) => TokenAcquisitionError,
  ): Promise<MsalToken>;
  close(): Promise<void>;
}

export function createMsalClient({ timeoutMs = 10_000, onTokenLookup, ...options }: MsalClientOptions): MsalClient {
  const network = createMsalNetworkClient({ ca: options.ca, timeoutMs });
  const msal = new ConfidentialClientApplication(msalConfiguration(options, network.client));
  return {
    msal,
    async token(request, mapError = tokenError) {
      const failuresBefore = network.transportFailures();
      try {
        const result = await request();
        if (!result?.accessToken) throw new TokenAcquisitionError('INTERNAL_SERVER_ERROR', 'The token authority returned no access token.');
        onTokenLookup?.(result.fromCache ? 'cache_hit' : 'acquired');
        return { token: accessToken(result.accessToken), fromCache: result.fromCache, expiresOn: result.expiresOn };
      } catch (err) {
        onTokenLookup?.('failed');
        throw mapError(err, network.transportFailures() > failuresBefore);
      }
    },
    close: () => network.close(),
  };
}

function msalConfiguration(options: MsalClientOptions, networkClient: INetworkModule): Configuration {
  const host = new URL(options.authorityHost);
  const { log, logLevel = 'warning' } = options;
  // msal-node spreads this over its defaults, so an option is left out rather than set to undefined.
  const auth: Configuration['auth'] = { clientId: options.clientId, authority: `${host.origin}/${encodeURIComponent(options.tenantId)}` };
  if (!MICROSOFT_AUTHORITY_HOSTS.has(host.hostname.toLowerCase())) auth.knownAuthorities = [host.host];
  if (options.certificate) auth.clientCertificate = options.certificate;
  else auth.clientSecret = options.clientSecret;
  return {
    auth,
    system: {
      networkClient,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: log ? MSAL_LEVELS[logLevel] : LogLevel.Error,
        loggerCallback: (level, message, containsPii) => {
          if (!log || containsPii) return;
          const name =
            level === LogLevel.Error ? 'error' : level === LogLevel.Warning ? 'warning' : level === LogLevel.Info ? 'info' : 'verbose';
          log(name, message);
        },
      },
    },
  };
}

/** Maps msal-node's errors to the gateway's, with messages that hold no secret or URL. */
export function tokenError(err: unknown, transportFailed: boolean): TokenAcquisitionError {
  if (err instanceof TokenAcquisitionError) return err;
  const code = err instanceof AuthError ? err.errorCode : undefined;
  const status = err instanceof ServerError ? err.status : undefined;
  if (
    transportFailed ||
    code === 'network_error' ||
    code === 'endpoints_resolution_error' ||
    (status !== undefined && (status >= 500 || status === 429))
  ) {
    return new TokenAcquisitionError('UPSTREAM_UNAVAILABLE', 'The token authority could not be reached; try again later.', code, {
      cause: err,
    });
  }
  // invalid_client, unauthorized_client, invalid_scope, configuration errors: the gateway's own setup is wrong.
  return new TokenAcquisitionError('INTERNAL_SERVER_ERROR', 'The gateway could not obtain a Microsoft Graph token.', code, { cause: err });
}

// ------------------------------------------------------------------------------------ network client

interface MsalNetworkClient {
  client: INetworkModule;
  /** How many exchanges failed without an HTTP answer so far. */
  transportFailures(): number;
  close(): Promise<void>;
}

/** msal-node's `INetworkModule` on undici, trusting the extra CA certificates. */
function createMsalNetworkClient({ ca, timeoutMs }: { ca: readonly string[] | undefined; timeoutMs: number }): MsalNetworkClient {
  const agent = new Agent({ keepAliveTimeout: 30_000, connect: { ...trustedConnect(ca), timeout: timeoutMs } });
  let failures = 0;

  async function send<T>(
    method: 'GET' | 'POST',
    url: string,
    request: NetworkRequestOptions | undefined,
    timeout: number,
  ): Promise<NetworkResponse<T>> {
    let statusCode: number;
    const headers: Record<string, string> = {};
    let text: string;
    try {
      const target = new URL(url);
      const res = await agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method,
        headers: request?.headers ?? {},
        body: method === 'POST' ? (request?.body ?? '') : undefined,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      statusCode = res.statusCode;
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      text = await res.body.text();
    } catch (err) {
      failures++;
      // Deliberately without the URL: msal-node may put this message into errors callers see.
      throw new Error('The token authority could not be reached.', { cause: err });
    }
    return { status: statusCode, headers, body: jsonOrEmpty(text) as T };
  }

  return {
    client: {
      sendGetRequestAsync: <T>(url: string, request?: NetworkRequestOptions, timeout?: number) =>
        send<T>('GET', url, request, timeout ?? timeoutMs),
      sendPostRequestAsync: <T>(url: string, request?: NetworkRequestOptions) => send<T>('POST', url, request, timeoutMs),
    },
    transportFailures: () => failures,
    close: () => agent.close(),
  };
}

/** msal-node reads `error`/`error_description` from the body; an empty or non-JSON page has neither. */
function jsonOrEmpty(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
