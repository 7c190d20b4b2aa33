import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { GraphRestoreSession, SessionScopedRestoreArtifact, SessionScopedSiteRestoreArtifact } from '../graph/dto.js';
import type { SubscriptionResolvers } from '../generated/graphql.js';
import { readSessionArtifacts } from '../subscriptions/artifact-pages.js';
import { LiveBackendUnavailableError } from '../subscriptions/live-backend.js';
import { isLiveFailure, type CurrentArtifacts, type LiveEvent } from '../subscriptions/live-status.js';
import { artifactFamilyOf, familyOfArtifact } from '../subscriptions/snapshot.js';
import { granularGraphQLError } from '../loaders/granular-loaders.js';
import { graphCall } from './support/arguments.js';
import { checkId } from './support/ids.js';

/**
 * Live status over graphql-ws. Graph sends no change notifications for restore sessions, so the
 * gateway's shared pollers watch Graph (with the app's credentials, see `src/subscriptions/`), and
 * each subscriber gets their changes. What a subscriber may see is decided by their own identity:
 * the first thing a subscription does is read the session through the subscriber's own Graph client
 * (on-behalf-of in `obo` mode), so an unknown session ends it with NOT_FOUND and one the caller may
 * not read with FORBIDDEN, exactly as the same query would.
 *
 * Every event runs with fresh loaders and its own operation scope (`ctx.beginEvent()`): one subscription's context
 * lives as long as the subscription, a cached artifact page from the first event would be stale by the tenth, and the
 * per-operation call cap and deadline apply to each event, while its Graph calls spend the subscriber's quota.
 */

function readSession(ctx: GatewayContext, id: string): Promise<GraphRestoreSession> {
  return graphCall(() => ctx.graph.getSession(id));
}

/**
 * The baseline every later change is measured against (at most 10,000 artifacts): the session, and the artifacts of its
 * family. `sharePointOnly` is the deprecated site field's rule, which refuses sessions of other families.
 */
async function readArtifacts(ctx: GatewayContext, id: string, sharePointOnly: boolean): Promise<CurrentArtifacts> {
  const session = await readSession(ctx, id);
  const family = artifactFamilyOf(session);
  if (sharePointOnly && family === 'granularSite') {
    throw new GraphQLError(
      'This SharePoint restore session is granular: its artifacts are not sites. Follow them with restoreArtifactStatusChanged.',
      { extensions: { code: 'NOT_FOUND' } },
    );
  }
  if (sharePointOnly && family !== 'site') {
    throw new GraphQLError(
      'No SharePoint restore session has this id; siteRestoreArtifactStatusChanged follows SharePoint sessions only.',
      {
        extensions: { code: 'NOT_FOUND' },
      },
    );
  }
  // A session family the gateway does not know has no artifacts it could read.
  if (family === undefined) return { session, artifacts: [] };
  try {
    return { session, artifacts: await readSessionArtifacts(ctx.graph, id, family) };
  } catch (err) {
    // A granular list longer than the gateway reads whole is refused as the list field refuses it.
    throw granularGraphQLError(err);
  }
}

/** Opens the artifact stream of a session (the session's own family decides which artifacts the poller reads). */
function artifactStream(ctx: GatewayContext, rawId: string, sharePointOnly: boolean) {
  const id = checkId('restoreSession', rawId, 'restoreSessionId');
  return open(() =>
    ctx.live.artifactChanges(
      id,
      currentState(ctx, () => readArtifacts(ctx, id, sharePointOnly)),
    ),
  );
}

/** The deprecated field's artifacts: its baseline admits standard SharePoint sessions only, so its poller reads site artifacts. */
function siteArtifact(artifact: SessionScopedRestoreArtifact): SessionScopedSiteRestoreArtifact {
  if (artifact.restoreArtifactFamily !== undefined && artifact.restoreArtifactFamily !== 'site') {
    throw new Error(`a ${familyOfArtifact(artifact)} artifact reached siteRestoreArtifactStatusChanged`);
  }
  return artifact;
}

/**
 * How long a client refused during a live-status outage should wait before trying again: Redis connections retry every
 * 2 s at most, and a new subscription is served as soon as both are back.
 */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** Opens a stream, turning a live-status outage into the client's UPSTREAM_UNAVAILABLE (with when to try again). */
async function open<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if (err instanceof LiveBackendUnavailableError) {
      throw new GraphQLError('Live status is unavailable right now; try again later.', {
        extensions: { code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS },
        originalError: err,
      });
    }
    throw err;
  }
}

/** One event as the value the field resolves to, in a scope of its own (loaders built only if its fields need them). */
function eventValue<T>(event: LiveEvent<T>, ctx: GatewayContext): T {
  if (isLiveFailure(event)) {
    // A stall is a result of its own (`data: null`), and the stream goes on: `streamContinues` tells the client so.
    const extensions = event.continues ? { code: event.liveFailure, streamContinues: true } : { code: event.liveFailure };
    throw new GraphQLError(event.message, { extensions });
  }
  ctx.beginEvent();
  return event;
}

/** The subscriber's read of the current state: the first at the start, in its scope; each later one in an event's own. */
function currentState<T>(ctx: GatewayContext, read: () => Promise<T>): () => Promise<T> {
  let again = false;
  return () => {
    if (again) ctx.beginEvent();
    again = true;
    return read();
  };
}

export const Subscription: SubscriptionResolvers = {
  restoreSessionStatusChanged: {
    // A malformed id ends the subscription with BAD_USER_INPUT as its one result, before any Graph call or watcher.
    subscribe: (_root, args, ctx) => {
      const id = checkId('restoreSession', args.id, 'id');
      return open(() =>
        ctx.live.sessionChanges(
          id,
          currentState(ctx, () => readSession(ctx, id)),
        ),
      );
    },
    resolve: (event: LiveEvent<GraphRestoreSession>, _args: unknown, ctx: GatewayContext) => {
      const session = eventValue(event, ctx);
      ctx.loaders.sessionById.prime(session.id, session);
      return session;
    },
  },

  restoreArtifactStatusChanged: {
    subscribe: (_root, args, ctx) => artifactStream(ctx, args.restoreSessionId, false),
    // Each artifact keeps its family marker (through Redis too), which `RestoreArtifact.__resolveType` reads.
    resolve: (event: LiveEvent<SessionScopedRestoreArtifact>, _args: unknown, ctx: GatewayContext) => eventValue(event, ctx),
  },

  siteRestoreArtifactStatusChanged: {
    subscribe: (_root, args, ctx) => artifactStream(ctx, args.restoreSessionId, true),
    resolve: (event: LiveEvent<SessionScopedRestoreArtifact>, _args: unknown, ctx: GatewayContext) => siteArtifact(eventValue(event, ctx)),
  },
};
