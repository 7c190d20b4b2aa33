import type { GraphRequest } from '../http/types.js';
import { evolvable, isoDate, NULL_DATE } from '../http/odata.js';
import type { ProtectionUnit, RestorePoint, UnitKind } from './types.js';

/**
 * Graph JSON for protection units and restore points. Rendering is a plain object build with no
 * lookups, so the hot list and get endpoints stay cheap.
 */

export const SITE_PROTECTION_UNIT_TYPE = '#microsoft.graph.siteProtectionUnit';
/** `@odata.type` of each workload's unit. */
export const UNIT_TYPES: Record<UnitKind, string> = {
  site: SITE_PROTECTION_UNIT_TYPE,
  mailbox: '#microsoft.graph.mailboxProtectionUnit',
  drive: '#microsoft.graph.driveProtectionUnit',
};
export const RESTORE_POINT_TYPE = '#microsoft.graph.restorePoint';

/** Properties a `$select` on a protection unit may name (any workload's: OData lets a select name a derived type's). */
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
  'directoryObjectId',
  'displayName',
  'email',
  'mailboxType',
] as const;

/** Properties a `$select` on a restore point may name. */
export const RESTORE_POINT_PROPERTIES = ['id', 'protectionDateTime', 'expirationDateTime', 'tags', 'protectionUnit'] as const;

type EnumView = Pick<GraphRequest, 'includeUnknownEnumMembers'>;
/** Enum gating, and the version: beta-only properties are left out of v1.0 answers. */
type UnitView = EnumView & Partial<Pick<GraphRequest, 'version'>>;

/**
 * A protection unit of any workload: the base properties in the key order of the Graph get example, then its own
 * (a site's id, name and URL; a mailbox's or OneDrive's owner, and a mailbox's type, a beta-only property).
 */
export function renderProtectionUnit(unit: ProtectionUnit, req: UnitView): Record<string, unknown> {
  const out: Record<string, unknown> = {
    '@odata.type': UNIT_TYPES[unit.kind],
    id: unit.id,
    policyId: unit.policyId,
    // The seed protects every unit explicitly (no inclusion rules), so the source is always `manual`.
    protectionSources: 'manual',
    status: evolvable('protectionUnitStatus', unit.status, req),
    createdBy: unit.createdBy,
    createdDateTime: isoDate(unit.createdDateTime),
    lastModifiedBy: unit.lastModifiedBy,
    lastModifiedDateTime: isoDate(unit.lastModifiedDateTime),
    error: null,
    offboardRequestedDateTime: NULL_DATE,
  };
  if (unit.kind === 'site') return { ...out, siteId: unit.siteId, siteName: unit.siteName, siteWebUrl: unit.siteWebUrl };
  Object.assign(out, { directoryObjectId: unit.directoryObjectId, displayName: unit.displayName, email: unit.email });
  if (unit.kind === 'mailbox' && req.version !== 'v1.0') out.mailboxType = unit.mailboxType;
  return out;
}

/**
 * A restorePoint. `unit` is inlined as `protectionUnit` when the caller expanded it (the list and search endpoints
 * always do); a point whose unit is gone renders `protectionUnit: null` rather than failing.
 */
export function renderRestorePoint(
  point: RestorePoint,
  req: UnitView,
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
