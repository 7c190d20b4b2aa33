import {
  refusedOptionOf,
  type CapabilityDecision,
  type CapabilityMemory,
  type GraphCapability,
  type RefusalEvidence,
  type RefusedOption,
} from './capabilities.js';
import type { GraphCollectionPage } from './dto.js';
import { GraphProtocolError, type GraphRequestError } from './errors.js';
import { continuationOf, encodeCursor, MAX_TOP, type Continuation, type CursorData, type GraphPage, type PageRequest } from './paging.js';
import { andFilters, anyOf, type GraphPath, type QueryOptions } from './url.js';

/**
 * Reads one GraphQL page of a Graph list, whichever query options Graph allows on it.
 *
 * With everything allowed it is one request: `$top` = what the page needs, Graph's `$filter`, and `$count=true`. When
 * Graph refuses an option the gateway can do without (`capabilities.ts`), the page is still answered:
 * - without `$top`, Graph's pages come at its own size, and further pages are followed until `first` is filled;
 * - without `$filter`, the clause is applied here, over Graph's unfiltered pages (read 100 at a time where `$top`
 *   works), scanning at most `scanLimit` items for one GraphQL page: a page may then hold fewer than `first` items,
 *   even none, and still say `hasNextPage`, and its cursors continue the scan;
 * - without `$count`, `totalCount` is what the pages read show: exact when the read started at the list's beginning
 *   and reached its end (the first page is read 100 at a time for that), otherwise null.
 * A refusal is retried at once without the option, and remembered (`CapabilityMemory`) when the request's options
 * were all the gateway's own: a request resumed from a caller's cursor carries the caller's continuation, so it falls
 * back but teaches the memory nothing.
 */

/** One clause of a list's filter. */
export interface ListFilter<T> {
  /** The OData property it tests, as Graph names it in a refusal. */
  property: string;
  /** The clause as Graph reads it, e.g. `(status eq 'active' or status eq 'failed')`. */
  odata: string;
  /** The same test, applied here when Graph refuses the clause. */
  keep(item: T): boolean;
  /** What lets Graph apply it; undefined: documented for this list, always sent. */
  capability?: GraphCapability;
}

/**
 * The clause "`property` is any of `values`" (Graph enum members, checked), or undefined when no value is given. Applied
 * here, it compares as Graph does: the member as Graph wrote it.
 */
export function memberFilter<T>(
  property: string,
  values: readonly string[] | null | undefined,
  argument: string,
  read: (item: T) => string | null | undefined,
  capability?: GraphCapability,
): ListFilter<T> | undefined {
  const odata = anyOf(property, values, argument);
  if (odata === undefined || !values) return undefined;
  const members = new Set(values);
  const keep = (item: T): boolean => {
    const value = read(item);
    return typeof value === 'string' && members.has(value);
  };
  return capability === undefined ? { property, odata, keep } : { property, odata, keep, capability };
}

export interface ListRead<T, N> {
  request: PageRequest;
  path(query: QueryOptions): GraphPath;
  /** The capabilities of `$top` and `$count` on this list; undefined: documented, always sent. */
  capabilities?: { top?: GraphCapability; count?: GraphCapability };
  /** The clauses in effect (those the caller asked for), in a fixed order: cursors name them by position. */
  filters: ReadonlyArray<ListFilter<T>>;
  map(item: T): N;
}

export interface ListReader {
  /** `replacesRefused`: the read retried after Graph refused an option of the previous one (counted once). */
  get<T>(path: GraphPath, replacesRefused?: boolean): Promise<T>;
  memory: CapabilityMemory | undefined;
  /** GRAPH_FALLBACK_SCAN_LIMIT: items examined at most for one GraphQL page filtered on the gateway's side. */
  scanLimit: number;
}

/** Graph pages read at most for one GraphQL page, whatever the scan limit: bounds a list of empty pages. */
const MAX_PAGES = 20;

type Position = Continuation & { offset: number };

export async function readList<T, N>(reader: ListReader, read: ListRead<T, N>): Promise<GraphPage<N>> {
  const start = read.request.start;
  // Items before the start, when known (the list's beginning, or a cursor that says): then the list can be counted.
  const before = start.offset === 0 && start.skiptoken === undefined && start.skip === undefined ? 0 : start.index;
  const plan = createPlan(reader, read, before !== undefined);
  const collect = createCollector(read, reader.scanLimit, before);
  let at: Position = { ...continuationPart(start), offset: start.offset };
  for (let pages = 1; ; pages++) {
    const { collection, mask } = await plan.fetch(at);
    const value = collection.value;
    const next = collection['@odata.nextLink'] === undefined ? undefined : continuationOf(collection['@odata.nextLink']);
    const last = next === undefined || pages >= MAX_PAGES;
    // A position past this page's end (an empty page, or pages now shorter than when the cursor was made) goes on.
    if (at.offset >= value.length && !last) {
      at = { ...next, offset: at.offset - value.length };
      continue;
    }
    collect.take(value, at, next, mask);
    if (typeof collection['@odata.count'] === 'number' && mask === 0) collect.graphCount(collection['@odata.count']);
    if (last || collect.done()) return collect.page(next);
    at = { ...next, offset: 0 };
  }
}

