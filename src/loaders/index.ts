import DataLoader from 'dataloader';
import type { ArtifactListArgs, GraphClient, SessionListArgs } from '../graph/client.js';
import type {
  GraphProtectionUnit,
  GraphProtectionUnitReference,
  GraphRestorePoint,
  GraphRestoreSession,
  SessionScopedDriveRestoreArtifact,
  SessionScopedMailboxRestoreArtifact,
  SessionScopedSiteRestoreArtifact,
} from '../graph/dto.js';
import type { GraphPage } from '../graph/paging.js';
import { nullIfNotFound, settleAll } from './settle.js';
import { createBrowseLoaders, type BrowseLoaders } from './browse-loaders.js';
import { createGranularLoaders, type GranularLoaders } from './granular-loaders.js';

/**
 * Per-request DataLoaders over the Graph client: everything resolvers ask for by key in one tick
 * is deduplicated here and handed to the client in the same tick, where the `$batch` scheduler
 * turns it into as few envelopes as Graph allows. Batch functions therefore just call the client
 * once per key. Create new loaders for every request (or WebSocket operation): their caches hold
 * one caller's view of Graph and must never be shared.
 *
 * Failures come back per key as GraphQL errors with the gateway's codes, so one failed item fails
 * only the fields that needed it. "Graph says it does not exist" (404) is `null`, not an error.
 */

export interface ArtifactKey {
  sessionId: string;
  artifactId: string;
}

export interface ArtifactPageKey {
  sessionId: string;
  first?: number | null;
  after?: string | null;
  filter?: { status?: readonly string[] | null } | null;
}

export interface SessionPageKey extends SessionListArgs {
  /** `all`: every family (`restoreSessions`); `sharePoint`: `sharePointRestoreSessions`. */
  family: 'all' | 'sharePoint';
}

export interface Loaders {
  sessionById: DataLoader<string, GraphRestoreSession | null>;
  sessionPage: DataLoader<SessionPageKey, GraphPage<GraphRestoreSession>, string>;
  artifactById: DataLoader<ArtifactKey, SessionScopedSiteRestoreArtifact | null, string>;
  artifactPage: DataLoader<ArtifactPageKey, GraphPage<SessionScopedSiteRestoreArtifact>, string>;
  mailboxArtifactById: DataLoader<ArtifactKey, SessionScopedMailboxRestoreArtifact | null, string>;
  mailboxArtifactPage: DataLoader<ArtifactPageKey, GraphPage<SessionScopedMailboxRestoreArtifact>, string>;
  driveArtifactById: DataLoader<ArtifactKey, SessionScopedDriveRestoreArtifact | null, string>;
  driveArtifactPage: DataLoader<ArtifactPageKey, GraphPage<SessionScopedDriveRestoreArtifact>, string>;
  /** With `protectionUnit` expanded (its id, site id and policy id), so `RestorePoint.protectionUnit` needs no extra list. */
  restorePointById: DataLoader<string, GraphRestorePoint | null>;
  /** The unit a restore point names (its expanded copy), for an inline restore point that needs nothing else. */
  restorePointUnit: DataLoader<string, GraphProtectionUnitReference | null>;
  protectionUnitById: DataLoader<string, GraphProtectionUnit | null>;
  /** Browse sessions and their listings (`browse-loaders.ts`). */
  browse: BrowseLoaders;
  /** Granular artifacts of every family (`granular-loaders.ts`). */
  granular: GranularLoaders;
}

/**
 * One family's artifact loaders: by id, and by page, whose items prime the by-id loader so that an entity reference or
 * a later field of the same request needs no call of its own.
 */
