import type { TimePeriodResolvers } from '../generated/graphql.js';
import { graphDateTime } from './support/graph-values.js';

export const TimePeriod: TimePeriodResolvers = {
  startDateTime: (t) => graphDateTime(t.startDateTime),
  endDateTime: (t) => graphDateTime(t.endDateTime),
};
