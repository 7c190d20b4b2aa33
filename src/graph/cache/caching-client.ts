import type { ArtifactListArgs, GraphClient } from '../client.js';
import type { GraphProtectionUnit, GraphRestorePoint, GraphRestoreSession } from '../dto.js';
import { isTerminalSessionStatus, restoreSessionStatus } from '../enums.js';
import type { GraphPage } from '../paging.js';
import type { CacheKind, CachePartition, GraphCache } from './store.js';

/**
 * One caller's Graph client with the cache of what cannot change in front of it. What it keeps, and for how long:
 *
 * - a restore point, until its `expirationDateTime` (Graph never changes one; it only expires). Its expanded
 *   protection unit is a copy of a unit that can change, so that copy is kept only for `unitTtlMs` and the restore point
 *   is read again (with its unit) once it is gone;
 * - a protection unit read by id, for `unitTtlMs` (its site name rarely changes; how stale it may be is this setting);
 * - a session in a terminal status, its artifact pages and its artifacts (granular ones too), for `terminalTtlMs`: Graph never changes a
 *   finished restore, but another caller may delete it, and this bounds how long a by-id read could still show it.
 *   A session is known to be terminal from any read of it, lists included, so a dashboard's refresh reads the artifacts
 *   of running sessions only.
 *
 * Lists of sessions, restore points and units are never answered from the cache: they change as sessions are created
 * and restore points taken. The caller's own writes drop what they change before and after they are made
 * (`GraphCache.invalidateSession`), so a caller's next read after its own mutation is Graph's answer.
 */

export interface CacheLifetimes {
  /** How long a protection unit (and a restore point's copy of one) is answered from the cache. */
  unitTtlMs: number;
  /** How long a finished session, its artifact pages and its artifacts are answered from the cache. */
  terminalTtlMs: number;
}

export function withGraphCache(client: GraphClient, cache: GraphCache, partitionKey: string, lifetimes: CacheLifetimes): GraphClient {
  /** Runs a write to `sessionId`: what is cached about it goes before the write, and again once it is answered. */
  const writing = async <T>(sessionId: string, write: () => Promise<T>): Promise<T> => {
    cache.invalidateSession(sessionId);
    try {
      return await write();
    } finally {
      cache.invalidateSession(sessionId);
    }
  };
  return {
    ...client,
    withOperation: (scope) => withGraphCache(client.withOperation(scope), cache, partitionKey, lifetimes),
    ...cachedReads(client, cache.partition(partitionKey), cache.now, lifetimes),
    updateSession: (family, id, changes) => writing(id, () => client.updateSession(family, id, changes)),
    deleteSession: (id) => writing(id, () => client.deleteSession(id)),
    activateSession: (id) => writing(id, () => client.activateSession(id)),
    addSiteArtifact: (sessionId, artifact) => writing(sessionId, () => client.addSiteArtifact(sessionId, artifact)),
    createBulkRequest: (family, sessionId, body) => writing(sessionId, () => client.createBulkRequest(family, sessionId, body)),
    deleteBulkRequest: (family, sessionId, requestId) => writing(sessionId, () => client.deleteBulkRequest(family, sessionId, requestId)),
    updateGranularSession: (family, id, changes) => writing(id, () => client.updateGranularSession(family, id, changes)),
  };
}

type GranularReads = Pick<
  GraphClient,
  'readGranularSiteArtifacts' | 'readGranularDriveArtifacts' | 'listGranularMailboxArtifacts' | 'getGranularMailboxArtifact'
>;

/** What a finished session holds, read once and kept while the session is known to be finished (see `cachedReads`). */
type Settled = <T>(kind: CacheKind, key: string, sessionId: string, read: () => Promise<T>) => Promise<T>;

/**
 * A granular session's items, settled alike once it has finished. Its SharePoint and OneDrive lists are one entry each
 * (Graph's whole list); the family leads every key, so granular and standard lists of a session never meet.
 */
function granularReads(
  client: GraphClient,
  settled: Settled,
  pageKey: (family: string, sessionId: string, args?: ArtifactListArgs) => string,
): GranularReads {
  return {
    readGranularSiteArtifacts: (sessionId) =>
      settled('artifact_page', JSON.stringify(['granularSite', sessionId]), sessionId, () => client.readGranularSiteArtifacts(sessionId)),
    readGranularDriveArtifacts: (sessionId) =>
      settled('artifact_page', JSON.stringify(['granularDrive', sessionId]), sessionId, () => client.readGranularDriveArtifacts(sessionId)),
    listGranularMailboxArtifacts: (sessionId, args) =>
      settled('artifact_page', pageKey('granularMailbox', sessionId, args), sessionId, () =>
        client.listGranularMailboxArtifacts(sessionId, args),
      ),
    getGranularMailboxArtifact: (sessionId, artifactId) =>
      settled('artifact', JSON.stringify(['granularMailbox', sessionId, artifactId]), sessionId, () =>
        client.getGranularMailboxArtifact(sessionId, artifactId),
      ),
  };
}

type CachedReads = Pick<
  GraphClient,
  | 'getSession'
  | 'listSessions'
  | 'listSharePointSessions'
  | 'listSiteArtifacts'
  | 'getSiteArtifact'
  | 'listMailboxArtifacts'
  | 'getMailboxArtifact'
  | 'listDriveArtifacts'
  | 'getDriveArtifact'
  | 'getRestorePoint'
  | 'getRestorePointUnit'
  | 'getProtectionUnit'
>;

