import { createHash } from 'node:crypto';
import { isGuid, stableGuid } from './ids.js';
import { DAY } from './seed-clock.js';
import { SEED_PERSON_COUNT, seedPerson } from './seed-workloads.js';
import type { BrowseItemType, DriveProtectionUnit, IdentitySet, SiteProtectionUnit } from './types.js';

/**
 * The backed-up tree of a protected site or OneDrive, as a browse session shows it: the site, its document libraries,
 * their folders and files. It is generated from the unit (the same for each of its fastRestore restore points), never
 * stored item by item, and its keys are stable: `stableGuid` of the unit id and the item's path below the site.
 *
 * Keys follow SharePoint's item identity, as the browse examples do: a site is `siteGuid,webGuid`, a library adds its
 * list's GUID, a folder or file adds its own (four GUIDs).
 */

/** Items per browse page (Graph does not say; its example pages 10 children in one answer). */
export const BROWSE_PAGE_SIZE = 50;

export interface BrowseNode {
  /** Comma-joined lower-case GUIDs. */
  key: string;
  name: string;
  type: BrowseItemType;
  webUrl: string;
  /** Server-relative path, e.g. `/sites/Finance01/Shared Documents/Reports`. */
  path: string;
  /** Display names below the site joined by `/`, e.g. `Documents/Reports` (`''` for the site itself). */
  relativePath: string;
  parent: BrowseNode | null;
  children: BrowseNode[];
  /** A file's own size, a container's total. */
  sizeInBytes: number;
  /** A stable number per item, from which its dates and authors derive. */
  hash: number;
}

export interface BrowseTree {
  root: BrowseNode;
  /** By lower-cased key. */
  byKey: ReadonlyMap<string, BrowseNode>;
  /** The URL origin of the site (`https://contoso.sharepoint.com`). */
  origin: string;
}

/** What a tree is built from: a site unit or a drive unit (its personal site). */
export type BrowsableUnit =
  | Pick<SiteProtectionUnit, 'kind' | 'id' | 'siteId' | 'siteName' | 'siteWebUrl'>
  | Pick<DriveProtectionUnit, 'kind' | 'id' | 'siteId' | 'siteName' | 'siteWebUrl' | 'displayName' | 'directoryObjectId' | 'email'>;

type Spec = { name: string; children?: Spec[] };
const file = (name: string): Spec => ({ name });
const folder = (name: string, children: Spec[]): Spec => ({ name, children });

const REPORT_TOPICS = ['Budget', 'Sales', 'Forecast', 'Invoice summary', 'Headcount', 'Risk register', 'Audit', 'Operations'];
const REPORT_TYPES = ['xlsx', 'docx', 'pdf', 'pptx'];
/** Files in `Documents/Reports`: more than two browse pages. */
export const REPORTS_FILE_COUNT = 120;

/** The Documents library of every site and OneDrive. Mixed-case names make path (ordinal) and name order differ. */
function documentsContent(): Spec[] {
  const reports = Array.from({ length: REPORTS_FILE_COUNT }, (_, i) =>
    file(
      `Report ${String(i + 1).padStart(3, '0')} - ${REPORT_TOPICS[i % REPORT_TOPICS.length]}.${REPORT_TYPES[Math.floor(i / 8) % REPORT_TYPES.length]}`,
    ),
  );
  const project = (name: string): Spec =>
    folder(name, [
      file('Plan.docx'),
      file('Budget.xlsx'),
      file('Timeline.pptx'),
      file('notes.md'),
      folder('Drafts', [file('Draft 1.docx'), file('Draft 2.docx'), file('diagram.png')]),
    ]);
  const invoices = (year: number, count: number): Spec[] =>
    Array.from({ length: count }, (_, i) => file(`Invoice ${year}-${String(i + 1).padStart(3, '0')}.pdf`));
  return [
    folder('Reports', reports),
    folder('Projects', [project('Project Alpha'), project('Project Beta'), project('Project Gamma')]),
    folder('Invoices', [...invoices(2025, 12), folder('Archive', invoices(2024, 6))]),
    file('Budget 2025.xlsx'),
    file('Budget Review.pptx'),
    file('Team Charter.docx'),
    file('Board minutes (locked).docx'),
    file('org-chart.png'),
    file('readme.md'),
    file('notes.txt'),
  ];
}

function siteAssetsContent(): Spec[] {
  return [
    file('logo.png'),
    file('banner.png'),
    file('site-guide.md'),
    folder('Images', [file('hero-1.png'), file('hero-2.png'), file('hero-3.png')]),
  ];
}

/** Display name and URL segment of each library: a site has two, a OneDrive one. */
function libraries(unit: BrowsableUnit): Array<{ name: string; segment: string; content: Spec[] }> {
  if (unit.kind === 'drive') return [{ name: 'Documents', segment: 'Documents', content: documentsContent() }];
  return [
    { name: 'Documents', segment: 'Shared Documents', content: documentsContent() },
    { name: 'Site Assets', segment: 'SiteAssets', content: siteAssetsContent() },
  ];
}

const hashOf = (s: string): number => createHash('sha256').update(s).digest().readUInt32BE(0);

/** Typical sizes per extension: [minimum, spread] in bytes. */
const SIZES: Record<string, [number, number]> = {
  docx: [18_000, 240_000],
  xlsx: [9_000, 600_000],
  pptx: [150_000, 4_800_000],
  pdf: [40_000, 1_900_000],
  png: [4_000, 780_000],
  md: [400, 7_600],
  txt: [100, 3_900],
};

