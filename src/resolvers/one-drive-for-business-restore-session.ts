import type { OneDriveForBusinessRestoreSessionResolvers } from '../generated/graphql.js';
import { restoreSessionFields, sessionKind } from './restore-session.js';
import { checkReferenceId } from './support/ids.js';

export const OneDriveForBusinessRestoreSession: OneDriveForBusinessRestoreSessionResolvers = {
  ...restoreSessionFields,
  async __resolveReference(ref, ctx) {
    const session = await ctx.loaders.sessionById.load(
      checkReferenceId('restoreSession', 'OneDriveForBusinessRestoreSession', 'id', ref.id),
    );
    return session && sessionKind(session) === 'oneDriveForBusiness' ? session : null;
  },
};
