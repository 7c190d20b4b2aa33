import type { JWK } from 'jose';
import { GraphError } from '../http/errors.js';
import type { SeedUser } from '../model/seed.js';
import type { ApiTokenRequest, Authority, AuthorityRequest, AuthorityResponse } from './authority.js';
import type { Caller } from './caller.js';
import {
  DAEMON_CLIENT_IDS,
  FRONTEND_SPA_CLIENT_ID,
  GRAPH_APP_ID,
  GRAPH_APP_ROLES,
  GRAPH_RESOURCE,
  ApiRole,
  apiDelegatedScopes,
  appClaims,
  graphDelegatedScopes,
  userClaims,
  type TokenVersion,
} from './claims.js';
import { ClientCertificateRegistry, type RegisteredCertificate } from './client-auth.js';
import { GraphAuthenticator } from './graph-authenticator.js';
import { OAuthError, oauthErrorResponse } from './oauth-error.js';
import { SigningKeyRing } from './signing-keys.js';
import { GRANT_CLIENT_CREDENTIALS, GRANT_JWT_BEARER, handleTokenRequest, type TokenEndpointContext } from './token-endpoint.js';
import { TokenIssuer, type TokenTimes } from './token-issuer.js';

export type { RegisteredCertificate } from './client-auth.js';

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

/** A Graph token minted directly, without msal-node: for emulator tests and benchmarks. */
export interface GraphTokenRequest {
  /** A seeded user's name: a delegated token with that user's OBO scopes. Exactly one of `user` and `app`. */
  user?: string;
  /** An app-only token for the gateway's app registration, with its Graph application roles. */
  app?: true;
  /** Replaces the `scp` (user) or `roles` (app) the token would carry, e.g. to test a 403. */
  permissions?: readonly string[];
  /** `https://graph.microsoft.com` (default) or Graph's app id. */
  audience?: typeof GRAPH_RESOURCE | typeof GRAPH_APP_ID;
  lifetimeSeconds?: number;
  notBeforeSeconds?: number;
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
const MAX_LIFETIME_SECONDS = 86_400;

const AUTHORITY_PATH = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/(?:v2\.0\/)?keys|oauth2\/v2\.0\/token)$/;