function artifactLoaders<A extends { id: string }>(
  list: (sessionId: string, args: ArtifactListArgs) => Promise<GraphPage<A>>,
  get: (sessionId: string, artifactId: string) => Promise<A>,
): { byId: DataLoader<ArtifactKey, A | null, string>; page: DataLoader<ArtifactPageKey, GraphPage<A>, string> } {
  const byId = new DataLoader<ArtifactKey, A | null, string>(
    (keys) => settleAll(keys, (k) => nullIfNotFound(get(k.sessionId, k.artifactId))),
    { cacheKeyFn: (k) => JSON.stringify([k.sessionId, k.artifactId]) },
  );
  const page = new DataLoader<ArtifactPageKey, GraphPage<A>, string>(
    (keys) =>
      settleAll(keys, async (k) => {
        const read = await list(k.sessionId, { first: k.first ?? null, after: k.after ?? null, filter: k.filter ?? null });
        for (const a of read.nodes) byId.prime({ sessionId: k.sessionId, artifactId: a.id }, a);
        return read;
      }),
    { cacheKeyFn: (k) => JSON.stringify([k.sessionId, k.first ?? null, k.after ?? null, sortedSet(k.filter?.status)]) },
  );
  return { byId, page };
}

export function createLoaders(client: GraphClient): Loaders {
  const mailbox = artifactLoaders(
    (sessionId, args) => client.listMailboxArtifacts(sessionId, args),
    (sessionId, artifactId) => client.getMailboxArtifact(sessionId, artifactId),
  );
  const drive = artifactLoaders(
    (sessionId, args) => client.listDriveArtifacts(sessionId, args),
    (sessionId, artifactId) => client.getDriveArtifact(sessionId, artifactId),
  );
  const artifactById = new DataLoader<ArtifactKey, SessionScopedSiteRestoreArtifact | null, string>(
    (keys) => settleAll(keys, (k) => nullIfNotFound(client.getSiteArtifact(k.sessionId, k.artifactId))),
    { cacheKeyFn: (k) => JSON.stringify([k.sessionId, k.artifactId]) },
  );
  const sessionById = new DataLoader<string, GraphRestoreSession | null>((ids) =>
    settleAll(ids, (id) => nullIfNotFound(client.getSession(id))),
  );

  return {
    sessionById,
    sessionPage: new DataLoader<SessionPageKey, GraphPage<GraphRestoreSession>, string>(
      (keys) =>
        settleAll(keys, async ({ family, ...args }) => {
          const page = family === 'sharePoint' ? await client.listSharePointSessions(args) : await client.listSessions(args);
          for (const s of page.nodes) sessionById.prime(s.id, s);
          return page;
        }),
      {
        cacheKeyFn: (k) =>
          JSON.stringify([k.family, k.first ?? null, k.after ?? null, sortedSet(k.filter?.status), sortedSet(k.filter?.restoreJobType)]),
      },
    ),
    artifactById,
    artifactPage: new DataLoader<ArtifactPageKey, GraphPage<SessionScopedSiteRestoreArtifact>, string>(
      (keys) =>
        settleAll(keys, async (k) => {
          const page = await client.listSiteArtifacts(k.sessionId, {
            first: k.first ?? null,
            after: k.after ?? null,
            filter: k.filter ?? null,
          });
          for (const a of page.nodes) artifactById.prime({ sessionId: k.sessionId, artifactId: a.id }, a);
          return page;
        }),
      { cacheKeyFn: (k) => JSON.stringify([k.sessionId, k.first ?? null, k.after ?? null, sortedSet(k.filter?.status)]) },
    ),
    mailboxArtifactById: mailbox.byId,
    mailboxArtifactPage: mailbox.page,
    driveArtifactById: drive.byId,
    driveArtifactPage: drive.page,
    restorePointById: new DataLoader<string, GraphRestorePoint | null>((ids) =>
      settleAll(ids, (id) => nullIfNotFound(client.getRestorePoint(id, { expandUnit: true }))),
    ),
    restorePointUnit: new DataLoader<string, GraphProtectionUnitReference | null>((ids) =>
      settleAll(ids, (id) => nullIfNotFound(client.getRestorePointUnit(id))),
    ),
    protectionUnitById: new DataLoader<string, GraphProtectionUnit | null>((ids) =>
      settleAll(ids, (id) => nullIfNotFound(client.getProtectionUnit(id))),
    ),
    browse: createBrowseLoaders(client),
    granular: createGranularLoaders(client),
  };
}

function sortedSet(values: readonly string[] | null | undefined): string[] | null {
  return values && values.length > 0 ? [...new Set(values)].sort() : null;
}
