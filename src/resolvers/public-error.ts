import type { PublicErrorResolvers } from '../generated/graphql.js';
import { graphString } from './support/graph-values.js';

/** The code of the schema for an error Graph sent without one. */
export const UNKNOWN_ERROR_CODE = 'UnknownError';

export const PublicError: PublicErrorResolvers = {
  code: (e) => graphString(e.code) ?? UNKNOWN_ERROR_CODE,
  message: (e) => graphString(e.message),
  target: (e) => graphString(e.target),
  details: (e) => (Array.isArray(e.details) ? e.details.filter((d) => typeof d === 'object' && d !== null) : []),
  innerError: (e) => (typeof e.innerError === 'object' && e.innerError !== null ? e.innerError : null),
};
