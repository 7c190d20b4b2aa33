import { GraphProtocolError, GraphRequestError, GraphTransportError } from './errors.js';

/**
 * What the Graph client does when a write's answer is lost. Writes are never repeated after an ambiguous failure (a
 * dropped connection, a timeout, a 5xx other than 503 with `Retry-After`), because Graph may have done them. Instead
 * the client reads back what can be read: an activation is confirmed by the session no longer being a draft, a
 * deletion by the item being gone (and when Graph still shows the draft, or the item, the write certainly did not
 * happen and is sent once more). What cannot be read back (a create, an update, an addition) fails with
 * {@link GraphOutcomeUnknownError}, and nothing is repeated, so a retry never creates a second session.
 */

/** The writes of the Graph client, as named in logs and in OUTCOME_UNKNOWN messages. */
export type GraphWriteOperation =
  | 'createSession'
  | 'updateSession'
  | 'activateSession'
  | 'deleteSession'
  | 'addSiteArtifact'
  | 'createBulkRequest'
  | 'deleteBulkRequest'
  | 'createBrowseSession'
  | 'createGranularSession'
  | 'updateGranularSession';

/**
 * A write was sent, its answer was lost or ambiguous (dropped connection, timeout, 500/502/504, 503
 * without `Retry-After`), and reading Graph back could not settle whether it happened. Graph cannot
 * be asked whether a request arrived, so the gateway says so instead of guessing or repeating it.
 */
export class GraphOutcomeUnknownError extends Error {
  override readonly name = 'GraphOutcomeUnknownError';
  constructor(
    readonly operation: GraphWriteOperation,
    /** The ambiguous failure (a GraphTransportError or GraphRequestError). */
    readonly failure: unknown,
  ) {
    super(OUTCOME_UNKNOWN_MESSAGES[operation], { cause: failure });
  }
}

const OUTCOME_UNKNOWN_MESSAGES: Record<GraphWriteOperation, string> = {
  createSession:
    'Microsoft Graph did not confirm whether the restore session was created: its answer was lost. It may exist now; list the draft restore sessions before creating it again.',
  updateSession:
    "Microsoft Graph did not confirm whether the restore session was updated: its answer was lost. Read the session's restore artifacts before sending the change again.",
  activateSession:
    'Microsoft Graph did not confirm whether the restore session was activated, and its status could not be read back. Read the session before activating it again.',
  deleteSession:
    'Microsoft Graph did not confirm whether the restore session was deleted, and it could not be read back. Read it before deleting it again.',
  addSiteArtifact:
    "Microsoft Graph did not confirm whether the site restore artifact was added: its answer was lost. Read the session's site restore artifacts before adding it again.",
  createBulkRequest:
    "Microsoft Graph did not confirm whether the bulk addition request was created: its answer was lost. Read the session's bulk addition requests before creating it again.",
  deleteBulkRequest:
    'Microsoft Graph did not confirm whether the bulk addition request was deleted, and it could not be read back. Read it before deleting it again.',
  createBrowseSession:
    'Microsoft Graph did not confirm whether the browse session was opened: its answer was lost. It may exist now; list the browse sessions before opening another.',
  createGranularSession:
    'Microsoft Graph did not confirm whether the granular restore session was created: its answer was lost. It may exist now; list the draft restore sessions before creating it again.',
  updateGranularSession:
    "Microsoft Graph did not confirm whether the granular restore session was updated: its answer was lost. Read the session's granular restore artifacts before sending the change again.",
};

/** Backup-API codes Graph answers with a 500 that are definite refusals, not lost answers. */
const DEFINITE_SERVER_CODES = new Set(['toomanyactiverestoresessions']);

/**
 * Whether a failed write may still have happened: the request was (or may have been) sent and no
 * definite answer came back. 429 and 503 with `Retry-After` are Graph's promise that nothing was
 * processed; 4xx are definite refusals; a connection that was never made sent nothing.
 */
export function isAmbiguousFailure(err: unknown): boolean {
  if (err instanceof GraphTransportError) return !err.notSent;
  if (err instanceof GraphProtocolError) return true;
  if (err instanceof GraphRequestError) {
    if (err.status === 502 || err.status === 504) return true;
    if (err.status === 503) return err.retryAfterMs === undefined;
    if (err.status === 500 || (err.status > 504 && err.status < 600)) return !DEFINITE_SERVER_CODES.has(err.code.toLowerCase());
  }
  return false;
}

/** Read-backs and re-sends after an ambiguous write failure, at most (the first send not counted). */
const MAX_WRITE_CONFIRMATIONS = 2;

/** A write that cannot be read back: after an ambiguous failure, the outcome is unknown. */
export async function unconfirmable<T>(operation: GraphWriteOperation, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw isAmbiguousFailure(err) ? new GraphOutcomeUnknownError(operation, err) : err;
  }
}

/** What reading Graph back says about a write whose answer was lost. */
export type Confirmation<T> = { done: T } | 'not done';

/**
 * A write whose effect can be read back. After an ambiguous failure `confirm` reads Graph:
 * `{ done: value }` when the write took effect, `'not done'` when Graph shows it did not (then the
 * write is sent again), and it throws when the state cannot be read (the outcome stays unknown).
 */
export async function confirmable<T>(
  operation: GraphWriteOperation,
  write: () => Promise<T>,
  confirm: () => Promise<Confirmation<T>>,
): Promise<T> {
  let failure: unknown;
  for (let round = 0; ; round++) {
    try {
      return await write();
    } catch (err) {
      if (!isAmbiguousFailure(err)) throw err;
      failure = err;
    }
    let seen: Confirmation<T>;
    try {
      seen = await confirm();
    } catch {
      throw new GraphOutcomeUnknownError(operation, failure);
    }
    if (seen !== 'not done') return seen.done;
    if (round + 1 >= MAX_WRITE_CONFIRMATIONS) throw new GraphOutcomeUnknownError(operation, failure);
  }
}

/** The confirmation of a deletion: done when `read` answers 404, not done while the item is still there. */
export function goneConfirms(read: () => Promise<unknown>): () => Promise<Confirmation<void>> {
  return async () => {
    try {
      return (await read()) === undefined ? { done: undefined } : 'not done';
    } catch (err) {
      if (err instanceof GraphRequestError && err.status === 404) return { done: undefined };
      throw err;
    }
  };
}
