import type { JWK } from 'jose';
import type { SeedUser } from '../model/seed.js';
import type { Authority, AuthorityRequest, AuthorityResponse } from './authority.js';
import type { Caller } from './caller.js';
import { DAEMON_CLIENT_IDS, FRONTEND_SPA_CLIENT_ID } from './claims.js';
import { ClientCertificateRegistry, type RegisteredCertificate } from './client-auth.js';
import { DOCUMENT_HEADERS, openIdConfiguration } from './discovery.js';
import { GraphAuthenticator } from './graph-authenticator.js';
import { issueApiToken, issueGraphToken, type GraphTokenRequest, type MintingContext } from './minted-tokens.js';
import { OAuthError, oauthErrorResponse } from './oauth-error.js';
import { SigningKeyRing } from './signing-keys.js';
import { handleTokenRequest, type TokenEndpointContext } from './token-endpoint.js';
import { TokenIssuer } from './token-issuer.js';
import { GraphError } from '../http/errors.js';

export type { RegisteredCertificate } from './client-auth.js';
export type { GraphTokenRequest } from './minted-tokens.js';

export interface CreateAuthorityOptions {
  /** `https://host:port` the authority is reached at: the fixed issuer is `${origin}/${tenantId}/v2.0`. */
  origin: string;
  tenantId: string;
  /** The gateway's app registration. */
  clientId: string;
  clientSecret: string;
  /** Seeded users; OBO and API tokens are issued for these only. */
  users: SeedUser[];
  /** Keep the signing key here so tokens survive a restart (see SigningKeyRing.create). Default: in memory. */
  keyDir?: string;
}

/** The authority with what the emulator's own tooling and tests need beyond the `Authority` contract. */
export interface EmulatorAuthority extends Authority {
  readonly origin: string;
  /** Issuer of v1 tokens: `https://sts.windows.net/${tenantId}/`. */
  readonly issuerV1: string;
  /** `${origin}/${tenantId}/oauth2/v2.0/token` */
  readonly tokenEndpoint: string;
  /** `${origin}/${tenantId}/discovery/v2.0/keys` */
  readonly jwksUri: string;
  /** Client id of the frontend SPA named in user API tokens (`azp`). */
  readonly frontendClientId: string;
  /**
   * Uploads a certificate (PEM) to the gateway's app registration: client assertions signed with its key and naming
   * it by `x5t` (SHA-1) or `x5t#S256` (SHA-256) then authenticate the client. Returns its thumbprints.
   */
  registerClientCertificate(pemCertificate: string): RegisteredCertificate;
  /** A Graph access token signed like the token endpoint's, for tests and benchmarks. */
  issueGraphToken(input: GraphTokenRequest): Promise<string>;
  /** The current JWKS document. */
  jwks(): { keys: JWK[] };
}

const APP_DISPLAY_NAME = 'Restore Session Gateway';
const SPECIAL_TENANTS = new Set(['common', 'organizations']);
const AUTHORITY_PATH = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/(?:v2\.0\/)?keys|oauth2\/v2\.0\/token)$/;

export async function createAuthority({
  origin: givenOrigin,
  tenantId,
  clientId,
  clientSecret,
  users,
  keyDir,
}: CreateAuthorityOptions): Promise<EmulatorAuthority> {
  const origin = givenOrigin.replace(/\/+$/, '');
  const issuer = `${origin}/${tenantId}/v2.0`;
  const issuerV1 = `https://sts.windows.net/${tenantId}/`;
  const acceptedIssuers = [issuer, issuerV1];
  const keys = await SigningKeyRing.create(keyDir);
  const tokens = new TokenIssuer(keys, { '2.0': issuer, '1.0': issuerV1 });
  const certificates = new ClientCertificateRegistry();
  const directory = userDirectory(users);
  const graph = new GraphAuthenticator(keys, { issuers: acceptedIssuers, tenantId, origin }, appNames(clientId));
  const tokenContext: TokenEndpointContext = {
    clientId,
    clientSecret,
    tenantId,
    clientName: APP_DISPLAY_NAME,
    certificates,
    issuers: acceptedIssuers,
    keys,
    tokens,
    usersById: directory.byId,
    isTokenEndpoint: tokenEndpointMatcher(origin, tenantId),
  };
  const minting: MintingContext = { tenantId, clientId, tokens, seededUser: directory.seeded };
  const endpoints: EndpointContext = { origin, tenantId, issuer, keys, tokenContext };
  return {
    tenantId,
    clientId,
    clientSecret,
    issuer,
    issuerV1,
    origin,
    tokenEndpoint: `${origin}/${tenantId}/oauth2/v2.0/token`,
    jwksUri: `${origin}/${tenantId}/discovery/v2.0/keys`,
    frontendClientId: FRONTEND_SPA_CLIENT_ID,
    handle: (req) => handleAuthorityRequest(endpoints, req),
    authenticateGraph: (authorization): Promise<Caller> => graph.authenticate(authorization),
    issueApiToken: (input) => issueApiToken(minting, input),
    issueGraphToken: (input) => issueGraphToken(minting, input),
    async rotateSigningKey(): Promise<void> {
      await keys.rotate();
      // The key two rotations back just left the JWKS: its tokens must stop validating.
      graph.clear();
    },
    setUsers: (next) => directory.set(next),
    registerClientCertificate: (pemCertificate) => certificates.register(pemCertificate),
    jwks: (): { keys: JWK[] } => keys.jwks(issuer),
  };
}

