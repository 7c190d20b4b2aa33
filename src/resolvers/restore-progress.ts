import type { RestoreProgressResolvers } from '../generated/graphql.js';

export const RestoreProgress: RestoreProgressResolvers = {
  // Graph's counters can briefly disagree with `total` while a restore moves; the share stays within 0..100.
  percentComplete: (p) => (p.total > 0 ? Math.min(100, ((p.completed + p.failed) / p.total) * 100) : 0),
};
