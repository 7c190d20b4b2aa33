import type { GraphProtectionUnit, GraphRestorePoint } from '../graph/dto.js';
import { restorePointTags } from '../graph/enums.js';
import type { GatewayContext } from '../context.js';
import type { RestorePointResolvers } from '../generated/graphql.js';
import { protectionUnitCopy, protectionUnitOrNull } from './protection-unit.js';
import { graphDateTime, graphEnum } from './support/graph-values.js';
import { checkReferenceId } from './support/ids.js';
import { fieldOf } from './support/inline-copy.js';

/**
 * A restore point may arrive as an inline copy: artifact lists carry only its id and dates. A field the copy lacks is
 * read from the full restore point (restorePointById, with its protection unit expanded), so a query that only asks for
 * the dates costs no extra Graph call; its unit alone comes from restorePointUnit (the same read where Graph expands).
 */
const field = <K extends keyof GraphRestorePoint, R>(
  point: GraphRestorePoint,
  key: K,
  ctx: GatewayContext,
  map: (v: GraphRestorePoint[K] | undefined) => R,
) => fieldOf(point, key, () => ctx.loaders.restorePointById.load(point.id), map);

/**
 * The unit a restore point names, as its family's type: its expanded copy answers whatever it carries (its id at least)
 * without another call; a copy that does not say which family it is needs the unit itself. A unit of a family this
 * gateway does not know is null.
 */
function unitOf(
  expanded: GraphRestorePoint['protectionUnit'],
  ctx: GatewayContext,
): GraphProtectionUnit | null | Promise<GraphProtectionUnit | null> {
  const unitId = expanded?.id;
  if (!expanded || typeof unitId !== 'string' || unitId === '') return null;
  const copy = protectionUnitCopy(expanded);
  if (copy !== undefined) return copy;
  return ctx.loaders.protectionUnitById.load(unitId).then((unit) => protectionUnitOrNull(unit));
}

export const RestorePoint: RestorePointResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.restorePointById.load(checkReferenceId('restorePoint', 'RestorePoint', 'id', ref.id)),
  id: (p) => p.id,
  protectionDateTime: (p, _args, ctx) => field(p, 'protectionDateTime', ctx, graphDateTime),
  expirationDateTime: (p, _args, ctx) => field(p, 'expirationDateTime', ctx, graphDateTime),
  tags: (p, _args, ctx) => field(p, 'tags', ctx, (tags) => graphEnum(restorePointTags, tags)),
  // An inline copy needs only the unit, which a Graph that refuses `$expand` here can answer on its own.
  protectionUnit: (p, _args, ctx) =>
    fieldOf(
      p,
      'protectionUnit',
      async () => ({ ...p, protectionUnit: await ctx.loaders.restorePointUnit.load(p.id) }),
      (expanded) => unitOf(expanded, ctx),
    ),
};
