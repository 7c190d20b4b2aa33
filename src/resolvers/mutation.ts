import type {
  GraphRestoreArtifact,
  SessionScopedDriveRestoreArtifact,
  SessionScopedMailboxRestoreArtifact,
  SessionScopedSiteRestoreArtifact,
} from '../graph/dto.js';
import type { RestoreFamily } from '../graph/enums.js';
import type { MutationResolvers } from '../generated/graphql.js';
import type { GatewayContext } from '../context.js';
import { BrowseMutation } from './support/browse-writes.js';
import { granularWrites } from './support/granular-writes.js';
import { primeSession, writeSession } from './support/after-write.js';
import { graphCall } from './support/arguments.js';
import { deltaResult, singleAddition, type DeltaResult } from './support/delta-answer.js';
import {
  DRIVE_WORDING,
  MAILBOX_WORDING,
  SITE_WORDING,
  artifactCreates,
  checkedAddition,
  checkedBulkRequest,
  checkedDriveBulkRequest,
  checkedMailboxBulkRequest,
  checkedUpdate,
  guidId,
  type ArtifactInput,
  type CheckedUpdate,
} from './support/mutation-inputs.js';

/**
 * Every write of the contract, for the three families. Each resolver checks its arguments completely before any Graph
 * call (`support/mutation-inputs.ts`), makes exactly one Graph write, and answers with what Graph answered, never with
 * a guess. Graph's refusals arrive as the gateway's codes through `graphCall` (draft-only rules: ACTION_NOT_ALLOWED
 * with `extensions.graph.code`; unknown ids: NOT_FOUND; too many active sessions: ACTION_NOT_ALLOWED with
 * `TooManyActiveRestoreSessions`). After the write, the loaders forget the session, so later fields of the same
 * operation read Graph's state after the write (`support/after-write.ts`).
 *
 * Writes are never retried after an ambiguous failure (a timeout, a 502/504): the client sees OUTCOME_UNKNOWN or
 * UPSTREAM_UNAVAILABLE and decides, knowing the write may have happened (`graph/write-recovery.ts`).
 */

// Graph's artifacts carry neither their session nor (in lists) their type: both come from where they were written.
const siteArtifact = (sessionId: string, a: GraphRestoreArtifact): SessionScopedSiteRestoreArtifact => ({
  ...a,
  restoreSessionId: sessionId,
});
const mailboxArtifact = (sessionId: string, a: GraphRestoreArtifact): SessionScopedMailboxRestoreArtifact => ({
  ...a,
  restoreSessionId: sessionId,
  restoreArtifactFamily: 'mailbox',
});
const driveArtifact = (sessionId: string, a: GraphRestoreArtifact): SessionScopedDriveRestoreArtifact => ({
  ...a,
  restoreSessionId: sessionId,
  restoreArtifactFamily: 'drive',
});

async function createSession(ctx: GatewayContext, family: RestoreFamily, artifacts: ReturnType<typeof artifactCreates>) {
  const session = await writeSession(ctx, undefined, () => ctx.graph.createSession(family, artifacts));
  primeSession(ctx.loaders, session.id, session);
  return session;
}

async function updateSession<A>(
  ctx: GatewayContext,
  family: RestoreFamily,
  update: CheckedUpdate,
  scope: (sessionId: string, a: GraphRestoreArtifact) => A,
): Promise<DeltaResult<A>> {
  const answer = await writeSession(ctx, update.sessionId, () =>
    ctx.graph.updateSession(family, update.sessionId, [...update.additions, ...update.removals]),
  );
  // Graph answers with the changed artifacts, not the session: its pollers re-read it now.
  await ctx.live.touchSession(update.sessionId);
  return deltaResult(update.sessionId, update, answer.items, (a) => scope(update.sessionId, a));
}

/** Exchange and OneDrive artifacts are added through an update: one addition, whose refusal is this field's error. */
async function addByUpdate<A>(
  ctx: GatewayContext,
  family: RestoreFamily,
  input: ArtifactInput & { restoreSessionId: string },
  scope: (sessionId: string, a: GraphRestoreArtifact) => A,
): Promise<A> {
  const { sessionId, artifact } = checkedAddition(input);
  const answer = await writeSession(ctx, sessionId, () => ctx.graph.updateSession(family, sessionId, [artifact]));
  const added = scope(sessionId, await graphCall(async () => singleAddition(answer)));
  await ctx.live.touchSession(sessionId);
  return added;
}

async function deleteBulkRequest(ctx: GatewayContext, family: RestoreFamily, args: { restoreSessionId: string; id: string }) {
  const sessionId = guidId(args.restoreSessionId, 'restoreSessionId');
  const id = guidId(args.id, 'id');
  await writeSession(ctx, sessionId, () => ctx.graph.deleteBulkRequest(family, sessionId, id));
  return { deletedBulkAdditionRequestId: id };
}

