import { randomUUID } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import type { SeedUser } from '../model/seed.js';
import type { AuthorityRequest, AuthorityResponse } from './authority.js';
import {
  GRAPH_APP_ID,
  GRAPH_APP_ROLES,
  GRAPH_RESOURCE,
  NO_CONSENT_USER,
  appClaims,
  graphDelegatedScopes,
  pairwiseSubject,
  userClaims,
} from './claims.js';
import { authenticateClient, type AuthenticatedClient, type ClientAuthContext } from './client-auth.js';
import {
  OAuthError,
  invalidGrant,
  invalidRequest,
  invalidScope,
  missingParameter,
  noStoreHeaders,
  oauthErrorResponse,
} from './oauth-error.js';
import type { SigningKeyRing } from './signing-keys.js';
import type { TokenIssuer } from './token-issuer.js';
import { TokenRejected, verifyIssuedToken } from './verify-token.js';

export const GRANT_CLIENT_CREDENTIALS = 'client_credentials';
export const GRANT_JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface TokenEndpointContext extends ClientAuthContext {
  /** Display name of the gateway's app registration, for consent messages. */
  clientName: string;
  issuers: readonly string[];
  keys: SigningKeyRing;
  tokens: TokenIssuer;
  usersById: ReadonlyMap<string, SeedUser>;
}

/** `POST /{tenant}/oauth2/v2.0/token`: client credentials and on-behalf-of, answered as Entra answers them. */
export async function handleTokenRequest(ctx: TokenEndpointContext, req: AuthorityRequest): Promise<AuthorityResponse> {
  const form = isForm(req.headers['content-type']) ? new URLSearchParams(req.rawBody.toString('utf8')) : new URLSearchParams();
  const correlationId = req.headers['client-request-id'] ?? form.get('client-request-id') ?? undefined;
  try {
    if (req.method !== 'POST') {
      throw new OAuthError(
        405,
        'invalid_request',
        900561,
        `The endpoint only accepts POST, OPTIONS requests. Received a ${req.method} request.`,
      );
    }
    const grantType = form.get('grant_type');
    if (!grantType) throw missingParameter('grant_type');
    let body: Record<string, unknown>;
    if (grantType === GRANT_CLIENT_CREDENTIALS) {
      body = await clientCredentials(ctx, form, req.headers['authorization']);
    } else if (grantType === GRANT_JWT_BEARER) {
      body = await onBehalfOf(ctx, form, req.headers['authorization']);
    } else {
      throw new OAuthError(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'. The emulator's authority supports client_credentials and ` +
          `on-behalf-of (${GRANT_JWT_BEARER}); user sign-in tokens come from POST /_emulator/token.`,
      );
    }
    const traceId = randomUUID();
    return { status: 200, headers: noStoreHeaders(traceId, correlationId ?? randomUUID()), body };
  } catch (err) {
    if (err instanceof OAuthError) return oauthErrorResponse(err, correlationId);
    throw err;
  }
}

function isForm(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

async function clientCredentials(
  ctx: TokenEndpointContext,
  form: URLSearchParams,
  authorization: string | undefined,
): Promise<Record<string, unknown>> {
  const client = await authenticateClient(ctx, form, authorization);
  const scope = parseGraphScope(ctx, form.get('scope'));
  if (scope.permissions !== 'default') {
    throw invalidScope(
      1002012,
      `The provided value for scope ${scope.raw} is not valid. Client credential flows must have a scope value with /.default ` +
        'suffixed to the resource identifier (application ID URI).',
    );
  }
  const { token, expiresIn } = await ctx.tokens.sign(
    appClaims({
      tenantId: ctx.tenantId,
      audience: scope.audience,
      clientId: client.clientId,
      roles: GRAPH_APP_ROLES,
      version: '2.0',
      clientAuth: client.level,
    }),
    '2.0',
  );
  return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token };
}

async function onBehalfOf(
  ctx: TokenEndpointContext,
  form: URLSearchParams,
  authorization: string | undefined,
): Promise<Record<string, unknown>> {
  const tokenUse = form.get('requested_token_use');
  if (!tokenUse) throw missingParameter('requested_token_use');
  if (tokenUse !== 'on_behalf_of') {
    throw invalidRequest(9002313, `Invalid request. 'requested_token_use' must be 'on_behalf_of', not '${tokenUse}'.`);
  }
  const assertion = form.get('assertion');
  if (!assertion) throw missingParameter('assertion');
  const client = await authenticateClient(ctx, form, authorization);
  const scope = parseGraphScope(ctx, form.get('scope'));
  const user = await assertedUser(ctx, assertion, client);
  const consented = graphDelegatedScopes(user.name);
  const notConsented = (): OAuthError =>
    invalidGrant(
      65001,
      `The user or administrator has not consented to use the application with ID '${client.clientId}' named ` +
        `'${ctx.clientName}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    );
  if (user.name === NO_CONSENT_USER) throw notConsented();
  let scopes: string[];
  if (scope.permissions === 'default') {
    scopes = [...consented];
  } else {
    scopes = [];
    for (const wanted of scope.permissions) {
      const granted = consented.find((p) => p.toLowerCase() === wanted.toLowerCase());
      if (!granted) throw notConsented();
      scopes.push(granted);
    }
  }
  const { token, expiresIn } = await ctx.tokens.sign(
    userClaims({
      user,
      tenantId: ctx.tenantId,
      audience: scope.audience,
      clientId: client.clientId,
      scopes,
      directoryRoles: user.directoryRoles,
      version: '2.0',
      clientAuth: client.level,
    }),
    '2.0',
  );
  // Entra lists what was granted, prefixed with the resource, and echoes `.default` so a client's cache entry
  // matches the scope it asked for.
  const granted = scopes.map((s) => `${GRAPH_RESOURCE}/${s}`);
  if (scope.permissions === 'default') granted.push(scope.defaultScope);
  granted.push(...scope.oidc);
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: granted.join(' '),
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: token,
  };
  if (scope.oidc.includes('openid')) {
    const idToken = await ctx.tokens.sign(
      {
        aud: client.clientId,
        tid: ctx.tenantId,
        oid: user.id,
        sub: pairwiseSubject(user.id, client.clientId),
        name: user.displayName,
        preferred_username: user.email,
        ver: '2.0',
      },
      '2.0',
    );
    body.id_token = idToken.token;
  }
  if (form.get('client_info') === '1') {
    body.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: ctx.tenantId })).toString('base64url');
  }
  return body;
}

