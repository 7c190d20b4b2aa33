import { describe, expect, it } from 'vitest';
import {
  createCapabilityMemory,
  parseDoctorCapabilities,
  refusedOptionOf,
  rememberDoctorRefusals,
  type CapabilityMemory,
  type GraphCapability,
} from '../../src/graph/capabilities.js';
import type { GraphCollectionPage } from '../../src/graph/dto.js';
import { GraphRequestError } from '../../src/graph/errors.js';
import { memberFilter, readList, type ListFilter } from '../../src/graph/list-reader.js';
import { pageRequest, type GraphPage } from '../../src/graph/paging.js';
import { graphPaths, type GraphPath, type QueryOptions } from '../../src/graph/url.js';

/**
 * The list reader against a small Graph of its own: a list of sessions that pages (5 by default, `$top` up to 100),
 * continues with `$skiptoken`, filters `status eq '…'` clauses, counts, and refuses whichever options it is told to,
 * with graph.microsoft.com's words. Every request it answers is recorded.
 */

interface Item {
  id: string;
  status: string;
}

const ITEMS: Item[] = Array.from({ length: 23 }, (_, i) => ({ id: `s${i}`, status: i % 4 === 0 ? 'failed' : 'completed' }));
const ODATA_NAME: Record<string, string> = { $top: 'Top', $filter: 'Filter', $count: 'Count' };

function fakeGraph(refuse: readonly string[] = [], items: readonly Item[] = ITEMS) {
  const requests: string[] = [];
  const get = async <T>(path: GraphPath): Promise<T> => {
    requests.push(path);
    const query = new URLSearchParams(path.split('?')[1] ?? '');
    for (const name of query.keys()) {
      if (refuse.includes(name)) {
        const reason = `Query option '${ODATA_NAME[name]}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`;
        throw new GraphRequestError({
          status: 400,
          code: '',
          message: `The query specified in the URI is not valid. ${reason}`,
          requestId: 'r-1',
        });
      }
    }
    const wanted = [...(query.get('$filter') ?? '').matchAll(/status eq '(\w+)'/g)].map((m) => m[1]);
    const matching = wanted.length === 0 ? items : items.filter((i) => wanted.includes(i.status));
    const from = Number(query.get('$skiptoken') ?? 0);
    const size = Number(query.get('$top') ?? 5);
    const value = matching.slice(from, from + size);
    const page: GraphCollectionPage<Item> = { value };
    if (from + size < matching.length) page['@odata.nextLink'] = `/solutions/backupRestore/restoreSessions?$skiptoken=${from + size}`;
    if (query.get('$count') === 'true') page['@odata.count'] = matching.length;
    return page as T;
  };
  return { get, requests };
}

const path = (query: QueryOptions): GraphPath => graphPaths.restoreSessions(query);

function statusFilter(values: string[] | undefined): ListFilter<Item>[] {
  const f = memberFilter<Item>('status', values, 'filter.status', (i) => i.status, 'restoreSessions.filterStatus');
  return f ? [f] : [];
}

async function read(
  graph: ReturnType<typeof fakeGraph>,
  args: { first: number; after?: string | null; status?: string[]; memory?: CapabilityMemory; scanLimit?: number },
): Promise<GraphPage<Item>> {
  const filters = statusFilter(args.status);
  return readList(
    { get: graph.get, memory: args.memory, scanLimit: args.scanLimit ?? 1000 },
    {
      request: pageRequest(`restoreSessions|${filters[0]?.odata ?? ''}`, args.first, args.after ?? null),
      path,
      capabilities: { top: 'restoreSessions.top', count: 'restoreSessions.count' },
      filters,
      map: (i) => i,
    },
  );
}

/** Every node of the list, page by page, and the pages' sizes. */
async function readAll(graph: ReturnType<typeof fakeGraph>, args: Parameters<typeof read>[1]): Promise<{ ids: string[]; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page = await read(graph, { ...args, after });
    ids.push(...page.nodes.map((n) => n.id));
    sizes.push(page.nodes.length);
    if (!page.pageInfo.hasNextPage) return { ids, sizes };
    after = page.pageInfo.endCursor;
  }
  throw new Error('the list did not end');
}

function memoryAt(clock: { now: number }) {
  const events: Array<[GraphCapability, boolean]> = [];
  const fallbacks: GraphCapability[] = [];
  const memory = createCapabilityMemory({
    baseUrl: 'https://graph.example/beta',
    recheckMs: 60_000,
    now: () => clock.now,
    observer: { changed: (c, refused) => events.push([c, refused]), fellBack: (c) => fallbacks.push(c) },
  });
  return { memory, events, fallbacks };
}

const FAILED = ITEMS.filter((i) => i.status === 'failed').map((i) => i.id);

