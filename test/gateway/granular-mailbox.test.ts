import { afterEach, describe, expect, it } from 'vitest';
import {
  LEGAL_HOLD_MAILBOX_INDEX,
  seedMailboxRestorePointId,
  seedMailboxUnitId,
  seedMailItems,
  type MailItem,
} from '@restore-session-gateway/graph-emulator';
import { graphCalls } from '@restore-session-gateway/graph-emulator/testing';
import { mailArtifactQuery } from '../../src/resolvers/support/granular-search.js';
import { onlyError } from '../support/graphql.js';
import { waitFor } from '../subscriptions/support.js';
import { useTestGateway, type TestGateway } from './harness.js';
import { subscribe, wsClient, type Stream, type TestWsClient } from './live-support.js';
import { ok } from './granular-support.js';

// Granular Exchange restores through GraphQL: a mail search in one mailbox's backups (`searchRestorePoints` with
// `mailItems`), sent as Graph's beta `structuredQueryExpression` or v1.0 `queryExpression`, then a granular session of
// the searches, followed to its end. The search reveals what a mailbox holds: it needs the write permission and is
// audited. The emulator's clock is advanced, never waited for.

const DAY = 86_400_000;
const gw = useTestGateway({ env: { POLL_INTERVAL_MS: '20' } });
const v1 = useTestGateway({ upstream: (u) => ({ ...u, graphBaseUrl: u.graphBaseUrl.replace(/\/beta$/, '/v1.0') }) });
const clients: TestWsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
});

const SEARCH = `query ($input: SearchRestorePointsInput!) { searchRestorePoints(input: $input) {
  searchResponseId noResultProtectionUnitIds results { artifactHitCount restorePoint { id protectionDateTime } } } }`;

interface SearchView {
  searchRestorePoints: {
    searchResponseId: string | null;
    noResultProtectionUnitIds: string[];
    results: Array<{ artifactHitCount: number | null; restorePoint: { id: string; protectionDateTime: string } }>;
  };
}

const ARTIFACT = `__typename id restoreSessionId status isTerminal destinationType searchResponseId restorePointId
  restoredFolderId restoredFolderName restoredItemCount error { code message } completionDateTime`;

const CREATE = `mutation ($input: CreateGranularExchangeRestoreSessionInput!) { createGranularExchangeRestoreSession(input: $input) {
  restoreSession { id status restoreJobType progress { total }
    granularMailboxRestoreArtifacts { totalCount nodes { ${ARTIFACT} } } mailboxRestoreArtifacts { totalCount } } } }`;

interface MailArtifactView {
  __typename: string;
  id: string;
  restoreSessionId: string;
  status: string;
  isTerminal: boolean;
  destinationType: string;
  searchResponseId: string | null;
  restorePointId: string | null;
  restoredFolderId: string | null;
  restoredFolderName: string | null;
  restoredItemCount: number | null;
  error: { code: string; message: string } | null;
  completionDateTime: string | null;
}

/** A week back from the seed's start: its newest restore points, day 0 (which holds every seeded mail item). */
const since = (g: TestGateway): string => new Date(Date.parse(g.t.emu.seed.clockStart) - 7 * DAY).toISOString();

async function search(g: TestGateway, index: number, mailItems: Record<string, unknown>): Promise<SearchView['searchRestorePoints']> {
  const res = await g.query<SearchView>(SEARCH, {
    input: { protectionUnitIds: [seedMailboxUnitId(index)], startDateTime: since(g), mailItems },
  });
  return ok(res).searchRestorePoints;
}

/** What a mailbox's newest restore point holds that matches, as the emulator's seed documents its items. */
function expectedHits(g: TestGateway, index: number, match: (item: MailItem) => boolean): number {
  return seedMailItems(index, g.t.emu.seed.clockStart).filter(match).length;
}

/** The search the emulator stored under this id, as it parsed Graph's request body. */
function storedQuery(g: TestGateway, id: string): unknown {
  return g.t.emu.context.state.mailSearches.get(id)?.query;
}

