import type { GraphRestoreSession } from '../../graph/dto.js';
import type { GatewayContext } from '../../context.js';
import type { Loaders } from '../../loaders/index.js';
import { graphCall } from './arguments.js';
import { forgetGranular } from '../../loaders/granular-loaders.js';

/**
 * Cache coherence after a write. The loaders cache Graph's answers for the whole operation, and a
 * mutation document may read a session, change it, and read it again (in a payload, or in a later
 * mutation field, which GraphQL runs after the earlier one finished). So after Graph was asked to
 * change a session, whatever the loaders hold about it is dropped, and Graph's own answer (when it
 * returned the session) is primed, so later fields read Graph's view, never a stale one.
 *
 * DataLoader can only clear one key or all of them, and artifact pages are keyed by (session, page,
 * filter): all artifact entries and session lists are dropped, which costs a later field at most a
 * re-read. This runs after failed writes too: a timeout or a 5xx may still have changed Graph.
 */
export function forgetSession(loaders: Loaders, ...ids: Array<string | undefined>): void {
  for (const id of new Set(ids)) if (id !== undefined) loaders.sessionById.clear(id);
  loaders.sessionPage.clearAll();
  loaders.artifactPage.clearAll();
  loaders.artifactById.clearAll();
  loaders.mailboxArtifactPage.clearAll();
  loaders.mailboxArtifactById.clearAll();
  loaders.driveArtifactPage.clearAll();
  loaders.driveArtifactById.clearAll();
  forgetGranular(loaders.granular);
}

/**
 * Primes the session Graph returned from a write (or null when Graph deleted it) under the id the
 * client used and the id Graph answered with, which may differ in case.
 */
export function primeSession(loaders: Loaders, id: string, session: GraphRestoreSession | null): void {
  for (const key of new Set([id, session?.id ?? id])) loaders.sessionById.clear(key).prime(key, session);
}

/**
 * Runs one Graph write for the session `sessionId` (none yet on a create), with Graph's failures as the client's errors,
 * forgetting what the loaders knew of the session whether or not the write succeeded.
 */
export async function writeSession<T>(ctx: GatewayContext, sessionId: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await graphCall(call);
  } finally {
    forgetSession(ctx.loaders, sessionId);
  }
}
