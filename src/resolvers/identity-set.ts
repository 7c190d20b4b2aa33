import type { GraphIdentity } from '../graph/dto.js';
import type { IdentitySetResolvers } from '../generated/graphql.js';

/** An identity with at least one member, or null: Graph's identity is an open type. */
function present(identity: GraphIdentity | null | undefined): GraphIdentity | null {
  return typeof identity === 'object' && identity !== null ? identity : null;
}

/** Some Graph answers carry the user's object id in `identity` instead of `id`. */
export function identityId(identity: GraphIdentity): string | null {
  const id = identity.id ?? identity.identity;
  return typeof id === 'string' && id !== '' ? id : null;
}

export const IdentitySet: IdentitySetResolvers = {
  user: (s) => {
    const user = present(s.user);
    const id = user ? identityId(user) : null;
    return id === null ? null : { id };
  },
  userIdentity: (s) => present(s.user),
  application: (s) => present(s.application),
  device: (s) => present(s.device),
};
