import type { GraphCreateSharePointRestoreSessionRequest } from '../graph/dto.js';
import type { MutationResolvers } from '../generated/graphql.js';
import type { GatewayContext } from '../context.js';
import { forgetSession, primeSession } from './support/after-write.js';
import { graphCall } from './support/arguments.js';
import { artifactCreates, checkedAddition, checkedBulkRequest, checkedUpdate, guidId } from './support/mutation-inputs.js';
import { updateResult } from './update-share-point-restore-session-payload.js';

/**
 * Every write of the contract. Each resolver checks its arguments completely before any Graph call
 * (`support/mutation-inputs.ts`), makes exactly one Graph write, and answers with what Graph
 * answered, never with a guess. Graph's refusals arrive as the gateway's codes through
 * `graphCall` (draft-only rules: ACTION_NOT_ALLOWED with `extensions.graph.code`; unknown ids:
 * NOT_FOUND; too many active sessions: ACTION_NOT_ALLOWED with `TooManyActiveRestoreSessions`).
 * After the write, the loaders forget the session, so later fields of the same operation read
 * Graph's state after the write (`support/after-write.ts`).
 *
 * Writes are never retried after an ambiguous failure (a timeout, a 502/504): the client sees
 * UPSTREAM_UNAVAILABLE and decides, knowing the write may have happened.
 */

/** Runs one Graph write for the session `sessionId` (none yet on create), forgetting what the loaders knew of it whether or not the write succeeded. */
async function write<T>(ctx: GatewayContext, sessionId: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await graphCall(call);
  } finally {
    forgetSession(ctx.loaders, sessionId);
  }
}

export const Mutation: MutationResolvers = {
  async createSharePointRestoreSession(_root, { input }, ctx) {
    const artifacts = input.siteRestoreArtifacts ?? [];
    // Graph refuses an empty artifact list (400 InvalidArtifactRequest); an empty body is the empty draft.
    const body: GraphCreateSharePointRestoreSessionRequest =
      artifacts.length === 0 ? {} : { siteRestoreArtifacts: artifactCreates(artifacts, 'input.siteRestoreArtifacts') };
    const session = await write(ctx, undefined, () => ctx.graph.createSession(body));
    primeSession(ctx.loaders, session.id, session);
    return { restoreSession: session };
  },

  async updateSharePointRestoreSession(_root, { input }, ctx) {
    const update = checkedUpdate(input);
    const response = await write(ctx, update.sessionId, () =>
      ctx.graph.updateSession(update.sessionId, { 'siteRestoreArtifacts@delta': [...update.additions, ...update.removals] }),
    );
    // Graph answers with the changed artifacts, not the session: its pollers re-read it now.
    await ctx.live.touchSession(update.sessionId);
    return updateResult(update.sessionId, update, response);
  },

  async deleteRestoreSession(_root, args, ctx) {
    const id = guidId(args.id, 'id');
    await write(ctx, id, () => ctx.graph.deleteSession(id));
    // Graph said 204: a later `restoreSession(id)` of this operation is null without asking again.
    primeSession(ctx.loaders, id, null);
    await ctx.live.publishSessionDeleted(id);
    return { deletedRestoreSessionId: id };
  },

  async activateRestoreSession(_root, args, ctx) {
    const id = guidId(args.id, 'id');
    const session = await write(ctx, id, () => ctx.graph.activateSession(id));
    primeSession(ctx.loaders, id, session);
    // Subscribers see the activation now, not at the next poll.
    await ctx.live.publishSession(session);
    return { restoreSession: session };
  },

  async addSiteRestoreArtifact(_root, { input }, ctx) {
    const { sessionId, artifact } = checkedAddition(input);
    const added = await write(ctx, sessionId, () => ctx.graph.addSiteArtifact(sessionId, artifact));
    ctx.loaders.artifactById.prime({ sessionId, artifactId: added.id }, added);
    await ctx.live.touchSession(sessionId);
    return { siteRestoreArtifact: added };
  },

  async createSiteRestoreArtifactsBulkAdditionRequest(_root, { input }, ctx) {
    const { sessionId, body } = checkedBulkRequest(input);
    const created = await write(ctx, sessionId, () => ctx.graph.createBulkRequest(sessionId, body));
    return { bulkAdditionRequest: created };
  },

  async deleteSiteRestoreArtifactsBulkAdditionRequest(_root, args, ctx) {
    const sessionId = guidId(args.restoreSessionId, 'restoreSessionId');
    const id = guidId(args.id, 'id');
    await write(ctx, sessionId, () => ctx.graph.deleteBulkRequest(sessionId, id));
    return { deletedBulkAdditionRequestId: id };
  },
};