interface Plan<T> {
  fetch(at: Position): Promise<{ collection: GraphCollectionPage<T> & { value: T[] }; mask: number }>;
}

interface Options {
  query: QueryOptions;
  /** The capabilities this request uses (Graph may still refuse one). */
  used: GraphCapability[];
  /** Filter clauses (a bit each) applied here. */
  mask: number;
}

/** Which options a request carries, what Graph refused for this read, and the retry without what it refused. */
function createPlan<T, N>({ get, memory }: ListReader, read: ListRead<T, N>, countable: boolean): Plan<T> {
  const decisions = decider(memory, read);
  const refused = new Set<GraphCapability>();
  // The caller's cursor carries the caller's continuation (and its filter mode, which the pages that follow keep).
  const trusted = !read.request.resumed;
  let lockedMask = read.request.resumed ? (read.request.start.local ?? 0) : undefined;
  const uses = (capability: GraphCapability | undefined): boolean =>
    capability === undefined || (!refused.has(capability) && decisions.of(capability) !== 'fallback');
  const options = (at: Position): Options => {
    const { top, count } = read.capabilities ?? {};
    const used: GraphCapability[] = [];
    const mark = (capability: GraphCapability | undefined, on: boolean): boolean => {
      if (capability !== undefined && on) used.push(capability);
      else if (capability !== undefined) memory?.fellBack(capability);
      return on;
    };
    let mask = 0;
    const sent = read.filters.filter((f, i) => {
      const local = lockedMask === undefined ? !uses(f.capability) : (lockedMask & (1 << i)) !== 0;
      if (local) mask |= 1 << i;
      return mark(f.capability, !local);
    });
    const withCount = mark(count, uses(count));
    // Scanning, or counting from the pages read: as few pages as Graph allows.
    const wide = mask !== 0 || (!withCount && countable);
    const query: QueryOptions = [
      ['$top', mark(top, uses(top)) ? (wide ? MAX_TOP : Math.min(MAX_TOP, at.offset + read.request.first)) : undefined],
      ['$skiptoken', at.skiptoken],
      ['$skip', at.skip],
      ['$filter', andFilters(sent.map((f) => f.odata))],
      ['$count', withCount ? 'true' : undefined],
    ];
    return { query, used, mask };
  };
  const attempt = async (
    at: Position,
    retry: boolean,
  ): Promise<{ collection: GraphCollectionPage<T> & { value: T[] }; mask: number } | undefined> => {
    const o = options(at);
    try {
      const collection = await get<GraphCollectionPage<T>>(read.path(o.query), retry);
      if (!Array.isArray(collection?.value)) throw new GraphProtocolError('Microsoft Graph answered a list without a value array.');
      lockedMask = o.mask;
      for (const capability of o.used) decisions.worked(capability);
      return { collection: collection as GraphCollectionPage<T> & { value: T[] }, mask: o.mask };
    } catch (err) {
      const named = refusedOptionOf(err);
      const capabilities = named ? refusedBy(named, o, read) : [];
      // A filter refused once positions are fixed (a later page, a caller's cursor) would change what they mean.
      if (!named || capabilities.length === 0 || (lockedMask !== undefined && capabilities.some((c) => isFilter(read, c)))) throw err;
      for (const capability of capabilities) {
        refused.add(capability);
        decisions.refused(
          capability,
          trusted ? { option: named.option, requestId: (err as GraphRequestError).requestId, from: 'graph' } : undefined,
        );
      }
      return undefined;
    }
  };
  return {
    async fetch(at) {
      decisions.ready();
      try {
        for (let retry = false; ; retry = true) {
          const page = await attempt(at, retry);
          if (page) return page;
        }
      } finally {
        decisions.settleRest();
      }
    },
  };
}

/** The memory's decision for each capability a read may use, taken once per read; and the probes it must report. */
function decider<T, N>(memory: CapabilityMemory | undefined, read: ListRead<T, N>) {
  const wanted = [read.capabilities?.top, read.capabilities?.count, ...read.filters.map((f) => f.capability)].filter(
    (c): c is GraphCapability => c !== undefined,
  );
  const decided = new Map<GraphCapability, CapabilityDecision>();
  const probes = new Set<GraphCapability>();
  return {
    ready(): void {
      if (!memory) return;
      for (const capability of wanted) {
        if (decided.has(capability)) continue;
        const decision = memory.decide(capability);
        decided.set(capability, decision);
        if (decision === 'probe') probes.add(capability);
      }
    },
    of: (capability: GraphCapability): CapabilityDecision => decided.get(capability) ?? 'use',
    worked(capability: GraphCapability): void {
      probes.delete(capability);
      memory?.worked(capability);
    },
    /** Remembered only with evidence (a request of the gateway's own); otherwise a probe it was ends inconclusive. */
    refused(capability: GraphCapability, evidence: RefusalEvidence | undefined): void {
      probes.delete(capability);
      if (evidence) memory?.refused(capability, evidence);
      else if (decided.get(capability) === 'probe') memory?.inconclusive(capability);
    },
    /** Rechecks this read did not settle (it failed, or never sent them) end inconclusive, so another request may try. */
    settleRest(): void {
      for (const capability of probes) memory?.inconclusive(capability);
      probes.clear();
    },
  };
}

