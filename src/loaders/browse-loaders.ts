import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { BrowsePage } from '../graph/browse-pages.js';
import type { GraphClient } from '../graph/client.js';
import type { FamilyBrowseSession, GraphBrowseQueryResponseItem, GraphBrowseRequest, ListedBrowseItem } from '../graph/dto.js';
import { BROWSE_FAMILY_SETS, type BrowseFamily } from '../graph/enums.js';
import { GraphRequestError } from '../graph/errors.js';
import { scrubMessage, toGraphQLError } from '../graphql-errors.js';
import { settleAll } from './settle.js';

/**
 * Per-request loaders of browse sessions and of their listings. A browse session is read by id from both families' sets
 * at once (one `$batch` round: Graph has no family-agnostic read of one browse session), and whatever lists or opens
 * one primes the loader, so later fields of the operation need no call. Listings are deduplicated per listing and page,
 * and every listing of one tick shares the round.
 */

/** The Entra directory role Graph requires of delegated callers of every browse endpoint. */
export const BROWSE_ROLE = 'SharePoint Backup Administrator';

export interface BrowseItemsKey {
  family: BrowseFamily;
  sessionId: string;
  /** The browse action's body (empty for the top level). */
  body: GraphBrowseRequest;
  /** The path of the location listed ('' for the top level): each item's path is this, a slash and its name. */
  path: string;
  first: number | null | undefined;
  after: string | null | undefined;
}

export interface BrowseLoaders {
  /** Null when neither family's set knows the id (never opened, or expired). */
  sessionById: DataLoader<string, FamilyBrowseSession | null>;
  items: DataLoader<BrowseItemsKey, BrowsePage<ListedBrowseItem>, string>;
}

export function createBrowseLoaders(client: GraphClient): BrowseLoaders {
  const sessionById = new DataLoader<string, FamilyBrowseSession | null>((ids) =>
    settleAll(ids, (id) => eitherFamily(client, id), browseGraphQLError),
  );
  const items = new DataLoader<BrowseItemsKey, BrowsePage<ListedBrowseItem>, string>(
    (keys) =>
      settleAll(
        keys,
        (k) =>
          client.browseItems(k.family, k.sessionId, { body: k.body, scope: k.path, first: k.first, after: k.after }, (item) =>
            listed(k, item),
          ),
        browseGraphQLError,
      ),
    { cacheKeyFn: (k) => JSON.stringify([k.family, k.sessionId, k.body, k.path, k.first ?? null, k.after ?? null]) },
  );
  return { sessionById, items };
}

function listed(key: BrowseItemsKey, item: GraphBrowseQueryResponseItem): ListedBrowseItem {
  return { ...item, browseSessionId: key.sessionId, browseFamily: key.family, path: `${key.path}/${item.name ?? ''}` };
}

/**
 * The session from whichever family's set knows it: both are asked in the same tick. A 404 from both is null; any
 * other failure (a refusal, an outage) is the answer when no set found the session.
 */
async function eitherFamily(client: GraphClient, id: string): Promise<FamilyBrowseSession | null> {
  const families = Object.keys(BROWSE_FAMILY_SETS) as BrowseFamily[];
  const reads = await Promise.allSettled(families.map((family) => client.getBrowseSession(family, id)));
  const found = families.flatMap((family, i) => {
    const read = reads[i];
    return read?.status === 'fulfilled' ? [{ family, session: read.value }] : [];
  });
  // A set that answers for the other family's session names that family in `@odata.type`: its own set's answer wins.
  const own = found.find((f) => f.session.browseFamily === f.family) ?? found[0];
  if (own) return own.session;
  const failure = reads.find((r) => r.status === 'rejected' && !(r.reason instanceof GraphRequestError && r.reason.status === 404));
  if (failure?.status === 'rejected') throw failure.reason;
  return null;
}

/**
 * A browse failure as the client's GraphQL error: the gateway's usual mapping, except that Graph's 403 says what
 * browsing needs. Graph refuses delegated callers without the Entra role (and an app without the permission) with a
 * generic Forbidden whose text names neither, so the caller would not know what to ask their administrator for.
 */
export function browseGraphQLError(err: unknown): GraphQLError {
  const error = toGraphQLError(err);
  if (!(err instanceof GraphRequestError) || err.status !== 403 || error.extensions.code !== 'FORBIDDEN') return error;
  const said = scrubMessage(err.message);
  return new GraphQLError(
    `Microsoft Graph refused to open or browse this backup. A signed-in caller needs the Microsoft Entra role ${BROWSE_ROLE} ` +
      `(granted by a Global or Privileged Role Administrator), and the gateway's app needs the BackupRestore-Restore.ReadWrite.All ` +
      `permission.${said === '' ? '' : ` Microsoft Graph said: ${said}`}`,
    { extensions: error.extensions, originalError: err },
  );
}
