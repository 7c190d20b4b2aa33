import {
  AuthError,
  ConfidentialClientApplication,
  LogLevel,
  ServerError,
  type Configuration,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { Agent } from 'undici';
import { TokenAcquisitionError, type ClientCredential, type TokenProvider } from './types.js';
import { trustedConnect } from '../tls-trust.js';

/**
 * Graph tokens for the gateway itself (client credentials), through msal-node, whose in-memory
 * cache hands out the same token until shortly before it expires. The scope is always
 * `https://graph.microsoft.com/.default`: Graph's audience does not change with GRAPH_BASE_URL,
 * and the emulator accepts the same tokens.
 *
 * msal-node gets a network client of ours, built on undici with the trusted CA, because Node reads
 * NODE_EXTRA_CA_CERTS only at start and the emulator's CA may be created after that. For an
 * authority host that is not Microsoft's, the host is listed in `knownAuthorities`, which makes
 * msal-node trust it without instance discovery (msal-node 7 has no separate switch for that).
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

export type AppCredentialInput =
  | { clientSecret: string; certificate?: undefined }
  | { certificate: { privateKey: string; thumbprintSha256: string; x5c?: string }; clientSecret?: undefined };

export type AppTokenProviderOptions = AppCredentialInput & {
  /** Origin of the authority, e.g. `https://login.microsoftonline.com` or the emulator's. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: readonly string[];
  /** Per request to the authority. Default 10 s. */
  timeoutMs?: number;
  /** msal-node's log lines (no PII); default: dropped. */
  log?: (level: MsalLogLevel, message: string) => void;
  /** The most detailed msal-node lines passed to `log`. Default `warning`. */
  logLevel?: MsalLogLevel;
  /** Each token lookup: answered from msal-node's cache, fetched from the authority, or failed (metrics). */
  onTokenLookup?: (result: TokenLookupResult) => void;
};

export type TokenLookupResult = 'cache_hit' | 'acquired' | 'failed';

export type MsalLogLevel = 'error' | 'warning' | 'info' | 'verbose';
const MSAL_LEVELS: Record<MsalLogLevel, LogLevel> = {
  error: LogLevel.Error,
  warning: LogLevel.Warning,
  info: LogLevel.Info,
  verbose: LogLevel.Verbose,
};

export interface AppTokenProvider extends TokenProvider {
  /** The msal-node application, for the OBO provider to share its configuration and cache plumbing. */
  readonly msal: ConfidentialClientApplication;
  close(): Promise<void>;
}

/** Converts the config's credential into the provider's input. */
export function appCredential(credential: ClientCredential): AppCredentialInput {
  return credential.kind === 'secret'
    ? { clientSecret: credential.clientSecret }
    : {
        certificate: {
          privateKey: credential.privateKey,
          thumbprintSha256: credential.thumbprintSha256,
          ...(credential.x5c !== undefined ? { x5c: credential.x5c } : {}),
        },
      };
}

/** A msal-node confidential client on our network client; the app and OBO providers each make their own. */
export interface ConfidentialClient {
  msal: ConfidentialClientApplication;
  network: MsalNetworkClient;
}

/**
 * The msal-node application for the gateway's app registration. Each caller of this gets its own in-memory token cache:
 * the OBO provider never shares one with the app provider, so an app-token lookup can never find a user's token.
 */
export function createConfidentialClient(options: AppTokenProviderOptions): ConfidentialClient {
  const host = new URL(options.authorityHost);
  const network = createMsalNetworkClient({ ...(options.ca ? { ca: options.ca } : {}), timeoutMs: options.timeoutMs ?? 10_000 });
  const microsoftHost = MICROSOFT_AUTHORITY_HOSTS.has(host.hostname.toLowerCase());
  const log = options.log;
  const config: Configuration = {
    auth: {
      clientId: options.clientId,
      authority: `${host.origin}/${encodeURIComponent(options.tenantId)}`,
      ...(microsoftHost ? {} : { knownAuthorities: [host.host] }),
      ...(options.clientSecret !== undefined
        ? { clientSecret: options.clientSecret }
        : {
            clientCertificate: {
              privateKey: options.certificate.privateKey,
              thumbprintSha256: options.certificate.thumbprintSha256,
              ...(options.certificate.x5c !== undefined ? { x5c: options.certificate.x5c } : {}),
            },
          }),
    },
    system: {
      networkClient: network.client,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: log ? MSAL_LEVELS[options.logLevel ?? 'warning'] : LogLevel.Error,
        loggerCallback: (level, message, containsPii) => {
          if (!log || containsPii) return;
          const name = level === LogLevel.Error ? 'error' : level === LogLevel.Warning ? 'warning' : level === LogLevel.Info ? 'info' : 'verbose';
          log(name, message);
        },
      },
    },
  };
  return { msal: new ConfidentialClientApplication(config), network };
}

