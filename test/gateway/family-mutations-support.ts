import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import { expect } from 'vitest';
import {
  SEED_SESSION_IDS,
  seedDriveRestorePointId,
  seedMailboxAddress,
  seedMailboxRestorePointId,
  seedPerson,
  type SeedClockStart,
} from '@restore-session-gateway/graph-emulator';
import type { GraphQLResponse } from '../support/graphql.js';
import type { TestGateway } from './harness.js';

/**
 * The Exchange and OneDrive writes follow one pattern under different names: the table below names them per family,
 * and the documents are built from it, so family-mutations.test.ts and family-mutations-errors.test.ts run the same
 * checks on both families with `describe.each`.
 */

export interface FamilyCase {
  label: 'Exchange' | 'OneDrive';
  sessionType: 'ExchangeRestoreSession' | 'OneDriveForBusinessRestoreSession';
  artifactType: 'MailboxRestoreArtifact' | 'DriveRestoreArtifact';
  unitType: 'MailboxProtectionUnit' | 'DriveProtectionUnit';
  bulkType: 'MailboxRestoreArtifactsBulkAdditionRequest' | 'DriveRestoreArtifactsBulkAdditionRequest';
  /** Mutation fields. */
  create: string;
  update: string;
  add: string;
  createBulk: string;
  deleteBulk: string;
  /** Input types. */
  createInput: string;
  updateInput: string;
  addInput: string;
  createBulkInput: string;
  /** The create input's list, and the session's artifact connection: the same name. */
  artifacts: 'mailboxRestoreArtifacts' | 'driveRestoreArtifacts';
  adds: string;
  removes: string;
  /** The add payload's artifact field. */
  added: 'mailboxRestoreArtifact' | 'driveRestoreArtifact';
  bulkList: 'mailboxRestoreArtifactsBulkAdditionRequests' | 'driveRestoreArtifactsBulkAdditionRequests';
  /** What the bulk input names owners' addresses with. */
  owners: 'mailboxes' | 'drives';
  /** Graph's session set and bulk collection, for fault rules and direct emulator calls. */
  graphSet: 'exchangeRestoreSessions' | 'oneDriveForBusinessRestoreSessions';
  graphBulk: 'mailboxRestoreArtifactsBulkAdditionRequests' | 'driveRestoreArtifactsBulkAdditionRequests';
  graphArtifacts: 'mailboxRestoreArtifacts' | 'driveRestoreArtifacts';
  /** Restore point `day` (0 = newest) of the family's unit `index`. */
  point(index: number, day: number, clockStart: SeedClockStart): string;
  /** The address a bulk request names unit `index` by. */
  address(index: number): string;
  /** Where a restore to a new location goes, as the gateway's refusals word it. */
  newPlace: string;
  /** A draft of another family: this family's writes do not know it. */
  otherFamilyDraft: string;
}

export const FAMILY_CASES: readonly FamilyCase[] = [
  {
    label: 'Exchange',
    sessionType: 'ExchangeRestoreSession',
    artifactType: 'MailboxRestoreArtifact',
    unitType: 'MailboxProtectionUnit',
    bulkType: 'MailboxRestoreArtifactsBulkAdditionRequest',
    create: 'createExchangeRestoreSession',
    update: 'updateExchangeRestoreSession',
    add: 'addMailboxRestoreArtifact',
    createBulk: 'createMailboxRestoreArtifactsBulkAdditionRequest',
    deleteBulk: 'deleteMailboxRestoreArtifactsBulkAdditionRequest',
    createInput: 'CreateExchangeRestoreSessionInput',
    updateInput: 'UpdateExchangeRestoreSessionInput',
    addInput: 'AddMailboxRestoreArtifactInput',
    createBulkInput: 'CreateMailboxRestoreArtifactsBulkAdditionRequestInput',
    artifacts: 'mailboxRestoreArtifacts',
    adds: 'addMailboxRestoreArtifacts',
    removes: 'removeMailboxRestoreArtifactIds',
    added: 'mailboxRestoreArtifact',
    bulkList: 'mailboxRestoreArtifactsBulkAdditionRequests',
    owners: 'mailboxes',
    graphSet: 'exchangeRestoreSessions',
    graphBulk: 'mailboxRestoreArtifactsBulkAdditionRequests',
    graphArtifacts: 'mailboxRestoreArtifacts',
    point: seedMailboxRestorePointId,
    address: seedMailboxAddress,
    newPlace: 'new folders',
    otherFamilyDraft: SEED_SESSION_IDS.draft,
  },
  {
    label: 'OneDrive',
    sessionType: 'OneDriveForBusinessRestoreSession',
    artifactType: 'DriveRestoreArtifact',
    unitType: 'DriveProtectionUnit',
    bulkType: 'DriveRestoreArtifactsBulkAdditionRequest',
    create: 'createOneDriveForBusinessRestoreSession',
    update: 'updateOneDriveForBusinessRestoreSession',
    add: 'addDriveRestoreArtifact',
    createBulk: 'createDriveRestoreArtifactsBulkAdditionRequest',
    deleteBulk: 'deleteDriveRestoreArtifactsBulkAdditionRequest',
    createInput: 'CreateOneDriveForBusinessRestoreSessionInput',
    updateInput: 'UpdateOneDriveForBusinessRestoreSessionInput',
    addInput: 'AddDriveRestoreArtifactInput',
    createBulkInput: 'CreateDriveRestoreArtifactsBulkAdditionRequestInput',
    artifacts: 'driveRestoreArtifacts',
    adds: 'addDriveRestoreArtifacts',
    removes: 'removeDriveRestoreArtifactIds',
    added: 'driveRestoreArtifact',
    bulkList: 'driveRestoreArtifactsBulkAdditionRequests',
    owners: 'drives',
    graphSet: 'oneDriveForBusinessRestoreSessions',
    graphBulk: 'driveRestoreArtifactsBulkAdditionRequests',
    graphArtifacts: 'driveRestoreArtifacts',
    point: seedDriveRestorePointId,
    // A OneDrive is named by its owner's e-mail address.
    address: (index) => seedPerson(index).email,
    newPlace: 'new sites',
    otherFamilyDraft: SEED_SESSION_IDS.draft,
  },
];

