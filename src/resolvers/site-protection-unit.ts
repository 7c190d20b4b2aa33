import type { GraphProtectionUnit, GraphProtectionUnitReference, GraphSiteProtectionUnit } from '../graph/dto.js';
import { protectionUnitStatus } from '../graph/enums.js';
import type { GatewayContext } from '../context.js';
import type { SiteProtectionUnitResolvers } from '../generated/graphql.js';
import {
  graphDateTime,
  graphIdentitySet,
  graphPublicError,
  graphSiteRef,
  graphString,
  graphUrl,
  requiredGraphEnum,
} from './support/graph-values.js';
import { checkReferenceId } from './support/ids.js';
import { fieldOf, inlineCopy } from './support/inline-copy.js';

/**
 * `protectionUnits/{id}` answers any family's unit. Drive and mailbox units are not covered by
 * this gateway, so they are null where a `SiteProtectionUnit` is expected.
 */
export function siteProtectionUnitOrNull(unit: GraphProtectionUnit | null): GraphSiteProtectionUnit | null {
  if (unit === null) return null;
  return (isSiteUnit(unit) ?? 'siteId' in unit) ? unit : null;
}

/**
 * A restore point's expanded unit as a `SiteProtectionUnit` inline copy: null when it is another family's unit,
 * undefined when it does not say which kind it is (then the unit itself must be read).
 */
export function siteUnitCopy(expanded: GraphProtectionUnitReference): GraphSiteProtectionUnit | null | undefined {
  const site = isSiteUnit(expanded) ?? ('siteId' in expanded ? true : undefined);
  if (site === undefined) return undefined;
  // The copy may lack fields a unit always has (its status): each field resolver reads those from the unit itself.
  return site ? inlineCopy(expanded as GraphSiteProtectionUnit) : null;
}

/** Whether `@odata.type` names a site unit; undefined when it names nothing. */
function isSiteUnit(unit: { '@odata.type'?: string | undefined }): boolean | undefined {
  const type = unit['@odata.type']?.toLowerCase();
  return type === undefined || type === '' ? undefined : type.endsWith('siteprotectionunit');
}

const field = <K extends keyof GraphSiteProtectionUnit, R>(
  unit: GraphSiteProtectionUnit,
  key: K,
  ctx: GatewayContext,
  map: (v: GraphSiteProtectionUnit[K] | undefined) => R,
) => fieldOf(unit, key, async () => siteProtectionUnitOrNull(await ctx.loaders.protectionUnitById.load(unit.id)), map);

export const SiteProtectionUnit: SiteProtectionUnitResolvers = {
  async __resolveReference(ref, ctx) {
    const id = checkReferenceId('protectionUnit', 'SiteProtectionUnit', 'id', ref.id);
    return siteProtectionUnitOrNull(await ctx.loaders.protectionUnitById.load(id));
  },
  id: (u) => u.id,
  policyId: (u, _args, ctx) => field(u, 'policyId', ctx, graphString),
  siteId: (u, _args, ctx) => field(u, 'siteId', ctx, graphString),
  site: (u, _args, ctx) => field(u, 'siteId', ctx, graphSiteRef),
  siteName: (u, _args, ctx) => field(u, 'siteName', ctx, graphString),
  siteWebUrl: (u, _args, ctx) => field(u, 'siteWebUrl', ctx, graphUrl),
  status: (u, _args, ctx) => field(u, 'status', ctx, (status) => requiredGraphEnum(protectionUnitStatus, status)),
  createdDateTime: (u, _args, ctx) => field(u, 'createdDateTime', ctx, graphDateTime),
  createdBy: (u, _args, ctx) => field(u, 'createdBy', ctx, graphIdentitySet),
  lastModifiedDateTime: (u, _args, ctx) => field(u, 'lastModifiedDateTime', ctx, graphDateTime),
  lastModifiedBy: (u, _args, ctx) => field(u, 'lastModifiedBy', ctx, graphIdentitySet),
  error: (u, _args, ctx) => field(u, 'error', ctx, graphPublicError),
  offboardRequestedDateTime: (u, _args, ctx) => field(u, 'offboardRequestedDateTime', ctx, graphDateTime),
};
