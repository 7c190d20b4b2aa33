import { assertMayWrite } from '../auth/write-guard.js';
import type { GatewayContext } from '../context.js';
import type { FamilyBrowseSession } from '../graph/dto.js';
import { browseSessionStatus, type BrowseFamily } from '../graph/enums.js';
import type { BrowseSessionItemsArgs, BrowseSessionResolvers } from '../generated/graphql.js';
import { browseBody, decodeLocation } from './support/browse-location.js';
import { graphSize } from './browse-item.js';
import { badUserInput } from './support/arguments.js';
import { graphDateTime, graphPublicError, requiredGraphEnum } from './support/graph-values.js';
import { graphId } from './support/ids.js';

/**
 * The `BrowseSession` interface, and what its two implementations share. Everything that reads a browse session or its listings
 * needs the caller's write permission, checked here before any Graph call: a backup's file names are for restore
 * operators, not for every reader of restore sessions (Graph itself asks delegated callers for an Entra role on top).
 */

/** Refuses callers without the write permission (FORBIDDEN), saying why a read needs it. */
export function assertMayBrowse(ctx: GatewayContext, what: string): void {
  assertMayWrite(ctx, what, 'shows the contents of backups');
}

/** One listing of `session`: arguments checked, then read through the listings loader (one round per tick). */
function items(session: FamilyBrowseSession, args: BrowseSessionItemsArgs, ctx: GatewayContext) {
  assertMayBrowse(ctx, 'items');
  const location = args.location === null || args.location === undefined ? undefined : decodeLocation(session.id, args.location);
  return ctx.loaders.browse.items.load({
    family: session.browseFamily,
    sessionId: session.id,
    body: browseBody(location, args.nameContains, args.orderBy),
    path: location?.path ?? '',
    first: args.first,
    after: args.after ?? null,
  });
}

export const browseSessionFields = {
  id: (s: FamilyBrowseSession) => s.id,
  status: (s: FamilyBrowseSession) => requiredGraphEnum(browseSessionStatus, s.status),
  restorePointDateTime: (s: FamilyBrowseSession) => graphDateTime(s.restorePointDateTime),
  createdDateTime: (s: FamilyBrowseSession) => graphDateTime(s.createdDateTime),
  expirationDateTime: (s: FamilyBrowseSession) => graphDateTime(s.expirationDateTime),
  backupSizeInBytes: (s: FamilyBrowseSession) => graphSize(s.backupSizeInBytes),
  error: (s: FamilyBrowseSession) => graphPublicError(s.error),
  items,
} satisfies Omit<Required<BrowseSessionResolvers>, '__resolveType'>;

/** The entity reference of one family's browse session: gated like every read, null for the other family's session. */
export function browseSessionReference(family: BrowseFamily, typename: string) {
  return async (ref: { id: unknown }, ctx: GatewayContext): Promise<FamilyBrowseSession | null> => {
    assertMayBrowse(ctx, typename);
    let id: string;
    try {
      id = graphId(ref.id, 'representations');
    } catch {
      throw badUserInput('representations', `A ${typename} reference's 'id' is not a browse session id.`);
    }
    const session = await ctx.loaders.browse.sessionById.load(id);
    return session?.browseFamily === family ? session : null;
  };
}

export const BrowseSession: BrowseSessionResolvers = {
  __resolveType: (s) => (s.browseFamily === 'oneDriveForBusiness' ? 'OneDriveForBusinessBrowseSession' : 'SharePointBrowseSession'),
  ...browseSessionFields,
};
