import type { OneDriveForBusinessRestoreSessionResolvers } from '../generated/graphql.js';
import { restoreSessionFields, sessionKind } from './restore-session.js';

export const OneDriveForBusinessRestoreSession: OneDriveForBusinessRestoreSessionResolvers = {
  ...restoreSessionFields,
  async __resolveReference(ref, ctx) {
    const session = await ctx.loaders.sessionById.load(ref.id);
    return session && sessionKind(session) === 'oneDriveForBusiness' ? session : null;
  },
};