function cachedReads(
  client: GraphClient,
  part: CachePartition,
  now: () => number,
  { unitTtlMs, terminalTtlMs }: CacheLifetimes,
): CachedReads & GranularReads {
  /** Remembers the finished sessions of an answer: as themselves, and as the proof that their artifacts are settled. */
  const noteSessions = (sessions: readonly GraphRestoreSession[], readSince: number): void => {
    for (const s of sessions) {
      if (isTerminal(s)) part.set('session', s.id, s, now() + terminalTtlMs, { sessionId: s.id, readSince });
    }
  };
  async function noted<S extends GraphRestoreSession>(list: () => Promise<GraphPage<S>>): Promise<GraphPage<S>> {
    const readSince = part.mark();
    const page = await list();
    noteSessions(page.nodes, readSince);
    return page;
  }
  /** What a finished session holds (its artifacts), kept as long as the session is known to be finished; else read. */
  async function settled<T>(kind: CacheKind, key: string, sessionId: string, read: () => Promise<T>): Promise<T> {
    const until = part.expiresAt('session', sessionId);
    if (until === undefined) return read();
    const hit = part.get<T>(kind, key);
    if (hit !== undefined) return hit;
    const readSince = part.mark();
    const value = await read();
    part.set(kind, key, value, until, { sessionId, readSince });
    return value;
  }
  // Every family's artifacts are settled alike; the family leads each key, so pages of two lists never meet.
  const pageKey = (family: string, sessionId: string, args: ArtifactListArgs = {}): string =>
    JSON.stringify([family, sessionId, args.first ?? null, args.after ?? null, args.filter?.status ?? null]);
  return {
    async getSession(id) {
      const hit = part.get<GraphRestoreSession>('session', id);
      if (hit !== undefined) return hit;
      const readSince = part.mark();
      const session = await client.getSession(id);
      noteSessions([session], readSince);
      return session;
    },
    listSessions: (args) => noted(() => client.listSessions(args)),
    listSharePointSessions: (args) => noted(() => client.listSharePointSessions(args)),
    listSiteArtifacts: (sessionId, args = {}) =>
      settled(
        'artifact_page',
        JSON.stringify([sessionId, args.first ?? null, args.after ?? null, args.filter?.status ?? null]),
        sessionId,
        () => client.listSiteArtifacts(sessionId, args),
      ),
    getSiteArtifact: (sessionId, artifactId) =>
      settled('artifact', JSON.stringify([sessionId, artifactId]), sessionId, () => client.getSiteArtifact(sessionId, artifactId)),
    listMailboxArtifacts: (sessionId, args) =>
      settled('artifact_page', pageKey('mailbox', sessionId, args), sessionId, () => client.listMailboxArtifacts(sessionId, args)),
    getMailboxArtifact: (sessionId, artifactId) =>
      settled('artifact', JSON.stringify(['mailbox', sessionId, artifactId]), sessionId, () =>
        client.getMailboxArtifact(sessionId, artifactId),
      ),
    listDriveArtifacts: (sessionId, args) =>
      settled('artifact_page', pageKey('drive', sessionId, args), sessionId, () => client.listDriveArtifacts(sessionId, args)),
    getDriveArtifact: (sessionId, artifactId) =>
      settled('artifact', JSON.stringify(['drive', sessionId, artifactId]), sessionId, () =>
        client.getDriveArtifact(sessionId, artifactId),
      ),
    ...granularReads(client, settled, pageKey),
    getRestorePoint: (id, options = {}) => readRestorePoint(client, part, id, options.expandUnit === true, now() + unitTtlMs),
    // The copy a restore point read with its unit left (both kept as long as a unit is).
    async getRestorePointUnit(id) {
      const hit = part.get<GraphRestorePoint['protectionUnit']>('unit_copy', id);
      if (hit !== undefined) return hit ?? null;
      const unit = await client.getRestorePointUnit(id);
      part.set('unit_copy', id, unit, now() + unitTtlMs);
      return unit;
    },
    async getProtectionUnit(id) {
      const hit = part.get<GraphProtectionUnit>('protection_unit', id);
      if (hit !== undefined) return hit;
      const unit = await client.getProtectionUnit(id);
      part.set('protection_unit', id, unit, now() + unitTtlMs);
      return unit;
    },
  };
}

/**
 * A restore point, kept until it expires; its expanded unit is kept apart, until `unitCopyUntil` at the latest, and once
 * that copy is gone the restore point is read again with it (the same one call a read of the unit would cost).
 */
async function readRestorePoint(
  client: GraphClient,
  part: CachePartition,
  id: string,
  expandUnit: boolean,
  unitCopyUntil: number,
): Promise<GraphRestorePoint> {
  const point = part.get<GraphRestorePoint>('restore_point', id);
  if (point !== undefined) {
    if (!expandUnit) return point;
    const unit = part.get<GraphRestorePoint['protectionUnit']>('unit_copy', id);
    if (unit !== undefined) return { ...point, protectionUnit: unit };
  }
  const read = await client.getRestorePoint(id, { expandUnit });
  const expiresAt = Date.parse(read.expirationDateTime ?? '');
  if (Number.isFinite(expiresAt)) {
    const { protectionUnit, ...immutable } = read;
    part.set('restore_point', id, immutable, expiresAt);
    if (expandUnit && protectionUnit !== undefined) part.set('unit_copy', id, protectionUnit, Math.min(expiresAt, unitCopyUntil));
  }
  return read;
}

function isTerminal(session: GraphRestoreSession): boolean {
  return isTerminalSessionStatus(restoreSessionStatus.fromGraph(session.status));
}
