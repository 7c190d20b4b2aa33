import type { QueryResolvers } from '../../generated/graphql.js';
import { browseGraphQLError } from '../../loaders/browse-loaders.js';
import { assertMayBrowse } from '../browse-session.js';
import { graphId } from './ids.js';

/** The browse-session fields of `Query` (`schema/browse.graphql`), merged into the Query resolvers by `../index.ts`. */
export const BrowseQuery: Pick<QueryResolvers, 'browseSession' | 'browseSessions'> = {
  // Browse session ids are opaque strings (not GUIDs): the bounded checks every Graph key gets.
  browseSession(_root, { id }, ctx) {
    assertMayBrowse(ctx, 'browseSession');
    return ctx.loaders.browse.sessionById.load(graphId(id, 'id'));
  },

  async browseSessions(_root, args, ctx) {
    assertMayBrowse(ctx, 'browseSessions');
    let page;
    try {
      page = await ctx.graph.listBrowseSessions({ first: args.first, after: args.after ?? null });
    } catch (err) {
      throw browseGraphQLError(err);
    }
    for (const session of page.nodes) ctx.loaders.browse.sessionById.prime(session.id, session);
    return page;
  },
};