export function createAppTokenProvider(options: AppTokenProviderOptions): AppTokenProvider {
  const { msal, network } = createConfidentialClient(options);
  // Concurrent first calls share one token request; later ones are answered by msal-node's cache.
  let inFlight: Promise<string> | undefined;

  async function acquire(): Promise<string> {
    const failuresBefore = network.transportFailures();
    try {
      const result = await msal.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
      if (!result?.accessToken) throw new TokenAcquisitionError('INTERNAL_SERVER_ERROR', 'The token authority returned no access token.');
      options.onTokenLookup?.(result.fromCache ? 'cache_hit' : 'acquired');
      return result.accessToken;
    } catch (err) {
      options.onTokenLookup?.('failed');
      throw tokenError(err, network.transportFailures() > failuresBefore);
    }
  }

  return {
    msal,
    getGraphToken(): Promise<string> {
      inFlight ??= acquire().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    close: () => network.close(),
  };
}

/** Maps msal-node's errors to the gateway's, with messages that hold no secret or URL. */
export function tokenError(err: unknown, transportFailed: boolean): TokenAcquisitionError {
  if (err instanceof TokenAcquisitionError) return err;
  const code = err instanceof AuthError ? err.errorCode : undefined;
  const status = err instanceof ServerError ? err.status : undefined;
  if (transportFailed || code === 'network_error' || code === 'endpoints_resolution_error' || (status !== undefined && (status >= 500 || status === 429))) {
    return new TokenAcquisitionError('UPSTREAM_UNAVAILABLE', 'The token authority could not be reached; try again later.', code, { cause: err });
  }
  // invalid_client, unauthorized_client, invalid_scope, configuration errors: the gateway's own setup is wrong.
  return new TokenAcquisitionError('INTERNAL_SERVER_ERROR', 'The gateway could not obtain a Microsoft Graph token.', code, { cause: err });
}

// ------------------------------------------------------------------------------------ network client

export interface MsalNetworkClient {
  client: INetworkModule;
  /** How many exchanges failed without an HTTP answer so far. */
  transportFailures(): number;
  close(): Promise<void>;
}

/** msal-node's `INetworkModule` on undici, trusting the extra CA certificates. */
export function createMsalNetworkClient(options: { ca?: readonly string[]; timeoutMs: number }): MsalNetworkClient {
  const agent = new Agent({ keepAliveTimeout: 30_000, connect: { ...trustedConnect(options.ca), timeout: options.timeoutMs } });
  let failures = 0;

  async function send<T>(method: 'GET' | 'POST', url: string, options_: NetworkRequestOptions | undefined, timeoutMs: number): Promise<NetworkResponse<T>> {
    let statusCode: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      const target = new URL(url);
      const res = await agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method,
        headers: options_?.headers ?? {},
        ...(method === 'POST' ? { body: options_?.body ?? '' } : {}),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      statusCode = res.statusCode;
      headers = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      text = await res.body.text();
    } catch (err) {
      failures++;
      // Deliberately without the URL: msal-node may put this message into errors callers see.
      throw new Error('The token authority could not be reached.', { cause: err });
    }
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        // msal-node reads `error`/`error_description` from the body; a non-JSON page has neither.
        body = {};
      }
    }
    return { status: statusCode, headers, body: body as T };
  }

  return {
    client: {
      sendGetRequestAsync: <T>(url: string, opts?: NetworkRequestOptions, timeout?: number) => send<T>('GET', url, opts, timeout ?? options.timeoutMs),
      sendPostRequestAsync: <T>(url: string, opts?: NetworkRequestOptions) => send<T>('POST', url, opts, options.timeoutMs),
    },
    transportFailures: () => failures,
    close: () => agent.close(),
  };
}
