import { describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse, type TestEmulator } from '../src/testing/index.js';
import {
  LEGAL_HOLD_MAILBOX_INDEX,
  MAIL_ITEMS_PER_MAILBOX,
  SEED_SESSION_IDS,
  seedDriveUnitId,
  seedMailItems,
  seedMailboxRestorePointId,
  seedMailboxUnitId,
  seedRestorePointId,
  seedUnitId,
  type MailItem,
} from '../src/index.js';
import { ROOT, type Err, type Json } from './family-support.js';
import { DAY, EX_SESSIONS, PREFER_ENUMS, RS, expectError } from './granular-support.js';

/**
 * Granular Exchange restores: restorePoints/search with an artifactQuery counts the seeded mail items of one mailbox
 * that match (v1.0 queryExpression, beta structuredQueryExpression too), and a session of granularMailboxRestoreArtifacts
 * names that search; its artifacts read like mailbox artifacts and restore to each terminal status.
 */

const MAILBOX = 2;
const NEWEST = Date.parse('2025-06-02T00:00:00Z');
const dayIso = (day: number): string => new Date(NEWEST - day * DAY).toISOString();
const ITEMS = seedMailItems(MAILBOX);
const alias = (address: string): string => address.split('@')[0]!;

interface SearchBody {
  searchResponseId: string;
  searchResults: Array<{ artifactHitCount?: number; restorePoint: { id: string } }>;
  noResultProtectionUnitIds: string[];
}
interface MailArtifact {
  '@odata.type': string;
  id: string;
  destinationType: string;
  status: string;
  startDateTime: string;
  completionDateTime: string;
  error: { code: string } | null;
  restoredFolderId: string | null;
  restoredFolderName: string | null;
  restoredItemCount: number | null;
  restorePoint: { id: string; protectionDateTime: string };
  artifactCount: number;
  searchResponseId: string;
}

function search(
  t: TestEmulator,
  artifactQuery: Json,
  opts: { unit?: string; day?: number; preference?: 'latest' | 'oldest'; version?: 'beta' | 'v1.0' } = {},
): Promise<EmuResponse<SearchBody>> {
  const day = opts.day ?? 0;
  return t.graph<SearchBody>('POST', `${ROOT}/restorePoints/search`, {
    version: opts.version ?? 'v1.0',
    body: {
      protectionUnitIds: [opts.unit ?? seedMailboxUnitId(MAILBOX)],
      protectionTimePeriod: { startDateTime: dayIso(day), endDateTime: dayIso(day) },
      restorePointPreference: opts.preference ?? 'latest',
      artifactQuery,
    },
  });
}

/** How many seeded items restore point `day` holds that match. */
const expected = (day: number, match: (i: MailItem) => boolean): number =>
  ITEMS.filter((i) => i.dateTime <= NEWEST - day * DAY && match(i)).length;

async function hits(t: TestEmulator, artifactQuery: Json, day = 0, version: 'beta' | 'v1.0' = 'v1.0'): Promise<number> {
  const res = await search(t, artifactQuery, { day, version });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.searchResults[0]!.restorePoint.id).toBe(seedMailboxRestorePointId(MAILBOX, day));
  return res.body.searchResults[0]!.artifactHitCount!;
}