const sharePointWrites: MutationResolvers = {
  async createSharePointRestoreSession(_root, { input }, ctx) {
    const artifacts = artifactCreates(input.siteRestoreArtifacts ?? [], 'input.siteRestoreArtifacts', SITE_WORDING);
    return { restoreSession: await createSession(ctx, 'sharePoint', artifacts) };
  },

  updateSharePointRestoreSession: (_root, { input }, ctx) =>
    updateSession(
      ctx,
      'sharePoint',
      checkedUpdate({
        id: input.id,
        adds: input.addSiteRestoreArtifacts,
        removes: input.removeSiteRestoreArtifactIds,
        addsArgument: 'input.addSiteRestoreArtifacts',
        removesArgument: 'input.removeSiteRestoreArtifactIds',
      }),
      siteArtifact,
    ),

  // Graph's SharePoint artifacts alone can be added one by one (a POST to the collection).
  async addSiteRestoreArtifact(_root, { input }, ctx) {
    const { sessionId, artifact } = checkedAddition(input);
    const added = await writeSession(ctx, sessionId, () => ctx.graph.addSiteArtifact(sessionId, artifact));
    ctx.loaders.artifactById.prime({ sessionId, artifactId: added.id }, added);
    await ctx.live.touchSession(sessionId);
    return { siteRestoreArtifact: added };
  },

  async createSiteRestoreArtifactsBulkAdditionRequest(_root, { input }, ctx) {
    const { sessionId, body } = checkedBulkRequest(input);
    return { bulkAdditionRequest: await writeSession(ctx, sessionId, () => ctx.graph.createBulkRequest('sharePoint', sessionId, body)) };
  },

  deleteSiteRestoreArtifactsBulkAdditionRequest: (_root, args, ctx) => deleteBulkRequest(ctx, 'sharePoint', args),
};

const exchangeWrites: MutationResolvers = {
  async createExchangeRestoreSession(_root, { input }, ctx) {
    const artifacts = artifactCreates(input.mailboxRestoreArtifacts ?? [], 'input.mailboxRestoreArtifacts', MAILBOX_WORDING);
    return { restoreSession: await createSession(ctx, 'exchange', artifacts) };
  },

  updateExchangeRestoreSession: (_root, { input }, ctx) =>
    updateSession(
      ctx,
      'exchange',
      checkedUpdate(
        {
          id: input.id,
          adds: input.addMailboxRestoreArtifacts,
          removes: input.removeMailboxRestoreArtifactIds,
          addsArgument: 'input.addMailboxRestoreArtifacts',
          removesArgument: 'input.removeMailboxRestoreArtifactIds',
        },
        MAILBOX_WORDING,
      ),
      mailboxArtifact,
    ),

  async addMailboxRestoreArtifact(_root, { input }, ctx) {
    const added = await addByUpdate(ctx, 'exchange', input, mailboxArtifact);
    ctx.loaders.mailboxArtifactById.prime({ sessionId: added.restoreSessionId, artifactId: added.id }, added);
    return { mailboxRestoreArtifact: added };
  },

  async createMailboxRestoreArtifactsBulkAdditionRequest(_root, { input }, ctx) {
    const { sessionId, body } = checkedMailboxBulkRequest(input);
    return { bulkAdditionRequest: await writeSession(ctx, sessionId, () => ctx.graph.createBulkRequest('exchange', sessionId, body)) };
  },

  deleteMailboxRestoreArtifactsBulkAdditionRequest: (_root, args, ctx) => deleteBulkRequest(ctx, 'exchange', args),
};

const oneDriveWrites: MutationResolvers = {
  async createOneDriveForBusinessRestoreSession(_root, { input }, ctx) {
    const artifacts = artifactCreates(input.driveRestoreArtifacts ?? [], 'input.driveRestoreArtifacts', DRIVE_WORDING);
    return { restoreSession: await createSession(ctx, 'oneDriveForBusiness', artifacts) };
  },

  updateOneDriveForBusinessRestoreSession: (_root, { input }, ctx) =>
    updateSession(
      ctx,
      'oneDriveForBusiness',
      checkedUpdate(
        {
          id: input.id,
          adds: input.addDriveRestoreArtifacts,
          removes: input.removeDriveRestoreArtifactIds,
          addsArgument: 'input.addDriveRestoreArtifacts',
          removesArgument: 'input.removeDriveRestoreArtifactIds',
        },
        DRIVE_WORDING,
      ),
      driveArtifact,
    ),

  async addDriveRestoreArtifact(_root, { input }, ctx) {
    const added = await addByUpdate(ctx, 'oneDriveForBusiness', input, driveArtifact);
    ctx.loaders.driveArtifactById.prime({ sessionId: added.restoreSessionId, artifactId: added.id }, added);
    return { driveRestoreArtifact: added };
  },

  async createDriveRestoreArtifactsBulkAdditionRequest(_root, { input }, ctx) {
    const { sessionId, body } = checkedDriveBulkRequest(input);
    return {
      bulkAdditionRequest: await writeSession(ctx, sessionId, () => ctx.graph.createBulkRequest('oneDriveForBusiness', sessionId, body)),
    };
  },

  deleteDriveRestoreArtifactsBulkAdditionRequest: (_root, args, ctx) => deleteBulkRequest(ctx, 'oneDriveForBusiness', args),
};

export const Mutation: MutationResolvers = {
  ...sharePointWrites,
  ...exchangeWrites,
  ...oneDriveWrites,
  ...BrowseMutation,
  ...granularWrites,

  async deleteRestoreSession(_root, args, ctx) {
    const id = guidId(args.id, 'id');
    await writeSession(ctx, id, () => ctx.graph.deleteSession(id));
    // Graph said 204: a later `restoreSession(id)` of this operation is null without asking again.
    primeSession(ctx.loaders, id, null);
    await ctx.live.publishSessionDeleted(id);
    return { deletedRestoreSessionId: id };
  },

  async activateRestoreSession(_root, args, ctx) {
    const id = guidId(args.id, 'id');
    const session = await writeSession(ctx, id, () => ctx.graph.activateSession(id));
    primeSession(ctx.loaders, id, session);
    // Subscribers see the activation now, not at the next poll.
    await ctx.live.publishSession(session);
    return { restoreSession: session };
  },
};
