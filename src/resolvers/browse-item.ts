import { browseItemKind } from '../graph/enums.js';
import type { BrowseItemResolvers } from '../generated/graphql.js';
import { encodeLocation, isBrowsable } from './support/browse-location.js';
import { auditFields, graphUrl, requiredGraphEnum } from './support/graph-values.js';

/**
 * `BrowseItem`: one listed item of a browse session, with the path the gateway carried down to it and, for a
 * container, the location that lists its children.
 */

/** A size Graph sends as a string (`"584316"`), as a number; null for anything that is not a whole, safe size. */
export function graphSize(value: string | number | null | undefined): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export const BrowseItem: BrowseItemResolvers = {
  itemKey: (i) => i.itemKey,
  browseSessionId: (i) => i.browseSessionId,
  kind: (i) => requiredGraphEnum(browseItemKind, i.type),
  name: (i) => i.name ?? '',
  path: (i) => i.path,
  webUrl: (i) => graphUrl(i.webUrl),
  sizeInBytes: (i) => graphSize(i.sizeInBytes),
  // Graph writes 0 for files: a count of children means something for containers only.
  itemCount: (i) =>
    isBrowsable(i.type) && typeof i.itemsCount === 'number' && Number.isSafeInteger(i.itemsCount) && i.itemsCount >= 0
      ? i.itemsCount
      : null,
  ...auditFields,
  canOpen: (i) => isBrowsable(i.type),
  location: (i) => (isBrowsable(i.type) ? encodeLocation(i.browseSessionId, { itemKey: i.itemKey, type: i.type, path: i.path }) : null),
};
