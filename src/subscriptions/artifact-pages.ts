import type { GraphClient } from '../graph/client.js';
import type { SessionScopedSiteRestoreArtifact } from '../graph/dto.js';

/** Pages of 100 read at most (10,000 artifacts): a subscription's baseline and each poll stop there. */
const MAX_ARTIFACT_PAGES = 100;
const PAGE_SIZE = 100;

/**
 * Every site artifact of a SharePoint session, page after page: the baseline of an artifact
 * subscription (read as the subscriber) and what the watcher's poller compares (read as the app).
 */
export async function readSiteArtifacts(
  graph: Pick<GraphClient, 'listSiteArtifacts'>,
  sessionId: string,
): Promise<SessionScopedSiteRestoreArtifact[]> {
  const all: SessionScopedSiteRestoreArtifact[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_ARTIFACT_PAGES; page++) {
    const result = await graph.listSiteArtifacts(sessionId, { first: PAGE_SIZE, after });
    all.push(...result.nodes);
    if (!result.pageInfo.hasNextPage || result.pageInfo.endCursor === null) break;
    after = result.pageInfo.endCursor;
  }
  return all;
}
