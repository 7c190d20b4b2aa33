import type { GatewayContext } from '../../context.js';
import type {
  GraphGranularRestoreArtifact,
  GraphRestoreSession,
  SessionScopedGranularDriveRestoreArtifact,
  SessionScopedGranularSiteRestoreArtifact,
} from '../../graph/dto.js';
import type { RestoreFamily } from '../../graph/enums.js';
import type { GranularCreateByFamily, GranularItemFamily } from '../../graph/granular-endpoints.js';
import type { MutationResolvers } from '../../generated/graphql.js';
import { granularDeltaResult, type GranularDeltaResult } from './granular-delta.js';
import {
  checkedExchangeCreate,
  checkedGranularUpdate,
  checkedOneDriveCreate,
  checkedSharePointCreate,
  graphVersionOf,
  type CheckedGranularUpdate,
} from './granular-inputs.js';
import { primeSession, writeSession } from './after-write.js';

/**
 * The granular writes: sessions built from browse items (SharePoint, OneDrive) or from the mail items of searches
 * (Exchange), and the `@delta` updates of the browse-item ones (Graph documents none for Exchange). As the standard
 * writes (`mutation.ts`): arguments checked completely before any Graph call, exactly one Graph write, Graph's answer
 * and refusals passed on with the gateway's codes, the loaders (and the caller's cache) forgetting the session whether
 * or not the write succeeded, and a lost answer reported as OUTCOME_UNKNOWN, never repeated. The write guard and the
 * audit plugin cover these fields as every Mutation field.
 */

async function create<F extends RestoreFamily>(
  ctx: GatewayContext,
  family: F,
  body: GranularCreateByFamily[F],
): Promise<GraphRestoreSession> {
  const session = await writeSession(ctx, undefined, () => ctx.graph.createGranularSession(family, body));
  primeSession(ctx.loaders, session.id, session);
  return session;
}

// Graph's answers carry neither their session nor their family: both come from where they were written.
const siteArtifact = (sessionId: string, a: GraphGranularRestoreArtifact): SessionScopedGranularSiteRestoreArtifact => ({
  ...a,
  restoreSessionId: sessionId,
  restoreArtifactFamily: 'granularSite',
});
const driveArtifact = (sessionId: string, a: GraphGranularRestoreArtifact): SessionScopedGranularDriveRestoreArtifact => ({
  ...a,
  restoreSessionId: sessionId,
  restoreArtifactFamily: 'granularDrive',
});

async function update<A>(
  ctx: GatewayContext,
  family: GranularItemFamily,
  checked: CheckedGranularUpdate,
  scope: (sessionId: string, a: GraphGranularRestoreArtifact) => A,
): Promise<GranularDeltaResult<A>> {
  const { sessionId } = checked;
  const answer = await writeSession(ctx, sessionId, () =>
    ctx.graph.updateGranularSession(family, sessionId, [...checked.additions, ...checked.removals]),
  );
  // Graph answers with the changed items, not the session: its pollers re-read it now.
  await ctx.live.touchSession(sessionId);
  return granularDeltaResult(checked, answer.items, (a) => scope(sessionId, a));
}

export const granularWrites: MutationResolvers = {
  async createGranularSharePointRestoreSession(_root, { input }, ctx) {
    const body = checkedSharePointCreate(input, graphVersionOf(ctx.graph.baseUrl));
    return { restoreSession: await create(ctx, 'sharePoint', body) };
  },

  async createGranularOneDriveForBusinessRestoreSession(_root, { input }, ctx) {
    return { restoreSession: await create(ctx, 'oneDriveForBusiness', checkedOneDriveCreate(input)) };
  },

  updateGranularSharePointRestoreSession: (_root, { input }, ctx) => update(ctx, 'sharePoint', checkedGranularUpdate(input), siteArtifact),

  updateGranularOneDriveForBusinessRestoreSession: (_root, { input }, ctx) =>
    update(ctx, 'oneDriveForBusiness', checkedGranularUpdate(input), driveArtifact),

  async createGranularExchangeRestoreSession(_root, { input }, ctx) {
    return { restoreSession: await create(ctx, 'exchange', checkedExchangeCreate(input)) };
  },
};
