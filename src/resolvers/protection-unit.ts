import type { GraphProtectionUnit, GraphProtectionUnitReference } from '../graph/dto.js';
import { protectionUnitStatus } from '../graph/enums.js';
import type { GatewayContext } from '../context.js';
import type { ProtectionUnitResolvers } from '../generated/graphql.js';
import { graphDateTime, graphIdentitySet, graphPublicError, graphString, requiredGraphEnum } from './support/graph-values.js';
import { fieldOf, inlineCopy } from './support/inline-copy.js';

/**
 * The `ProtectionUnit` interface: which family a Graph unit belongs to, and the fields every family's unit shares (the
 * three implementations spread {@link protectionUnitFields}).
 */

export type UnitFamily = 'site' | 'mailbox' | 'drive';

const FAMILIES: readonly UnitFamily[] = ['site', 'mailbox', 'drive'];
const TYPENAMES = { site: 'SiteProtectionUnit', mailbox: 'MailboxProtectionUnit', drive: 'DriveProtectionUnit' } as const;

/**
 * The family a unit's `@odata.type` names; null when it names one this gateway does not know (a newer workload);
 * undefined when it names none and the unit's own fields do not tell either. Only a site unit has a `siteId`: a
 * mailbox and a drive unit carry the same fields, so without a type they cannot be told apart.
 */
export function unitFamily(unit: GraphProtectionUnitReference): UnitFamily | null | undefined {
  const type = unit['@odata.type']?.toLowerCase();
  if (type === undefined || type === '') return 'siteId' in unit ? 'site' : undefined;
  return FAMILIES.find((family) => type.endsWith(`.${family}protectionunit`)) ?? null;
}

/**
 * `protectionUnits/{id}` answers any family's unit: null when it is of a family this gateway does not know, or of
 * another one than `family` (a mailbox unit is no `SiteProtectionUnit`).
 */
export function protectionUnitOrNull<U extends GraphProtectionUnit>(unit: GraphProtectionUnit | null, family?: UnitFamily): U | null {
  if (unit === null) return null;
  const known = unitFamily(unit);
  // The unit was read as its family: the check above is what makes it one.
  return known && (family === undefined || known === family) ? (unit as U) : null;
}

/**
 * A restore point's expanded unit as an inline copy of its family's type: null when it is of a family this gateway
 * does not know, undefined when it does not say which family it is (then the unit itself must be read).
 */
export function protectionUnitCopy(expanded: GraphProtectionUnitReference): GraphProtectionUnit | null | undefined {
  const family = unitFamily(expanded);
  if (!family) return family;
  // The copy may lack fields a unit always has (its status): each field resolver reads those from the unit itself.
  return inlineCopy(expanded as GraphProtectionUnit);
}

/** `key` of a unit of `family`, read from the unit itself when `unit` is an inline copy that lacks it. */
export function unitField<U extends GraphProtectionUnit, K extends keyof U, R>(
  family: UnitFamily,
  unit: U,
  key: K,
  ctx: GatewayContext,
  map: (v: U[K] | undefined) => R,
) {
  return fieldOf(unit, key, async () => protectionUnitOrNull<U>(await ctx.loaders.protectionUnitById.load(unit.id), family), map);
}

/** The interface's fields, for the unit type of `family`. */
export function protectionUnitFields(family: UnitFamily) {
  const field = <K extends keyof GraphProtectionUnit, R>(
    u: GraphProtectionUnit,
    key: K,
    ctx: GatewayContext,
    map: (v: GraphProtectionUnit[K] | undefined) => R,
  ) => unitField(family, u, key, ctx, map);
  return {
    id: (u: GraphProtectionUnit) => u.id,
    policyId: (u: GraphProtectionUnit, _args: unknown, ctx: GatewayContext) => field(u, 'policyId', ctx, graphString),
    status: (u: GraphProtectionUnit, _args: unknown, ctx: GatewayContext) =>
      field(u, 'status', ctx, (status) => requiredGraphEnum(protectionUnitStatus, status)),
    createdDateTime: (u: GraphProtectionUnit, _args: unknown, ctx: GatewayContext) => field(u, 'createdDateTime', ctx, graphDateTime),
    createdBy: (u: GraphProtectionUnit, _args: unknown, ctx: GatewayContext) => field(u, 'createdBy', ctx, graphIdentitySet),
    lastModifiedDateTime: (u: GraphProtectionUnit, _args: unknown, ctx: GatewayContext) =>
      field(u, 'lastModifiedDateTime', ctx, graphDateTime),
    lastModifiedBy: (u: GraphProtectionUnit, _args: unknown, ctx: GatewayContext) => field(u, 'lastModifiedBy', ctx, graphIdentitySet),
    error: (u: GraphProtectionUnit, _args: unknown, ctx: GatewayContext) => field(u, 'error', ctx, graphPublicError),
    offboardRequestedDateTime: (u: GraphProtectionUnit, _args: unknown, ctx: GatewayContext) =>
      field(u, 'offboardRequestedDateTime', ctx, graphDateTime),
  };
}

export const ProtectionUnit: ProtectionUnitResolvers = {
  // Only units of a known family reach the schema (protectionUnitOrNull, protectionUnitCopy); site is the default the
  // type needs, as a unit without a type is a site one when it has a site id.
  __resolveType: (u) => TYPENAMES[unitFamily(u) ?? 'site'],
};
