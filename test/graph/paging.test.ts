import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import type { GraphRestoreSession, SessionScopedSiteRestoreArtifact } from '../../src/graph/dto.js';
import { GraphInputError, GraphProtocolError } from '../../src/graph/errors.js';
import { toGraphQLError } from '../../src/graphql-errors.js';
import type { GraphCollectionPage } from '../../src/graph/dto.js';
import { readList } from '../../src/graph/list-reader.js';
import { continuationOf, pageRequest, rerootNextLink, type GraphPage, type PageRequest } from '../../src/graph/paging.js';
import type { GraphPath } from '../../src/graph/url.js';
import { startGraphFixture, type GraphFixture } from './support.js';

describe('nextLink re-rooting (unit)', () => {
  it('keeps only the path and query after the version segment, whatever the host', () => {
    expect(rerootNextLink('https://evil.example.com/beta/solutions/backupRestore/restoreSessions?$top=5&$skiptoken=abc')).toBe(
      '/solutions/backupRestore/restoreSessions?$top=5&$skiptoken=abc',
    );
    expect(rerootNextLink('https://graph.microsoft.com/v1.0/solutions/backupRestore/siteProtectionUnits?$skiptoken=M2Uy%3d%3d')).toBe(
      '/solutions/backupRestore/siteProtectionUnits?$skiptoken=M2Uy%3d%3d',
    );
    expect(rerootNextLink('http://proxy.local:8080/graph/beta/solutions/backupRestore/restorePoints')).toBe(
      '/solutions/backupRestore/restorePoints',
    );
    // Relative links, as Graph's siteRestoreArtifacts example has them.
    expect(rerootNextLink('/solutions/backupRestore/sharePointRestoreSessions/x/siteRestoreArtifacts?$skiptoken=t')).toBe(
      '/solutions/backupRestore/sharePointRestoreSessions/x/siteRestoreArtifacts?$skiptoken=t',
    );
    expect(rerootNextLink('solutions/backupRestore/restoreSessions')).toBe('/solutions/backupRestore/restoreSessions');
  });

  it('refuses links that leave the backup API', () => {
    for (const link of [
      'https://graph.microsoft.com/v1.0/users',
      'https://graph.microsoft.com/beta/solutions/backupRestore/../../users',
      '/solutions/backupRestore/%2e%2e/%2e%2e/me',
      '/$batch',
      'https://evil.example.com/steal',
      'not a url at all ::',
    ]) {
      expect(() => rerootNextLink(link), link).toThrow(GraphProtocolError);
    }
  });

  it('reads the continuation of a nextLink', () => {
    expect(continuationOf('https://x/beta/solutions/backupRestore/restoreSessions?$top=5&$skiptoken=abc%3D')).toEqual({
      skiptoken: 'abc=',
    });
    expect(continuationOf('/solutions/backupRestore/restoreSessions?$skip=40')).toEqual({ skip: 40 });
    expect(continuationOf('/solutions/backupRestore/restoreSessions')).toBeUndefined();
  });
});

/** One GraphQL page cut out of one Graph page, as the list reader cuts it. */
async function toPage<T>(request: PageRequest, collection: GraphCollectionPage<T>): Promise<GraphPage<T>> {
  const get = async <R>(): Promise<R> => collection as R;
  return readList({ get, memory: undefined, scanLimit: 1000 }, { request, path: () => '/x' as GraphPath, filters: [], map: (x: T) => x });
}

describe('cursors (unit)', () => {
  it('refuses bad page sizes and foreign or forged cursors', async () => {
    expect(() => pageRequest('list', 0, null)).toThrow(GraphInputError);
    expect(() => pageRequest('list', 101, null)).toThrow(GraphInputError);
    expect(() => pageRequest('list', 2.5, null)).toThrow(GraphInputError);
    const page = await toPage(pageRequest('list-a', 2, null), { value: [1, 2, 3] });
    const cursor = page.pageInfo.endCursor!;
    expect(pageRequest('list-a', 2, cursor).start).toEqual({ offset: 2, index: 2 });
    expect(() => pageRequest('list-b', 2, cursor)).toThrow(/another list or filter/);
    expect(() => pageRequest('list-a', 2, 'garbage!')).toThrow(GraphInputError);
    expect(() => pageRequest('list-a', 2, Buffer.from('{"v":1}').toString('base64url'))).toThrow(GraphInputError);
    expect(() => pageRequest('list-a', 2, 'x'.repeat(5000))).toThrow(GraphInputError);
  });

  it('gives every edge a cursor and continues from Graph pages', async () => {
    const request = pageRequest('l', 3, null);
    const page = await toPage(request, {
      value: ['a', 'b', 'c'],
      '@odata.nextLink': '/solutions/backupRestore/x?$skiptoken=T2',
      '@odata.count': 9,
    });
    expect(page.nodes).toEqual(['a', 'b', 'c']);
    expect(page.totalCount).toBe(9);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(pageRequest('l', 3, page.pageInfo.endCursor).start).toEqual({ skiptoken: 'T2', offset: 0, index: 3 });
    expect(pageRequest('l', 3, page.edges[0]!.cursor).start).toEqual({ offset: 1, index: 1 });
  });
});

