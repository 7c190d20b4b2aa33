import { browseTreeOf, treeItems, type BrowsableUnit, type BrowseNode } from './browse-tree.js';
import { mailItemsOf, type MailItem } from './mail-items.js';
import { DEFAULT_CLOCK_START_ISO, isoInstant, restorePointTime, type SeedClockStart } from './seed-clock.js';
import { defaultSeed } from './seed.js';
import { seedWorkloads } from './seed-workloads.js';

/**
 * What granular restores find in the default seed, for tests to name: the backed-up tree of each protected site and
 * OneDrive (the same in each of its fastRestore restore points) and the mail items of each mailbox.
 */

/** One item of a backed-up tree, as the browse action lists it (plus where it is). */
export interface SeedBrowseItem {
  itemKey: string;
  name: string;
  type: 'site' | 'documentLibrary' | 'folder' | 'file';
  /** Display names below the site, e.g. `Documents/Reports/Report 001 - Budget.xlsx` (`''` for the site itself). */
  path: string;
  webUrl: string;
  /** The key of the container it is listed in (null for the site). */
  parentKey: string | null;
  itemsCount: number;
  sizeInBytes: string;
}

let units: Map<string, BrowsableUnit> | undefined;

/** The default seed's sites and OneDrives by unit id (their trees do not depend on the seed's date). */
function seedUnit(unitId: string): BrowsableUnit {
  if (!units) {
    const seed = defaultSeed();
    units = new Map<string, BrowsableUnit>();
    for (const u of seed.protectionUnits) units.set(u.id.toLowerCase(), { ...u, kind: 'site' });
    for (const u of seed.driveProtectionUnits ?? []) units.set(u.id.toLowerCase(), { ...u, kind: 'drive' });
  }
  const unit = units.get(unitId.toLowerCase());
  if (!unit) throw new RangeError(`'${unitId}' is not a site or OneDrive protection unit of the default seed`);
  return unit;
}

function item(n: BrowseNode): SeedBrowseItem {
  return {
    itemKey: n.key,
    name: n.name,
    type: n.type,
    path: n.relativePath,
    webUrl: n.webUrl,
    parentKey: n.parent?.key ?? null,
    itemsCount: n.type === 'file' ? 0 : n.children.length,
    sizeInBytes: String(n.sizeInBytes),
  };
}

/** Every item of the backed-up tree of a default-seed site or OneDrive (`seedUnitId(i)`, `seedDriveUnitId(i)`), depth first. */
export function seedBrowseTree(unitId: string): SeedBrowseItem[] {
  return treeItems(browseTreeOf(seedUnit(unitId))).map(item);
}

/** The item at `path` (display names below the site: `Documents/Reports`; `''` for the site itself). */
export function seedBrowseItem(unitId: string, path: string): SeedBrowseItem {
  const found = treeItems(browseTreeOf(seedUnit(unitId))).find((n) => n.relativePath === path);
  if (!found) throw new RangeError(`no item '${path}' in the tree of unit '${unitId}'`);
  return item(found);
}

/**
 * The mail items of default-seed mailbox `index` (`seedMailboxUnitId(index)`), dated for a seed dated at `clockStart`:
 * restore point `day` holds the items dated at or before it.
 */
export function seedMailItems(index: number, clockStart: SeedClockStart = DEFAULT_CLOCK_START_ISO): MailItem[] {
  const start = isoInstant(clockStart);
  const mailbox = seedWorkloads(start).mailboxProtectionUnits[index];
  if (!mailbox) throw new RangeError(`no seeded mailbox ${index}`);
  return mailItemsOf(mailbox, restorePointTime(0, start));
}
