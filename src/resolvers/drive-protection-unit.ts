import type { GraphDriveProtectionUnit } from '../graph/dto.js';
import type { GatewayContext } from '../context.js';
import type { DriveProtectionUnitResolvers } from '../generated/graphql.js';
import { protectionUnitFields, protectionUnitOrNull, unitField } from './protection-unit.js';
import { graphString } from './support/graph-values.js';
import { checkReferenceId } from './support/ids.js';

const field = <K extends keyof GraphDriveProtectionUnit, R>(
  unit: GraphDriveProtectionUnit,
  key: K,
  ctx: GatewayContext,
  map: (v: GraphDriveProtectionUnit[K] | undefined) => R,
) => unitField('drive', unit, key, ctx, map);

export const DriveProtectionUnit: DriveProtectionUnitResolvers = {
  // References of one request share protectionUnitById, so they are read in one $batch round.
  async __resolveReference(ref, ctx) {
    const id = checkReferenceId('protectionUnit', 'DriveProtectionUnit', 'id', ref.id);
    return protectionUnitOrNull(await ctx.loaders.protectionUnitById.load(id), 'drive');
  },
  ...protectionUnitFields('drive'),
  directoryObjectId: (u, _args, ctx) => field(u, 'directoryObjectId', ctx, graphString),
  displayName: (u, _args, ctx) => field(u, 'displayName', ctx, graphString),
  email: (u, _args, ctx) => field(u, 'email', ctx, graphString),
};
