import type { GraphProtectionUnit, GraphSiteProtectionUnit } from '../graph/dto.js';
import { protectionUnitStatus } from '../graph/enums.js';
import type { SiteProtectionUnitResolvers } from '../generated/graphql.js';
import {
  auditFields,
  graphDateTime,
  graphPublicError,
  graphSiteRef,
  graphString,
  graphUrl,
  requiredGraphEnum,
} from './support/graph-values.js';

/**
 * `protectionUnits/{id}` answers any family's unit. Drive and mailbox units are not covered by
 * this gateway, so they are null where a `SiteProtectionUnit` is expected.
 */
export function siteProtectionUnitOrNull(unit: GraphProtectionUnit | null): GraphSiteProtectionUnit | null {
  if (unit === null) return null;
  const type = unit['@odata.type']?.toLowerCase();
  const isSite = type === undefined || type === '' ? 'siteId' in unit : type.endsWith('siteprotectionunit');
  return isSite ? unit : null;
}

export const SiteProtectionUnit: SiteProtectionUnitResolvers = {
  __resolveReference: async (ref, ctx) => siteProtectionUnitOrNull(await ctx.loaders.protectionUnitById.load(ref.id)),
  id: (u) => u.id,
  policyId: (u) => graphString(u.policyId),
  siteId: (u) => graphString(u.siteId),
  site: (u) => graphSiteRef(u.siteId),
  siteName: (u) => graphString(u.siteName),
  siteWebUrl: (u) => graphUrl(u.siteWebUrl),
  status: (u) => requiredGraphEnum(protectionUnitStatus, u.status),
  ...auditFields,
  error: (u) => graphPublicError(u.error),
  offboardRequestedDateTime: (u) => graphDateTime(u.offboardRequestedDateTime),
};
