/**
 * The gateway's own API permissions (docs/security.md, "What a caller may do"), as an app registration exposes them and Entra
 * puts them in caller tokens: delegated scopes in `scp` (a user signed in to a client app), app roles in `roles`
 * (a daemon holding an app role an administrator assigned). Either form of the read permission lets a caller run
 * queries and subscriptions; only the read-write form lets it run mutations.
 */

export const ApiScope = {
  Read: 'RestoreSessions.Read',
  ReadWrite: 'RestoreSessions.ReadWrite',
} as const;

export const ApiRole = {
  Read: 'RestoreSessions.Read.All',
  ReadWrite: 'RestoreSessions.ReadWrite.All',
} as const;

/** What a caller's token grants on the gateway's API. */
export interface CallerGrant {
  readonly kind: 'user' | 'app';
  /** `scp` entries for users, `roles` for apps. */
  readonly permissions: readonly string[];
}

/**
 * Only the claim that belongs to the token's kind counts: a user token's `roles` (app roles assigned to users) never
 * grants what the application permissions grant, and an app token has no scopes.
 */
export function canRead(caller: CallerGrant): boolean {
  return caller.kind === 'user'
    ? caller.permissions.includes(ApiScope.Read) || caller.permissions.includes(ApiScope.ReadWrite)
    : caller.permissions.includes(ApiRole.Read) || caller.permissions.includes(ApiRole.ReadWrite);
}

export function canWrite(caller: CallerGrant): boolean {
  return caller.kind === 'user' ? caller.permissions.includes(ApiScope.ReadWrite) : caller.permissions.includes(ApiRole.ReadWrite);
}

/** Human wording for error messages. */
export const READ_PERMISSIONS_TEXT = `the ${ApiScope.Read} or ${ApiScope.ReadWrite} scope (users) or the ${ApiRole.Read} or ${ApiRole.ReadWrite} app role (apps)`;
export const WRITE_PERMISSIONS_TEXT = `the ${ApiScope.ReadWrite} scope (users) or the ${ApiRole.ReadWrite} app role (apps)`;
