import type { RestorePointSearchHitResolvers } from '../generated/graphql.js';

export const RestorePointSearchHit: RestorePointSearchHitResolvers = {
  restorePoint: (hit) => hit.restorePoint,
  // Only meaningful for a search with an artifact query (`mailItems`): null unless Graph sent a count.
  artifactHitCount: (hit) =>
    typeof hit.artifactHitCount === 'number' && Number.isInteger(hit.artifactHitCount) && hit.artifactHitCount >= 0
      ? hit.artifactHitCount
      : null,
};
