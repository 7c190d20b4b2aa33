import type { GraphRestorePoint } from '../graph/dto.js';
import { restorePointTags } from '../graph/enums.js';
import type { GatewayContext } from '../context.js';
import type { RestorePointResolvers } from '../generated/graphql.js';
import { siteProtectionUnitOrNull } from './site-protection-unit.js';
import { graphDateTime, graphEnum } from './support/graph-values.js';

/**
 * A restore point may arrive partial: artifact lists inline only its id and dates. A field the
 * object lacks is read from the full restore point (restorePointById, with its protection unit
 * expanded), so a query that only asks for the dates costs no extra Graph call.
 */
async function withField<K extends keyof GraphRestorePoint>(
  point: GraphRestorePoint,
  key: K,
  ctx: GatewayContext,
): Promise<GraphRestorePoint[K] | undefined> {
  if (point[key] !== undefined) return point[key];
  const full = await ctx.loaders.restorePointById.load(point.id);
  return full?.[key];
}

export const RestorePoint: RestorePointResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.restorePointById.load(ref.id),
  id: (p) => p.id,
  protectionDateTime: async (p, _args, ctx) => graphDateTime(await withField(p, 'protectionDateTime', ctx)),
  expirationDateTime: async (p, _args, ctx) => graphDateTime(await withField(p, 'expirationDateTime', ctx)),
  tags: async (p, _args, ctx) => graphEnum(restorePointTags, await withField(p, 'tags', ctx)),
  async protectionUnit(p, _args, ctx) {
    const unitId = (await withField(p, 'protectionUnit', ctx))?.id;
    if (typeof unitId !== 'string' || unitId === '') return null;
    return siteProtectionUnitOrNull(await ctx.loaders.protectionUnitById.load(unitId));
  },
};