describe('list reader: everything allowed', () => {
  it('reads one page with one request: $top as needed, the filter and the count sent to Graph', async () => {
    const graph = fakeGraph();
    const page = await read(graph, { first: 3, status: ['failed'] });
    expect(page.nodes.map((n) => n.id)).toEqual(FAILED.slice(0, 3));
    expect(page.totalCount).toBe(FAILED.length);
    expect(graph.requests).toEqual([
      path([
        ['$top', 3],
        ['$filter', "status eq 'failed'"],
        ['$count', 'true'],
      ]),
    ]);
  });
});

describe('list reader: $top refused', () => {
  it('falls back at once, remembers it for the next operation, and fills pages from Graph pages of its own size', async () => {
    const graph = fakeGraph(['$top']);
    const { memory, events, fallbacks } = memoryAt({ now: 0 });
    const page = await read(graph, { first: 7, memory });
    expect(page.nodes.map((n) => n.id)).toEqual(ITEMS.slice(0, 7).map((i) => i.id));
    expect(page.totalCount).toBe(23);
    expect(events).toEqual([['restoreSessions.top', true]]);
    // The refused request, then two Graph pages of 5 to fill 7.
    expect(graph.requests).toHaveLength(3);
    graph.requests.length = 0;
    await read(graph, { first: 3, memory });
    expect(graph.requests).toEqual([path([['$count', 'true']])]);
    expect(fallbacks.filter((c) => c === 'restoreSessions.top').length).toBeGreaterThanOrEqual(3);
  });

  it('pages the whole list with cursors, none missed or repeated, whatever the page size', async () => {
    for (const first of [1, 4, 5, 7, 23, 100]) {
      const { ids } = await readAll(fakeGraph(['$top']), { first });
      expect(ids, `first: ${first}`).toEqual(ITEMS.map((i) => i.id));
    }
  });
});

