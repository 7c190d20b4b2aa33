import { createHash } from 'node:crypto';
import type { SeedUser } from '../model/seed.js';
import { stableGuid } from '../model/ids.js';
import { Permission } from './caller.js';

/** Microsoft Graph as a resource: its URI and its well-known application id, both valid token audiences. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_DEFAULT_SCOPE = `${GRAPH_RESOURCE}/.default`;

/** Application permissions granted (admin-consented) to the gateway's app registration on Graph. */
export const GRAPH_APP_ROLES: readonly string[] = [
  Permission.RestoreReadWrite,
  Permission.SearchRead,
  Permission.ControlRead,
  Permission.ConfigurationRead,
];

/** User whose consent for the gateway was never given: on-behalf-of for them fails with AADSTS65001. */
export const NO_CONSENT_USER = 'noconsent';

/**
 * Delegated Graph permissions a user's on-behalf-of token carries (what was consented for that user). The backup
 * administrator may also read the protection configuration, which the mailbox and OneDrive unit lists require.
 */
export function graphDelegatedScopes(userName: string): readonly string[] {
  if (userName === 'admin') return [Permission.RestoreReadWrite, Permission.SearchRead, Permission.ConfigurationRead];
  return [Permission.RestoreRead];
}

/** The gateway's own API permissions: delegated scopes in `scp`, app roles in `roles`. */
export const ApiScope = { Read: 'RestoreSessions.Read', ReadWrite: 'RestoreSessions.ReadWrite' } as const;
export const ApiRole = { Read: 'RestoreSessions.Read.All', ReadWrite: 'RestoreSessions.ReadWrite.All' } as const;

export function apiDelegatedScopes(userName: string): readonly string[] {
  return userName === 'admin' ? [ApiScope.Read, ApiScope.ReadWrite] : [ApiScope.Read];
}

/** The frontend single-page app that signs users in and calls the gateway (`azp` of user API tokens). */
export const FRONTEND_SPA_CLIENT_ID = stableGuid('app:restore-session-frontend-spa');
/** Daemon apps holding the gateway's app roles (`appid`/`azp` of app-only API tokens). */
export const DAEMON_CLIENT_IDS = {
  writer: stableGuid('app:restore-session-automation-writer'),
  reader: stableGuid('app:restore-session-automation-reader'),
} as const;

/** Object id of an application's service principal in the emulated tenant: the `oid` of its app-only tokens. */
export function servicePrincipalId(appId: string): string {
  return stableGuid(`service-principal:${appId}`);
}

/** Entra's `sub` is pairwise: stable per user and audience application, and differs between applications. */
export function pairwiseSubject(oid: string, audience: string): string {
  return createHash('sha256').update(`${oid}\n${audience}`).digest('base64url').slice(0, 43);
}

export type TokenVersion = '1.0' | '2.0';
/** `azpacr` / `appidacr`: how the client proved itself. 0 public client, 1 secret, 2 certificate. */
export type ClientAuthLevel = '0' | '1' | '2';

/**
 * Claims of a delegated (user) token apart from `iss`, times and `uti`. v2 names the client in `azp`, v1 in
 * `appid`, and v1 has `upn`/`unique_name` where v2 has `preferred_username`, as Entra's two formats do. Entra leaves
 * `scp` out when no delegated scope was granted (a user holding only app roles assigned to them), never empty.
 */
export function userClaims({
  user,
  tenantId,
  audience,
  clientId,
  scopes,
  roles = [],
  directoryRoles = [],
  idtyp = false,
  version,
  clientAuth,
}: {
  user: SeedUser;
  tenantId: string;
  audience: string;
  clientId: string;
  scopes: readonly string[];
  /** App roles assigned to the user on the resource (`roles`); none by default. */
  roles?: readonly string[];
  /** Template ids of the user's Entra directory roles (`wids`, left out when none), as Graph tokens carry them. */
  directoryRoles?: readonly string[];
  /** Whether the optional claim `idtyp: user` is present (an app registration opts in to it). Default no. */
  idtyp?: boolean;
  version: TokenVersion;
  clientAuth: ClientAuthLevel;
}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    aud: audience,
    tid: tenantId,
    oid: user.id,
    sub: pairwiseSubject(user.id, clientId),
    name: user.displayName,
    ver: version,
  };
  if (scopes.length > 0) claims.scp = scopes.join(' ');
  if (roles.length > 0) claims.roles = [...roles];
  if (directoryRoles.length > 0) claims.wids = [...directoryRoles];
  if (idtyp) claims.idtyp = 'user';
  if (version === '2.0') {
    claims.azp = clientId;
    claims.azpacr = clientAuth;
    claims.preferred_username = user.email;
  } else {
    claims.appid = clientId;
    claims.appidacr = clientAuth;
    claims.upn = user.email;
    claims.unique_name = user.email;
  }
  return claims;
}

/** Claims of an app-only token: `roles`, `idtyp: app`, `oid` = `sub` = the client's service principal. */
export function appClaims({
  tenantId,
  audience,
  clientId,
  roles,
  idtyp = true,
  version,
  clientAuth,
}: {
  tenantId: string;
  audience: string;
  clientId: string;
  roles: readonly string[];
  /**
   * Whether the optional claim `idtyp: app` is present. Default yes; without it, as Entra issues app-only tokens unless
   * the resource's registration asks for it, only `oid` = `sub` and the missing `scp` tell the token apart.
   */
  idtyp?: boolean;
  version: TokenVersion;
  clientAuth: ClientAuthLevel;
}): Record<string, unknown> {
  const oid = servicePrincipalId(clientId);
  const claims: Record<string, unknown> = { aud: audience, tid: tenantId, oid, sub: oid, roles: [...roles], ver: version };
  if (idtyp) claims.idtyp = 'app';
  if (version === '2.0') {
    claims.azp = clientId;
    claims.azpacr = clientAuth;
  } else {
    claims.appid = clientId;
    claims.appidacr = clientAuth;
  }
  return claims;
}
