import { parse } from 'graphql';
import type { Reference, TestSubgraph } from './types.js';

/** A SharePoint site, keyed by its Graph site id (`hostname,siteCollectionGuid,webGuid`). */
export interface SiteRecord {
  id: string;
  displayName: string;
  webUrl: string;
}

/**
 * A sites subgraph that owns `Site`, which the gateway subgraph references from
 * `SiteProtectionUnit.site` and `SiteRestoreArtifact.restoredSite`.
 */
export function createSitesSubgraph(sites: SiteRecord[]): TestSubgraph {
  const sitesById = new Map(sites.map((site) => [site.id, site]));
  return {
    name: 'sites',
    typeDefs: parse(/* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

      type Query {
        site(id: ID!): Site
      }

      type Site @key(fields: "id") {
        id: ID!
        displayName: String!
        webUrl: String!
      }
    `),
    resolvers: {
      Query: {
        site: (_root: unknown, args: { id: string }) => sitesById.get(args.id) ?? null,
      },
      Site: {
        __resolveReference: (reference: Reference) => sitesById.get(reference.id) ?? null,
      },
    },
  };
}