describe('a mail search and a granular Exchange restore on a beta Graph', () => {
  it('searches one mailbox with a structured query and counts the items each restore point holds', async () => {
    const found = await search(gw, 0, { subjects: ['Budget'], hasAttachment: true });
    const hits = expectedHits(gw, 0, (i) => i.subject.toLowerCase().includes('budget') && i.hasAttachment);
    expect(hits).toBeGreaterThan(0);
    expect(found.results).toEqual([
      {
        artifactHitCount: hits,
        restorePoint: { id: seedMailboxRestorePointId(0, 0, gw.t.emu.seed.clockStart), protectionDateTime: expect.any(String) },
      },
    ]);
    // Beta takes the structured form: the emulator read a subject it contains, not a pattern.
    expect(storedQuery(gw, found.searchResponseId!)).toEqual({
      clauses: [
        { field: 'subject', any: [{ pattern: 'Budget', mode: 'contains' }] },
        { field: 'hasAttachment', value: true },
      ],
    });
    // Beta takes several kinds and senders at once, each list matching when any of its entries does.
    const notes = await search(gw, 0, { kinds: ['TASK', 'NOTE'], senders: ['billing@fabrikam.com', 'news@contoso.com'] });
    expect(notes.results[0]!.artifactHitCount).toBe(0);
    const external = await search(gw, 0, { senders: ['billing@fabrikam.com', 'news@contoso.com'] });
    expect(external.results[0]!.artifactHitCount).toBe(
      expectedHits(gw, 0, (i) => ['billing@fabrikam.com', 'news@contoso.com'].includes(i.sender.address)),
    );
    const tasks = await search(gw, 0, { kinds: ['TASK', 'NOTE'] });
    expect(tasks.results[0]!.artifactHitCount).toBe(expectedHits(gw, 0, (i) => i.kind === 'task' || i.kind === 'note'));
  });

  it('creates a granular session of two searches, follows it to the end and reads where the items went', async () => {
    const mine = await search(gw, 0, { subjects: ['Invoice'] });
    const held = await search(gw, LEGAL_HOLD_MAILBOX_INDEX, { subjects: ['Budget'] });
    const hits = mine.results[0]!.artifactHitCount!;
    expect(hits).toBe(expectedHits(gw, 0, (i) => i.subject.toLowerCase().includes('invoice')));
    const items = [mine, held].map((s) => ({
      restorePointId: s.results[0]!.restorePoint.id,
      searchResponseId: s.searchResponseId,
      destinationType: 'NEW',
    }));
    const created = ok(
      await gw.query<{ createGranularExchangeRestoreSession: { restoreSession: Record<string, unknown> & { id: string } } }>(CREATE, {
        input: { mailboxItems: items },
      }),
    ).createGranularExchangeRestoreSession.restoreSession;
    expect(created).toMatchObject({
      status: 'DRAFT',
      restoreJobType: 'GRANULAR',
      progress: { total: 2 },
      mailboxRestoreArtifacts: { totalCount: 0 },
    });
    const drafted = (created.granularMailboxRestoreArtifacts as { totalCount: number; nodes: MailArtifactView[] }).nodes;
    expect(drafted.map((a) => [a.__typename, a.status, a.searchResponseId, a.restorePointId, a.destinationType])).toEqual(
      items.map((i) => ['GranularMailboxRestoreArtifact', 'ADDED', i.searchResponseId, i.restorePointId, 'NEW']),
    );

    const c = wsClient(gw.gateway.wsUrl, { authorization: await gw.authorization('admin') });
    clients.push(c);
    const artifacts = subscribe<Record<string, MailArtifactView>>(
      c,
      `subscription ($id: ID!) { restoreArtifactStatusChanged(restoreSessionId: $id) { __typename id status
        ... on GranularMailboxRestoreArtifact { ${ARTIFACT} } } }`,
      { id: created.id },
    );
    await waitFor(() => gw.gateway.live.stats().subscribers > 0, 10_000, 'the subscription');
    ok(await gw.query(`mutation ($id: ID!) { activateRestoreSession(id: $id) { restoreSession { id } } }`, { id: created.id }));
    await runToEnd(gw, [artifacts as Stream<Record<string, unknown>>]);
    expect(artifacts.error).toBeUndefined();
    const last = new Map(artifacts.values.map((a) => [a.id, a]));
    expect([...last.values()].map((a) => [a.__typename, a.status]).sort()).toEqual([
      ['GranularMailboxRestoreArtifact', 'FAILED'],
      ['GranularMailboxRestoreArtifact', 'SUCCEEDED'],
    ]);

    const ended = ok(
      await gw.query<{ restoreSession: { status: string } & Record<string, { totalCount: number; nodes: MailArtifactView[] }> }>(
        `query ($id: ID!) { restoreSession(id: $id) { status ... on ExchangeRestoreSession {
          all: granularMailboxRestoreArtifacts { totalCount nodes { ${ARTIFACT} } }
          failed: granularMailboxRestoreArtifacts(first: 1, filter: { status: [FAILED] }) { totalCount nodes { id error { code } } }
        } } }`,
        { id: created.id },
      ),
    ).restoreSession;
    expect(ended.status).toBe('COMPLETED_WITH_ERROR');
    const [restored, failed] = [ended.all!.nodes.find((a) => a.searchResponseId === mine.searchResponseId)!, ended.failed!.nodes[0]!];
    expect(restored).toMatchObject({ status: 'SUCCEEDED', isTerminal: true, restoredItemCount: hits, error: null });
    expect(restored.restoredFolderName).toMatch(/^Recovered items \d{4}-\d{2}-\d{2}$/);
    expect(restored.restoredFolderId).toEqual(expect.any(String));
    expect(ended.failed!.totalCount).toBe(1);
    expect(failed).toMatchObject({ error: { code: 'ArtifactCannotBeRestored' } });
    expect(last.get(restored.id)?.restoredItemCount).toBe(hits);

    // A finished session's granular list is answered from the caller's cache, the family keeping it apart.
    gw.resetUpstream();
    const cached = ok(
      await gw.query<{ restoreSession: Record<string, { totalCount: number }> }>(
        `query ($id: ID!) { restoreSession(id: $id) { id ... on ExchangeRestoreSession {
          all: granularMailboxRestoreArtifacts { totalCount nodes { ${ARTIFACT} } } mailboxRestoreArtifacts { totalCount } } } }`,
        { id: created.id },
      ),
    );
    expect(cached.restoreSession.all).toEqual(ended.all);
    expect(graphCalls(gw.graphEntries()).map((e) => e.path)).toEqual([
      `solutions/backupRestore/exchangeRestoreSessions/${created.id}/mailboxRestoreArtifacts`,
    ]);

    // The artifacts are entities, resolved by id and session.
    const refs = await gw.query<{ _entities: Array<{ id: string; searchResponseId: string } | null> }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on GranularMailboxRestoreArtifact { id searchResponseId } } }`,
      {
        r: [
          { __typename: 'GranularMailboxRestoreArtifact', id: restored.id, restoreSessionId: created.id },
          { __typename: 'GranularMailboxRestoreArtifact', id: '61633878-8321-4950-bfaf-ed285bdd1461', restoreSessionId: created.id },
        ],
      },
    );
    expect(ok(refs)._entities).toEqual([{ id: restored.id, searchResponseId: mine.searchResponseId }, null]);
  });

  it('audits a mail search, not a plain one, and refuses it to a read-only caller before any Graph call', async () => {
    const input = {
      protectionUnitIds: [seedMailboxUnitId(2)],
      startDateTime: since(gw),
      mailItems: { recipients: ['meganb@contoso.onmicrosoft.com'] },
    };
    const from = gw.logLines.length;
    ok(await gw.query(SEARCH, { input }));
    ok(await gw.query(SEARCH, { input: { ...input, mailItems: null } }));
    const audit = gw.logLines
      .slice(from)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.component === 'audit');
    expect(audit).toEqual([
      expect.objectContaining({
        msg: 'read',
        field: 'Query.searchRestorePoints',
        outcome: 'succeeded',
        protectionUnitIds: [seedMailboxUnitId(2)],
        mailItems: expect.objectContaining({ recipients: ['meganb@contoso.onmicrosoft.com'], subjects: null }),
        caller: expect.objectContaining({ kind: 'user' }),
      }),
    ]);

    gw.resetUpstream();
    const refused = onlyError(gw, await gw.queryAs('reader', SEARCH, { input }));
    expect(refused.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(refused.message).toContain('shows what a mailbox holds');
    // Even an invalid one: the permission is checked first.
    const invalid = onlyError(gw, await gw.queryAs('reader', SEARCH, { input: { ...input, mailItems: {} } }));
    expect(invalid.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(graphCalls(gw.graphEntries())).toEqual([]);
    // A plain search stays open to readers.
    ok(await gw.queryAs('reader', SEARCH, { input: { ...input, mailItems: null } }));
  });
});

describe('a mail search on a v1.0 Graph', () => {
  it('sends the concept page query expression, whose subjects match at the start, and restores from it', async () => {
    const found = await search(v1, 0, { subjects: ['Budget'], hasAttachment: true, kinds: ['EMAIL'] });
    expect(storedQuery(v1, found.searchResponseId!)).toEqual({
      clauses: [
        { field: 'subject', any: [{ pattern: 'Budget*', mode: 'like' }] },
        { field: 'hasAttachment', value: true },
        { field: 'kind', any: ['email'] },
      ],
    });
    const hits = expectedHits(v1, 0, (i) => i.subject.toLowerCase().startsWith('budget') && i.hasAttachment && i.kind === 'email');
    expect(found.results[0]!.artifactHitCount).toBe(hits);
    // Quotes travel doubled, and the sender and recipients as terms of their own.
    const quoted = await search(v1, 0, {
      subjects: ["Alex's"],
      senders: ['alexw'],
      recipients: ['Megan Bowen', 'adelev@contoso.onmicrosoft.com'],
    });
    expect(storedQuery(v1, quoted.searchResponseId!)).toEqual({
      clauses: [
        { field: 'subject', any: [{ pattern: "Alex's*", mode: 'like' }] },
        { field: 'sender', any: [{ pattern: 'alexw', mode: 'like' }] },
        { field: 'participants', any: [{ pattern: 'Megan Bowen', mode: 'like' }] },
        { field: 'participants', any: [{ pattern: 'adelev@contoso.onmicrosoft.com', mode: 'like' }] },
      ],
    });

    const created = ok(
      await v1.query<{ createGranularExchangeRestoreSession: { restoreSession: { id: string; restoreJobType: string } } }>(CREATE, {
        input: {
          mailboxItems: [
            { restorePointId: found.results[0]!.restorePoint.id, searchResponseId: found.searchResponseId, destinationType: 'IN_PLACE' },
          ],
        },
      }),
    );
    expect(created.createGranularExchangeRestoreSession.restoreSession.restoreJobType).toBe('GRANULAR');
  });

  it('refuses, before any Graph call, what v1.0 joins with -and and could never match', async () => {
    for (const [mailItems, argument] of [
      [{ senders: ['alexw', 'meganb'] }, 'input.mailItems.senders'],
      [{ kinds: ['EMAIL', 'NOTE'] }, 'input.mailItems.kinds'],
    ] as const) {
      const error = onlyError(
        v1,
        await v1.query(SEARCH, { input: { protectionUnitIds: [seedMailboxUnitId(0)], startDateTime: since(v1), mailItems } }),
      );
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    }
    expect(graphCalls(v1.graphEntries())).toEqual([]);
  });
});

describe('mail search input validation: BAD_USER_INPUT naming the argument, before any Graph call', () => {
  const unit = seedMailboxUnitId(0);
  it.each([
    [
      'two protection units',
      { protectionUnitIds: [unit, seedMailboxUnitId(1)], mailItems: { subjects: ['a'] } },
      'input.protectionUnitIds',
    ],
    ['no criterion', { mailItems: {} }, 'input.mailItems'],
    ['only empty lists', { mailItems: { subjects: [], kinds: [] } }, 'input.mailItems'],
    ['four subjects', { mailItems: { subjects: ['a', 'b', 'c', 'd'] } }, 'input.mailItems.subjects'],
    ['four recipients', { mailItems: { recipients: ['a', 'b', 'c', 'd'] } }, 'input.mailItems.recipients'],
    ['a blank subject', { mailItems: { subjects: ['a', '  '] } }, 'input.mailItems.subjects[1]'],
    ['a wildcard inside a subject', { mailItems: { subjects: ['Bud*get'] } }, 'input.mailItems.subjects[0]'],
    ['a wildcard in a sender', { mailItems: { senders: ['alex*'] } }, 'input.mailItems.senders[0]'],
    ['a control character', { mailItems: { recipients: ['a\u0000b'] } }, 'input.mailItems.recipients[0]'],
    ['a subject twice, in another case', { mailItems: { subjects: ['Budget', 'budget*'] } }, 'input.mailItems.subjects[1]'],
    ['a kind twice', { mailItems: { kinds: ['NOTE', 'NOTE'] } }, 'input.mailItems.kinds'],
    ['a subject too long', { mailItems: { subjects: ['x'.repeat(257)] } }, 'input.mailItems.subjects[0]'],
  ])('%s', async (_name, overrides, argument) => {
    const input = { protectionUnitIds: [unit], startDateTime: since(gw), ...overrides };
    const error = onlyError(gw, await gw.query(SEARCH, { input }));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(error.message).toContain(`'${argument}'`);
    expect(graphCalls(gw.graphEntries())).toEqual([]);
  });

  it('passes a search of a site with mail items to Graph, which refuses it', async () => {
    const site = gw.t.emu.seed.protectionUnits[0]!.id;
    const error = onlyError(
      gw,
      await gw.query(SEARCH, { input: { protectionUnitIds: [site], startDateTime: since(gw), mailItems: { subjects: ['a'] } } }),
    );
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', graph: { status: 400 } });
  });
});

describe('the artifact query the gateway sends', () => {
  const items = {
    subjects: ["Q3 'draft'*", 'Budget'],
    senders: ['alexw'],
    recipients: ['Megan Bowen'],
    hasAttachment: false,
    kinds: ['CALENDAR' as const],
  };

  it('is a structured expression on beta, each criterion as given (a trailing * left out)', () => {
    expect(mailArtifactQuery(items, 'beta')).toEqual({
      structuredQueryExpression: {
        subjects: ["Q3 'draft'", 'Budget'],
        senders: ['alexw'],
        recipients: ['Megan Bowen'],
        hasAttachment: false,
        items: ['calendar'],
      },
      artifactType: 'message',
    });
  });

  it('is the concept page expression on v1.0: quoted terms joined with -and, subjects matched at the start', () => {
    expect(mailArtifactQuery(items, 'v1.0')).toEqual({
      queryExpression:
        "Subject -like 'Q3 ''draft''*' -and Subject -like 'Budget*' -and Sender -like 'alexw' -and Participants -like 'Megan Bowen' " +
        "-and HasAttachment -eq 'false' -and MessageKind -eq 'Calendar'",
      artifactType: 'message',
    });
  });
});

/** Advances the emulator's clock a step at a time, each step seen by a poll, until every stream has ended. */
async function runToEnd(g: TestGateway, streams: ReadonlyArray<Stream<Record<string, unknown>>>): Promise<void> {
  for (let step = 0; step < 200 && streams.some((s) => !s.completed && s.error === undefined); step++) {
    const polls = g.gateway.live.stats().polls;
    g.t.emu.advanceClock(500);
    await waitFor(() => g.gateway.live.stats().polls > polls || streams.every((s) => s.completed), 10_000, 'a poll after the clock moved');
  }
  for (const s of streams) await s.ended();
}
