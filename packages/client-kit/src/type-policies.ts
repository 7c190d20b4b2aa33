import { InMemoryCache, type InMemoryCacheConfig, type TypePolicies, type TypePolicy } from '@apollo/client/cache';
import { connectionPagination } from './connection-pagination.js';
import { connectionFields, keyFields, possibleTypes, unkeyedTypesWithId } from './generated/schema-facts.js';

/**
 * Apollo Client's type policies for the gateway, from the facts generated out of its schema:
 * - every entity (a type with a federation `@key`) is keyed by its `@key` fields, so a site restore artifact, whose
 *   id Graph keeps unique only within its session, is keyed by `id` and `restoreSessionId` together;
 * - a type with an `id` but no `@key` (an identity snapshot, a bulk addition request) is not an entity: its `id` alone
 *   is not unique, so it stays inside the object that holds it instead of being merged with namesakes;
 * - every Relay connection field pages with `connectionPagination`, keyed by its non-paging arguments.
 * A query must select the key fields of every keyed type it selects: Apollo refuses to write one without them.
 */
export function createTypePolicies(): TypePolicies {
  const policies: Record<string, TypePolicy> = {};
  for (const type of unkeyedTypesWithId) policies[type] = { keyFields: false };
  for (const [type, fields] of Object.entries(keyFields)) policies[type] = { keyFields: fields };
  for (const [type, fields] of Object.entries(connectionFields)) {
    const fieldPolicies = Object.fromEntries(
      Object.entries(fields).map(([field, keyArgs]) => [field, connectionPagination(keyArgs.length > 0 ? [...keyArgs] : false)]),
    );
    policies[type] = { ...policies[type], fields: fieldPolicies };
  }
  return policies;
}

/** The gateway's type policies, ready for `new InMemoryCache({ possibleTypes, typePolicies })`. */
export const typePolicies: TypePolicies = createTypePolicies();

export { possibleTypes };

/**
 * An `InMemoryCache` for the gateway: its possible types and type policies, plus yours. Your type policies are added
 * the way Apollo adds them, field by field, so a policy of your own for a connection's type keeps the kit's pagination
 * on the fields you leave alone.
 */
export function createGatewayCache(config: InMemoryCacheConfig = {}): InMemoryCache {
  const { typePolicies: own, possibleTypes: ownPossibleTypes, ...rest } = config;
  const cache = new InMemoryCache({
    ...rest,
    possibleTypes: { ...possibleTypes, ...ownPossibleTypes },
    typePolicies: createTypePolicies(),
  });
  if (own) cache.policies.addTypePolicies(own);
  return cache;
}
