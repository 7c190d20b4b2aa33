import { evolvable, isoDate, type EnumRequest } from '../http/odata.js';
import type { GraphVersion } from '../http/types.js';
import { itemHistory, type BrowsableUnit, type BrowseNode } from './browse-tree.js';
import { artifactStatus } from './lifecycle.js';
import { MAILBOX_ARTIFACT_PROPERTIES, artifactBase, renderIdentitySet, renderInlineRestorePoint, renderPublicError } from './render.js';
import type { EmulatorState } from './state.js';
import type { BrowseSession, ProtectionUnit, RestoreArtifact, SessionKind } from './types.js';

/**
 * Graph JSON for browse sessions, browse items and granular restore artifacts, in the key order of the doc examples.
 * Granular site and drive artifacts show `null` for what is not known yet (the examples mix `""`, `null` and
 * `0001-01-01T00:00:00Z`); a granular mailbox artifact renders as the mailboxRestoreArtifact it derives from.
 */

type Req = EnumRequest & { version: GraphVersion };

export const BROWSE_SESSION_TYPES: Record<BrowseSession['kind'], string> = {
  sharePoint: '#microsoft.graph.sharePointBrowseSession',
  oneDriveForBusiness: '#microsoft.graph.oneDriveForBusinessBrowseSession',
};

/** A browse session; `withType` adds its `@odata.type`, as the polymorphic `browseSessions` list shows it. */
export function renderBrowseSession(
  b: BrowseSession,
  unit: ProtectionUnit | undefined,
  req: EnumRequest,
  withType = false,
): Record<string, unknown> {
  const owner =
    b.kind === 'sharePoint'
      ? { siteId: unit?.kind === 'site' ? unit.siteId : null }
      : { directoryObjectId: unit?.kind === 'drive' ? unit.directoryObjectId : null };
  return {
    ...(withType ? { '@odata.type': BROWSE_SESSION_TYPES[b.kind] } : {}),
    id: b.id,
    restorePointDateTime: isoDate(b.restorePointDateTime),
    status: evolvable('browseSessionStatus', 'created', req),
    createdDateTime: isoDate(b.createdDateTime),
    expirationDateTime: isoDate(b.expirationDateTime),
    backupSizeInBytes: String(b.backupSizeInBytes),
    ...owner,
  };
}

/** A browseQueryResponseItem. On beta, files and folders also show who created and last changed them, and when. */
export function renderBrowseItem(node: BrowseNode, unit: BrowsableUnit, pointTime: number, req: Req): Record<string, unknown> {
  const out: Record<string, unknown> = {
    itemKey: node.key,
    name: node.name,
    webUrl: node.webUrl,
    type: evolvable('browseQueryResponseItemType', node.type, req),
    itemsCount: node.type === 'file' ? 0 : node.children.length,
    sizeInBytes: String(node.sizeInBytes),
  };
  if (req.version === 'beta' && (node.type === 'file' || node.type === 'folder')) {
    const h = itemHistory(node, unit, pointTime);
    out.createdDateTime = isoDate(h.createdDateTime);
    out.createdBy = renderIdentitySet(h.createdBy);
    out.lastModifiedDateTime = isoDate(h.lastModifiedDateTime);
    out.lastModifiedBy = renderIdentitySet(h.lastModifiedBy);
  }
  return out;
}

/** When the artifact's restore started and ended at `now`, and what it restored if it succeeded. */
function progress(a: RestoreArtifact, now: number): { started: boolean; ended: boolean; succeeded: boolean } {
  const p = a.plan;
  const ended = p !== null && now >= p.endAt;
  return { started: p !== null && now >= p.startAt, ended, succeeded: ended && p?.outcome === 'succeeded' };
}

/**
 * A granularSiteRestoreArtifact or granularDriveRestoreArtifact: its `id` is the item key. `destinationType` and
 * `error` exist on beta only (v1.0's metadata lacks them).
 */
export function renderGranularItemArtifact(a: RestoreArtifact, kind: SessionKind, now: number, req: Req): Record<string, unknown> {
  const g = a.granular;
  if (g?.kind !== 'item') throw new Error('not a granular item artifact');
  const p = a.plan;
  const { started, ended, succeeded } = progress(a, now);
  const restored = succeeded ? (p?.restoredItem ?? null) : null;
  const out: Record<string, unknown> = {
    id: g.itemKey,
    browseSessionId: g.browseSessionId,
    status: evolvable('artifactRestoreStatus', artifactStatus(a, now), req),
    webUrl: g.webUrl,
    restoredItemKey: restored?.key ?? null,
    restoredItemPath: restored?.path ?? null,
    restoredItemWebUrl: restored?.webUrl ?? null,
    restorePointDateTime: isoDate(g.restorePointDateTime),
    startDateTime: started && p ? isoDate(p.startAt) : null,
    completionDateTime: ended && p ? isoDate(p.endAt) : null,
    [kind === 'sharePoint' ? 'siteId' : 'directoryObjectId']: g.ownerId,
  };
  if (req.version === 'beta') {
    out.destinationType = evolvable('destinationType', a.destinationType, req);
    out.error = ended && p?.outcome === 'failed' ? renderPublicError(p.error) : null;
  }
  return out;
}

/** Properties a `$select` on a granular mailbox restore artifact may name. */
export const GRANULAR_MAILBOX_ARTIFACT_PROPERTIES = [...MAILBOX_ARTIFACT_PROPERTIES, 'artifactCount', 'searchResponseId'] as const;

/** A granularMailboxRestoreArtifact: its restored folder and item count are known once it has succeeded. */
export function renderGranularMailArtifact(state: EmulatorState, a: RestoreArtifact, now: number, req: Req): Record<string, unknown> {
  const g = a.granular;
  if (g?.kind !== 'mail') throw new Error('not a granular mailbox artifact');
  const done = progress(a, now).succeeded ? a.plan : null;
  return {
    '@odata.type': '#microsoft.graph.granularMailboxRestoreArtifact',
    ...artifactBase(a, now, req),
    restoredFolderId: done?.restoredFolderId || null,
    restoredFolderName: done?.restoredFolderName || null,
    restoredItemCount: done?.restoredItemCount ?? null,
    restorePoint: renderInlineRestorePoint(state, a.restorePointId),
    artifactCount: g.hitCount,
    searchResponseId: g.searchResponseId,
  };
}