describe('paging against the emulator', () => {
  let f: GraphFixture;
  beforeAll(async () => {
    f = await startGraphFixture();
  });
  afterAll(async () => {
    await f?.close();
  });
  beforeEach(() => f.resetEmulatorSide());

  it('pages the 65-artifact session to the end', async () => {
    const seen: SessionScopedSiteRestoreArtifact[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await f.client.listSiteArtifacts(SEED_SESSION_IDS.large, { first: 20, after });
      pages++;
      expect(page.totalCount).toBe(65);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(4);
    expect(seen).toHaveLength(65);
    expect(new Set(seen.map((a) => a.id)).size).toBe(65);
    expect(seen.every((a) => a.restoreSessionId === SEED_SESSION_IDS.large)).toBe(true);
    const requests = f.graphEntries();
    expect(requests).toHaveLength(4);
    for (const [i, e] of requests.entries()) {
      const q = new URLSearchParams(e.query);
      expect(e.path).toBe(`solutions/backupRestore/sharePointRestoreSessions/${SEED_SESSION_IDS.large}/siteRestoreArtifacts`);
      expect(q.get('$top')).toBe('20');
      expect(q.has('$skiptoken')).toBe(i > 0);
    }
  });

  it('continues after any edge, with any page size', async () => {
    const first = await f.client.listSiteArtifacts(SEED_SESSION_IDS.large, { first: 20 });
    const fromEdge = await f.client.listSiteArtifacts(SEED_SESSION_IDS.large, { first: 10, after: first.edges[4]!.cursor });
    expect(fromEdge.nodes.map((a) => a.id)).toEqual(first.nodes.slice(5, 15).map((a) => a.id));
    const next = await f.client.listSiteArtifacts(SEED_SESSION_IDS.large, { first: 50, after: first.pageInfo.endCursor });
    expect(next.nodes).toHaveLength(45);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });

  it('filters artifacts by status and refuses a cursor of another filter', async () => {
    const all = await f.client.listSiteArtifacts(SEED_SESSION_IDS.completedWithError, { first: 100 });
    const statuses = [...new Set(all.nodes.map((a) => a.status))];
    const wanted = statuses.slice(0, 1);
    const filtered = await f.client.listSiteArtifacts(SEED_SESSION_IDS.completedWithError, { first: 100, filter: { status: wanted } });
    expect(filtered.nodes.length).toBeGreaterThan(0);
    expect(filtered.nodes.every((a) => wanted.includes(a.status))).toBe(true);
    expect(filtered.totalCount).toBe(all.nodes.filter((a) => wanted.includes(a.status)).length);
    const err = await f.client
      .listSiteArtifacts(SEED_SESSION_IDS.completedWithError, {
        first: 5,
        after: filtered.pageInfo.endCursor,
        filter: { status: ['succeeded', 'failed'] },
      })
      .catch((e: unknown) => e);
    expect(toGraphQLError(err).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('lists sessions with filters and a total count', async () => {
    const all: GraphRestoreSession[] = [];
    let after: string | null = null;
    do {
      const page = await f.client.listSessions({ first: 3, after });
      all.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(all.map((s) => s.id))).toEqual(new Set(Object.values(SEED_SESSION_IDS)));
    const failed = await f.client.listSessions({ filter: { status: ['failed', 'completedWithError'] } });
    expect(failed.nodes.map((s) => s.id)).toContain(SEED_SESSION_IDS.failed);
    expect(failed.nodes.every((s) => s.status === 'failed' || s.status === 'completedWithError')).toBe(true);
    expect(failed.totalCount).toBe(failed.nodes.length);
    const q = new URLSearchParams(f.graphEntries().at(-1)!.query);
    expect(q.get('$filter')).toBe("(status eq 'failed' or status eq 'completedWithError')");
    expect(q.get('$count')).toBe('true');
    const sharePoint = await f.client.listSharePointSessions({ first: 100 });
    expect(sharePoint.nodes.map((s) => s.id)).not.toContain(SEED_SESSION_IDS.exchange);
    await expect(f.client.listSessions({ filter: { status: ["draft') or true or ('"] } })).rejects.toBeInstanceOf(GraphInputError);
  });

  it('follows a nextLink naming another host on the configured base only', async () => {
    const page = await f.client.followNextLink<GraphRestoreSession>(
      'https://attacker.invalid/v1.0/solutions/backupRestore/restoreSessions?$top=2&$count=true',
    );
    expect(page.value).toHaveLength(2);
    const [entry] = f.graphEntries();
    expect(entry).toMatchObject({
      kind: 'request',
      version: 'beta',
      path: 'solutions/backupRestore/restoreSessions',
      query: '%24top=2&%24count=true',
    });
    // The emulator's own nextLink (absolute, on its origin) works the same way.
    expect(page['@odata.nextLink']).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/beta\/solutions/);
    const second = await f.client.followNextLink<GraphRestoreSession>(page['@odata.nextLink']!);
    expect(second.value.map((s) => s.id)).not.toContain(page.value[0]!.id);
  });

  it('pages site protection units', async () => {
    const first = await f.client.listSiteProtectionUnits({ first: 50 });
    expect(first.totalCount).toBe(72);
    const rest = await f.client.listSiteProtectionUnits({ first: 50, after: first.pageInfo.endCursor });
    expect(rest.nodes).toHaveLength(22);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });
});
