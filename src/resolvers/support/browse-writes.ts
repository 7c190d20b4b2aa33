import type { GatewayContext } from '../../context.js';
import type { FamilyBrowseSession } from '../../graph/dto.js';
import type { BrowseFamily } from '../../graph/enums.js';
import type { MutationResolvers } from '../../generated/graphql.js';
import { browseGraphQLError } from '../../loaders/browse-loaders.js';
import { checkId } from './ids.js';

/**
 * Opening browse sessions, one mutation per family. The restore point id is checked before the call; Graph's refusals
 * arrive with its code (a point that is not a fast-restore point, or of another family: BAD_USER_INPUT with
 * `extensions.graph.code`), a lost answer as OUTCOME_UNKNOWN (`graph/write-recovery.ts`: the create is never repeated),
 * and Graph's 403 says which role or permission browsing needs. Like every mutation, the write guard and the audit log
 * see these.
 */

async function open(ctx: GatewayContext, family: BrowseFamily, restorePointId: string): Promise<FamilyBrowseSession> {
  const pointId = checkId('restorePoint', restorePointId, 'input.restorePointId');
  let session: FamilyBrowseSession;
  try {
    session = await ctx.graph.createBrowseSession(family, pointId);
  } catch (err) {
    throw browseGraphQLError(err);
  }
  // Fields of the payload (and later ones of this operation) read the session Graph answered with, not again.
  ctx.loaders.browse.sessionById.prime(session.id, { ...session, browseFamily: family });
  return { ...session, browseFamily: family };
}

export const BrowseMutation: Pick<MutationResolvers, 'createSharePointBrowseSession' | 'createOneDriveForBusinessBrowseSession'> = {
  createSharePointBrowseSession: async (_root, { input }, ctx) => ({ browseSession: await open(ctx, 'sharePoint', input.restorePointId) }),
  createOneDriveForBusinessBrowseSession: async (_root, { input }, ctx) => ({
    browseSession: await open(ctx, 'oneDriveForBusiness', input.restorePointId),
  }),
};
