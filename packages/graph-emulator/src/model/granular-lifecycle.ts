import { stableGuid } from './ids.js';
import type { ArtifactPlan, GranularItemRef, ProtectionUnit, RestoreArtifact, RestoreSession, RestoredItem } from './types.js';

/**
 * What a granular restore ends with, on top of the standard plan (lifecycle.ts: the same timings, the same failures of
 * removed units, expired restore points and held mailboxes and OneDrives):
 *
 * - items of a site or OneDrive under legal hold fail with ArtifactCannotBeRestored, whatever the destination;
 * - a file whose name contains "locked" fails with ArtifactCannotBeRestored;
 * - a restored item goes back to its folder in place (named "name (1)" when the session's conflict behaviour is
 *   `rename`), or to a new folder "Restored items <activation date>" in its library; it gets a new key;
 * - mail items go back to their folders in place (no restored folder), or to a new folder "Recovered items <activation
 *   date>"; `restoredItemCount` is how many items the search found in the restore point.
 */
export function planGranular(
  plan: ArtifactPlan,
  artifact: RestoreArtifact,
  unit: ProtectionUnit | undefined,
  session: RestoreSession,
  activatedAt: number,
): ArtifactPlan {
  const g = artifact.granular;
  if (!g) return plan;
  const base: ArtifactPlan = {
    ...plan,
    restoredSiteId: '',
    restoredSiteName: '',
    restoredSiteWebUrl: '',
    restoredFolderId: '',
    restoredFolderName: '',
    restoredItemCount: null,
    restoredItem: null,
  };
  // A held site's standard restore fails in place only; its items fail everywhere (below), with their own message.
  const heldSite = plan.error?.code === 'ArtifactCannotBeRestored' && unit?.kind === 'site';
  if (plan.outcome === 'failed' && !heldSite) return base;
  const date = new Date(activatedAt).toISOString().slice(0, 10);
  if (g.kind === 'mail') {
    const inPlace = artifact.destinationType === 'inPlace';
    return {
      ...base,
      restoredFolderId: inPlace ? '' : stableGuid(`recovered-folder:${artifact.id}`),
      restoredFolderName: inPlace ? '' : `Recovered items ${date}`,
      restoredItemCount: g.hitCount,
    };
  }
  const failure = itemFailure(g, unit);
  if (failure) return { ...base, outcome: 'failed', error: failure };
  return { ...base, outcome: 'succeeded', error: null, restoredItem: restoredItem(g, artifact, session, date) };
}

function itemFailure(g: GranularItemRef, unit: ProtectionUnit | undefined): ArtifactPlan['error'] {
  if (unit?.legalHold) {
    const what = unit.kind === 'site' ? `site '${unit.siteWebUrl}'` : `OneDrive of '${unit.kind === 'drive' ? unit.email : unit.id}'`;
    return {
      code: 'ArtifactCannotBeRestored',
      message: `The ${what} is under legal hold: its items can't be restored until the hold is removed.`,
      target: g.webUrl,
    };
  }
  if (g.type === 'file' && /locked/i.test(g.name)) {
    return { code: 'ArtifactCannotBeRestored', message: `The file '${g.name}' is locked and can't be restored.`, target: g.webUrl };
  }
  return null;
}

function restoredItem(g: GranularItemRef, artifact: RestoreArtifact, session: RestoreSession, date: string): RestoredItem {
  const inPlace = artifact.destinationType === 'inPlace';
  const path = inPlace ? g.parentPath : `${g.libraryPath}/Restored items ${date}`;
  const name = inPlace && session.conflictBehavior === 'rename' ? renamed(g.name, g.type === 'file') : g.name;
  const parts = g.itemKey.split(',');
  parts[parts.length - 1] = stableGuid(`restored-item:${artifact.id}`);
  return { key: parts.join(','), path, webUrl: `${g.origin}${path}/${name}` };
}

/** `Budget.xlsx` → `Budget (1).xlsx`; a folder or library gets the suffix at the end. */
function renamed(name: string, isFile: boolean): string {
  const dot = name.lastIndexOf('.');
  if (!isFile || dot <= 0) return `${name} (1)`;
  return `${name.slice(0, dot)} (1)${name.slice(dot)}`;
}
