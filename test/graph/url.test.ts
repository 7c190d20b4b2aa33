import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { GraphInputError, GraphRequestError } from '../../src/graph/errors.js';
import { toGraphQLError } from '../../src/graphql-errors.js';
import { MAX_ID_LENGTH, encodeId, graphPaths, odataString } from '../../src/graph/url.js';
import { startGraphFixture, type GraphFixture } from './support.js';

const HOSTILE = ['../x', 'a/b', '%2F', '?$expand=protectionUnit', '..%2F..%2Fusers', 'x#frag', 'a b&c=d', "o'hara", '\\..\\x', 'ü/ß'];

describe('graphPaths (unit)', () => {
  it('keeps every id one encoded segment', () => {
    expect(graphPaths.restoreSession('../x')).toBe('/solutions/backupRestore/restoreSessions/..%2Fx');
    expect(graphPaths.restoreSession('a/b')).toBe('/solutions/backupRestore/restoreSessions/a%2Fb');
    expect(graphPaths.restoreSession('%2F')).toBe('/solutions/backupRestore/restoreSessions/%252F');
    expect(graphPaths.restoreSession('?$expand=')).toBe('/solutions/backupRestore/restoreSessions/%3F%24expand%3D');
    expect(graphPaths.siteRestoreArtifact('s/1', 'a?b')).toBe(
      '/solutions/backupRestore/sharePointRestoreSessions/s%2F1/siteRestoreArtifacts/a%3Fb',
    );
    for (const id of HOSTILE) {
      const path = graphPaths.restoreSession(id);
      const segments = path.split('?')[0]!.split('/');
      expect(segments).toHaveLength(5);
      expect(decodeURIComponent(segments[4]!)).toBe(id);
    }
  });

  it('refuses what cannot be made safe, before any call', () => {
    const refused = ['', '.', '..', '...', 'x'.repeat(MAX_ID_LENGTH + 1), 'x'.repeat(10_240), 'a\nb', 'a\u0000b', 'a\u2028b', '\ud800'];
    for (const id of refused) {
      expect(() => graphPaths.restoreSession(id), JSON.stringify(id.slice(0, 20))).toThrow(GraphInputError);
    }
    expect(encodeId('x'.repeat(MAX_ID_LENGTH))).toHaveLength(MAX_ID_LENGTH);
    // Restore point ids carry underscores; they pass untouched.
    expect(graphPaths.restorePoint('c7e702b7-b5ee-4faf-9e43-5fd23b4fb0bf_1701648000_14_1')).toBe(
      '/solutions/backupRestore/restorePoints/c7e702b7-b5ee-4faf-9e43-5fd23b4fb0bf_1701648000_14_1',
    );
  });

  it('quotes OData string literals', () => {
    expect(odataString("it's")).toBe("'it''s'");
    expect(() => odataString('x'.repeat(300))).toThrow(GraphInputError);
  });

  it('reports a refused id as BAD_USER_INPUT naming the argument', () => {
    let error: unknown;
    try {
      graphPaths.siteRestoreArtifacts('..');
    } catch (err) {
      error = err;
    }
    const gql = toGraphQLError(error);
    expect(gql.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'restoreSessionId' });
  });
});

describe('hostile ids against the emulator (journal)', () => {
  let f: GraphFixture;
  beforeAll(async () => {
    f = await startGraphFixture();
  });
  afterAll(async () => {
    await f?.close();
  });
  beforeEach(() => f.resetEmulatorSide());

  it('never reach another Graph path, one at a time or batched', async () => {
    for (const id of HOSTILE) {
      f.resetEmulatorSide();
      const err = await f.client.getSession(id).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, id).toBeInstanceOf(GraphRequestError);
      expect(toGraphQLError(err).extensions.code, id).toMatch(/^(BAD_USER_INPUT|NOT_FOUND)$/);
      const entries = f.graphEntries();
      expect(entries, id).toHaveLength(1);
      const [entry] = entries;
      expect(entry!.kind).toBe('request');
      expect(entry!.query, id).toBe('');
      const segments = entry!.path.split('/');
      expect(segments.slice(0, 3), id).toEqual(['solutions', 'backupRestore', 'restoreSessions']);
      expect(segments, id).toHaveLength(4);
      expect(decodeURIComponent(segments[3]!), id).toBe(id);
    }

    f.resetEmulatorSide();
    const results = await Promise.allSettled([
      ...HOSTILE.map((id) => f.client.getSession(id)),
      f.client.getSession(SEED_SESSION_IDS.draft),
    ]);
    expect(results.at(-1)!.status).toBe('fulfilled');
    const items = f.graphEntries().filter((e) => e.kind === 'batchItem');
    expect(items).toHaveLength(HOSTILE.length + 1);
    const ids = items.map((e) => {
      const segments = e.path.split('/');
      expect(segments).toHaveLength(4);
      expect(segments.slice(0, 3)).toEqual(['solutions', 'backupRestore', 'restoreSessions']);
      expect(e.query).toBe('');
      return decodeURIComponent(segments[3]!);
    });
    expect(ids.sort()).toEqual([...HOSTILE, SEED_SESSION_IDS.draft].sort());
  });

  it('sends nothing at all for a 10 kB id', async () => {
    const huge = 'a/'.repeat(5_120);
    await expect(f.client.getSession(huge)).rejects.toBeInstanceOf(GraphInputError);
    await expect(f.client.getSiteArtifact(SEED_SESSION_IDS.large, huge)).rejects.toBeInstanceOf(GraphInputError);
    await expect(f.client.listRestorePoints(huge)).rejects.toBeInstanceOf(GraphInputError);
    expect(f.graphEntries()).toEqual([]);
  });

  it('cannot break out of an OData string in $filter', async () => {
    const unit = "x') or (id ne '";
    await f.client.listRestorePoints(unit).catch(() => undefined);
    const [entry] = f.graphEntries();
    expect(entry!.path).toBe('solutions/backupRestore/restorePoints');
    const expand = new URLSearchParams(entry!.query).get('$expand');
    expect(expand).toBe("protectionUnit($filter=id eq 'x'') or (id ne ''')");
    expect([...new URLSearchParams(entry!.query).keys()]).toEqual(['$expand', '$filter']);
  });
});
