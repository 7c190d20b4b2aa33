import type { GraphFetcher, GraphResult } from './batch/scheduler.js';
import { readBrowsePage, type BrowseAnswer, type BrowsePage } from './browse-pages.js';
import type { PageArgs } from './client.js';
import type {
  FamilyBrowseSession,
  GraphBrowseQueryResponseItem,
  GraphBrowseRequest,
  GraphBrowseSession,
  GraphCollectionPage,
  GraphCreateBrowseSessionRequest,
} from './dto.js';
import { browseFamilyOf, type BrowseFamily } from './enums.js';
import type { ListRead } from './list-reader.js';
import { pageRequest, type GraphPage } from './paging.js';
import { graphPaths, type GraphPath } from './url.js';
import { unconfirmable } from './write-recovery.js';

/**
 * The browse-session endpoints (SharePoint and OneDrive backups only; Graph has none for mailboxes): open a session
 * over a fast-restore point, read one, list them all, and list what one location of its backup holds.
 *
 * `POST …/browse` changes nothing on Graph's side: it is sent as a read (`idempotent`), so the `$batch` scheduler may
 * repeat it after an ambiguous failure and carries it in the same envelopes as the GETs of its tick. Opening a session
 * is a write that cannot be read back (Graph's answer is the only place its id appears): a lost answer is
 * OUTCOME_UNKNOWN, never repeated.
 */

/** One listing of a browse session: where, filtered and ordered how, and which page. */
export interface BrowseItemsRequest {
  /** The action's body: empty for the top level. */
  body: GraphBrowseRequest;
  /** What else identifies the listing besides the session and the body (the location's path): cursors are bound to it. */
  scope: string;
  first: number | null | undefined;
  after: string | null | undefined;
}

export interface BrowseEndpoints {
  /** Opens a browse session over `restorePointId` (a fast-restore point of the family's unit). */
  createBrowseSession(family: BrowseFamily, restorePointId: string): Promise<FamilyBrowseSession>;
  /** One browse session from its family's set; Graph answers 404 when the set holds none by this id. */
  getBrowseSession(family: BrowseFamily, id: string): Promise<FamilyBrowseSession>;
  /** Every browse session of both families (`/browseSessions`), with the fallbacks of `browseSessions.top`/`.count`. */
  listBrowseSessions(args?: PageArgs): Promise<GraphPage<FamilyBrowseSession>>;
  /** One GraphQL page of a listing: the POST for Graph's first page, nextLinks for the ones after. */
  browseItems<N>(
    family: BrowseFamily,
    sessionId: string,
    request: BrowseItemsRequest,
    map: (item: GraphBrowseQueryResponseItem) => N,
  ): Promise<BrowsePage<N>>;
}

/** What the endpoints need of the client's calls (`client.ts`). */
export interface BrowseCalls {
  get<T>(path: GraphPath): Promise<T>;
  send<T>(method: 'POST' | 'PATCH', path: GraphPath, body: unknown, idempotent?: boolean): Promise<T>;
  readPage<T, N>(read: ListRead<T, N>): Promise<GraphPage<N>>;
}

const withFamily = (session: GraphBrowseSession, family: BrowseFamily): FamilyBrowseSession => ({
  ...session,
  browseFamily: browseFamilyOf(session['@odata.type'], family),
});

export function browseEndpoints({ get, send, readPage }: BrowseCalls, fetch: GraphFetcher['fetch']): BrowseEndpoints {
  const answer = async (call: Promise<GraphResult<GraphCollectionPage<GraphBrowseQueryResponseItem>>>, method: 'POST' | 'GET') => {
    const result = await call;
    const exchange = { method, status: result.status, requestId: result.requestId ?? null, clientRequestId: result.clientRequestId };
    return { body: result.body, exchange } satisfies BrowseAnswer;
  };
  return {
    async createBrowseSession(family, restorePointId) {
      const body: GraphCreateBrowseSessionRequest = { restorePointId };
      const created = await unconfirmable('createBrowseSession', () =>
        send<GraphBrowseSession>('POST', graphPaths.familyBrowseSessions(family), body),
      );
      return withFamily(created, family);
    },
    getBrowseSession: async (family, id) => withFamily(await get<GraphBrowseSession>(graphPaths.familyBrowseSession(family, id)), family),
    listBrowseSessions: async (args = {}) =>
      readPage<GraphBrowseSession, FamilyBrowseSession>({
        request: pageRequest('browseSessions', args.first, args.after),
        path: graphPaths.browseSessions,
        capabilities: { top: 'browseSessions.top', count: 'browseSessions.count' },
        filters: [],
        // The set is polymorphic: every item names its family; one Graph adds later lists as SharePoint's.
        map: (s) => withFamily(s, 'sharePoint'),
      }),
    browseItems(family, sessionId, request, map) {
      const browsePath = graphPaths.browse(family, sessionId);
      const listing = JSON.stringify([family, sessionId, request.body, request.scope]);
      return readBrowsePage(
        {
          first: () => answer(fetch({ method: 'POST', path: browsePath, body: request.body, idempotent: true }), 'POST'),
          next: (path) => answer(fetch({ method: 'GET', path }), 'GET'),
        },
        { listing, browsePath, first: request.first, after: request.after },
        map,
      );
    },
  };
}