describe('list reader: $filter refused', () => {
  it('filters on its own side, over Graph pages of 100, with the same nodes, order and count', async () => {
    const graph = fakeGraph(['$filter']);
    const { memory, events } = memoryAt({ now: 0 });
    const page = await read(graph, { first: 3, status: ['failed'], memory });
    expect(page.nodes.map((n) => n.id)).toEqual(FAILED.slice(0, 3));
    expect(page.totalCount).toBe(FAILED.length);
    expect(events).toEqual([['restoreSessions.filterStatus', true]]);
    expect(graph.requests[1]).toBe(
      path([
        ['$top', 100],
        ['$count', 'true'],
      ]),
    );
    for (const first of [1, 2, 6, 20]) {
      expect((await readAll(graph, { first, status: ['failed'], memory })).ids, `first: ${first}`).toEqual(FAILED);
    }
  });

  it('stops a scan at the bound, answering fewer nodes (even none) with a cursor that continues the scan', async () => {
    // Page size 5 without $top: the scan bound of 10 stops after two Graph pages.
    const sparse = ITEMS.map((i, n) => ({ ...i, status: n === 2 || n === 21 ? 'failed' : 'completed' }));
    const graph = fakeGraph(['$filter', '$top'], sparse);
    const first = await read(graph, { first: 5, status: ['failed'], scanLimit: 10 });
    expect(first.nodes.map((n) => n.id)).toEqual(['s2']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.totalCount).toBeNull();
    const second = await read(graph, { first: 5, status: ['failed'], scanLimit: 10, after: first.pageInfo.endCursor });
    expect(second.nodes).toEqual([]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const { ids } = await readAll(graph, { first: 5, status: ['failed'], scanLimit: 10 });
    expect(ids).toEqual(['s2', 's21']);
  });

  it('keeps filtering on its own side for a cursor made that way, even once Graph filters again', async () => {
    const refusing = fakeGraph(['$filter']);
    const page = await read(refusing, { first: 2, status: ['failed'] });
    const allowing = fakeGraph();
    const next = await read(allowing, { first: 2, status: ['failed'], after: page.pageInfo.endCursor });
    expect(next.nodes.map((n) => n.id)).toEqual(FAILED.slice(2, 4));
    expect(allowing.requests[0]).not.toContain('filter');
  });
});

describe('list reader: $count refused', () => {
  it('counts from the pages read when the list ends within them, and says null otherwise', async () => {
    const graph = fakeGraph(['$count']);
    const page = await read(graph, { first: 3 });
    expect(page.nodes).toHaveLength(3);
    expect(page.totalCount).toBe(23);
    expect(graph.requests.at(-1)).toBe(path([['$top', 100]]));
    const both = fakeGraph(['$count', '$top']);
    expect((await read(both, { first: 3 })).totalCount).toBeNull();
    const short = fakeGraph(['$count', '$top'], ITEMS.slice(0, 4));
    expect((await read(short, { first: 2 })).totalCount).toBe(4);
    // The cursors carry how many items precede them, so the page that reaches the end counts the list.
    let current = await read(both, { first: 10 });
    const counts = [current.totalCount];
    while (current.pageInfo.hasNextPage) {
      current = await read(both, { first: 10, after: current.pageInfo.endCursor });
      counts.push(current.totalCount);
    }
    expect(counts).toEqual([null, null, 23]);
    const filtered = fakeGraph(['$count', '$top', '$filter']);
    const { ids } = await readAll(filtered, { first: 2, status: ['failed'] });
    expect(ids).toEqual(FAILED);
  });
});

describe('capability memory', () => {
  it('has the requests of a busy first operation refused together, says so once, and refuses no later one', async () => {
    const graph = fakeGraph(['$top']);
    const { memory, events } = memoryAt({ now: 0 });
    const pages = await Promise.all(Array.from({ length: 8 }, () => read(graph, { first: 2, memory })));
    expect(pages.every((p) => p.nodes.length === 2)).toBe(true);
    expect(graph.requests.filter((r) => r.includes('$top'))).toHaveLength(8);
    expect(events).toEqual([['restoreSessions.top', true]]);
    graph.requests.length = 0;
    await Promise.all(Array.from({ length: 8 }, () => read(graph, { first: 2, memory })));
    expect(graph.requests.filter((r) => r.includes('$top'))).toHaveLength(0);
  });

  it('learns nothing from a request resumed from a caller cursor, or from a 400 that names no option', async () => {
    const page = await read(fakeGraph(), { first: 2 });
    const { memory, events } = memoryAt({ now: 0 });
    const resumed = await read(fakeGraph(['$top']), { first: 2, after: page.pageInfo.endCursor, memory });
    expect(resumed.nodes.map((n) => n.id)).toEqual(['s2', 's3']);
    expect(events).toEqual([]);
    const bad = async <T>(): Promise<T> => {
      throw new GraphRequestError({ status: 400, code: 'BadRequest', message: "Invalid filter clause: 'status' is not valid." });
    };
    await expect(
      readList({ get: bad, memory, scanLimit: 10 }, { request: pageRequest('l', 1, null), path, filters: [], map: (i) => i }),
    ).rejects.toThrow(GraphRequestError);
    expect(memory.refusals()).toEqual([]);
  });

  it('asks again after the recheck time, and forgets the refusal when Graph then allows it', async () => {
    const clock = { now: 0 };
    const { memory, events } = memoryAt(clock);
    await read(fakeGraph(['$top']), { first: 2, memory });
    expect(memory.decide('restoreSessions.top')).toBe('fallback');
    clock.now = 59_999;
    const before = fakeGraph();
    await read(before, { first: 2, memory });
    expect(before.requests[0]).not.toContain('top');
    clock.now = 60_000;
    const after = fakeGraph();
    await read(after, { first: 2, memory });
    expect(after.requests[0]).toContain('$top=2');
    expect(events).toEqual([
      ['restoreSessions.top', true],
      ['restoreSessions.top', false],
    ]);
    expect(memory.refusals()).toEqual([]);
  });

  it("reads Graph's refusals in the wordings its services use, and nothing else", () => {
    const refusal = (message: string, status = 400) => refusedOptionOf(new GraphRequestError({ status, code: '', message }));
    expect(refusal("The query specified in the URI is not valid. Query option 'Count' is not allowed.")).toEqual({ option: '$count' });
    expect(refusal("The query parameter '$top' is not supported.")).toEqual({ option: '$top' });
    expect(refusal("'$expand' is not supported.")).toEqual({ option: '$expand' });
    expect(refusal("The property 'restoreJobType' cannot be used in the $filter query option.")).toEqual({
      option: '$filter',
      property: 'restoreJobType',
    });
    expect(refusal("Query option 'Top' is not allowed.", 403)).toBeUndefined();
    expect(refusal('Invalid request.')).toBeUndefined();
    expect(refusedOptionOf(new Error("Query option 'Top' is not allowed."))).toBeUndefined();
  });

  it("starts from a doctor's file about the same Graph, and ignores one about another", () => {
    const file = parseDoctorCapabilities({
      version: 1,
      graphBaseUrl: 'https://graph.example/beta/',
      checkedAt: '2026-12-01T00:00:00.000Z',
      capabilities: {
        'restoreSessions.top': { result: 'refused', status: 400, requestId: 'q', detail: "Query option 'Top' is not allowed" },
        'restoreSessions.count': { result: 'works', status: 200, requestId: 'q' },
        'batch.itemPrefer': { result: 'refused', status: 400, requestId: 'q' },
      },
    });
    expect(file.refused).toEqual([{ capability: 'restoreSessions.top', requestId: 'q', option: '$top' }]);
    const { memory, events } = memoryAt({ now: 0 });
    expect(rememberDoctorRefusals(memory, file)).toBe(true);
    expect(events).toEqual([['restoreSessions.top', true]]);
    const other = memoryAt({ now: 0 });
    expect(rememberDoctorRefusals(other.memory, { ...file, graphBaseUrl: 'https://graph.microsoft.com/beta' })).toBe(false);
    expect(() => parseDoctorCapabilities({ version: 2 })).toThrow(/version 2/);
    expect(() => parseDoctorCapabilities([])).toThrow();
  });
});
