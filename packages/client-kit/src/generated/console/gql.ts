/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment SessionSummary on RestoreSession {\n    id\n    status\n    isTerminal\n    restoreJobType\n    createdDateTime\n    completedDateTime\n    progress {\n      total\n      inProgress\n      completed\n      failed\n      percentComplete\n    }\n    error {\n      code\n      message\n    }\n  }\n": typeof types.SessionSummaryFragmentDoc,
    "\n  fragment UnitName on ProtectionUnit {\n    id\n    ... on SiteProtectionUnit {\n      siteName\n      siteWebUrl\n    }\n    ... on MailboxProtectionUnit {\n      displayName\n      email\n    }\n    ... on DriveProtectionUnit {\n      displayName\n      email\n    }\n  }\n": typeof types.UnitNameFragmentDoc,
    "\n  fragment ArtifactRow on RestoreArtifact {\n    id\n    restoreSessionId\n    status\n    isTerminal\n    destinationType\n    startDateTime\n    completionDateTime\n    error {\n      code\n      message\n    }\n    restorePoint {\n      id\n      protectionDateTime\n      protectionUnit {\n        ...UnitName\n      }\n    }\n    ... on SiteRestoreArtifact {\n      restoredSiteName\n      restoredSiteWebUrl\n    }\n    ... on MailboxRestoreArtifact {\n      restoredFolderName\n      restoredItemCount\n    }\n    ... on DriveRestoreArtifact {\n      restoredSiteName\n      restoredSiteWebUrl\n    }\n  }\n": typeof types.ArtifactRowFragmentDoc,
    "\n  query ConsoleDashboard($first: Int!, $after: String) {\n    restoreSessions(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...SessionSummary\n      }\n    }\n  }\n": typeof types.ConsoleDashboardDocument,
    "\n  query ConsoleSession($id: ID!, $first: Int!) {\n    restoreSession(id: $id) {\n      ...SessionSummary\n      ... on SharePointRestoreSession {\n        siteRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on ExchangeRestoreSession {\n        mailboxRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on OneDriveForBusinessRestoreSession {\n        driveRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConsoleSessionDocument,
    "\n  query ConsoleSessionArtifacts($id: ID!, $first: Int!) {\n    restoreSession(id: $id) {\n      id\n      ... on SharePointRestoreSession {\n        siteRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on ExchangeRestoreSession {\n        mailboxRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on OneDriveForBusinessRestoreSession {\n        driveRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConsoleSessionArtifactsDocument,
    "\n  subscription ConsoleFollowSession($id: ID!) {\n    restoreSessionStatusChanged(id: $id) {\n      ...SessionSummary\n    }\n  }\n": typeof types.ConsoleFollowSessionDocument,
    "\n  subscription ConsoleFollowArtifacts($restoreSessionId: ID!) {\n    restoreArtifactStatusChanged(restoreSessionId: $restoreSessionId) {\n      ...ArtifactRow\n    }\n  }\n": typeof types.ConsoleFollowArtifactsDocument,
    "\n  query ConsoleProtectedSites($first: Int!, $after: String) {\n    siteProtectionUnits(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        siteName\n        siteWebUrl\n        status\n      }\n    }\n  }\n": typeof types.ConsoleProtectedSitesDocument,
    "\n  query ConsoleRestorePoints($protectionUnitId: ID!, $before: DateTime) {\n    restorePoints(protectionUnitId: $protectionUnitId, before: $before) {\n      id\n      protectionDateTime\n      expirationDateTime\n      tags\n    }\n  }\n": typeof types.ConsoleRestorePointsDocument,
    "\n  mutation ConsoleCreateSiteRestore($input: CreateSharePointRestoreSessionInput!) {\n    createSharePointRestoreSession(input: $input) {\n      restoreSession {\n        ...SessionSummary\n      }\n    }\n  }\n": typeof types.ConsoleCreateSiteRestoreDocument,
    "\n  mutation ConsoleActivate($id: ID!) {\n    activateRestoreSession(id: $id) {\n      restoreSession {\n        ...SessionSummary\n      }\n    }\n  }\n": typeof types.ConsoleActivateDocument,
};
const documents: Documents = {
    "\n  fragment SessionSummary on RestoreSession {\n    id\n    status\n    isTerminal\n    restoreJobType\n    createdDateTime\n    completedDateTime\n    progress {\n      total\n      inProgress\n      completed\n      failed\n      percentComplete\n    }\n    error {\n      code\n      message\n    }\n  }\n": types.SessionSummaryFragmentDoc,
    "\n  fragment UnitName on ProtectionUnit {\n    id\n    ... on SiteProtectionUnit {\n      siteName\n      siteWebUrl\n    }\n    ... on MailboxProtectionUnit {\n      displayName\n      email\n    }\n    ... on DriveProtectionUnit {\n      displayName\n      email\n    }\n  }\n": types.UnitNameFragmentDoc,
    "\n  fragment ArtifactRow on RestoreArtifact {\n    id\n    restoreSessionId\n    status\n    isTerminal\n    destinationType\n    startDateTime\n    completionDateTime\n    error {\n      code\n      message\n    }\n    restorePoint {\n      id\n      protectionDateTime\n      protectionUnit {\n        ...UnitName\n      }\n    }\n    ... on SiteRestoreArtifact {\n      restoredSiteName\n      restoredSiteWebUrl\n    }\n    ... on MailboxRestoreArtifact {\n      restoredFolderName\n      restoredItemCount\n    }\n    ... on DriveRestoreArtifact {\n      restoredSiteName\n      restoredSiteWebUrl\n    }\n  }\n": types.ArtifactRowFragmentDoc,
    "\n  query ConsoleDashboard($first: Int!, $after: String) {\n    restoreSessions(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...SessionSummary\n      }\n    }\n  }\n": types.ConsoleDashboardDocument,
    "\n  query ConsoleSession($id: ID!, $first: Int!) {\n    restoreSession(id: $id) {\n      ...SessionSummary\n      ... on SharePointRestoreSession {\n        siteRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on ExchangeRestoreSession {\n        mailboxRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on OneDriveForBusinessRestoreSession {\n        driveRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n    }\n  }\n": types.ConsoleSessionDocument,
    "\n  query ConsoleSessionArtifacts($id: ID!, $first: Int!) {\n    restoreSession(id: $id) {\n      id\n      ... on SharePointRestoreSession {\n        siteRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on ExchangeRestoreSession {\n        mailboxRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on OneDriveForBusinessRestoreSession {\n        driveRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n    }\n  }\n": types.ConsoleSessionArtifactsDocument,
    "\n  subscription ConsoleFollowSession($id: ID!) {\n    restoreSessionStatusChanged(id: $id) {\n      ...SessionSummary\n    }\n  }\n": types.ConsoleFollowSessionDocument,
    "\n  subscription ConsoleFollowArtifacts($restoreSessionId: ID!) {\n    restoreArtifactStatusChanged(restoreSessionId: $restoreSessionId) {\n      ...ArtifactRow\n    }\n  }\n": types.ConsoleFollowArtifactsDocument,
    "\n  query ConsoleProtectedSites($first: Int!, $after: String) {\n    siteProtectionUnits(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        siteName\n        siteWebUrl\n        status\n      }\n    }\n  }\n": types.ConsoleProtectedSitesDocument,
    "\n  query ConsoleRestorePoints($protectionUnitId: ID!, $before: DateTime) {\n    restorePoints(protectionUnitId: $protectionUnitId, before: $before) {\n      id\n      protectionDateTime\n      expirationDateTime\n      tags\n    }\n  }\n": types.ConsoleRestorePointsDocument,
    "\n  mutation ConsoleCreateSiteRestore($input: CreateSharePointRestoreSessionInput!) {\n    createSharePointRestoreSession(input: $input) {\n      restoreSession {\n        ...SessionSummary\n      }\n    }\n  }\n": types.ConsoleCreateSiteRestoreDocument,
    "\n  mutation ConsoleActivate($id: ID!) {\n    activateRestoreSession(id: $id) {\n      restoreSession {\n        ...SessionSummary\n      }\n    }\n  }\n": types.ConsoleActivateDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionSummary on RestoreSession {\n    id\n    status\n    isTerminal\n    restoreJobType\n    createdDateTime\n    completedDateTime\n    progress {\n      total\n      inProgress\n      completed\n      failed\n      percentComplete\n    }\n    error {\n      code\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment SessionSummary on RestoreSession {\n    id\n    status\n    isTerminal\n    restoreJobType\n    createdDateTime\n    completedDateTime\n    progress {\n      total\n      inProgress\n      completed\n      failed\n      percentComplete\n    }\n    error {\n      code\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UnitName on ProtectionUnit {\n    id\n    ... on SiteProtectionUnit {\n      siteName\n      siteWebUrl\n    }\n    ... on MailboxProtectionUnit {\n      displayName\n      email\n    }\n    ... on DriveProtectionUnit {\n      displayName\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment UnitName on ProtectionUnit {\n    id\n    ... on SiteProtectionUnit {\n      siteName\n      siteWebUrl\n    }\n    ... on MailboxProtectionUnit {\n      displayName\n      email\n    }\n    ... on DriveProtectionUnit {\n      displayName\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ArtifactRow on RestoreArtifact {\n    id\n    restoreSessionId\n    status\n    isTerminal\n    destinationType\n    startDateTime\n    completionDateTime\n    error {\n      code\n      message\n    }\n    restorePoint {\n      id\n      protectionDateTime\n      protectionUnit {\n        ...UnitName\n      }\n    }\n    ... on SiteRestoreArtifact {\n      restoredSiteName\n      restoredSiteWebUrl\n    }\n    ... on MailboxRestoreArtifact {\n      restoredFolderName\n      restoredItemCount\n    }\n    ... on DriveRestoreArtifact {\n      restoredSiteName\n      restoredSiteWebUrl\n    }\n  }\n"): (typeof documents)["\n  fragment ArtifactRow on RestoreArtifact {\n    id\n    restoreSessionId\n    status\n    isTerminal\n    destinationType\n    startDateTime\n    completionDateTime\n    error {\n      code\n      message\n    }\n    restorePoint {\n      id\n      protectionDateTime\n      protectionUnit {\n        ...UnitName\n      }\n    }\n    ... on SiteRestoreArtifact {\n      restoredSiteName\n      restoredSiteWebUrl\n    }\n    ... on MailboxRestoreArtifact {\n      restoredFolderName\n      restoredItemCount\n    }\n    ... on DriveRestoreArtifact {\n      restoredSiteName\n      restoredSiteWebUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleDashboard($first: Int!, $after: String) {\n    restoreSessions(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...SessionSummary\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleDashboard($first: Int!, $after: String) {\n    restoreSessions(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...SessionSummary\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSession($id: ID!, $first: Int!) {\n    restoreSession(id: $id) {\n      ...SessionSummary\n      ... on SharePointRestoreSession {\n        siteRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on ExchangeRestoreSession {\n        mailboxRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on OneDriveForBusinessRestoreSession {\n        driveRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSession($id: ID!, $first: Int!) {\n    restoreSession(id: $id) {\n      ...SessionSummary\n      ... on SharePointRestoreSession {\n        siteRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on ExchangeRestoreSession {\n        mailboxRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on OneDriveForBusinessRestoreSession {\n        driveRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSessionArtifacts($id: ID!, $first: Int!) {\n    restoreSession(id: $id) {\n      id\n      ... on SharePointRestoreSession {\n        siteRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on ExchangeRestoreSession {\n        mailboxRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on OneDriveForBusinessRestoreSession {\n        driveRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSessionArtifacts($id: ID!, $first: Int!) {\n    restoreSession(id: $id) {\n      id\n      ... on SharePointRestoreSession {\n        siteRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on ExchangeRestoreSession {\n        mailboxRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n      ... on OneDriveForBusinessRestoreSession {\n        driveRestoreArtifacts(first: $first) {\n          totalCount\n          nodes {\n            ...ArtifactRow\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleFollowSession($id: ID!) {\n    restoreSessionStatusChanged(id: $id) {\n      ...SessionSummary\n    }\n  }\n"): (typeof documents)["\n  subscription ConsoleFollowSession($id: ID!) {\n    restoreSessionStatusChanged(id: $id) {\n      ...SessionSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleFollowArtifacts($restoreSessionId: ID!) {\n    restoreArtifactStatusChanged(restoreSessionId: $restoreSessionId) {\n      ...ArtifactRow\n    }\n  }\n"): (typeof documents)["\n  subscription ConsoleFollowArtifacts($restoreSessionId: ID!) {\n    restoreArtifactStatusChanged(restoreSessionId: $restoreSessionId) {\n      ...ArtifactRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleProtectedSites($first: Int!, $after: String) {\n    siteProtectionUnits(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        siteName\n        siteWebUrl\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleProtectedSites($first: Int!, $after: String) {\n    siteProtectionUnits(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        siteName\n        siteWebUrl\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleRestorePoints($protectionUnitId: ID!, $before: DateTime) {\n    restorePoints(protectionUnitId: $protectionUnitId, before: $before) {\n      id\n      protectionDateTime\n      expirationDateTime\n      tags\n    }\n  }\n"): (typeof documents)["\n  query ConsoleRestorePoints($protectionUnitId: ID!, $before: DateTime) {\n    restorePoints(protectionUnitId: $protectionUnitId, before: $before) {\n      id\n      protectionDateTime\n      expirationDateTime\n      tags\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCreateSiteRestore($input: CreateSharePointRestoreSessionInput!) {\n    createSharePointRestoreSession(input: $input) {\n      restoreSession {\n        ...SessionSummary\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCreateSiteRestore($input: CreateSharePointRestoreSessionInput!) {\n    createSharePointRestoreSession(input: $input) {\n      restoreSession {\n        ...SessionSummary\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleActivate($id: ID!) {\n    activateRestoreSession(id: $id) {\n      restoreSession {\n        ...SessionSummary\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleActivate($id: ID!) {\n    activateRestoreSession(id: $id) {\n      restoreSession {\n        ...SessionSummary\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;