import { graphql } from '../src/generated/example/gql.js';

// The example's operations, written the client preset's way: `graphql()` over a literal, which codegen (codegen.ts)
// reads from this file and types in src/generated/example/. Every selection of a type that has a `@key` selects its
// key fields (`id`; for artifacts `id` and `restoreSessionId`), so the kit's type policies can normalize it.

export const sessionStatusFragment = graphql(`
  fragment SessionStatus on RestoreSession {
    id
    status
    isTerminal
    progress {
      total
      inProgress
      completed
      failed
      percentComplete
    }
  }
`);

export const restoreDashboardQuery = graphql(`
  query RestoreDashboard($first: Int = 10, $after: String) {
    restoreSessions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...SessionStatus
        createdDateTime
        ... on SharePointRestoreSession {
          siteRestoreArtifacts(first: 3) {
            totalCount
            nodes {
              id
              restoreSessionId
              status
              restorePoint {
                id
                protectionDateTime
                protectionUnit {
                  id
                  ... on SiteProtectionUnit {
                    siteName
                    siteWebUrl
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`);

export const protectedSitesQuery = graphql(`
  query ProtectedSites($first: Int!) {
    siteProtectionUnits(first: $first) {
      nodes {
        id
        siteName
      }
    }
  }
`);

export const newestRestorePointsQuery = graphql(`
  query NewestRestorePoints($protectionUnitId: ID!) {
    restorePoints(protectionUnitId: $protectionUnitId) {
      id
      protectionDateTime
    }
  }
`);

export const createRestoreMutation = graphql(`
  mutation CreateRestore($input: CreateSharePointRestoreSessionInput!) {
    createSharePointRestoreSession(input: $input) {
      restoreSession {
        ...SessionStatus
        siteRestoreArtifacts {
          totalCount
          nodes {
            id
            restoreSessionId
            status
          }
        }
      }
    }
  }
`);

export const activateRestoreMutation = graphql(`
  mutation ActivateRestore($id: ID!) {
    activateRestoreSession(id: $id) {
      restoreSession {
        ...SessionStatus
      }
    }
  }
`);

export const followRestoreSubscription = graphql(`
  subscription FollowRestore($id: ID!) {
    restoreSessionStatusChanged(id: $id) {
      ...SessionStatus
    }
  }
`);
