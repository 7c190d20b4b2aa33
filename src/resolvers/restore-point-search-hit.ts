import type { RestorePointSearchHitResolvers } from '../generated/graphql.js';

export const RestorePointSearchHit: RestorePointSearchHitResolvers = {
  restorePoint: (hit) => hit.restorePoint,
  // Only meaningful for searches with an artifact query, which the gateway does not send.
  artifactHitCount: () => null,
};
