import { artifactRestoreStatus } from '../graph/enums.js';
import type { ExchangeRestoreSessionResolvers } from '../generated/graphql.js';
import { restoreSessionFields, sessionKind } from './restore-session.js';
import { graphCall, toGraphEnums } from './support/arguments.js';
import { checkReferenceId } from './support/ids.js';
import { exchangeGranularFields } from './support/granular-session-fields.js';

/** The page a session of a family this gateway does not know answers: it has no mailbox artifacts to list. */
const NO_ARTIFACTS = {
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  totalCount: 0,
};

export const ExchangeRestoreSession: ExchangeRestoreSessionResolvers = {
  ...restoreSessionFields,
  async __resolveReference(ref, ctx) {
    const session = await ctx.loaders.sessionById.load(checkReferenceId('restoreSession', 'ExchangeRestoreSession', 'id', ref.id));
    // Also the stand-in for families Graph adds later (see restoreSessionTypename in enums.ts).
    const kind = session ? sessionKind(session) : undefined;
    return session && (kind === 'exchange' || kind === 'unknown') ? session : null;
  },
  mailboxRestoreArtifacts(session, args, ctx) {
    // Checked first, so a bad filter is refused the same way whatever the session's family.
    const status = toGraphEnums(artifactRestoreStatus, args.filter?.status, 'filter.status');
    // A stand-in session of a later family has no Exchange artifact list; asking Graph for one would only fail.
    if (sessionKind(session) !== 'exchange') return NO_ARTIFACTS;
    return ctx.loaders.mailboxArtifactPage.load({
      sessionId: session.id,
      first: args.first,
      after: args.after ?? null,
      filter: { status },
    });
  },
  ...exchangeGranularFields,
  // A stand-in session of a later family has no Exchange bulk requests either.
  mailboxRestoreArtifactsBulkAdditionRequests: (session, _args, ctx) =>
    sessionKind(session) === 'exchange' ? graphCall(() => ctx.graph.listBulkRequests('exchange', session.id)) : [],
};
