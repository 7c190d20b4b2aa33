import { randomUUID } from 'node:crypto';
import type { Route } from '../http/router.js';
import type { GraphRequest } from '../http/types.js';
import type { EmulatorContext } from '../context.js';
import type { IdentitySet, RestoreSession, SessionKind } from '../model/types.js';
import { READ_RESTORE, SHAREPOINT_BACKUP_ADMINISTRATOR_ROLE, WRITE_RESTORE } from '../authority/caller.js';
import { GraphError, badRequest } from '../http/errors.js';
import { truncate } from '../http/router.js';
import { isGuid } from '../model/ids.js';
import { RESTORE_APPLICATION } from '../model/state.js';

/** Helpers shared by the session, artifact and bulk-request routes. */

export const ROOT = 'solutions/backupRestore';

/** A JSON object body (not an array, not a primitive), or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The session `id` names, checked as Graph checks it: 400 InvalidRestoreSessionId when it is not a GUID, 404
 * RestoreSessionNotFound when unknown or (with `kind`) not in the entity set the path names.
 */
export function requireSession(ctx: EmulatorContext, id: string, kind?: SessionKind): RestoreSession {
  if (!isGuid(id)) {
    throw new GraphError(400, 'InvalidRestoreSessionId', `The restore session id '${truncate(id)}' is not valid.`);
  }
  const session = ctx.state.session(id);
  if (!session || (kind !== undefined && session.kind !== kind)) {
    throw new GraphError(404, 'RestoreSessionNotFound', `The restore session '${id}' was not found.`);
  }
  return session;
}

/** Draft is the only state in which Graph lets a session change (PATCH, DELETE, activate), read at the virtual `now`. */
export function isDraft(session: RestoreSession, now: number): boolean {
  return !session.fixed && (session.activatedAt === null || session.activatedAt > now);
}

/**
 * 403 RestoreSessionActionNotAllowed unless the session is a draft; `action` completes "can only be … in Draft
 * state", or `message` replaces the whole sentence.
 */
export function requireDraft(
  session: RestoreSession,
  now: number,
  action: string,
  message = `Restore session can only be ${action} in Draft state.`,
): void {
  if (!isDraft(session, now)) throw new GraphError(403, 'RestoreSessionActionNotAllowed', message);
}

/** Artifacts come either one by one or through one bulk addition request, never both (Graph's rule). */
export const MIXED_ARTIFACT_SOURCES = "A restore session can't get artifacts both manually and through a bulk addition request.";

/**
 * The identitySet Graph records for a write: a seeded user (with the restore application they went through, as
 * in the Graph examples), or, for an app-only token, the calling application alone.
 */
export function callerIdentity(ctx: EmulatorContext, req: GraphRequest): IdentitySet {
  const caller = req.caller;
  if (caller.kind === 'app') return { application: { id: caller.appId, displayName: caller.displayName } };
  const user = ctx.state.userById(caller.oid);
  if (user) return ctx.state.identityOf(user);
  return { application: { ...RESTORE_APPLICATION }, user: { id: caller.oid, displayName: caller.displayName } };
}

/**
 * Browse sessions and the granular site and drive artifact lists: in the delegated flow only holders of the SharePoint
 * Backup Administrator directory role may call them (their pages say so); app-only callers need the permission alone.
 */
export function requireBackupAdministrator(req: GraphRequest): void {
  const caller = req.caller;
  if (caller.kind !== 'user') return;
  for (const role of caller.directoryRoles) if (role.toLowerCase() === SHAREPOINT_BACKUP_ADMINISTRATOR_ROLE) return;
  throw new GraphError(
    403,
    'Forbidden',
    'In the delegated flow, only users with the SharePoint Backup Administrator role can access this API.',
  );
}

/** Graph's envelope for a feature the emulator does not implement. */
export function notSupported(what: string): GraphError {
  return new GraphError(501, 'notSupported', `${what} isn't supported by the Microsoft Graph emulator.`);
}

const ANY_LIST_OPTIONS = ['$top', '$skip', '$skiptoken', '$count', '$filter', '$select', '$expand', '$orderby', '$search'] as const;

