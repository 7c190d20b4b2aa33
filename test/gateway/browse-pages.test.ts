import { describe, expect, it } from 'vitest';
import { readBrowsePage, type BrowseAnswer, type BrowsePageSource } from '../../src/graph/browse-pages.js';
import type { GraphBrowseQueryResponseItem } from '../../src/graph/dto.js';
import { GraphInputError, GraphProtocolError } from '../../src/graph/errors.js';
import { graphPaths, type GraphPath } from '../../src/graph/url.js';

// The paging of a browse listing on its own, over a scripted Graph: how cursors continue inside and across Graph's
// pages, and what no cursor or nextLink may make the gateway request.

const browsePath = graphPaths.browse('sharePoint', 'session-1');
const item = (n: number): GraphBrowseQueryResponseItem => ({ itemKey: `k${n}`, name: `item ${n}`, type: 'file' });

/** A Graph whose listing is `total` items in pages of `size`, each page's nextLink naming its offset; records what it was asked. */
function scriptedGraph(
  total: number,
  size: number,
  nextLink = (offset: number) => `https://graph.invalid/beta${browsePath}?$skiptoken=${offset}`,
) {
  const asked: string[] = [];
  const page = (offset: number): BrowseAnswer => {
    const value = Array.from({ length: Math.max(0, Math.min(size, total - offset)) }, (_, i) => item(offset + i));
    const more = offset + size < total;
    return {
      body: { '@odata.count': total, value, ...(more ? { '@odata.nextLink': nextLink(offset + size) } : {}) },
      exchange: { method: offset === 0 ? 'POST' : 'GET', status: 200, requestId: `r${offset}`, clientRequestId: `c${offset}` },
    };
  };
  const source: BrowsePageSource = {
    async first() {
      asked.push('POST');
      return page(0);
    },
    async next(path: GraphPath) {
      asked.push(`GET ${path}`);
      return page(Number(/skiptoken=(\d+)/.exec(path)?.[1] ?? 'NaN'));
    },
  };
  return { source, asked };
}

const read = (source: BrowsePageSource, first: number, after?: string | null, listing = 'listing') =>
  readBrowsePage(source, { listing, browsePath, first, after }, (i) => i.itemKey);

describe('a browse listing over Graph pages', () => {
  it('fills `first` across pages, and every edge’s cursor continues right after it', async () => {
    const g = scriptedGraph(23, 5);
    const page = await read(g.source, 12);
    expect(page.nodes).toEqual(Array.from({ length: 12 }, (_, i) => `k${i}`));
    expect(page).toMatchObject({ totalCount: 23, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    expect(page.exchanges.map((e) => e.requestId)).toEqual(['r0', 'r5', 'r10']);
    for (const [i, edge] of page.edges.entries()) {
      const next = await read(scriptedGraph(23, 5).source, 2, edge.cursor);
      expect(next.nodes, `after edge ${i}`).toEqual([`k${i + 1}`, `k${i + 2}`]);
    }
    // A cursor at the end of a Graph page goes straight to the next one, without asking for the used-up page again.
    const g2 = scriptedGraph(23, 5);
    await read(g2.source, 3, page.edges[4]!.cursor);
    expect(g2.asked).toEqual([`GET ${browsePath}?$skiptoken=5`]);
    const last = await read(scriptedGraph(23, 5).source, 100, page.pageInfo.endCursor);
    expect(last.nodes).toHaveLength(11);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('refuses a cursor of another listing, and one whose nextLink names anything but this session’s browse action', async () => {
    const { source } = scriptedGraph(23, 5);
    const cursor = (await read(source, 7)).pageInfo.endCursor!;
    await expect(read(source, 1, cursor, 'another listing')).rejects.toMatchObject({ argument: 'after' });
    const forge = (n: string): string => {
      const c = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>;
      return Buffer.from(JSON.stringify({ ...c, n })).toString('base64url');
    };
    for (const n of [
      '/solutions/backupRestore/restoreSessions',
      `${graphPaths.browse('sharePoint', 'session-2')}?$skiptoken=5`,
      `${graphPaths.browse('oneDriveForBusiness', 'session-1')}?$skiptoken=5`,
      `https://evil.example/beta${browsePath}?$skiptoken=5`,
      `/me/drive?$skiptoken=5`,
    ]) {
      const error = await read(source, 1, forge(n)).catch((e: unknown) => e);
      expect(error, n).toBeInstanceOf(GraphInputError);
      expect((error as GraphInputError).argument, n).toBe('after');
    }
  });

  it('refuses a nextLink from Graph that leaves the session’s browse action', async () => {
    const { source } = scriptedGraph(
      23,
      5,
      (offset) => `https://graph.invalid/beta/solutions/backupRestore/restoreSessions?$skiptoken=${offset}`,
    );
    await expect(read(source, 10)).rejects.toBeInstanceOf(GraphProtocolError);
  });

  it('bounds a run of empty pages, and still gives a way forward', async () => {
    let asked = 0;
    const empty: BrowsePageSource = {
      first: async () => ({
        body: { value: [], '@odata.nextLink': `${browsePath}?$skiptoken=1` },
        exchange: { method: 'POST', status: 200, requestId: null, clientRequestId: 'c' },
      }),
      next: async () => {
        asked++;
        return {
          body: { value: [], '@odata.nextLink': `${browsePath}?$skiptoken=${asked + 1}` },
          exchange: { method: 'GET', status: 200, requestId: null, clientRequestId: 'c' },
        };
      },
    };
    const page = await read(empty, 10);
    expect(page.edges).toEqual([]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.pageInfo.endCursor).toEqual(expect.any(String));
    expect(asked).toBe(9);
    expect(page.totalCount).toBeNull();
  });

  it('refuses a page size outside 1 to 100 before asking Graph', async () => {
    const g = scriptedGraph(3, 5);
    for (const first of [0, 101, 1.5]) await expect(read(g.source, first)).rejects.toMatchObject({ argument: 'first' });
    expect(g.asked).toEqual([]);
  });
});
