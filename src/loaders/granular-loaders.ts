import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { GraphClient } from '../graph/client.js';
import type {
  SessionScopedGranularDriveRestoreArtifact,
  SessionScopedGranularMailboxRestoreArtifact,
  SessionScopedGranularSiteRestoreArtifact,
} from '../graph/dto.js';
import { GranularListTooLongError } from '../graph/granular-endpoints.js';
import type { GraphPage } from '../graph/paging.js';
import { toGraphQLError } from '../graphql-errors.js';
import type { ArtifactKey, ArtifactPageKey } from './index.js';
import { nullIfNotFound, settleAll } from './settle.js';

/**
 * Per-request loaders of granular artifacts. Graph lists a session's granular SharePoint and OneDrive artifacts whole
 * (no query options), so one loader per family holds each session's whole list: every page, filter and count of the
 * operation, and every entity reference to one of its artifacts, is answered from that one read. Granular mailbox
 * artifacts are paged by Graph, like standard ones, and each page primes the by-id loader.
 */

export interface GranularLoaders {
  /** Every granular artifact of a SharePoint session; null when Graph does not know the session. */
  siteList: DataLoader<string, SessionScopedGranularSiteRestoreArtifact[] | null>;
  /** Every granular artifact of a OneDrive session; null when Graph does not know the session. */
  driveList: DataLoader<string, SessionScopedGranularDriveRestoreArtifact[] | null>;
  mailboxById: DataLoader<ArtifactKey, SessionScopedGranularMailboxRestoreArtifact | null, string>;
  mailboxPage: DataLoader<ArtifactPageKey, GraphPage<SessionScopedGranularMailboxRestoreArtifact>, string>;
}

export function createGranularLoaders(client: GraphClient): GranularLoaders {
  const mailboxById = new DataLoader<ArtifactKey, SessionScopedGranularMailboxRestoreArtifact | null, string>(
    (keys) => settleAll(keys, (k) => nullIfNotFound(client.getGranularMailboxArtifact(k.sessionId, k.artifactId)), granularGraphQLError),
    { cacheKeyFn: (k) => JSON.stringify([k.sessionId, k.artifactId]) },
  );
  return {
    siteList: new DataLoader<string, SessionScopedGranularSiteRestoreArtifact[] | null>((ids) =>
      settleAll(ids, (id) => nullIfNotFound(client.readGranularSiteArtifacts(id)), granularGraphQLError),
    ),
    driveList: new DataLoader<string, SessionScopedGranularDriveRestoreArtifact[] | null>((ids) =>
      settleAll(ids, (id) => nullIfNotFound(client.readGranularDriveArtifacts(id)), granularGraphQLError),
    ),
    mailboxById,
    mailboxPage: new DataLoader<ArtifactPageKey, GraphPage<SessionScopedGranularMailboxRestoreArtifact>, string>(
      (keys) =>
        settleAll(
          keys,
          async (k) => {
            const page = await client.listGranularMailboxArtifacts(k.sessionId, {
              first: k.first ?? null,
              after: k.after ?? null,
              filter: k.filter ?? null,
            });
            for (const a of page.nodes) mailboxById.prime({ sessionId: k.sessionId, artifactId: a.id }, a);
            return page;
          },
          granularGraphQLError,
        ),
      {
        cacheKeyFn: (k) =>
          JSON.stringify([k.sessionId, k.first ?? null, k.after ?? null, k.filter?.status ? [...new Set(k.filter.status)].sort() : null]),
      },
    ),
  };
}

/** Drops everything the loaders hold: after a write, a later field of the operation reads Graph again. */
export function forgetGranular(loaders: GranularLoaders): void {
  loaders.siteList.clearAll();
  loaders.driveList.clearAll();
  loaders.mailboxById.clearAll();
  loaders.mailboxPage.clearAll();
}

/**
 * A failure of a granular read as the client's error: a list longer than the gateway reads whole is BAD_USER_INPUT, as
 * an operation past the gateway's other per-operation bounds is (the caller can ask for less, not for it whole); the
 * rest as every Graph failure.
 */
export function granularGraphQLError(err: unknown): GraphQLError {
  if (err instanceof GranularListTooLongError) {
    return new GraphQLError(`${err.message} Graph offers no way to page or filter this list, so the gateway does not list it.`, {
      extensions: { code: 'BAD_USER_INPUT' },
      originalError: err,
    });
  }
  return toGraphQLError(err);
}
