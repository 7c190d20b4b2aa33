import type { RestorePointSearchResultResolvers } from '../generated/graphql.js';
import { graphString } from './support/graph-values.js';

export const RestorePointSearchResult: RestorePointSearchResultResolvers = {
  results: (r) => (Array.isArray(r.searchResults) ? r.searchResults.filter((hit) => typeof hit?.restorePoint?.id === 'string') : []),
  noResultProtectionUnitIds: (r) => (Array.isArray(r.noResultProtectionUnitIds) ? r.noResultProtectionUnitIds : []),
  searchResponseId: (r) => graphString(r.searchResponseId),
};
