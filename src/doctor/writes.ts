import { graphPaths } from '../graph/url.js';
import { skipped, type Probe } from './probe.js';
import type { CheckOutcome } from './results.js';

/**
 * `--write`: one empty draft SharePoint restore session, created and deleted again, as the gateway's create and delete
 * mutations do (`POST sharePointRestoreSessions`, `DELETE restoreSessions/{id}`). Nothing else is written: a draft
 * without artifacts restores nothing, and the session's id is reported so it can be removed by hand if the delete fails.
 */
export async function checkWrites(probe: Probe): Promise<Record<string, CheckOutcome>> {
  const created = await probe.send({ method: 'POST', path: graphPaths.sharePointRestoreSessions(), body: {} });
  const id = (created.response?.body as { id?: unknown } | undefined)?.id;
  if (created.outcome.result !== 'works') return { createDraft: created.outcome, deleteDraft: skipped('nothing was created') };
  if (typeof id !== 'string' || id === '') {
    return {
      createDraft: { ...created.outcome, result: 'failed', detail: 'the answer names no session id' },
      deleteDraft: skipped('no id to delete'),
    };
  }
  const deleted = await probe.send({ method: 'DELETE', path: graphPaths.restoreSession(id) });
  const left = deleted.outcome.result === 'works' ? '' : `; draft ${id} is left: delete it in the Microsoft 365 admin center`;
  return {
    createDraft: { ...created.outcome, detail: `draft session ${id}` },
    deleteDraft: { ...deleted.outcome, detail: `${deleted.outcome.detail ?? `draft session ${id}`}${left}` },
  };
}
