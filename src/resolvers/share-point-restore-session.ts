import { artifactRestoreStatus } from '../graph/enums.js';
import type { SharePointRestoreSessionResolvers } from '../generated/graphql.js';
import { graphCall, toGraphEnums } from './support/arguments.js';
import { checkReferenceId } from './support/ids.js';
import { restoreSessionFields, sessionKind } from './restore-session.js';
import { sharePointGranularFields } from './support/granular-session-fields.js';

export const SharePointRestoreSession: SharePointRestoreSessionResolvers = {
  ...restoreSessionFields,
  async __resolveReference(ref, ctx) {
    const session = await ctx.loaders.sessionById.load(checkReferenceId('restoreSession', 'SharePointRestoreSession', 'id', ref.id));
    // A reference names its type; a session of another family is not this entity.
    return session && sessionKind(session) === 'sharePoint' ? session : null;
  },
  siteRestoreArtifacts: (session, args, ctx) =>
    ctx.loaders.artifactPage.load({
      sessionId: session.id,
      first: args.first,
      after: args.after ?? null,
      filter: { status: toGraphEnums(artifactRestoreStatus, args.filter?.status, 'filter.status') },
    }),
  ...sharePointGranularFields,
  siteRestoreArtifactsBulkAdditionRequests: (session, _args, ctx) => graphCall(() => ctx.graph.listBulkRequests('sharePoint', session.id)),
};
