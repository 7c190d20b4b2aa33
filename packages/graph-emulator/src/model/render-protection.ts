import type { GraphRequest } from '../http/types.js';
import { evolvable, isoDate, NULL_DATE } from '../http/odata.js';
import type { ProtectionUnit, RestorePoint } from './types.js';

/**
 * Graph JSON for protection units and restore points. Rendering is a plain object build with no
 * lookups, so the hot list and get endpoints stay cheap.
 */

export const SITE_PROTECTION_UNIT_TYPE = '#microsoft.graph.siteProtectionUnit';
export const RESTORE_POINT_TYPE = '#microsoft.graph.restorePoint';

/** Properties a `$select` on a protection unit may name. */
export const PROTECTION_UNIT_PROPERTIES = [
  'id',
  'policyId',
  'protectionSources',
  'status',
  'createdBy',
  'createdDateTime',
  'lastModifiedBy',
  'lastModifiedDateTime',
  'error',
  'offboardRequestedDateTime',
  'siteId',
  'siteName',
  'siteWebUrl',
] as const;

/** Properties a `$select` on a restore point may name. */
export const RESTORE_POINT_PROPERTIES = ['id', 'protectionDateTime', 'expirationDateTime', 'tags', 'protectionUnit'] as const;

type EnumView = Pick<GraphRequest, 'includeUnknownEnumMembers'>;

/** A siteProtectionUnit, in the key order of the Graph get example. */
export function renderProtectionUnit(unit: ProtectionUnit, req: EnumView): Record<string, unknown> {
  return {
    '@odata.type': SITE_PROTECTION_UNIT_TYPE,
    id: unit.id,
    policyId: unit.policyId,
    // The seed protects every site explicitly (no inclusion rules), so the source is always `manual`.
    protectionSources: 'manual',
    status: evolvable('protectionUnitStatus', unit.status, req),
    createdBy: unit.createdBy,
    createdDateTime: isoDate(unit.createdDateTime),
    lastModifiedBy: unit.lastModifiedBy,
    lastModifiedDateTime: isoDate(unit.lastModifiedDateTime),
    error: null,
    offboardRequestedDateTime: NULL_DATE,
    siteId: unit.siteId,
    siteName: unit.siteName,
    siteWebUrl: unit.siteWebUrl,
  };
}

/**
 * A restorePoint. `unit` is inlined as `protectionUnit` when the caller expanded it (the list and search endpoints
 * always do); a point whose unit is gone renders `protectionUnit: null` rather than failing.
 */
export function renderRestorePoint(
  point: RestorePoint,
  req: EnumView,
  expand?: { unit: ProtectionUnit | undefined },
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    '@odata.type': RESTORE_POINT_TYPE,
    id: point.id,
    protectionDateTime: isoDate(point.protectionDateTime),
    expirationDateTime: isoDate(point.expirationDateTime),
    tags: evolvable('restorePointTags', point.tags, req),
  };
  if (expand) out.protectionUnit = expand.unit ? renderProtectionUnit(expand.unit, req) : null;
  return out;
}
