import type { IdentityResolvers } from '../generated/graphql.js';
import { identityId } from './identity-set.js';
import { graphString } from './support/graph-values.js';

export const Identity: IdentityResolvers = {
  id: (i) => identityId(i),
  displayName: (i) => graphString(i.displayName),
  email: (i) => graphString(i.email),
  tenantId: (i) => graphString(i.tenantId),
};
