import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS, seedRestorePointId, seedUnitId } from '@restore-session-gateway/graph-emulator';
import { createLoaders } from '../../src/loaders/index.js';
import { startGraphFixture, unknownGuid, type GraphFixture } from '../graph/support.js';

let f: GraphFixture;
beforeAll(async () => {
  f = await startGraphFixture();
  await f.tokens.getGraphToken();
});
afterAll(async () => {
  await f?.close();
});
beforeEach(() => f.resetEmulatorSide());

const kinds = () => f.graphEntries().map((e) => e.kind);

describe('createLoaders', () => {
  it('loads sessions by id in one $batch, null for an unknown one', async () => {
    const loaders = createLoaders(f.client);
    const [a, b, missing] = await Promise.all([
      loaders.sessionById.load(SEED_SESSION_IDS.draft),
      loaders.sessionById.load(SEED_SESSION_IDS.active),
      loaders.sessionById.load(unknownGuid(7)),
      loaders.sessionById.load(SEED_SESSION_IDS.draft),
    ]);
    expect(a?.id).toBe(SEED_SESSION_IDS.draft);
    expect(b?.id).toBe(SEED_SESSION_IDS.active);
    expect(missing).toBeNull();
    expect(kinds().filter((k) => k === 'batch')).toHaveLength(1);
    expect(kinds().filter((k) => k === 'batchItem')).toHaveLength(3);
  });

  it('coalesces different loaders of one tick into the same $batch', async () => {
    const loaders = createLoaders(f.client);
    const [session, point, unit, artifact] = await Promise.all([
      loaders.sessionById.load(SEED_SESSION_IDS.large),
      loaders.restorePointById.load(seedRestorePointId(3, 0)),
      loaders.protectionUnitById.load(seedUnitId(3)),
      loaders.artifactPage.load({ sessionId: SEED_SESSION_IDS.large, first: 10 }),
    ]);
    expect(session?.id).toBe(SEED_SESSION_IDS.large);
    expect(point?.protectionUnit?.id).toBe(seedUnitId(3));
    expect(unit?.id).toBe(seedUnitId(3));
    expect(artifact.nodes).toHaveLength(10);
    expect(kinds()).toEqual(['batchItem', 'batchItem', 'batchItem', 'batchItem', 'batch']);
    const expand = f.graphEntries().find((e) => e.path.startsWith('solutions/backupRestore/restorePoints/'))!.query;
    expect(new URLSearchParams(expand).get('$expand')).toBe('protectionUnit');
  });

  it('fails only the keys that failed', async () => {
    const loaders = createLoaders(f.client);
    f.t.emu.faults.set({
      rules: [{ path: `solutions/backupRestore/restoreSessions/${SEED_SESSION_IDS.failed}`, scope: 'batchItem', status: 403 }],
    });
    const results = await Promise.allSettled([
      loaders.sessionById.load(SEED_SESSION_IDS.completed),
      loaders.sessionById.load(SEED_SESSION_IDS.failed),
      loaders.sessionById.load('../../users'),
      loaders.sessionById.load('x'.repeat(10_000)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
    const codes = results.slice(1).map((r) => {
      const reason = (r as PromiseRejectedResult).reason as GraphQLError;
      expect(reason).toBeInstanceOf(GraphQLError);
      return reason.extensions.code;
    });
    expect(codes).toEqual(['FORBIDDEN', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    // The 10 kB id never left the gateway.
    expect(f.graphEntries().filter((e) => e.kind === 'batchItem')).toHaveLength(3);
  });

  it('primes artifacts from their page, and sessions from theirs', async () => {
    const loaders = createLoaders(f.client);
    const page = await loaders.artifactPage.load({ sessionId: SEED_SESSION_IDS.large, first: 5, filter: { status: [] } });
    const again = await loaders.artifactPage.load({ sessionId: SEED_SESSION_IDS.large, first: 5, filter: null });
    expect(again).toBe(page);
    const artifact = await loaders.artifactById.load({ sessionId: SEED_SESSION_IDS.large, artifactId: page.nodes[2]!.id });
    expect(artifact).toEqual(page.nodes[2]);
    expect(artifact?.restoreSessionId).toBe(SEED_SESSION_IDS.large);

    const sessions = await loaders.sessionPage.load({ family: 'all', first: 50 });
    await loaders.sessionById.load(sessions.nodes[0]!.id);
    expect(f.graphEntries()).toHaveLength(2);
  });

  it('loads an artifact by its composite key, null when the session does not have it', async () => {
    const loaders = createLoaders(f.client);
    const { nodes } = await f.client.listSiteArtifacts(SEED_SESSION_IDS.draft, { first: 1 });
    f.resetEmulatorSide();
    const [found, missing] = await Promise.all([
      loaders.artifactById.load({ sessionId: SEED_SESSION_IDS.draft, artifactId: nodes[0]!.id }),
      loaders.artifactById.load({ sessionId: SEED_SESSION_IDS.large, artifactId: nodes[0]!.id }),
    ]);
    expect(found?.id).toBe(nodes[0]!.id);
    expect(missing).toBeNull();
    expect(kinds()).toEqual(['batchItem', 'batchItem', 'batch']);
  });
});
