import { GraphQLError } from 'graphql';
import type { EnumMapping } from '../../graph/enums.js';
import { toGraphQLError } from '../../graphql-errors.js';

/**
 * GraphQL → Graph argument helpers: enum values mapped through `enums.ts`, with
 * `UNKNOWN_FUTURE_VALUE` refused (it names no Graph member the gateway could send), and client
 * calls whose failures become the client's GraphQL errors.
 */

const UNKNOWN = 'UNKNOWN_FUTURE_VALUE';

/** BAD_USER_INPUT naming the argument at fault, as the Graph client's own input errors do. */
export function badUserInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/** One enum argument as its Graph member. */
export function toGraphEnum<G extends string, W extends string>(mapping: EnumMapping<G, W>, value: G, argument: string): W {
  if (value === UNKNOWN)
    throw badUserInput(argument, `'${argument}' does not accept ${UNKNOWN}: it stands for values Graph may add later.`);
  return mapping.toGraph(value);
}

/** A list-of-enum filter as Graph members; null when absent or empty (no filter). */
export function toGraphEnums<G extends string, W extends string>(
  mapping: EnumMapping<G, W>,
  values: readonly G[] | null | undefined,
  argument: string,
): W[] | null {
  if (values === null || values === undefined || values.length === 0) return null;
  return values.map((v) => toGraphEnum(mapping, v, argument));
}

/** Awaits a Graph client call and rethrows its failure as the gateway's GraphQL error (codes, `extensions.graph`). */
export async function graphCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toGraphQLError(err);
  }
}
