import type { PublicErrorDetailResolvers } from '../generated/graphql.js';
import { UNKNOWN_ERROR_CODE } from './public-error.js';
import { graphString } from './support/graph-values.js';

export const PublicErrorDetail: PublicErrorDetailResolvers = {
  code: (d) => graphString(d.code) ?? UNKNOWN_ERROR_CODE,
  message: (d) => graphString(d.message),
  target: (d) => graphString(d.target),
};