describe('restorePoints/search over mail items', () => {
  const t = useTestEmulator();

  it('counts the seeded items of the restore point that match a v1.0 queryExpression', async () => {
    expect(ITEMS).toHaveLength(MAIL_ITEMS_PER_MAILBOX);
    const cases: Array<[string, (i: MailItem) => boolean]> = [
      ["Subject -like 'Budget*'", (i) => i.subject.toLowerCase().startsWith('budget')],
      ["Subject -like '*review*'", (i) => i.subject.toLowerCase().includes('review')],
      ["Sender -like 'billing@fabrikam.com'", (i) => i.sender.address === 'billing@fabrikam.com'],
      ["Sender -like 'Contoso News'", (i) => i.sender.name === 'Contoso News'],
      ["Participants -like 'meganb'", (i) => i.recipients.some((r) => alias(r.address) === 'meganb')],
      ["HasAttachment -eq 'true'", (i) => i.hasAttachment],
      ["MessageKind -eq 'Calendar'", (i) => i.kind === 'calendar'],
      ["(MessageKind -eq 'email') -and (HasAttachment -eq 'false')", (i) => i.kind === 'email' && !i.hasAttachment],
      [
        "Subject -like 'Budget*' -and Subject -like '*review' -and Subject -like '*t r*'",
        (i) => {
          const s = i.subject.toLowerCase();
          return s.startsWith('budget') && s.endsWith('review') && s.includes('t r');
        },
      ],
    ];
    for (const [query, match] of cases) {
      const latest = expected(0, match);
      expect(latest, query).toBeGreaterThan(0);
      expect(await hits(t, { queryExpression: query, artifactType: 'message' }), query).toBe(latest);
      expect(await hits(t, { queryExpression: query }, 12), query).toBe(expected(12, match));
    }
    // Older restore points hold fewer items.
    expect(expected(12, () => true)).toBeLessThan(expected(0, () => true));
    expect(await hits(t, { queryExpression: "Subject -like '*'" }, 12)).toBe(expected(12, () => true));
  });

  it('takes a structuredQueryExpression on beta (and the queryExpression too), never on v1.0', async () => {
    const structured = async (q: Json): Promise<number> => hits(t, { structuredQueryExpression: q }, 0, 'beta');
    expect(await structured({ subjects: ['budget'] })).toBe(expected(0, (i) => i.subject.toLowerCase().includes('budget')));
    expect(await structured({ subjects: ['budget', 'invoice'] })).toBe(expected(0, (i) => /budget|invoice/i.test(i.subject)));
    expect(await structured({ senders: ['Fabrikam Billing', 'news'] })).toBe(
      expected(0, (i) => i.sender.name === 'Fabrikam Billing' || alias(i.sender.address) === 'news'),
    );
    expect(await structured({ recipients: ['meganb@contoso.onmicrosoft.com'], hasAttachment: true })).toBe(
      expected(0, (i) => i.hasAttachment && i.recipients.some((r) => r.address === 'meganb@contoso.onmicrosoft.com')),
    );
    expect(await structured({ items: ['calendar', 'task'] })).toBe(expected(0, (i) => i.kind === 'calendar' || i.kind === 'task'));
    expect(await hits(t, { queryExpression: "MessageKind -eq 'Note'" }, 0, 'beta')).toBe(expected(0, (i) => i.kind === 'note'));
    const v1 = await search(t, { structuredQueryExpression: { subjects: ['budget'] } });
    expectError(v1, 400, 'BadRequest');
    const both = await search(
      t,
      { queryExpression: "Subject -like 'x'", structuredQueryExpression: { subjects: ['x'] } },
      { version: 'beta' },
    );
    expectError(both, 400, 'InvalidSearchRequest');
    for (const q of [
      {},
      { subjects: [] },
      { items: ['unknownFutureValue'] },
      { items: ['email', 'fax'] },
      { hasAttachment: 'yes' },
      { subjects: 'budget' },
    ]) {
      expectError(await search(t, { structuredQueryExpression: q }, { version: 'beta' }), 400, 'InvalidSearchRequest');
    }
    expectError(await search(t, { structuredQueryExpression: { topics: ['x'] } }, { version: 'beta' }), 400, 'BadRequest');
  });

  it('refuses what the concept page’s grammar does not have with InvalidSearchRequest', async () => {
    const bad = [
      "(subject -contains 'Finance') -or (subject -contains 'Legal')",
      "Subject -contains 'Budget'",
      "Subject -eq 'Budget'",
      "Subject -like 'a*' -or Sender -like 'b'",
      "Folder -like 'Inbox'",
      "Subject -like 'a' -and Subject -like 'b' -and Subject -like 'c' -and Subject -like 'd'",
      "Participants -like 'a' -and Participants -like 'b' -and Participants -like 'c' -and Participants -like 'd'",
      "MessageKind -eq 'Fax'",
      "HasAttachment -eq 'maybe'",
      "(Subject -like 'Budget*'",
      "Subject -like 'Budget*')",
      "Subject -like ''",
      'Subject -like',
      "Subject -like 'Budget*' Sender -like 'x'",
      "PitrDumpsterActionTriggeredTime -gt '2024-01-01'",
    ];
    for (const queryExpression of bad) expectError(await search(t, { queryExpression }), 400, 'InvalidSearchRequest');
    // Three terms of one kind are fine, and quotes double inside a value.
    expect((await search(t, { queryExpression: "Subject -like 'a*' -and Subject -like '*b*' -and Subject -like '*it''s*'" })).status).toBe(
      200,
    );
  });

  it('refuses an artifactQuery on a site or OneDrive unit, and answers an unknown unit with no result', async () => {
    for (const unit of [seedUnitId(3), seedDriveUnitId(2)]) {
      expectError(await search(t, { queryExpression: "Subject -like 'x'" }, { unit }), 400, 'InvalidSearchRequest');
    }
    const unknown = await search(t, { queryExpression: "Subject -like 'x'" }, { unit: '00000000-1111-4222-a333-444444444444' });
    expect(unknown.status).toBe(200);
    expect(unknown.body.searchResults).toEqual([]);
    expect(t.emu.context.state.mailSearches.has(unknown.body.searchResponseId)).toBe(false);
  });
});

