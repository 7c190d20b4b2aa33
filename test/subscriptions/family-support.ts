import {
  LEGAL_HOLD_DRIVE_INDEX,
  LEGAL_HOLD_MAILBOX_INDEX,
  seedDriveRestorePointId,
  seedMailboxRestorePointId,
} from '@restore-session-gateway/graph-emulator';
import { graphCalls, type TestEmulator } from '@restore-session-gateway/graph-emulator/testing';

/**
 * Exchange and OneDrive restores for the live-status suites, made through Graph REST on the emulator (as
 * `createDraft` makes SharePoint ones), so that they do not depend on the gateway's own mutations.
 */

export type RestoreFamily = 'exchange' | 'oneDrive';

interface FamilySet {
  /** The family's own session set under `/solutions/backupRestore`. */
  set: string;
  /** The artifact list of a session, as in a create body and in its path. */
  artifacts: string;
  /** The GraphQL type its artifacts resolve to. */
  typename: 'MailboxRestoreArtifact' | 'DriveRestoreArtifact';
  /** Restore point `day` of protected unit `index`. */
  point(index: number, day: number): string;
  /** The unit under legal hold: restoring it fails with ArtifactCannotBeRestored. */
  hold: number;
}

export const FAMILY_SETS: Readonly<Record<RestoreFamily, FamilySet>> = {
  exchange: {
    set: 'exchangeRestoreSessions',
    artifacts: 'mailboxRestoreArtifacts',
    typename: 'MailboxRestoreArtifact',
    point: (index, day) => seedMailboxRestorePointId(index, day),
    hold: LEGAL_HOLD_MAILBOX_INDEX,
  },
  oneDrive: {
    set: 'oneDriveForBusinessRestoreSessions',
    artifacts: 'driveRestoreArtifacts',
    typename: 'DriveRestoreArtifact',
    point: (index, day) => seedDriveRestorePointId(index, day),
    hold: LEGAL_HOLD_DRIVE_INDEX,
  },
};

/** Units whose restores end with one failure among successes (the held unit), as `RESTORES.completedWithError` does for sites. */
export function withOneFailure(family: RestoreFamily): number[] {
  return [2, FAMILY_SETS[family].hold, 3];
}

/** Creates a draft Exchange or OneDrive session restoring `units` in place from their newest restore point, through Graph REST. */
export async function createFamilyDraft(t: TestEmulator, family: RestoreFamily, units: readonly number[]): Promise<string> {
  const { set, artifacts, point } = FAMILY_SETS[family];
  const res = await t.graph<{ id: string }>('POST', `/solutions/backupRestore/${set}`, {
    body: { [artifacts]: units.map((u) => ({ restorePoint: { id: point(u, 0) }, destinationType: 'inPlace' })) },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/**
 * How many times a subscriber (anyone but the gateway's app) read the artifacts of session `id`: each artifact
 * subscription reads them once as its baseline, and a restore activated before that read would be part of it.
 */
export function subscriberArtifactReads(t: TestEmulator, id: string): number {
  const session = `/${id.toLowerCase()}/`;
  return graphCalls(t.emu.journal.list()).filter(
    (e) =>
      e.method === 'GET' &&
      e.subject !== t.emu.settings.AZURE_CLIENT_ID &&
      e.path.toLowerCase().includes(session) &&
      e.path.toLowerCase().includes('restoreartifacts'),
  ).length;
}
