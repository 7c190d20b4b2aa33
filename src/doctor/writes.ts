import { graphPaths } from '../graph/url.js';
import type { RestoreFamily } from '../graph/enums.js';
import { skipped, type Probe } from './probe.js';
import type { CheckOutcome } from './results.js';

/**
 * `--write`: one empty draft restore session of each family, created and deleted again, as the gateway's create and
 * delete mutations do (`POST sharePointRestoreSessions`, `exchangeRestoreSessions` or
 * `oneDriveForBusinessRestoreSessions`, then `DELETE restoreSessions/{id}`). Nothing else is written: a draft without
 * artifacts restores nothing, and each session's id is reported so it can be removed by hand if its delete fails.
 */

/** The checks' names: SharePoint's are the original `createDraft` and `deleteDraft`, which tools already read. */
const CHECK_NAMES: Record<RestoreFamily, { create: string; remove: string }> = {
  sharePoint: { create: 'createDraft', remove: 'deleteDraft' },
  exchange: { create: 'createExchangeDraft', remove: 'deleteExchangeDraft' },
  oneDriveForBusiness: { create: 'createOneDriveDraft', remove: 'deleteOneDriveDraft' },
};

async function checkFamily(probe: Probe, family: RestoreFamily): Promise<Record<string, CheckOutcome>> {
  const { create, remove } = CHECK_NAMES[family];
  const created = await probe.send({ method: 'POST', path: graphPaths.familySessions(family), body: {} });
  const id = (created.response?.body as { id?: unknown } | undefined)?.id;
  if (created.outcome.result !== 'works') return { [create]: created.outcome, [remove]: skipped('nothing was created') };
  if (typeof id !== 'string' || id === '') {
    return {
      [create]: { ...created.outcome, result: 'failed', detail: 'the answer names no session id' },
      [remove]: skipped('no id to delete'),
    };
  }
  const deleted = await probe.send({ method: 'DELETE', path: graphPaths.restoreSession(id) });
  const left = deleted.outcome.result === 'works' ? '' : `; draft ${id} is left: delete it in the Microsoft 365 admin center`;
  return {
    [create]: { ...created.outcome, detail: `draft session ${id}` },
    [remove]: { ...deleted.outcome, detail: `${deleted.outcome.detail ?? `draft session ${id}`}${left}` },
  };
}

export async function checkWrites(probe: Probe): Promise<Record<string, CheckOutcome>> {
  const out: Record<string, CheckOutcome> = {};
  for (const family of ['sharePoint', 'exchange', 'oneDriveForBusiness'] as const) Object.assign(out, await checkFamily(probe, family));
  return out;
}