async function searchId(t: TestEmulator, queryExpression: string, mailbox = MAILBOX): Promise<string> {
  const res = await search(t, { queryExpression }, { unit: seedMailboxUnitId(mailbox) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.searchResponseId;
}

const artifact = (mailbox: number, day: number, searchResponseId: string, destinationType = 'new'): Json => ({
  restorePoint: { id: seedMailboxRestorePointId(mailbox, day) },
  destinationType,
  searchResponseId,
});

async function createSession(t: TestEmulator, artifacts: Json[], version: 'beta' | 'v1.0' = 'beta'): Promise<string> {
  const res = await t.graph<{ id: string; restoreJobType: string }>('POST', EX_SESSIONS, {
    body: { granularMailboxRestoreArtifacts: artifacts },
    version,
    headers: PREFER_ENUMS,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.restoreJobType).toBe('granular');
  return res.body.id;
}

const list = async (t: TestEmulator, id: string, query = ''): Promise<MailArtifact[]> => {
  const res = await t.graph<{ value: MailArtifact[] }>('GET', `${EX_SESSIONS}/${id}/granularMailboxRestoreArtifacts${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.value;
};

describe('granular Exchange sessions', () => {
  const t = useTestEmulator();

  it('creates a session from a search and lists its artifacts with the search, its hit count and their restore point', async () => {
    const budget = (i: MailItem): boolean => i.subject.toLowerCase().startsWith('budget');
    const sid = await searchId(t, "Subject -like 'Budget*'");
    const id = await createSession(t, [artifact(MAILBOX, 0, sid), artifact(MAILBOX, 10, sid)]);
    const items = await list(t, id);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.granularMailboxRestoreArtifact',
      destinationType: 'new',
      status: 'added',
      startDateTime: '0001-01-01T00:00:00Z',
      error: null,
      restoredFolderId: null,
      restoredFolderName: null,
      restoredItemCount: null,
      restorePoint: { id: seedMailboxRestorePointId(MAILBOX, 0), protectionDateTime: dayIso(0) },
      artifactCount: expected(0, budget),
      searchResponseId: sid,
    });
    expect(items[1]!.artifactCount).toBe(expected(10, budget));
    // The standard list leaves them out; the SDK's reads of one artifact and its restore point answer.
    expect((await t.graph<{ value: Json[] }>('GET', `${EX_SESSIONS}/${id}/mailboxRestoreArtifacts`)).body.value).toEqual([]);
    const one = await t.graph<MailArtifact>('GET', `${EX_SESSIONS}/${id}/granularMailboxRestoreArtifacts/${items[0]!.id}`);
    expect(one.status).toBe(200);
    expect(one.body.artifactCount).toBe(items[0]!.artifactCount);
    const point = await t.graph<{ id: string }>('GET', `${EX_SESSIONS}/${id}/granularMailboxRestoreArtifacts/${items[1]!.id}/restorePoint`);
    expect(point.body.id).toBe(seedMailboxRestorePointId(MAILBOX, 10));
    expectError(await t.graph('GET', `${EX_SESSIONS}/${id}/mailboxRestoreArtifacts/${items[0]!.id}`), 404, 'ArtifactNotFound');
    expectError(
      await t.graph('GET', `${EX_SESSIONS}/${SEED_SESSION_IDS.exchange}/granularMailboxRestoreArtifacts/${items[0]!.id}`),
      404,
      'ArtifactNotFound',
    );
    // Query options as on the standard mailbox list.
    const selected = await list(t, id, '?$select=id,artifactCount&$count=true&$top=1');
    expect(Object.keys(selected[0]!).sort()).toEqual(['@odata.type', 'artifactCount', 'id']);
    expect(await list(t, id, "?$filter=status eq 'succeeded'")).toEqual([]);
  });

  it('refuses a search it did not issue, of another mailbox, and the other create errors', async () => {
    const sid = await searchId(t, "Subject -like 'Budget*'");
    const post = (artifacts: unknown): Promise<EmuResponse> =>
      t.graph('POST', EX_SESSIONS, { body: { granularMailboxRestoreArtifacts: artifacts } });
    expectError(await post([artifact(MAILBOX, 0, 'M2UyZDAwMDAwMDMxMzkzYTMyNj')]), 400, 'InvalidArtifactRequest');
    expectError(
      await post([{ restorePoint: { id: seedMailboxRestorePointId(MAILBOX, 0) }, destinationType: 'new' }]),
      400,
      'InvalidArtifactRequest',
    );
    const other = await post([artifact(MAILBOX + 1, 0, sid)]);
    expectError(other, 400, 'InvalidArtifactRequest');
    expect((other.body as Err).error.message).toContain('another mailbox');
    expectError(await post([{ ...artifact(MAILBOX, 0, sid), restorePoint: { id: seedRestorePointId(3, 0) } }]), 400, 'InvalidRestorePoint');
    expectError(
      await post([{ restorePoint: { id: seedMailboxRestorePointId(MAILBOX, 0) }, searchResponseId: sid }]),
      400,
      'InvalidPathType',
    );
    expectError(await post([artifact(MAILBOX, 0, sid), artifact(MAILBOX, 0, sid)]), 400, 'DuplicateArtifactInList');
    expectError(await post([artifact(MAILBOX, 0, sid), artifact(MAILBOX, 1, sid, 'inPlace')]), 400, 'DifferentRestoreDestinationType');
    expectError(await post([]), 400, 'InvalidArtifactRequest');
    // Two searches of one mailbox, or two points of one search, are two artifacts.
    const sid2 = await searchId(t, "HasAttachment -eq 'true'");
    expect((await post([artifact(MAILBOX, 0, sid), artifact(MAILBOX, 0, sid2), artifact(MAILBOX, 1, sid)])).status).toBe(201);
  });

  it('answers 501 to granularMailboxRestoreArtifacts@delta and to single-artifact writes, which no page documents', async () => {
    const sid = await searchId(t, "Subject -like 'Budget*'");
    const id = await createSession(t, [artifact(MAILBOX, 0, sid)]);
    const [a] = await list(t, id);
    expectError(
      await t.graph('PATCH', `${EX_SESSIONS}/${id}`, { body: { 'granularMailboxRestoreArtifacts@delta': [artifact(MAILBOX, 1, sid)] } }),
      501,
      'notSupported',
    );
    expectError(
      await t.graph('POST', `${EX_SESSIONS}/${id}/granularMailboxRestoreArtifacts`, { body: artifact(MAILBOX, 1, sid) }),
      501,
      'notSupported',
    );
    expectError(await t.graph('PATCH', `${EX_SESSIONS}/${id}/granularMailboxRestoreArtifacts/${a!.id}`, { body: {} }), 501, 'notSupported');
    expectError(await t.graph('DELETE', `${EX_SESSIONS}/${id}/granularMailboxRestoreArtifacts/${a!.id}`), 501, 'notSupported');
    // A standard delta on a granular session is refused too.
    const standard = {
      'mailboxRestoreArtifacts@delta': [{ restorePoint: { id: seedMailboxRestorePointId(3, 0) }, destinationType: 'new' }],
    };
    expectError(await t.graph('PATCH', `${EX_SESSIONS}/${id}`, { body: standard }), 400, 'InvalidPatchRequest');
  });

  it('restores to a Recovered items folder (new) or in place, with the hit count; a held mailbox fails', async () => {
    const sid = await searchId(t, "MessageKind -eq 'Email'");
    const emails = expected(0, (i) => i.kind === 'email');
    const fresh = await createSession(t, [artifact(MAILBOX, 0, sid)]);
    const inPlace = await createSession(t, [artifact(MAILBOX, 0, sid, 'inPlace')], 'v1.0');
    const held = await searchId(t, "MessageKind -eq 'Email'", LEGAL_HOLD_MAILBOX_INDEX);
    const mixed = await createSession(t, [artifact(MAILBOX, 0, sid), artifact(LEGAL_HOLD_MAILBOX_INDEX, 0, held)]);
    const failed = await createSession(t, [artifact(LEGAL_HOLD_MAILBOX_INDEX, 1, held)]);
    for (const id of [fresh, inPlace, mixed, failed]) expect((await t.graph('POST', `${RS}/${id}/activate`)).status).toBe(200);
    const [running] = await list(t, fresh);
    expect(running!.status).toBe('scheduling');
    expect(running!.restoredItemCount).toBeNull();
    await t.advance(60_000);
    const status = async (id: string): Promise<string> =>
      (await t.graph<{ status: string }>('GET', `${RS}/${id}`, { headers: PREFER_ENUMS })).body.status;
    const [done] = await list(t, fresh);
    expect(done).toMatchObject({
      status: 'succeeded',
      restoredFolderName: 'Recovered items 2025-06-02',
      restoredItemCount: emails,
      error: null,
    });
    expect(done!.restoredFolderId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await status(fresh)).toBe('completed');
    const [back] = await list(t, inPlace);
    expect(back).toMatchObject({ status: 'succeeded', restoredFolderId: null, restoredFolderName: null, restoredItemCount: emails });
    expect(await status(mixed)).toBe('completedWithError');
    const [, heldArtifact] = await list(t, mixed);
    expect(heldArtifact).toMatchObject({ status: 'failed', error: { code: 'ArtifactCannotBeRestored' }, restoredItemCount: null });
    expect(await status(failed)).toBe('failed');
    const counts = (await t.graph<{ restoreSessionArtifactCount: Json }>('GET', `${RS}/${mixed}`)).body.restoreSessionArtifactCount;
    expect(counts).toEqual({ total: 2, inProgress: 0, completed: 1, failed: 1 });
  });
});
