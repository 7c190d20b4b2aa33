import { MAX_ID_LENGTH } from '../../graph/url.js';
import { badUserInput } from './arguments.js';

/**
 * Ids a client names, checked before any Graph call, by queries, mutations, subscriptions and entity references alike,
 * one rule per kind of id. Graph refuses a malformed id with a 400 that names no argument (`InvalidRestoreSessionId`,
 * `InvalidProtectionUnitId`, …) after a round trip, and a malformed id that reached Graph inside a `$batch` costs a
 * batch item; checked here, the refusal is BAD_USER_INPUT naming the argument and nothing is sent.
 *
 * What Graph says of each kind: restore session and bulk addition request ids are
 * server-made GUIDs, which Graph itself checks (400 InvalidRestoreSessionId, InvalidBulkRestoreArtifactId). Restore
 * point ids are not GUIDs (`<unit id>_<epoch>_14_1`, or pseudo-GUIDs with non-hex letters); protection unit and
 * artifact ids are GUIDs in every example but documented only as strings, and granular artifact ids are comma-joined
 * GUID tuples. Those kinds get the bounded checks every Graph key gets, so a new id format never turns into a false
 * refusal; `src/graph/url.ts` encodes whatever passes as one path segment.
 */

export type IdKind =
  | 'restoreSession'
  | 'bulkAdditionRequest'
  | 'restorePoint'
  | 'protectionUnit'
  | 'siteRestoreArtifact'
  /** A mailbox or drive artifact: shaped by Graph like a site artifact. */
  | 'restoreArtifact';

const GUID_KINDS: ReadonlySet<IdKind> = new Set<IdKind>(['restoreSession', 'bulkAdditionRequest']);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// C0 and C1 controls, DEL, and the Unicode line/paragraph separators.
const UNSAFE = /[\p{Cc}\u2028\u2029]/u;
const EXAMPLE_GUID = '61633878-8321-4950-bfaf-ed285bdd1461';

/** What is wrong with `value` as an id of this shape, as the end of a sentence about it; undefined when nothing is. */
function idProblem(value: unknown, guid: boolean): string | undefined {
  // Arguments are coerced to strings by GraphQL; entity representations are JSON the router (or anyone) sent.
  if (typeof value !== 'string') return 'must be a string id';
  if (value.trim() === '') return 'must not be empty';
  if (value.length > MAX_ID_LENGTH) return `is longer than ${MAX_ID_LENGTH} characters`;
  if (UNSAFE.test(value) || value.trim() !== value || /^\.+$/.test(value)) return 'is not a valid id';
  if (guid && !GUID.test(value)) return `must be a GUID such as ${EXAMPLE_GUID}`;
  return undefined;
}

/** Any Graph key: a string, not blank, at most 256 characters, no control characters, no surrounding spaces. */
export function graphId(value: unknown, argument: string): string {
  const problem = idProblem(value, false);
  if (problem !== undefined) throw badUserInput(argument, `'${argument}' ${problem}.`);
  return value as string;
}

/** A Graph key that is also a GUID, such as `61633878-8321-4950-bfaf-ed285bdd1461`. */
export function guidId(value: unknown, argument: string): string {
  const problem = idProblem(value, true);
  if (problem !== undefined) throw badUserInput(argument, `'${argument}' ${problem}.`);
  return value as string;
}

/** An id argument of the given kind (`restoreSession(id:)`, `restorePoints(protectionUnitId:)`, …). */
export function checkId(kind: IdKind, value: unknown, argument: string): string {
  return GUID_KINDS.has(kind) ? guidId(value, argument) : graphId(value, argument);
}

/**
 * A key field of an `_entities` representation, checked as its kind. The refusal is thrown from `__resolveReference`,
 * so it fails only that representation: its entry is null and the error sits at its own path (`_entities.<i>`), as
 * src/schema/settled-entities.ts arranges; `extensions.argument` is `representations`, as for a representation that
 * lacks its key.
 */
export function checkReferenceId(kind: IdKind, typename: string, field: string, value: unknown): string {
  const problem = idProblem(value, GUID_KINDS.has(kind));
  if (problem === undefined) return value as string;
  throw badUserInput('representations', `A ${typename} reference's '${field}' ${problem}.`);
}