/**
 * Routes for a navigation collection of a session that the emulator does not implement (single Exchange, OneDrive
 * and granular artifacts): the session id is checked as usual, then 501 `notSupported`.
 */
export function notSupportedCollection(set: string, kind: SessionKind, nav: string, label: string): Route[] {
  const handler = (_req: GraphRequest, params: Record<string, string>, ctx: EmulatorContext): never => {
    requireSession(ctx, params.id ?? '', kind);
    throw notSupported(label);
  };
  const base = `${ROOT}/${set}/{id}/${nav}`;
  return [
    { method: 'GET', path: base, permissions: READ_RESTORE, queryOptions: ANY_LIST_OPTIONS, handler },
    { method: 'POST', path: base, permissions: WRITE_RESTORE, handler },
    { method: 'GET', path: `${base}/{itemId}`, permissions: READ_RESTORE, queryOptions: ['$select', '$expand'], handler },
    { method: 'PATCH', path: `${base}/{itemId}`, permissions: WRITE_RESTORE, handler },
    { method: 'DELETE', path: `${base}/{itemId}`, permissions: WRITE_RESTORE, handler },
  ];
}

/** `restorePoint: {id}` or the oldest beta pages' `restorePoint: {"@odata.id": id}`; undefined when neither. */
export function restorePointReference(value: unknown): string | undefined {
  const ref = asObject(value);
  if (!ref) return undefined;
  const raw = typeof ref.id === 'string' ? ref.id : typeof ref['@odata.id'] === 'string' ? ref['@odata.id'] : undefined;
  if (raw === undefined) return undefined;
  // An `@odata.id` may be a URL or `restorePoints('…')`: keep the key.
  let key = raw.slice(raw.lastIndexOf('/') + 1);
  const paren = /^[A-Za-z]*\('?([^'()]*)'?\)$/.exec(key);
  if (paren) key = paren[1] ?? '';
  return key.trim();
}

// ---------------------------------------------------------------------------------------------- PATCH @delta

/** One item of a `…@delta` array: a removal of an artifact, or an addition (its body, validated when applied). */
export type DeltaOp =
  | { kind: 'remove'; index: number; id: string; contentId: string }
  | { kind: 'add'; index: number; value: Record<string, unknown>; contentId: string };

/** A delta item refused on its own, inside the 200, as Graph's update examples show it. */
export function itemFailure(
  op: DeltaOp,
  code: string,
  message: string,
  responseCode: number,
  subject: Record<string, unknown>,
): Record<string, unknown> {
  return {
    '@contentId': op.contentId,
    '@Core.DataModificationException': {
      info: { code, message },
      failedOperation: op.kind,
      responseCode,
    },
    ...subject,
  };
}

/** The client's `@contentId` of a delta item (bounded), or a new one. */
export function contentIdOf(item: Record<string, unknown>): string {
  return typeof item['@contentId'] === 'string' && item['@contentId'].length <= 128 ? item['@contentId'] : randomUUID();
}

export const invalidPatch = (message: string): GraphError => badRequest(message, 'InvalidPatchRequest');

/**
 * The array of a `…@delta` property, checked as Graph checks it: a missing or non-array one is 400 InvalidPatchRequest,
 * a null or empty one InvalidArtifactRequest, more than `max` items RestoreArtifactsLimitBreached.
 */
export function deltaArray(o: Record<string, unknown>, field: string, max: number): unknown[] {
  const delta = o[field];
  if (delta === undefined) throw invalidPatch(`${field} is required.`);
  if (delta === null) throw badRequest(`${field} is null: it must list artifacts to add or remove.`, 'InvalidArtifactRequest');
  if (!Array.isArray(delta)) throw invalidPatch(`${field} must be an array.`);
  if (delta.length === 0) throw badRequest(`${field} is empty: it must list artifacts to add or remove.`, 'InvalidArtifactRequest');
  if (delta.length > max) {
    throw badRequest(
      `A request can add or remove at most ${max} restore artifacts; this one has ${delta.length}.`,
      'RestoreArtifactsLimitBreached',
    );
  }
  return delta;
}
