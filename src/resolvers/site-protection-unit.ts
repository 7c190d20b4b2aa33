import type { GraphSiteProtectionUnit } from '../graph/dto.js';
import type { GatewayContext } from '../context.js';
import type { SiteProtectionUnitResolvers } from '../generated/graphql.js';
import { protectionUnitFields, protectionUnitOrNull, unitField } from './protection-unit.js';
import { graphSiteRef, graphString, graphUrl } from './support/graph-values.js';
import { checkReferenceId } from './support/ids.js';

const field = <K extends keyof GraphSiteProtectionUnit, R>(
  unit: GraphSiteProtectionUnit,
  key: K,
  ctx: GatewayContext,
  map: (v: GraphSiteProtectionUnit[K] | undefined) => R,
) => unitField('site', unit, key, ctx, map);

export const SiteProtectionUnit: SiteProtectionUnitResolvers = {
  async __resolveReference(ref, ctx) {
    const id = checkReferenceId('protectionUnit', 'SiteProtectionUnit', 'id', ref.id);
    return protectionUnitOrNull(await ctx.loaders.protectionUnitById.load(id), 'site');
  },
  ...protectionUnitFields('site'),
  siteId: (u, _args, ctx) => field(u, 'siteId', ctx, graphString),
  site: (u, _args, ctx) => field(u, 'siteId', ctx, graphSiteRef),
  siteName: (u, _args, ctx) => field(u, 'siteName', ctx, graphString),
  siteWebUrl: (u, _args, ctx) => field(u, 'siteWebUrl', ctx, graphUrl),
};
