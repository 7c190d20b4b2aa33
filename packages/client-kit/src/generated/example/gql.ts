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
    "\n  fragment SessionStatus on RestoreSession {\n    id\n    status\n    isTerminal\n    progress {\n      total\n      inProgress\n      completed\n      failed\n      percentComplete\n    }\n  }\n": typeof types.SessionStatusFragmentDoc,
    "\n  query RestoreDashboard($first: Int = 10, $after: String) {\n    restoreSessions(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...SessionStatus\n        createdDateTime\n        ... on SharePointRestoreSession {\n          siteRestoreArtifacts(first: 3) {\n            totalCount\n            nodes {\n              id\n              restoreSessionId\n              status\n              restorePoint {\n                id\n                protectionDateTime\n                protectionUnit {\n                  id\n                  ... on SiteProtectionUnit {\n                    siteName\n                    siteWebUrl\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.RestoreDashboardDocument,
    "\n  query ProtectedSites($first: Int!) {\n    siteProtectionUnits(first: $first) {\n      nodes {\n        id\n        siteName\n      }\n    }\n  }\n": typeof types.ProtectedSitesDocument,
    "\n  query NewestRestorePoints($protectionUnitId: ID!) {\n    restorePoints(protectionUnitId: $protectionUnitId) {\n      id\n      protectionDateTime\n    }\n  }\n": typeof types.NewestRestorePointsDocument,
    "\n  mutation CreateRestore($input: CreateSharePointRestoreSessionInput!) {\n    createSharePointRestoreSession(input: $input) {\n      restoreSession {\n        ...SessionStatus\n        siteRestoreArtifacts {\n          totalCount\n          nodes {\n            id\n            restoreSessionId\n            status\n          }\n        }\n      }\n    }\n  }\n": typeof types.CreateRestoreDocument,
    "\n  mutation ActivateRestore($id: ID!) {\n    activateRestoreSession(id: $id) {\n      restoreSession {\n        ...SessionStatus\n      }\n    }\n  }\n": typeof types.ActivateRestoreDocument,
    "\n  subscription FollowRestore($id: ID!) {\n    restoreSessionStatusChanged(id: $id) {\n      ...SessionStatus\n    }\n  }\n": typeof types.FollowRestoreDocument,
};
const documents: Documents = {
    "\n  fragment SessionStatus on RestoreSession {\n    id\n    status\n    isTerminal\n    progress {\n      total\n      inProgress\n      completed\n      failed\n      percentComplete\n    }\n  }\n": types.SessionStatusFragmentDoc,
    "\n  query RestoreDashboard($first: Int = 10, $after: String) {\n    restoreSessions(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...SessionStatus\n        createdDateTime\n        ... on SharePointRestoreSession {\n          siteRestoreArtifacts(first: 3) {\n            totalCount\n            nodes {\n              id\n              restoreSessionId\n              status\n              restorePoint {\n                id\n                protectionDateTime\n                protectionUnit {\n                  id\n                  ... on SiteProtectionUnit {\n                    siteName\n                    siteWebUrl\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.RestoreDashboardDocument,
    "\n  query ProtectedSites($first: Int!) {\n    siteProtectionUnits(first: $first) {\n      nodes {\n        id\n        siteName\n      }\n    }\n  }\n": types.ProtectedSitesDocument,
    "\n  query NewestRestorePoints($protectionUnitId: ID!) {\n    restorePoints(protectionUnitId: $protectionUnitId) {\n      id\n      protectionDateTime\n    }\n  }\n": types.NewestRestorePointsDocument,
    "\n  mutation CreateRestore($input: CreateSharePointRestoreSessionInput!) {\n    createSharePointRestoreSession(input: $input) {\n      restoreSession {\n        ...SessionStatus\n        siteRestoreArtifacts {\n          totalCount\n          nodes {\n            id\n            restoreSessionId\n            status\n          }\n        }\n      }\n    }\n  }\n": types.CreateRestoreDocument,
    "\n  mutation ActivateRestore($id: ID!) {\n    activateRestoreSession(id: $id) {\n      restoreSession {\n        ...SessionStatus\n      }\n    }\n  }\n": types.ActivateRestoreDocument,
    "\n  subscription FollowRestore($id: ID!) {\n    restoreSessionStatusChanged(id: $id) {\n      ...SessionStatus\n    }\n  }\n": types.FollowRestoreDocument,
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
export function graphql(source: "\n  fragment SessionStatus on RestoreSession {\n    id\n    status\n    isTerminal\n    progress {\n      total\n      inProgress\n      completed\n      failed\n      percentComplete\n    }\n  }\n"): (typeof documents)["\n  fragment SessionStatus on RestoreSession {\n    id\n    status\n    isTerminal\n    progress {\n      total\n      inProgress\n      completed\n      failed\n      percentComplete\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RestoreDashboard($first: Int = 10, $after: String) {\n    restoreSessions(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...SessionStatus\n        createdDateTime\n        ... on SharePointRestoreSession {\n          siteRestoreArtifacts(first: 3) {\n            totalCount\n            nodes {\n              id\n              restoreSessionId\n              status\n              restorePoint {\n                id\n                protectionDateTime\n                protectionUnit {\n                  id\n                  ... on SiteProtectionUnit {\n                    siteName\n                    siteWebUrl\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RestoreDashboard($first: Int = 10, $after: String) {\n    restoreSessions(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...SessionStatus\n        createdDateTime\n        ... on SharePointRestoreSession {\n          siteRestoreArtifacts(first: 3) {\n            totalCount\n            nodes {\n              id\n              restoreSessionId\n              status\n              restorePoint {\n                id\n                protectionDateTime\n                protectionUnit {\n                  id\n                  ... on SiteProtectionUnit {\n                    siteName\n                    siteWebUrl\n                  }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProtectedSites($first: Int!) {\n    siteProtectionUnits(first: $first) {\n      nodes {\n        id\n        siteName\n      }\n    }\n  }\n"): (typeof documents)["\n  query ProtectedSites($first: Int!) {\n    siteProtectionUnits(first: $first) {\n      nodes {\n        id\n        siteName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NewestRestorePoints($protectionUnitId: ID!) {\n    restorePoints(protectionUnitId: $protectionUnitId) {\n      id\n      protectionDateTime\n    }\n  }\n"): (typeof documents)["\n  query NewestRestorePoints($protectionUnitId: ID!) {\n    restorePoints(protectionUnitId: $protectionUnitId) {\n      id\n      protectionDateTime\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRestore($input: CreateSharePointRestoreSessionInput!) {\n    createSharePointRestoreSession(input: $input) {\n      restoreSession {\n        ...SessionStatus\n        siteRestoreArtifacts {\n          totalCount\n          nodes {\n            id\n            restoreSessionId\n            status\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateRestore($input: CreateSharePointRestoreSessionInput!) {\n    createSharePointRestoreSession(input: $input) {\n      restoreSession {\n        ...SessionStatus\n        siteRestoreArtifacts {\n          totalCount\n          nodes {\n            id\n            restoreSessionId\n            status\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ActivateRestore($id: ID!) {\n    activateRestoreSession(id: $id) {\n      restoreSession {\n        ...SessionStatus\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ActivateRestore($id: ID!) {\n    activateRestoreSession(id: $id) {\n      restoreSession {\n        ...SessionStatus\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FollowRestore($id: ID!) {\n    restoreSessionStatusChanged(id: $id) {\n      ...SessionStatus\n    }\n  }\n"): (typeof documents)["\n  subscription FollowRestore($id: ID!) {\n    restoreSessionStatusChanged(id: $id) {\n      ...SessionStatus\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;