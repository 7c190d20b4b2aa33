import { expect } from 'vitest';
import {
  seedBrowseItem,
  seedDriveRestorePointId,
  seedDriveUnitId,
  seedRestorePointId,
  seedUnitId,
  type SeedBrowseItem,
} from '@restore-session-gateway/graph-emulator';
import type { GraphQLResponse } from '../support/graphql.js';
import type { TestGateway } from './harness.js';

/**
 * What the granular suites share: the two browse-item families named once (SharePoint sites and OneDrive accounts
 * differ only in names), browse sessions opened through the emulator's Graph API (as a console would through the
 * gateway's browse fields, which other suites cover), and the documents of the granular mutations.
 */

export interface ItemFamily {
  label: 'SharePoint' | 'OneDrive';
  sessionType: 'SharePointRestoreSession' | 'OneDriveForBusinessRestoreSession';
  artifactType: 'GranularSiteRestoreArtifact' | 'GranularDriveRestoreArtifact';
  create: 'createGranularSharePointRestoreSession' | 'createGranularOneDriveForBusinessRestoreSession';
  update: 'updateGranularSharePointRestoreSession' | 'updateGranularOneDriveForBusinessRestoreSession';
  createInput: string;
  updateInput: string;
  /** The session's granular connection. */
  list: 'granularSiteRestoreArtifacts' | 'granularDriveRestoreArtifacts';
  /** The owner field of its artifacts. */
  owner: 'siteId' | 'directoryObjectId';
  /** Graph's session set and browse session set. */
  graphSet: 'sharePointRestoreSessions' | 'oneDriveForBusinessRestoreSessions';
  browseSet: 'sharePointBrowseSessions' | 'oneDriveForBusinessBrowseSessions';
  /** The unit of seed index `index`, and its restore point of day `day` (0: the newest, a fast-restore point). */
  unitId(index: number): string;
  point(index: number, day: number, clockStart: string): string;
  /** The Documents library's name in the tree (a site's is "Documents" too; its URL segment differs). */
  documents: string;
}

export const ITEM_FAMILIES: readonly ItemFamily[] = [
  {
    label: 'SharePoint',
    sessionType: 'SharePointRestoreSession',
    artifactType: 'GranularSiteRestoreArtifact',
    create: 'createGranularSharePointRestoreSession',
    update: 'updateGranularSharePointRestoreSession',
    createInput: 'CreateGranularSharePointRestoreSessionInput',
    updateInput: 'UpdateGranularSharePointRestoreSessionInput',
    list: 'granularSiteRestoreArtifacts',
    owner: 'siteId',
    graphSet: 'sharePointRestoreSessions',
    browseSet: 'sharePointBrowseSessions',
    unitId: seedUnitId,
    point: seedRestorePointId,
    documents: 'Documents',
  },
  {
    label: 'OneDrive',
    sessionType: 'OneDriveForBusinessRestoreSession',
    artifactType: 'GranularDriveRestoreArtifact',
    create: 'createGranularOneDriveForBusinessRestoreSession',
    update: 'updateGranularOneDriveForBusinessRestoreSession',
    createInput: 'CreateGranularOneDriveForBusinessRestoreSessionInput',
    updateInput: 'UpdateGranularOneDriveForBusinessRestoreSessionInput',
    list: 'granularDriveRestoreArtifacts',
    owner: 'directoryObjectId',
    graphSet: 'oneDriveForBusinessRestoreSessions',
    browseSet: 'oneDriveForBusinessBrowseSessions',
    unitId: seedDriveUnitId,
    point: seedDriveRestorePointId,
    documents: 'Documents',
  },
];

/** The fields the suites read of a granular SharePoint or OneDrive artifact (selected on the family's type or the interface). */
export function itemArtifact(f: ItemFamily): string {
  return `__typename id restoreSessionId browseSessionId status isTerminal destinationType
    restorePointId restorePoint { id } restorePointDateTime webUrl restoredItemKey restoredItemPath restoredItemWebUrl
    startDateTime completionDateTime error { code message } ... on ${f.artifactType} { ${f.owner} }`;
}

export interface ItemArtifactView {
  __typename: string;
  id: string;
  restoreSessionId: string;
  browseSessionId: string | null;
  status: string;
  isTerminal: boolean;
  destinationType: string | null;
  restorePointId: string | null;
  restorePoint: { id: string } | null;
  restorePointDateTime: string | null;
  webUrl: string | null;
  restoredItemKey: string | null;
  restoredItemPath: string | null;
  restoredItemWebUrl: string | null;
  startDateTime: string | null;
  completionDateTime: string | null;
  error: { code: string; message: string } | null;
  siteId?: string | null;
  directoryObjectId?: string | null;
}

export interface ConnectionView<T> {
  totalCount: number | null;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
}

/** The session fields the suites read, with a page of its granular artifacts. */
export function sessionSelection(f: ItemFamily, page = '(first: 100)'): string {
  return `__typename id status restoreJobType isTerminal progress { total inProgress completed failed }
    ... on ${f.sessionType} { ${f.list}${page} { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id } } nodes { ${itemArtifact(f)} } } }`;
}

/** The granular documents of a family, taking their input as `$input`. */
export function itemDocuments(f: ItemFamily): { create: string; update: string } {
  return {
    create: `mutation ($input: ${f.createInput}!) { ${f.create}(input: $input) { restoreSession { ${sessionSelection(f)} } } }`,
    update: `mutation ($input: ${f.updateInput}!) { ${f.update}(input: $input) {
      addedArtifacts { ${itemArtifact(f)} }
      failures { operation itemKey browseSessionId code message }
      restoreSession { ${sessionSelection(f)} }
    } }`,
  };
}

/** Opens a browse session on restore point `restorePointId` through the emulator's Graph API (as the app). */
export async function openBrowseSession(gw: Pick<TestGateway, 't'>, f: ItemFamily, restorePointId: string): Promise<string> {
  const res = await gw.t.graph<{ id: string }>('POST', `/solutions/backupRestore/${f.browseSet}`, { body: { restorePointId } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** An item of seed unit `index`'s backed-up tree, by its path below the site (`Documents/Budget 2025.xlsx`). */
export function seedItem(f: ItemFamily, index: number, path: string): SeedBrowseItem {
  return seedBrowseItem(f.unitId(index), path);
}

/** `GranularItemInput`s of one browse session for these items. */
export const itemInputs = (
  browseSessionId: string,
  items: readonly SeedBrowseItem[],
): Array<{ browseSessionId: string; itemKey: string }> => items.map((i) => ({ browseSessionId, itemKey: i.itemKey }));

/** The data of an answer that must have succeeded. */
export function ok<T>(res: GraphQLResponse<T>): T {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data!;
}

/** The server-relative path of the folder a seed item is in (`/sites/<site>/Shared Documents`), from its URL. */
export function parentPathOf(item: SeedBrowseItem): string {
  const path = decodeURIComponent(new URL(item.webUrl).pathname);
  return path.slice(0, path.lastIndexOf('/'));
}
