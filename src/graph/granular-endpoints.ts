import type { GraphResult } from './batch/scheduler.js';
import type { ArtifactListArgs } from './client.js';
import type {
  GraphCollectionPage,
  GraphDeltaRemoval,
  GraphGranularDeltaAnswer,
  GraphGranularDriveRestoreArtifact,
  GraphGranularItemAddition,
  GraphGranularItemCreate,
  GraphGranularMailboxArtifactCreate,
  GraphGranularMailboxRestoreArtifact,
  GraphGranularSiteRestoreArtifact,
  GraphRestoreSession,
  SessionScopedGranularDriveRestoreArtifact,
  SessionScopedGranularMailboxRestoreArtifact,
  SessionScopedGranularSiteRestoreArtifact,
} from './dto.js';
import { RESTORE_FAMILY_SETS, type RestoreFamily } from './enums.js';
import { GraphProtocolError } from './errors.js';
import { memberFilter, type ListRead } from './list-reader.js';
import { pageRequest, type GraphPage } from './paging.js';
import { graphPaths, type GraphPath, type QueryOptions } from './url.js';
import { unconfirmable } from './write-recovery.js';

/**
 * The granular-restore endpoints: sessions built from single items (files, folders, libraries picked in a browse
 * session; the mail items of a search) instead of whole sites, mailboxes or OneDrive accounts, and their artifacts.
 *
 * Graph lists granular SharePoint and OneDrive artifacts with no query options at all (no `$top`, `$filter`, `$count`;
 * nextLinks at its own page size): they are read whole, nextLink after nextLink, up to {@link MAX_GRANULAR_LIST_ITEMS},
 * and the GraphQL layer pages, filters and counts them. The granular mailbox list is Microsoft's SDK's only: it is read
 * like the standard mailbox list, each option with its fallback (`capabilities.ts`). Creates and updates cannot be read
 * back, so a lost answer is OUTCOME_UNKNOWN, never repeated.
 */

/**
 * Granular SharePoint or OneDrive artifacts read at most for one session. Past it the read fails rather than page,
 * filter or count a list the gateway did not see whole.
 */
export const MAX_GRANULAR_LIST_ITEMS = 5_000;
/** Graph pages followed at most for one such read (bounds a list of empty pages). */
const MAX_GRANULAR_LIST_PAGES = 500;

/** A granular artifact list longer than the gateway reads whole. */
export class GranularListTooLongError extends Error {
  override readonly name = 'GranularListTooLongError';
  constructor(
    /** Graph's collection, e.g. `granularSiteRestoreArtifacts`. */
    readonly collection: string,
    readonly bound: number,
  ) {
    super(`The session holds more than ${bound.toLocaleString('en-US')} ${collection}, more than the gateway reads at once.`);
  }
}

/** The families whose granular items come from browse sessions. */
export type GranularItemFamily = Extract<RestoreFamily, 'sharePoint' | 'oneDriveForBusiness'>;

/** What a granular create of each family sends. */
export interface GranularCreateByFamily {
  sharePoint: { artifacts: GraphGranularItemCreate[]; conflictBehavior?: 'fail' | 'replace' | 'rename' };
  oneDriveForBusiness: { artifacts: GraphGranularItemCreate[] };
  exchange: { artifacts: GraphGranularMailboxArtifactCreate[] };
}

export interface GranularEndpoints {
  /** Creates a draft granular session of `family` with these items (at least one). */
  createGranularSession<F extends RestoreFamily>(family: F, create: GranularCreateByFamily[F]): Promise<GraphRestoreSession>;
  /** One `granular…RestoreArtifacts@delta` update: additions by browse item, removals by item key. */
  updateGranularSession(
    family: GranularItemFamily,
    id: string,
    changes: ReadonlyArray<GraphGranularItemAddition | GraphDeltaRemoval>,
  ): Promise<GraphGranularDeltaAnswer>;
  /** Every granular artifact of a SharePoint session, in Graph's order; fails past {@link MAX_GRANULAR_LIST_ITEMS}. */
  readGranularSiteArtifacts(sessionId: string): Promise<SessionScopedGranularSiteRestoreArtifact[]>;
  /** Every granular artifact of a OneDrive session, in Graph's order; fails past {@link MAX_GRANULAR_LIST_ITEMS}. */
  readGranularDriveArtifacts(sessionId: string): Promise<SessionScopedGranularDriveRestoreArtifact[]>;
  listGranularMailboxArtifacts(sessionId: string, args?: ArtifactListArgs): Promise<GraphPage<SessionScopedGranularMailboxRestoreArtifact>>;
  getGranularMailboxArtifact(sessionId: string, artifactId: string): Promise<SessionScopedGranularMailboxRestoreArtifact>;
}

/** What the endpoints need of the client's calls (`client.ts`). */
export interface GranularCalls {
  get<T>(path: GraphPath): Promise<T>;
  send<T>(method: 'POST' | 'PATCH', path: GraphPath, body: unknown, idempotent?: boolean): Promise<T>;
  sendForResult<T>(method: 'POST' | 'PATCH', path: GraphPath, body: unknown): Promise<GraphResult<T>>;
  readPage<T, N>(read: ListRead<T, N>): Promise<GraphPage<N>>;
  followNextLink<T>(nextLink: string): Promise<GraphCollectionPage<T>>;
}

