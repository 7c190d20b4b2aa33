import type { ExchangeRestoreSessionResolvers } from '../generated/graphql.js';
import { restoreSessionFields, sessionKind } from './restore-session.js';
import { checkReferenceId } from './support/ids.js';

export const ExchangeRestoreSession: ExchangeRestoreSessionResolvers = {
  ...restoreSessionFields,
  async __resolveReference(ref, ctx) {
    const session = await ctx.loaders.sessionById.load(checkReferenceId('restoreSession', 'ExchangeRestoreSession', 'id', ref.id));
    // Also the stand-in for families Graph adds later (see restoreSessionTypename in enums.ts).
    const kind = session ? sessionKind(session) : undefined;
    return session && (kind === 'exchange' || kind === 'unknown') ? session : null;
  },
};
