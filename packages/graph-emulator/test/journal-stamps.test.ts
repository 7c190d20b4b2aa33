import { describe, expect, it } from 'vitest';
import { useTestEmulator } from '../src/testing/index.js';
import { SEED_SESSION_IDS } from '../src/index.js';
import type { JournalEntry } from '../src/admin/journal.js';

const SESSIONS = '/solutions/backupRestore/restoreSessions';

const t = useTestEmulator();

async function journal(): Promise<JournalEntry[]> {
  return (await t.call<{ entries: JournalEntry[] }>('GET', '/_emulator/journal')).body.entries;
}

function batchOf(...urls: string[]): { requests: Array<{ id: string; method: string; url: string }> } {
  return { requests: urls.map((url, i) => ({ id: String(i + 1), method: 'GET', url })) };
}

describe('journal stamps', () => {
  it('stamps every entry on the monotonic clock, an envelope around its items and a later call after an earlier one', async () => {
    await t.graph('GET', SESSIONS);
    await t.graph('POST', '/$batch', { body: batchOf(`${SESSIONS}/${SEED_SESSION_IDS.draft}`, SESSIONS) });
    const entries = await journal();
    expect(entries.filter((e) => e.kind !== 'token').map((e) => e.kind)).toEqual(['request', 'batchItem', 'batchItem', 'batch']);
    for (const e of entries) {
      expect(e.monotonicMs.finished, e.kind).toBeGreaterThanOrEqual(e.monotonicMs.started);
      expect(e.monotonicMs.started, e.kind).toBeLessThanOrEqual(performance.now());
    }
    const request = entries.find((e) => e.kind === 'request')!;
    const envelope = entries.find((e) => e.kind === 'batch')!;
    expect(envelope.monotonicMs.started).toBeGreaterThanOrEqual(request.monotonicMs.finished);
    for (const item of entries.filter((e) => e.kind === 'batchItem')) {
      expect(item.monotonicMs.started).toBeGreaterThanOrEqual(envelope.monotonicMs.started);
      expect(item.monotonicMs.finished).toBeLessThanOrEqual(envelope.monotonicMs.finished);
    }
  });

  it('ties an envelope an item dropped to its items by the batch request id', async () => {
    await t.call('PUT', '/_emulator/faults', {
      body: { rules: [{ path: `**/${SEED_SESSION_IDS.draft}`, scope: 'batchItem', drop: true, limit: 1 }] },
    });
    await expect(t.graph('POST', '/$batch', { body: batchOf(`${SESSIONS}/${SEED_SESSION_IDS.draft}`) })).rejects.toThrow();
    const entries = await journal();
    const envelope = entries.find((e) => e.kind === 'batch')!;
    const item = entries.find((e) => e.kind === 'batchItem')!;
    expect(envelope).toMatchObject({ status: 0, fault: 'drop (batch item)' });
    expect(item).toMatchObject({ status: 0, fault: 'drop' });
    expect(envelope.batchRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(item.batchRequestId).toBe(envelope.batchRequestId);
  });
});