/** The user an on-behalf-of assertion speaks for: a user token this authority issued for the gateway's API. */
async function assertedUser(ctx: TokenEndpointContext, assertion: string, client: AuthenticatedClient): Promise<SeedUser> {
  let payload: JWTPayload;
  try {
    ({ payload } = await verifyIssuedToken(assertion, ctx.keys, {
      issuers: ctx.issuers,
      audiences: [client.clientId, `api://${client.clientId}`],
      tenantId: ctx.tenantId,
    }));
  } catch (err) {
    if (!(err instanceof TokenRejected)) throw err;
    const claims = unverifiedClaims(assertion);
    switch (err.reason) {
      case 'lifetime':
        throw invalidGrant(
          500133,
          'Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user ' +
            `assertion, or request a new token. Current time: ${new Date().toISOString()}, expiry time of assertion ` +
            `${typeof claims?.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : 'unknown'}` +
            `${typeof claims?.nbf === 'number' ? `, not valid before ${new Date(claims.nbf * 1000).toISOString()}` : ''}.`,
        );
      case 'audience':
        throw invalidGrant(
          50013,
          `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was ` +
            `'${String(claims?.aud)}' and the expected audience is '${client.clientId}' or one of the Application Id URIs of this application.`,
        );
      case 'issuer':
        throw invalidGrant(
          50013,
          `Assertion failed signature validation. [Reason - The issuer '${String(claims?.iss)}' is not trusted by this tenant.]`,
        );
      case 'signature':
      case 'algorithm':
        throw invalidGrant(
          50013,
          'Assertion failed signature validation. [Reason - The key was not found or the signature did not match.]',
        );
      default:
        throw invalidRequest(50027, 'JWT token is invalid or malformed.');
    }
  }
  if (typeof payload.scp !== 'string') {
    throw invalidGrant(50013, 'Assertion is an app-only token: on-behalf-of needs a token issued to a signed-in user.');
  }
  const user = typeof payload.oid === 'string' ? ctx.usersById.get(payload.oid) : undefined;
  if (!user) throw invalidGrant(50034, `The user account ${String(payload.oid)} does not exist in the '${ctx.tenantId}' directory.`);
  return user;
}

function unverifiedClaims(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

interface GraphScope {
  raw: string;
  /** `aud` of the token: Graph's URI, or its app id when the scope named Graph by app id. */
  audience: string;
  defaultScope: string;
  permissions: 'default' | string[];
  oidc: string[];
}

/** Only Microsoft Graph is a resource here; a scope for anything else is refused as Entra refuses unknown resources. */
function parseGraphScope(ctx: TokenEndpointContext, raw: string | null): GraphScope {
  if (raw === null || raw.trim() === '') throw missingParameter('scope');
  const parts = raw.trim().split(/\s+/);
  const oidc = parts.filter((p) => OIDC_SCOPES.has(p.toLowerCase()));
  const resourceScopes = parts
    .filter((p) => !OIDC_SCOPES.has(p.toLowerCase()))
    .map((p) => {
      const slash = p.lastIndexOf('/');
      // A bare permission name ("User.Read") is a Graph permission, as Entra reads it.
      return slash === -1
        ? { resource: GRAPH_RESOURCE, permission: p }
        : { resource: p.slice(0, slash).replace(/\/+$/, ''), permission: p.slice(slash + 1) };
    });
  if (resourceScopes.length === 0) {
    throw invalidScope(70011, `The provided value for the input parameter 'scope' is not valid. The scope '${raw}' names no resource.`);
  }
  const resources = new Set(resourceScopes.map((s) => s.resource.toLowerCase()));
  if (resources.size > 1) {
    throw invalidScope(
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${raw} is not valid.`,
    );
  }
  const resource = resourceScopes[0]?.resource ?? '';
  const lower = resource.toLowerCase();
  if (lower !== GRAPH_RESOURCE && lower !== GRAPH_APP_ID) {
    throw invalidScope(
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${ctx.tenantId}. This can happen if the ` +
        'application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
        'You might have sent your authentication request to the wrong tenant. (The emulator issues tokens for Microsoft Graph only.)',
    );
  }
  const permissions = resourceScopes.map((s) => s.permission);
  const isDefault = permissions.some((p) => p === '.default');
  if (isDefault && permissions.length > 1) {
    throw invalidScope(
      70011,
      `The provided value for the input parameter 'scope' is not valid. '.default' cannot be combined with other scopes of the same resource: ${raw}.`,
    );
  }
  return {
    raw,
    audience: lower === GRAPH_APP_ID ? GRAPH_APP_ID : GRAPH_RESOURCE,
    defaultScope: `${resource}/.default`,
    permissions: isDefault ? 'default' : permissions,
    oidc,
  };
}
