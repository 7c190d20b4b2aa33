import { GraphError } from '../http/errors.js';
import type { SeedUser } from '../model/seed.js';
import type { ApiTokenRequest } from './authority.js';
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
import type { TokenIssuer, TokenTimes } from './token-issuer.js';

/**
 * Tokens minted directly, without a grant: for the gateway's own API (`POST /_emulator/token`) and, in tests and
 * benchmarks, for Graph. Input comes from the admin API's JSON, so every field is checked, and a bad one is a 400.
 */

/** A Graph token minted directly, without msal-node: for emulator tests and benchmarks. */
export interface GraphTokenRequest {
  /** A seeded user's name: a delegated token with that user's OBO scopes. Exactly one of `user` and `app`. */
  user?: string;
  /** An app-only token for the gateway's app registration, with its Graph application roles. */
  app?: true;
  /** Replaces the `scp` (user) or `roles` (app) the token would carry, e.g. to test a 403. */
  permissions?: readonly string[];
  /** User tokens: replaces the user's directory roles (`wids`), e.g. `[]` for one without SharePoint Backup Administrator. */
  directoryRoles?: readonly string[];
  /** `https://graph.microsoft.com` (default) or Graph's app id. */
  audience?: typeof GRAPH_RESOURCE | typeof GRAPH_APP_ID;
  lifetimeSeconds?: number;
  notBeforeSeconds?: number;
}

/** What minting needs from the authority. */
export interface MintingContext {
  tenantId: string;
  /** The gateway's app registration. */
  clientId: string;
  tokens: TokenIssuer;
  /** A seeded user by name; a 400 naming the seeded users otherwise. */
  seededUser(name: string): SeedUser;
}

const MAX_LIFETIME_SECONDS = 86_400;
/** `scp` is one space-separated string, so a name with a space in it would turn into several permissions. */
const PERMISSION_NAME = /^[\x21-\x7e]{1,120}$/;
const MAX_PERMISSIONS = 50;

/** A user or app-only token for the gateway's own API. */
export async function issueApiToken(ctx: MintingContext, input: ApiTokenRequest): Promise<string> {
  const { audience } = input;
  if (audience !== ctx.clientId && audience !== `api://${ctx.clientId}`) {
    throw new GraphError(
      400,
      'BadRequest',
      `'audience' must be the gateway's client id '${ctx.clientId}' or 'api://${ctx.clientId}', not '${String(audience)}'.`,
    );
  }
  oneOf(input);
  const version = input.tokenVersion ?? '2.0';
  if (version !== '1.0' && version !== '2.0') throw new GraphError(400, 'BadRequest', '\'tokenVersion\' must be "1.0" or "2.0".');
  const times = checkTimes(input);
  const scopes = permissionNames('scopes', input.scopes);
  const roles = permissionNames('roles', input.roles);
  if (input.idtyp !== undefined && typeof input.idtyp !== 'boolean') {
    throw new GraphError(400, 'BadRequest', "'idtyp' must be true or false: whether the token carries the optional idtyp claim.");
  }
  const checked = { audience, version, scopes, roles, idtyp: input.idtyp };
  const claims = input.user !== undefined ? apiUserClaims(ctx, input.user, checked) : apiAppClaims(ctx, input.app, checked);
  return (await ctx.tokens.sign(claims, version, times)).token;
}

interface CheckedApiRequest {
  audience: string;
  version: TokenVersion;
  scopes: string[] | undefined;
  roles: string[] | undefined;
  idtyp: boolean | undefined;
}

/** A user signed in to the frontend SPA, with their delegated scopes on the API unless the request names others. */
function apiUserClaims(
  ctx: MintingContext,
  name: string,
  { audience, version, scopes, roles, idtyp }: CheckedApiRequest,
): Record<string, unknown> {
  const user = ctx.seededUser(name);
  return userClaims({
    user,
    tenantId: ctx.tenantId,
    audience,
    clientId: FRONTEND_SPA_CLIENT_ID,
    scopes: scopes ?? apiDelegatedScopes(user.name),
    roles,
    idtyp,
    version,
    clientAuth: '0',
  });
}

/** A daemon app holding the writer or reader app role, unless the request names other roles. */
function apiAppClaims(
  ctx: MintingContext,
  app: unknown,
  { audience, version, scopes, roles, idtyp }: CheckedApiRequest,
): Record<string, unknown> {
  if (app !== 'writer' && app !== 'reader') throw new GraphError(400, 'BadRequest', '\'app\' must be "writer" or "reader".');
  if (scopes !== undefined) {
    throw new GraphError(400, 'BadRequest', "'scopes' is for user tokens: an app-only token carries app roles ('roles'), never 'scp'.");
  }
  return appClaims({
    tenantId: ctx.tenantId,
    audience,
    clientId: DAEMON_CLIENT_IDS[app],
    roles: roles ?? [app === 'writer' ? ApiRole.ReadWrite : ApiRole.Read],
    idtyp,
    version,
    clientAuth: '1',
  });
}

/** A Graph token signed like the token endpoint's: a user's on-behalf-of token, or the gateway's app token. */
export async function issueGraphToken(ctx: MintingContext, input: GraphTokenRequest): Promise<string> {
  oneOf(input);
  const audience = input.audience ?? GRAPH_RESOURCE;
  if (audience !== GRAPH_RESOURCE && audience !== GRAPH_APP_ID) {
    throw new GraphError(400, 'BadRequest', `'audience' must be '${GRAPH_RESOURCE}' or '${GRAPH_APP_ID}'.`);
  }
  const times = checkTimes(input);
  const { tenantId, clientId } = ctx;
  const claims =
    input.user !== undefined
      ? userClaims({
          user: ctx.seededUser(input.user),
          tenantId,
          audience,
          clientId,
          scopes: input.permissions ?? graphDelegatedScopes(input.user),
          directoryRoles: input.directoryRoles ?? ctx.seededUser(input.user).directoryRoles,
          version: '2.0',
          clientAuth: '1',
        })
      : appClaims({ tenantId, audience, clientId, roles: input.permissions ?? GRAPH_APP_ROLES, version: '2.0', clientAuth: '1' });
  return (await ctx.tokens.sign(claims, '2.0', times)).token;
}

function checkTimes(input: TokenTimes): TokenTimes {
  const times: TokenTimes = {};
  if (input.lifetimeSeconds !== undefined) {
    if (
      typeof input.lifetimeSeconds !== 'number' ||
      !Number.isFinite(input.lifetimeSeconds) ||
      input.lifetimeSeconds > MAX_LIFETIME_SECONDS
    ) {
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

function oneOf(input: { user?: unknown; app?: unknown }): void {
  if ((input.user === undefined) === (input.app === undefined)) {
    throw new GraphError(400, 'BadRequest', "Give exactly one of 'user' and 'app'.");
  }
}

function permissionNames(field: 'scopes' | 'roles', value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length > MAX_PERMISSIONS ||
    !value.every((v): v is string => typeof v === 'string' && PERMISSION_NAME.test(v))
  ) {
    throw new GraphError(
      400,
      'BadRequest',
      `'${field}' must be a list of at most ${MAX_PERMISSIONS} permission names without spaces, e.g. ["RestoreSessions.Read"] (or [] for none).`,
    );
  }
  return [...value];
}