function fileSize(name: string, hash: number): number {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const [min, spread] = SIZES[ext] ?? [1_000, 50_000];
  return min + (hash % spread);
}

/** The site's two GUIDs: those of its Graph site id (`host,collection,web`) when it has them. */
function siteGuids(unit: BrowsableUnit): [string, string] {
  const [, collection, web] = unit.siteId.split(',');
  if (collection && web && isGuid(collection) && isGuid(web)) return [collection.toLowerCase(), web.toLowerCase()];
  return [stableGuid(`browse:${unit.id}:site`), stableGuid(`browse:${unit.id}:web`)];
}

function siteLocation(unit: BrowsableUnit): { origin: string; path: string } {
  try {
    const url = new URL(unit.siteWebUrl);
    return { origin: url.origin, path: decodeURIComponent(url.pathname).replace(/\/+$/, '') };
  } catch {
    return { origin: 'https://contoso.sharepoint.com', path: `/sites/${unit.siteName}` };
  }
}

function buildTree(unit: BrowsableUnit): BrowseTree {
  const { origin, path: sitePath } = siteLocation(unit);
  const [siteGuid, webGuid] = siteGuids(unit);
  const byKey = new Map<string, BrowseNode>();
  const node = (
    key: string,
    name: string,
    type: BrowseItemType,
    path: string,
    relativePath: string,
    parent: BrowseNode | null,
  ): BrowseNode => {
    const created: BrowseNode = {
      key,
      name,
      type,
      webUrl: `${origin}${path}`,
      path,
      relativePath,
      parent,
      children: [],
      sizeInBytes: 0,
      hash: hashOf(key),
    };
    byKey.set(key, created);
    parent?.children.push(created);
    return created;
  };
  const root = node(`${siteGuid},${webGuid}`, unit.kind === 'drive' ? unit.displayName : unit.siteName, 'site', sitePath, '', null);
  root.webUrl = unit.siteWebUrl;
  for (const lib of libraries(unit)) {
    const listGuid = stableGuid(`browse:${unit.id}:${lib.name}`);
    const library = node(`${siteGuid},${webGuid},${listGuid}`, lib.name, 'documentLibrary', `${sitePath}/${lib.segment}`, lib.name, root);
    const add = (spec: Spec, parent: BrowseNode): void => {
      const relativePath = `${parent.relativePath}/${spec.name}`;
      const key = `${siteGuid},${webGuid},${listGuid},${stableGuid(`browse:${unit.id}:${relativePath}`)}`;
      const type = spec.children ? 'folder' : 'file';
      const child = node(key, spec.name, type, `${parent.path}/${spec.name}`, relativePath, parent);
      if (spec.children) for (const c of spec.children) add(c, child);
      else child.sizeInBytes = fileSize(spec.name, child.hash);
    };
    for (const spec of lib.content) add(spec, library);
  }
  const total = (n: BrowseNode): number => {
    if (n.type !== 'file') n.sizeInBytes = n.children.reduce((sum, c) => sum + total(c), 0);
    return n.sizeInBytes;
  };
  total(root);
  return { root, byKey, origin };
}

const TREE_CACHE_LIMIT = 256;
const trees = new Map<string, BrowseTree>();

/** The backed-up tree of a site or OneDrive unit, built once and remembered (a few hundred of the latest). */
export function browseTreeOf(unit: BrowsableUnit): BrowseTree {
  const cacheKey = `${unit.id.toLowerCase()}\n${unit.siteId}\n${unit.siteWebUrl}\n${unit.kind === 'drive' ? unit.displayName : unit.siteName}`;
  const hit = trees.get(cacheKey);
  if (hit) return hit;
  const tree = buildTree(unit);
  if (trees.size >= TREE_CACHE_LIMIT) {
    const oldest = trees.keys().next();
    if (!oldest.done) trees.delete(oldest.value);
  }
  trees.set(cacheKey, tree);
  return tree;
}

/** Every item of a tree, depth first (a container before its children, children in the tree's own order). */
export function treeItems(tree: BrowseTree): BrowseNode[] {
  const out: BrowseNode[] = [];
  const walk = (n: BrowseNode): void => {
    out.push(n);
    for (const c of n.children) walk(c);
  };
  walk(tree.root);
  return out;
}

/** The document library an item is in (the site for the site itself). */
export function libraryOf(node: BrowseNode): BrowseNode {
  let n = node;
  while (n.parent && n.type !== 'documentLibrary') n = n.parent;
  return n;
}

/** The beta-only created/modified fields of a file or folder, dated before the restore point was taken. */
export function itemHistory(
  node: BrowseNode,
  unit: BrowsableUnit,
  pointTime: number,
): { createdDateTime: number; createdBy: IdentitySet; lastModifiedDateTime: number; lastModifiedBy: IdentitySet } {
  const h = node.hash;
  const minutes = (h >>> 13) % 1440;
  const lastModifiedDateTime = pointTime - (h % 20) * DAY - (minutes + 60) * 60_000;
  const createdDateTime = lastModifiedDateTime - ((h >>> 5) % 200) * DAY - minutes * 30_000;
  const person = (n: number): IdentitySet => {
    if (unit.kind === 'drive') return { user: { id: unit.directoryObjectId, displayName: unit.displayName, email: unit.email } };
    const p = seedPerson(n % SEED_PERSON_COUNT);
    return { user: { id: p.id, displayName: p.displayName, email: p.email } };
  };
  return { createdDateTime, createdBy: person(h >>> 3), lastModifiedDateTime, lastModifiedBy: person(h >>> 7) };
}
