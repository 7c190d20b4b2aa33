import type { GraphClient } from '../graph/client.js';
import type { SessionScopedRestoreArtifact } from '../graph/dto.js';
import type { GraphPage } from '../graph/paging.js';
import type { ArtifactFamily } from './snapshot.js';

/** Pages of 100 read at most (10,000 artifacts): a subscription's baseline and each poll stop there. */
const MAX_ARTIFACT_PAGES = 100;
const PAGE_SIZE = 100;

/**
 * The artifact lists of every family live status follows. The granular ones are optional, so a Graph stand-in that
 * serves standard sessions only needs none of them; a granular session read through one without them fails its read.
 */
export type ArtifactGraph = Pick<GraphClient, 'listSiteArtifacts' | 'listMailboxArtifacts' | 'listDriveArtifacts'> &
  Partial<Pick<GraphClient, 'readGranularSiteArtifacts' | 'readGranularDriveArtifacts' | 'listGranularMailboxArtifacts'>>;

type PageReader = (after: string | null) => Promise<GraphPage<SessionScopedRestoreArtifact>>;

/** The list a family's artifacts are paged from (granular SharePoint and OneDrive lists are read whole instead). */
function pageReader(graph: ArtifactGraph, sessionId: string, family: 'site' | 'mailbox' | 'drive' | 'granularMailbox'): PageReader {
  switch (family) {
    case 'mailbox':
      return (after) => graph.listMailboxArtifacts(sessionId, { first: PAGE_SIZE, after });
    case 'drive':
      return (after) => graph.listDriveArtifacts(sessionId, { first: PAGE_SIZE, after });
    case 'site':
      return (after) => graph.listSiteArtifacts(sessionId, { first: PAGE_SIZE, after });
    case 'granularMailbox':
      return (after) => required(graph.listGranularMailboxArtifacts, family)(sessionId, { first: PAGE_SIZE, after });
  }
}

function required<F>(read: F | undefined, family: ArtifactFamily): F {
  if (read === undefined) throw new Error(`this Graph client reads no ${family} artifacts`);
  return read;
}

/**
 * Every artifact of a session of `family`, page after page: the baseline of an artifact subscription (read as the
 * subscriber) and what the watcher's poller compares (read as the app). Granular SharePoint and OneDrive artifacts,
 * which Graph lists with no paging options, are read whole (and fail past the gateway's bound for such lists).
 */
export async function readSessionArtifacts(
  graph: ArtifactGraph,
  sessionId: string,
  family: ArtifactFamily,
): Promise<SessionScopedRestoreArtifact[]> {
  if (family === 'granularSite') return required(graph.readGranularSiteArtifacts, family)(sessionId);
  if (family === 'granularDrive') return required(graph.readGranularDriveArtifacts, family)(sessionId);
  const readPage = pageReader(graph, sessionId, family);
  const all: SessionScopedRestoreArtifact[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_ARTIFACT_PAGES; page++) {
    const result = await readPage(after);
    all.push(...result.nodes);
    if (!result.pageInfo.hasNextPage || result.pageInfo.endCursor === null) break;
    after = result.pageInfo.endCursor;
  }
  return all;
}
