import type { PublicInnerErrorResolvers } from '../generated/graphql.js';
import { graphString } from './support/graph-values.js';

export const PublicInnerError: PublicInnerErrorResolvers = {
  code: (e) => graphString(e.code),
  message: (e) => graphString(e.message),
  target: (e) => graphString(e.target),
  details: (e) => (Array.isArray(e.details) ? e.details.filter((d) => typeof d === 'object' && d !== null) : []),
};