export const ARTIFACT = `__typename id status destinationType restorePointId restoreSessionId
  restorePoint { id protectionUnit { __typename id } }`;

/** The session fields every test reads, with the family's artifacts. */
export function sessionFields(f: FamilyCase): string {
  return `__typename id status restoreJobType progress { total }
    ... on ${f.sessionType} { ${f.artifacts}(first: 100) { totalCount nodes { ${ARTIFACT} } } }`;
}

/** Each new mutation of a family, as a document taking its arguments as variables. */
export function familyDocuments(f: FamilyCase): {
  create: string;
  update: string;
  add: string;
  createBulk: string;
  deleteBulk: string;
} {
  return {
    create: `mutation ($input: ${f.createInput}!) { ${f.create}(input: $input) { restoreSession { ${sessionFields(f)} } } }`,
    update: `mutation ($input: ${f.updateInput}!) { ${f.update}(input: $input) {
      addedArtifacts { ${ARTIFACT} }
      failures { operation artifactId restorePointId code message }
      restoreSession { ${sessionFields(f)} }
    } }`,
    add: `mutation ($input: ${f.addInput}!) { ${f.add}(input: $input) { ${f.added} { ${ARTIFACT} } } }`,
    createBulk: `mutation ($input: ${f.createBulkInput}!) { ${f.createBulk}(input: $input) {
      bulkAdditionRequest { __typename id restoreSessionId displayName status isTerminal destinationType restorePointPreference tags
        protectionTimePeriod { startDateTime endDateTime } }
    } }`,
    deleteBulk: `mutation ($restoreSessionId: ID!, $id: ID!) {
      ${f.deleteBulk}(restoreSessionId: $restoreSessionId, id: $id) { deletedBulkAdditionRequestId }
    }`,
  };
}

export interface ArtifactView {
  __typename: string;
  id: string;
  status: string;
  destinationType: string;
  restorePointId: string | null;
  restoreSessionId: string;
  restorePoint: { id: string; protectionUnit: { __typename: string; id: string } | null } | null;
}

export interface SessionView {
  __typename: string;
  id: string;
  status: string;
  restoreJobType: string | null;
  progress: { total: number };
  [artifacts: string]: unknown;
}

/** The artifacts a session view lists, whichever family it is. */
export function artifactsOf(f: FamilyCase, session: SessionView): ArtifactView[] {
  const connection = session[f.artifacts] as { nodes: ArtifactView[] } | undefined;
  return connection?.nodes ?? [];
}

/** A bulk request's time window around the seed's clock start: its last week, which holds restore points 0 to 6. */
export function lastWeek(clockStart: SeedClockStart): { startDateTime: string; endDateTime: string } {
  const end = new Date(clockStart);
  return { startDateTime: new Date(end.getTime() - 7 * 86_400_000).toISOString(), endDateTime: end.toISOString() };
}

/** The data of an answer that must have succeeded. */
export function okData<T>(res: GraphQLResponse<T>): T {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data!;
}

/** Graph calls other than reads: what a mutation wrote upstream. */
export const upstreamWrites = (gw: TestGateway): string[] =>
  graphCalls(gw.graphEntries())
    .filter((e) => e.method !== 'GET')
    .map((e) => `${e.method} ${e.path} ${e.status}`);