const isFilter = <T, N>(read: ListRead<T, N>, capability: GraphCapability): boolean =>
  read.filters.some((f) => f.capability === capability);

/** The capabilities a refusal names, among those the refused request used. */
function refusedBy<T, N>(named: RefusedOption, o: Options, read: ListRead<T, N>): GraphCapability[] {
  const { top, count } = read.capabilities ?? {};
  const used = (c: GraphCapability | undefined): c is GraphCapability => c !== undefined && o.used.includes(c);
  switch (named.option) {
    case '$top':
      return used(top) ? [top] : [];
    case '$count':
      return used(count) ? [count] : [];
    case '$filter':
      return read.filters
        .filter((f) => named.property === undefined || f.property.toLowerCase() === named.property.toLowerCase())
        .map((f) => f.capability)
        .filter(used);
    default:
      return [];
  }
}

interface Collector<T, N> {
  /** Examines `value` from `at.offset`: edges until `first`, then (when counting) the rest of the page. */
  take(value: readonly T[], at: Position, next: Continuation | undefined, mask: number): void;
  graphCount(count: number): void;
  /** Whether no further Graph page is needed. */
  done(): boolean;
  page(next: Continuation | undefined): GraphPage<N>;
}

function createCollector<T, N>(read: ListRead<T, N>, scanLimit: number, before: number | undefined): Collector<T, N> {
  const { request, filters, map } = read;
  const edges: GraphPage<N>['edges'] = [];
  let matched = 0;
  let scanned = 0;
  let scanning = false;
  let moreInHand = false;
  let stoppedEarly = false;
  /** The last page read was examined to its end. */
  let examinedAll = false;
  let counted: number | null = null;
  let resume: CursorData | undefined;
  /** What a cursor says besides its position: the filter mode, and the items before it when known. */
  const extra = (local: number): Pick<CursorData, 'local' | 'index'> => ({
    ...(local ? { local } : {}),
    ...(before === undefined ? {} : { index: before + matched }),
  });
  const cursorAt = (at: Position, index: number, length: number, next: Continuation | undefined, local: number): string =>
    encodeCursor(request.list, {
      ...(index >= length && next ? { ...next, offset: 0 } : { ...continuationPart(at), offset: index }),
      ...extra(local),
    });
  return {
    take(value, at, next, mask) {
      scanning = mask !== 0;
      examinedAll = false;
      const keep = (item: T): boolean => filters.every((f, i) => (mask & (1 << i)) === 0 || f.keep(item));
      for (let i = at.offset; i < value.length; i++) {
        const full = edges.length >= request.first;
        if (!full && scanning && scanned >= scanLimit) {
          stoppedEarly = true;
          resume = { offset: i, ...continuationPart(at), ...extra(mask) };
          return;
        }
        scanned++;
        const item = value[i] as T;
        if (!keep(item)) continue;
        matched++;
        if (!full) edges.push({ cursor: cursorAt(at, i + 1, value.length, next, mask), node: map(item) });
        else {
          moreInHand = true;
          // Past a full page, items are examined only to count a list that ends in this page.
          if (before === undefined || next !== undefined) return;
        }
      }
      examinedAll = true;
      resume = { ...(next ? { ...next, offset: 0 } : { ...continuationPart(at), offset: value.length }), ...extra(mask) };
    },
    graphCount(count) {
      counted = count;
    },
    done: () => edges.length >= request.first || stoppedEarly || (scanning && scanned >= scanLimit),
    page(next) {
      const full = edges.length >= request.first;
      const hasNextPage = full ? moreInHand || next !== undefined : stoppedEarly || next !== undefined;
      const last = edges[edges.length - 1]?.cursor;
      return {
        edges,
        nodes: edges.map((e) => e.node),
        pageInfo: {
          hasNextPage,
          hasPreviousPage: request.resumed,
          startCursor: edges[0]?.cursor ?? null,
          // An empty page that goes on still needs a way forward: where the scan stopped.
          endCursor: last ?? (hasNextPage && resume ? encodeCursor(request.list, resume) : null),
        },
        totalCount: counted ?? (before !== undefined && examinedAll && next === undefined ? before + matched : null),
      };
    },
  };
}

function continuationPart(c: Continuation): Continuation {
  const out: Continuation = {};
  if (c.skiptoken !== undefined) out.skiptoken = c.skiptoken;
  if (c.skip !== undefined) out.skip = c.skip;
  return out;
}
