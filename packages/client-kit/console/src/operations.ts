import { graphql } from '../../src/generated/console/gql.js';

// Every operation of the console, one per screen, written the client preset's way: `graphql()` over a literal, typed
// by codegen (the kit's codegen.ts) into src/generated/console/. Fragments are shared by the screen that lists a thing
// and the subscription that updates it, so an event carries exactly what the screen shows and lands on the same cache
// entry. Every selection of a keyed type selects its key fields (`id`; `id` and `restoreSessionId` for artifacts).

/** A session as the dashboard row and the session page's header show it. */
export const sessionSummaryFragment = graphql(`
  fragment SessionSummary on RestoreSession {
    id
    status
    isTerminal
    restoreJobType
    createdDateTime
    completedDateTime
    progress {
      total
      inProgress
      completed
      failed
      percentComplete
    }
    error {
      code
      message
    }
  }
`);

/** Who or what an artifact restores, for each family of protection unit. */
export const unitNameFragment = graphql(`
  fragment UnitName on ProtectionUnit {
    id
    ... on SiteProtectionUnit {
      siteName
      siteWebUrl
    }
    ... on MailboxProtectionUnit {
      displayName
      email
    }
    ... on DriveProtectionUnit {
      displayName
      email
    }
  }
`);

/** One artifact row: the fields every family shares, then each family's own through inline fragments. */
export const artifactRowFragment = graphql(`
  fragment ArtifactRow on RestoreArtifact {
    id
    restoreSessionId
    status
    isTerminal
    destinationType
    startDateTime
    completionDateTime
    error {
      code
      message
    }
    restorePoint {
      id
      protectionDateTime
      protectionUnit {
        ...UnitName
      }
    }
    ... on SiteRestoreArtifact {
      restoredSiteName
      restoredSiteWebUrl
    }
    ... on MailboxRestoreArtifact {
      restoredFolderName
      restoredItemCount
    }
    ... on DriveRestoreArtifact {
      restoredSiteName
      restoredSiteWebUrl
    }
  }
`);

export const dashboardQuery = graphql(`
  query ConsoleDashboard($first: Int!, $after: String) {
    restoreSessions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...SessionSummary
      }
    }
  }
`);

export const sessionQuery = graphql(`
  query ConsoleSession($id: ID!, $first: Int!) {
    restoreSession(id: $id) {
      ...SessionSummary
      ... on SharePointRestoreSession {
        siteRestoreArtifacts(first: $first) {
          totalCount
          nodes {
            ...ArtifactRow
          }
        }
      }
      ... on ExchangeRestoreSession {
        mailboxRestoreArtifacts(first: $first) {
          totalCount
          nodes {
            ...ArtifactRow
          }
        }
      }
      ... on OneDriveForBusinessRestoreSession {
        driveRestoreArtifacts(first: $first) {
          totalCount
          nodes {
            ...ArtifactRow
          }
        }
      }
    }
  }
`);

/**
 * The artifacts of a session again, and nothing of the session itself: what the session page reads when its artifact
 * subscription ended with an artifact still not final (events it missed before the gateway took its baseline).
 */
export const sessionArtifactsQuery = graphql(`
  query ConsoleSessionArtifacts($id: ID!, $first: Int!) {
    restoreSession(id: $id) {
      id
      ... on SharePointRestoreSession {
        siteRestoreArtifacts(first: $first) {
          totalCount
          nodes {
            ...ArtifactRow
          }
        }
      }
      ... on ExchangeRestoreSession {
        mailboxRestoreArtifacts(first: $first) {
          totalCount
          nodes {
            ...ArtifactRow
          }
        }
      }
      ... on OneDriveForBusinessRestoreSession {
        driveRestoreArtifacts(first: $first) {
          totalCount
          nodes {
            ...ArtifactRow
          }
        }
      }
    }
  }
`);

export const followSessionSubscription = graphql(`
  subscription ConsoleFollowSession($id: ID!) {
    restoreSessionStatusChanged(id: $id) {
      ...SessionSummary
    }
  }
`);

export const followArtifactsSubscription = graphql(`
  subscription ConsoleFollowArtifacts($restoreSessionId: ID!) {
    restoreArtifactStatusChanged(restoreSessionId: $restoreSessionId) {
      ...ArtifactRow
    }
  }
`);

export const protectedSitesQuery = graphql(`
  query ConsoleProtectedSites($first: Int!, $after: String) {
    siteProtectionUnits(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        siteName
        siteWebUrl
        status
      }
    }
  }
`);

export const restorePointsQuery = graphql(`
  query ConsoleRestorePoints($protectionUnitId: ID!, $before: DateTime) {
    restorePoints(protectionUnitId: $protectionUnitId, before: $before) {
      id
      protectionDateTime
      expirationDateTime
      tags
    }
  }
`);

export const createSiteRestoreMutation = graphql(`
  mutation ConsoleCreateSiteRestore($input: CreateSharePointRestoreSessionInput!) {
    createSharePointRestoreSession(input: $input) {
      restoreSession {
        ...SessionSummary
      }
    }
  }
`);

export const activateMutation = graphql(`
  mutation ConsoleActivate($id: ID!) {
    activateRestoreSession(id: $id) {
      restoreSession {
        ...SessionSummary
      }
    }
  }
`);