/** Display names of the apps the tenant knows, for consent and error messages. */
function appNames(clientId: string): Map<string, string> {
  return new Map<string, string>([
    [clientId, APP_DISPLAY_NAME],
    [FRONTEND_SPA_CLIENT_ID, 'Restore Sessions Frontend'],
    [DAEMON_CLIENT_IDS.writer, 'Restore Automation (writer)'],
    [DAEMON_CLIENT_IDS.reader, 'Restore Automation (reader)'],
  ]);
}

/** The seeded users by name and by id, filled in place so the token endpoint's context sees a new seed's users too. */
function userDirectory(users: readonly SeedUser[]): {
  byId: ReadonlyMap<string, SeedUser>;
  set(users: readonly SeedUser[]): void;
  seeded(name: string): SeedUser;
} {
  const byName = new Map<string, SeedUser>();
  const byId = new Map<string, SeedUser>();
  const set = (next: readonly SeedUser[]): void => {
    byName.clear();
    byId.clear();
    for (const u of next) {
      byName.set(u.name, u);
      byId.set(u.id, u);
    }
  };
  set(users);
  return {
    byId,
    set,
    seeded(name: string): SeedUser {
      const user = byName.get(name);
      if (!user) throw new GraphError(400, 'BadRequest', `Unknown user '${name}'. Seeded users: ${[...byName.keys()].join(', ')}.`);
      return user;
    },
  };
}

function isTenantSegment(tenantId: string, segment: string): boolean {
  return segment.toLowerCase() === tenantId.toLowerCase() || SPECIAL_TENANTS.has(segment.toLowerCase());
}

/** Whether a client assertion's audience is the URL the client was told to post to: on this origin, for this tenant or common/organizations. */
function tokenEndpointMatcher(origin: string, tenantId: string): (aud: string) => boolean {
  const originUrl = new URL(origin);
  return (aud) => {
    let url: URL;
    try {
      url = new URL(aud);
    } catch {
      return false;
    }
    const match = /^\/([^/]+)\/oauth2\/(?:v2\.0\/)?token$/.exec(url.pathname);
    return (
      url.protocol === originUrl.protocol &&
      url.host.toLowerCase() === originUrl.host.toLowerCase() &&
      match !== null &&
      isTenantSegment(tenantId, decodeSegment(match[1] ?? '') ?? '')
    );
  };
}

interface EndpointContext {
  origin: string;
  tenantId: string;
  issuer: string;
  keys: SigningKeyRing;
  tokenContext: TokenEndpointContext;
}

/** The authority's HTTP endpoints; undefined for a path that is not the authority's. */
async function handleAuthorityRequest(ctx: EndpointContext, req: AuthorityRequest): Promise<AuthorityResponse | undefined> {
  const match = AUTHORITY_PATH.exec(req.path);
  if (!match) return undefined;
  const tenant = decodeSegment(match[1] ?? '');
  const what = match[2] ?? '';
  const correlationId = req.headers['client-request-id'];
  if (tenant === undefined || !isTenantSegment(ctx.tenantId, tenant)) {
    const shown = tenant ?? match[1] ?? '';
    return oauthErrorResponse(
      new OAuthError(
        400,
        'invalid_tenant',
        90002,
        `Tenant '${shown}' not found. Check to make sure you have the correct tenant ID and are signing into the correct ` +
          `cloud. This emulator knows the tenant '${ctx.tenantId}' (and the aliases common and organizations).`,
      ),
      correlationId,
    );
  }
  if (what.startsWith('oauth2/')) return handleTokenRequest(ctx.tokenContext, req);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return oauthErrorResponse(
      new OAuthError(405, 'invalid_request', 900561, `The endpoint only accepts GET requests. Received a ${req.method} request.`),
      correlationId,
    );
  }
  const body = what.startsWith('discovery/') ? ctx.keys.jwks(ctx.issuer) : openIdConfiguration(ctx.origin, ctx.issuer, tenant);
  return { status: 200, headers: { ...DOCUMENT_HEADERS }, body };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
