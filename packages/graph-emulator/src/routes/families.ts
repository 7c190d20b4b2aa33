import type { SessionKind, UnitKind } from '../model/types.js';

/**
 * The three restore families (SharePoint, Exchange, OneDrive for Business) follow the same patterns under different
 * names: each has its own session set, artifact, granular and bulk collections, unit workload and wording. The routes
 * are written once over this table.
 */
export interface Family {
  kind: SessionKind;
  /** The workload of the units its artifacts restore. */
  unit: UnitKind;
  /** The session entity set, e.g. `exchangeRestoreSessions`. */
  set: string;
  /** The session type's name, e.g. `exchangeRestoreSession`. */
  sessionType: string;
  /** The standard artifact collection, e.g. `mailboxRestoreArtifacts`. */
  artifacts: string;
  granular: string;
  bulk: string;
  /** The bulk request type's name, e.g. `mailboxRestoreArtifactsBulkAdditionRequest`. */
  bulkType: string;
  /** Product name in messages. */
  label: string;
  /** What one artifact restores, in messages: `site`, `mailbox`, `OneDrive`. */
  noun: string;
}

export const FAMILIES: Record<SessionKind, Family> = {
  sharePoint: {
    kind: 'sharePoint',
    unit: 'site',
    set: 'sharePointRestoreSessions',
    sessionType: 'sharePointRestoreSession',
    artifacts: 'siteRestoreArtifacts',
    granular: 'granularSiteRestoreArtifacts',
    bulk: 'siteRestoreArtifactsBulkAdditionRequests',
    bulkType: 'siteRestoreArtifactsBulkAdditionRequest',
    label: 'SharePoint',
    noun: 'site',
  },
  exchange: {
    kind: 'exchange',
    unit: 'mailbox',
    set: 'exchangeRestoreSessions',
    sessionType: 'exchangeRestoreSession',
    artifacts: 'mailboxRestoreArtifacts',
    granular: 'granularMailboxRestoreArtifacts',
    bulk: 'mailboxRestoreArtifactsBulkAdditionRequests',
    bulkType: 'mailboxRestoreArtifactsBulkAdditionRequest',
    label: 'Exchange',
    noun: 'mailbox',
  },
  oneDriveForBusiness: {
    kind: 'oneDriveForBusiness',
    unit: 'drive',
    set: 'oneDriveForBusinessRestoreSessions',
    sessionType: 'oneDriveForBusinessRestoreSession',
    artifacts: 'driveRestoreArtifacts',
    granular: 'granularDriveRestoreArtifacts',
    bulk: 'driveRestoreArtifactsBulkAdditionRequests',
    bulkType: 'driveRestoreArtifactsBulkAdditionRequest',
    label: 'OneDrive',
    noun: 'OneDrive',
  },
};

export const FAMILY_LIST: readonly Family[] = [FAMILIES.sharePoint, FAMILIES.exchange, FAMILIES.oneDriveForBusiness];
