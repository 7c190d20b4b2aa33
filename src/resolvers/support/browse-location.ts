import { createHash } from 'node:crypto';
import type { BrowsableResourceType, GraphBrowseRequest } from '../../graph/dto.js';
import { browseItemOrder } from '../../graph/enums.js';
import type { BrowseItemOrder } from '../../generated/graphql.js';
import { badUserInput } from './arguments.js';

/**
 * `BrowseSession.items` arguments, checked and turned into the browse action's body before any Graph call.
 *
 * A location is the gateway's opaque name for a container of one browse session: base64url of `{v, s, k, t, p}`, the
 * item's key `k`, its Graph resource type `t` (what the browse action must be told), its path `p` from the top of the
 * backup (Graph sends names only, so the path of what is listed travels down in the location), and `s` a short hash of
 * the browse session it came from, so a location of one session is refused by another. Graph checks the key itself;
 * the path is only ever shown (in `BrowseItem.path` and the audit log), never sent.
 */

export interface BrowseLocation {
  itemKey: string;
  type: BrowsableResourceType;
  /** `/Finance01/Documents/Reports`: starts with a slash, the container's own name last. */
  path: string;
}

/** Graph keeps SharePoint names to 400 characters; paths run to a few thousand at most. */
const MAX_LOCATION_LENGTH = 8192;
const MAX_KEY_LENGTH = 1024;
const MAX_PATH_LENGTH = 4096;
export const MAX_NAME_FILTER = 255;
const CONTAINERS: ReadonlySet<string> = new Set<BrowsableResourceType>(['site', 'documentLibrary', 'folder']);
// C0 and C1 controls, DEL, and the Unicode line/paragraph separators.
const UNSAFE = /[\p{Cc}\u2028\u2029]/u;

function sessionTag(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url').slice(0, 12);
}

/** Whether a Graph item type names a container the browse action can list. */
export function isBrowsable(type: string | null | undefined): type is BrowsableResourceType {
  return typeof type === 'string' && CONTAINERS.has(type);
}

export function encodeLocation(sessionId: string, location: BrowseLocation): string {
  const json = { v: 1, s: sessionTag(sessionId), k: location.itemKey, t: location.type, p: location.path };
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

/** The location `raw` names in session `sessionId`; BAD_USER_INPUT (`location`) for anything else. */
export function decodeLocation(sessionId: string, raw: string): BrowseLocation {
  const invalid = (why: string): never => {
    throw badUserInput('location', `'location' is not a location of this browse session (${why}); pass the location of an item it listed.`);
  };
  if (raw.length === 0 || raw.length > MAX_LOCATION_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) invalid('malformed');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return invalid('malformed');
  }
  if (typeof parsed !== 'object' || parsed === null) return invalid('malformed');
  const { v, s, k, t, p } = parsed as Record<string, unknown>;
  if (v !== 1) invalid('unknown version');
  if (s !== sessionTag(sessionId)) invalid('made for another browse session');
  if (typeof k !== 'string' || k === '' || k.length > MAX_KEY_LENGTH || UNSAFE.test(k)) return invalid('malformed');
  if (!isBrowsable(typeof t === 'string' ? t : undefined)) return invalid('malformed');
  if (typeof p !== 'string' || !p.startsWith('/') || p.length > MAX_PATH_LENGTH || UNSAFE.test(p)) return invalid('malformed');
  return { itemKey: k, type: t as BrowsableResourceType, path: p };
}

/** The location, or undefined when it is not one; for the audit log, which records what was asked even when refused. */
export function peekLocation(sessionId: string, raw: string | null | undefined): BrowseLocation | undefined {
  if (raw === null || raw === undefined) return undefined;
  try {
    return decodeLocation(sessionId, raw);
  } catch {
    return undefined;
  }
}

/** `nameContains` as Graph's only documented filter, `(name -contains '…')`, single quotes doubled. */
export function nameFilter(nameContains: string | null | undefined): string | undefined {
  if (nameContains === null || nameContains === undefined) return undefined;
  if (nameContains.length === 0 || nameContains.length > MAX_NAME_FILTER) {
    throw badUserInput('nameContains', `'nameContains' must hold 1 to ${MAX_NAME_FILTER} characters.`);
  }
  if (UNSAFE.test(nameContains)) throw badUserInput('nameContains', `'nameContains' contains control characters.`);
  return `(name -contains '${nameContains.replace(/'/g, "''")}')`;
}

/**
 * The browse action's body for a listing: empty for the top level (Graph's documented form), otherwise the container's
 * key and type. The filter and order go along only when asked for: Graph's default order is the path, A to Z.
 */
export function browseBody(
  location: BrowseLocation | undefined,
  nameContains: string | null | undefined,
  orderBy: BrowseItemOrder | null | undefined,
): GraphBrowseRequest {
  const body: GraphBrowseRequest = {};
  if (location) {
    body.browseLocationItemKey = location.itemKey;
    body.browseResourceType = location.type;
  }
  const filter = nameFilter(nameContains);
  if (filter !== undefined) body.filter = filter;
  if (orderBy && orderBy !== 'PATH_ASC') body.orderBy = browseItemOrder[orderBy];
  return body;
}
