import type { GraphQLError } from 'graphql';
import { GraphRequestError } from '../graph/errors.js';
import { toGraphQLError } from '../graphql-errors.js';

/**
 * How every batch function of the loaders turns its keys into answers: each key's call started in the same tick (so
 * they share `$batch` envelopes), and a failure becomes that key's error alone, so one failed item fails only the
 * fields that asked for it.
 */
export function settleAll<K, V>(
  keys: readonly K[],
  load: (key: K) => Promise<V>,
  toError: (err: unknown) => GraphQLError = toGraphQLError,
): Promise<Array<V | GraphQLError>> {
  return Promise.all(
    keys.map(async (key) => {
      try {
        return await load(key);
      } catch (err) {
        return toError(err);
      }
    }),
  );
}

/** Graph's 404 as null: the item does not exist, which the schema answers with null rather than an error. */
export async function nullIfNotFound<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof GraphRequestError && err.status === 404) return null;
    throw err;
  }
}