export async function createAuthority(options: CreateAuthorityOptions): Promise<EmulatorAuthority> {
  const origin = options.origin.replace(/\/+$/, '');
  const { tenantId, clientId, clientSecret } = options;
  const issuer = `${origin}/${tenantId}/v2.0`;
  const issuerV1 = `https://sts.windows.net/${tenantId}/`;
  const issuers: Record<TokenVersion, string> = { '2.0': issuer, '1.0': issuerV1 };
  const acceptedIssuers = [issuer, issuerV1];
  const keys = await SigningKeyRing.create(options.keyDir);
  const tokens = new TokenIssuer(keys, issuers);
  const certificates = new ClientCertificateRegistry();
  // Filled in place, so the token endpoint's context sees a new seed's users too.
  const usersByName = new Map<string, SeedUser>();
  const usersById = new Map<string, SeedUser>();
  const setUsers = (users: readonly SeedUser[]): void => {
    usersByName.clear();
    usersById.clear();
    for (const u of users) {
      usersByName.set(u.name, u);
      usersById.set(u.id, u);
    }
  };
  setUsers(options.users);
  const appNames = new Map<string, string>([
    [clientId, APP_DISPLAY_NAME],
    [FRONTEND_SPA_CLIENT_ID, 'Restore Sessions Frontend'],
    [DAEMON_CLIENT_IDS.writer, 'Restore Automation (writer)'],
    [DAEMON_CLIENT_IDS.reader, 'Restore Automation (reader)'],
  ]);
  const graph = new GraphAuthenticator(keys, { issuers: acceptedIssuers, tenantId, origin }, appNames);
  const originUrl = new URL(origin);

  const isTenantSegment = (segment: string): boolean =>
    segment.toLowerCase() === tenantId.toLowerCase() || SPECIAL_TENANTS.has(segment.toLowerCase());

  const tokenContext: TokenEndpointContext = {
    clientId,
    clientSecret,
    tenantId,
    clientName: APP_DISPLAY_NAME,
    certificates,
    issuers: acceptedIssuers,
    keys,
    tokens,
    usersById,
    isTokenEndpoint(aud: string): boolean {
      // The URL the client was told to post to: on this authority's origin, for this tenant or common/organizations.
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
        isTenantSegment(decodeSegment(match[1] ?? '') ?? '')
      );
    },
  };

  const openIdConfiguration = (tenant: string): Record<string, unknown> => ({
    token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256'],
    jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    grant_types_supported: [GRANT_CLIENT_CREDENTIALS, GRANT_JWT_BEARER],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    // Fixed whatever tenant alias or Host the document was fetched with: validators compare it byte for byte.
    issuer,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp',
      'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email',
    ],
    tenant_region_scope: 'NA',
    cloud_instance_name: originUrl.host,
    cloud_graph_host_name: originUrl.host,
    msgraph_host: originUrl.host,
  });

  const documentHeaders = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'max-age=86400, private',
    'access-control-allow-origin': '*',
  };

  function checkTimes(input: TokenTimes): TokenTimes {
    const times: TokenTimes = {};
    if (input.lifetimeSeconds !== undefined) {
      if (typeof input.lifetimeSeconds !== 'number' || !Number.isFinite(input.lifetimeSeconds) || input.lifetimeSeconds > MAX_LIFETIME_SECONDS) {
        throw new GraphError(400, 'BadRequest', `'lifetimeSeconds' must be a number of seconds, at most ${MAX_LIFETIME_SECONDS}.`);
      }
      times.lifetimeSeconds = input.lifetimeSeconds;
    }
    if (input.notBeforeSeconds !== undefined) {
      if (typeof input.notBeforeSeconds !== 'number' || !Number.isFinite(input.notBeforeSeconds)) {
        throw new GraphError(400, 'BadRequest', "'notBeforeSeconds' must be a number of seconds.");
      }
      times.notBeforeSeconds = input.notBeforeSeconds;
    }
    return times;
  }

  function seededUser(name: string): SeedUser {
    const user = usersByName.get(name);
    if (!user) {
      throw new GraphError(400, 'BadRequest', `Unknown user '${name}'. Seeded users: ${[...usersByName.keys()].join(', ')}.`);
    }
    return user;
  }

  function oneOf(input: { user?: unknown; app?: unknown }): void {
    if ((input.user === undefined) === (input.app === undefined)) {
      throw new GraphError(400, 'BadRequest', "Give exactly one of 'user' and 'app'.");
    }
  }

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

    async handle(req: AuthorityRequest): Promise<AuthorityResponse | undefined> {
      const match = AUTHORITY_PATH.exec(req.path);
      if (!match) return undefined;
      const tenant = decodeSegment(match[1] ?? '');
      const what = match[2] ?? '';
      const correlationId = req.headers['client-request-id'];
      if (tenant === undefined || !isTenantSegment(tenant)) {
        const shown = tenant ?? match[1] ?? '';
        return oauthErrorResponse(
          new OAuthError(
            400,
            'invalid_tenant',
            90002,
            `Tenant '${shown}' not found. Check to make sure you have the correct tenant ID and are signing into the correct ` +
              `cloud. This emulator knows the tenant '${tenantId}' (and the aliases common and organizations).`,
          ),
          correlationId,
        );
      }
      if (what.startsWith('oauth2/')) return handleTokenRequest(tokenContext, req);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return oauthErrorResponse(
          new OAuthError(405, 'invalid_request', 900561, `The endpoint only accepts GET requests. Received a ${req.method} request.`),
          correlationId,
        );
      }
      const body = what.startsWith('discovery/') ? keys.jwks(issuer) : openIdConfiguration(tenant);
      return { status: 200, headers: { ...documentHeaders }, body };
    },

    authenticateGraph(authorization: string | undefined): Promise<Caller> {
      return graph.authenticate(authorization);
    },

    async issueApiToken(input: ApiTokenRequest): Promise<string> {
      const audience = input.audience;
      if (audience !== clientId && audience !== `api://${clientId}`) {
        throw new GraphError(
          400,
          'BadRequest',
          `'audience' must be the gateway's client id '${clientId}' or 'api://${clientId}', not '${String(audience)}'.`,
        );
      }
      oneOf(input);
      const version = input.tokenVersion ?? '2.0';
      if (version !== '1.0' && version !== '2.0') throw new GraphError(400, 'BadRequest', "'tokenVersion' must be \"1.0\" or \"2.0\".");
      const times = checkTimes(input);
      const scopes = permissionNames('scopes', input.scopes);
      const roles = permissionNames('roles', input.roles);
      if (input.idtyp !== undefined && typeof input.idtyp !== 'boolean') {
        throw new GraphError(400, 'BadRequest', "'idtyp' must be true or false: whether the token carries the optional idtyp claim.");
      }
      let claims: Record<string, unknown>;
      if (input.user !== undefined) {
        const user = seededUser(input.user);
        claims = userClaims({
          user,
          tenantId,
          audience,
          clientId: FRONTEND_SPA_CLIENT_ID,
          scopes: scopes ?? apiDelegatedScopes(user.name),
          ...(roles !== undefined ? { roles } : {}),
          ...(input.idtyp !== undefined ? { idtyp: input.idtyp } : {}),
          version,
          clientAuth: '0',
        });
      } else {
        const app = input.app;
        if (app !== 'writer' && app !== 'reader') throw new GraphError(400, 'BadRequest', "'app' must be \"writer\" or \"reader\".");
        if (scopes !== undefined) {
          throw new GraphError(400, 'BadRequest', "'scopes' is for user tokens: an app-only token carries app roles ('roles'), never 'scp'.");
        }
        claims = appClaims({
          tenantId,
          audience,
          clientId: DAEMON_CLIENT_IDS[app],
          roles: roles ?? [app === 'writer' ? ApiRole.ReadWrite : ApiRole.Read],
          ...(input.idtyp !== undefined ? { idtyp: input.idtyp } : {}),
          version,
          clientAuth: '1',
        });
      }
      return (await tokens.sign(claims, version, times)).token;
    },

    async issueGraphToken(input: GraphTokenRequest): Promise<string> {
      oneOf(input);
      const audience = input.audience ?? GRAPH_RESOURCE;
      if (audience !== GRAPH_RESOURCE && audience !== GRAPH_APP_ID) {
        throw new GraphError(400, 'BadRequest', `'audience' must be '${GRAPH_RESOURCE}' or '${GRAPH_APP_ID}'.`);
      }
      const times = checkTimes(input);
      const claims =
        input.user !== undefined
          ? userClaims({
              user: seededUser(input.user),
              tenantId,
              audience,
              clientId,
              scopes: input.permissions ?? graphDelegatedScopes(input.user),
              version: '2.0',
              clientAuth: '1',
            })
          : appClaims({
              tenantId,
              audience,
              clientId,
              roles: input.permissions ?? GRAPH_APP_ROLES,
              version: '2.0',
              clientAuth: '1',
            });
      return (await tokens.sign(claims, '2.0', times)).token;
    },

    async rotateSigningKey(): Promise<void> {
      await keys.rotate();
      // The key two rotations back just left the JWKS: its tokens must stop validating.
      graph.clear();
    },

    setUsers(users: SeedUser[]): void {
      setUsers(users);
    },

    registerClientCertificate(pemCertificate: string): RegisteredCertificate {
      return certificates.register(pemCertificate);
    },

    jwks(): { keys: JWK[] } {
      return keys.jwks(issuer);
    },
  };
}

/** `scp` is one space-separated string, so a name with a space in it would turn into several permissions. */
const PERMISSION_NAME = /^[\x21-\x7e]{1,120}$/;
const MAX_PERMISSIONS = 50;

function permissionNames(field: 'scopes' | 'roles', value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > MAX_PERMISSIONS || !value.every((v): v is string => typeof v === 'string' && PERMISSION_NAME.test(v))) {
    throw new GraphError(
      400,
      'BadRequest',
      `'${field}' must be a list of at most ${MAX_PERMISSIONS} permission names without spaces, e.g. ["RestoreSessions.Read"] (or [] for none).`,
    );
  }
  return [...value];
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
