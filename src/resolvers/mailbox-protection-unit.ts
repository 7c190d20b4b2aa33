import type { GraphMailboxProtectionUnit } from '../graph/dto.js';
import { mailboxType } from '../graph/enums.js';
import type { GatewayContext } from '../context.js';
import type { MailboxProtectionUnitResolvers } from '../generated/graphql.js';
import { protectionUnitFields, protectionUnitOrNull, unitField } from './protection-unit.js';
import { graphEnum, graphString } from './support/graph-values.js';
import { checkReferenceId } from './support/ids.js';

const field = <K extends keyof GraphMailboxProtectionUnit, R>(
  unit: GraphMailboxProtectionUnit,
  key: K,
  ctx: GatewayContext,
  map: (v: GraphMailboxProtectionUnit[K] | undefined) => R,
) => unitField('mailbox', unit, key, ctx, map);

export const MailboxProtectionUnit: MailboxProtectionUnitResolvers = {
  // References of one request share protectionUnitById, so they are read in one $batch round.
  async __resolveReference(ref, ctx) {
    const id = checkReferenceId('protectionUnit', 'MailboxProtectionUnit', 'id', ref.id);
    return protectionUnitOrNull(await ctx.loaders.protectionUnitById.load(id), 'mailbox');
  },
  ...protectionUnitFields('mailbox'),
  directoryObjectId: (u, _args, ctx) => field(u, 'directoryObjectId', ctx, graphString),
  displayName: (u, _args, ctx) => field(u, 'displayName', ctx, graphString),
  email: (u, _args, ctx) => field(u, 'email', ctx, graphString),
  mailboxType: (u, _args, ctx) => field(u, 'mailboxType', ctx, (type) => graphEnum(mailboxType, type)),
};
