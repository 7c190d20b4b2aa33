import type { GraphClient } from '../graph/client.js';
import type { SessionScopedRestoreArtifact } from '../graph/dto.js';
import type { GraphPage } from '../graph/paging.js';
import type { ArtifactFamily } from './snapshot.js';

/** Pages of 100 read at most (10,000 artifacts): a subscription's baseline and each poll stop there. */
const MAX_ARTIFACT_PAGES = 100;
const PAGE_SIZE = 100;

/** The artifact lists of every family live status follows. */
export type ArtifactGraph = Pick<GraphClient, 'listSiteArtifacts' | 'listMailboxArtifacts' | 'listDriveArtifacts'>;

type PageReader = (after: string | null) => Promise<GraphPage<SessionScopedRestoreArtifact>>;

/** Each family's artifacts live in their own Graph set under the session. */
function pageReader(graph: ArtifactGraph, sessionId: string, family: ArtifactFamily): PageReader {
  switch (family) {
    case 'mailbox':
      return (after) => graph.listMailboxArtifacts(sessionId, { first: PAGE_SIZE, after });
    case 'drive':
      return (after) => graph.listDriveArtifacts(sessionId, { first: PAGE_SIZE, after });
    case 'site':
      return (after) => graph.listSiteArtifacts(sessionId, { first: PAGE_SIZE, after });
  }
}

/**
 * Every artifact of a session of `family`, page after page: the baseline of an artifact subscription (read as the
 * subscriber) and what the watcher's poller compares (read as the app).
 */
export async function readSessionArtifacts(
  graph: ArtifactGraph,
  sessionId: string,
  family: ArtifactFamily,
): Promise<SessionScopedRestoreArtifact[]> {
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