const CONFLICT_ANNOTATION = '@microsoft.graph.conflictBehavior';

const site = (sessionId: string, a: GraphGranularSiteRestoreArtifact): SessionScopedGranularSiteRestoreArtifact => ({
  ...a,
  restoreSessionId: sessionId,
  restoreArtifactFamily: 'granularSite',
});
const drive = (sessionId: string, a: GraphGranularDriveRestoreArtifact): SessionScopedGranularDriveRestoreArtifact => ({
  ...a,
  restoreSessionId: sessionId,
  restoreArtifactFamily: 'granularDrive',
});
const mailbox = (sessionId: string, a: GraphGranularMailboxRestoreArtifact): SessionScopedGranularMailboxRestoreArtifact => ({
  ...a,
  restoreSessionId: sessionId,
  restoreArtifactFamily: 'granularMailbox',
});

/** The create body: the family's granular collection, and SharePoint's conflict annotation when given. */
function createBody<F extends RestoreFamily>(family: F, create: GranularCreateByFamily[F]): Record<string, unknown> {
  const body: Record<string, unknown> = { [RESTORE_FAMILY_SETS[family].granularArtifacts]: create.artifacts };
  if ('conflictBehavior' in create && create.conflictBehavior !== undefined) body[CONFLICT_ANNOTATION] = create.conflictBehavior;
  return body;
}

export function granularEndpoints({ get, send, sendForResult, readPage, followNextLink }: GranularCalls): GranularEndpoints {
  /** Every item of a list Graph offers no query options on, nextLink after nextLink, up to the bound. */
  async function readWhole<T>(family: GranularItemFamily, sessionId: string): Promise<T[]> {
    const collection = RESTORE_FAMILY_SETS[family].granularArtifacts;
    const items: T[] = [];
    let page = await get<GraphCollectionPage<T>>(graphPaths.granularArtifacts(family, sessionId));
    for (let pages = 1; ; pages++) {
      if (!Array.isArray(page?.value)) throw new GraphProtocolError('Microsoft Graph answered a list without a value array.');
      items.push(...page.value);
      const nextLink = page['@odata.nextLink'];
      if (items.length > MAX_GRANULAR_LIST_ITEMS || (nextLink !== undefined && pages >= MAX_GRANULAR_LIST_PAGES)) {
        throw new GranularListTooLongError(collection, MAX_GRANULAR_LIST_ITEMS);
      }
      if (nextLink === undefined) return items;
      page = await followNextLink<T>(nextLink);
    }
  }
  return {
    createGranularSession: async (family, create) =>
      unconfirmable('createGranularSession', () =>
        send<GraphRestoreSession>('POST', graphPaths.familySessions(family), createBody(family, create)),
      ),
    async updateGranularSession(family, id, changes) {
      const field = `${RESTORE_FAMILY_SETS[family].granularArtifacts}@delta`;
      const answer = await unconfirmable('updateGranularSession', () =>
        sendForResult<Record<string, unknown> | null>('PATCH', graphPaths.familySession(family, id), { [field]: changes }),
      );
      const items = answer.body?.[field];
      return {
        items: Array.isArray(items)
          ? items.filter((i): i is GraphGranularDeltaAnswer['items'][number] => typeof i === 'object' && i !== null)
          : [],
        requestId: answer.requestId,
        clientRequestId: answer.clientRequestId,
      };
    },
    readGranularSiteArtifacts: async (sessionId) =>
      (await readWhole<GraphGranularSiteRestoreArtifact>('sharePoint', sessionId)).map((a) => site(sessionId, a)),
    readGranularDriveArtifacts: async (sessionId) =>
      (await readWhole<GraphGranularDriveRestoreArtifact>('oneDriveForBusiness', sessionId)).map((a) => drive(sessionId, a)),
    listGranularMailboxArtifacts(sessionId, args = {}) {
      const SET = 'granularMailboxRestoreArtifacts';
      const status = memberFilter<GraphGranularMailboxRestoreArtifact>(
        'status',
        args.filter?.status,
        'filter.status',
        (a) => a.status,
        `${SET}.filterStatus`,
      );
      return readPage<GraphGranularMailboxRestoreArtifact, SessionScopedGranularMailboxRestoreArtifact>({
        request: pageRequest(`${SET}|${sessionId}|${status?.odata ?? ''}`, args.first, args.after),
        path: (query: QueryOptions) => graphPaths.granularArtifacts('exchange', sessionId, query),
        capabilities: { top: `${SET}.top`, count: `${SET}.count` },
        filters: status ? [status] : [],
        map: (a) => mailbox(sessionId, a),
      });
    },
    getGranularMailboxArtifact: async (sessionId, artifactId) =>
      mailbox(sessionId, await get<GraphGranularMailboxRestoreArtifact>(graphPaths.granularArtifact('exchange', sessionId, artifactId))),
  };
}
