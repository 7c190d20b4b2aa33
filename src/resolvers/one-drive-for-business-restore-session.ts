import { artifactRestoreStatus } from '../graph/enums.js';
import type { OneDriveForBusinessRestoreSessionResolvers } from '../generated/graphql.js';
import { restoreSessionFields, sessionKind } from './restore-session.js';
import { graphCall, toGraphEnums } from './support/arguments.js';
import { checkReferenceId } from './support/ids.js';
import { oneDriveGranularFields } from './support/granular-session-fields.js';

export const OneDriveForBusinessRestoreSession: OneDriveForBusinessRestoreSessionResolvers = {
  ...restoreSessionFields,
  async __resolveReference(ref, ctx) {
    const session = await ctx.loaders.sessionById.load(
      checkReferenceId('restoreSession', 'OneDriveForBusinessRestoreSession', 'id', ref.id),
    );
    return session && sessionKind(session) === 'oneDriveForBusiness' ? session : null;
  },
  driveRestoreArtifacts: (session, args, ctx) =>
    ctx.loaders.driveArtifactPage.load({
      sessionId: session.id,
      first: args.first,
      after: args.after ?? null,
      filter: { status: toGraphEnums(artifactRestoreStatus, args.filter?.status, 'filter.status') },
    }),
  ...oneDriveGranularFields,
  driveRestoreArtifactsBulkAdditionRequests: (session, _args, ctx) =>
    graphCall(() => ctx.graph.listBulkRequests('oneDriveForBusiness', session.id)),
};
