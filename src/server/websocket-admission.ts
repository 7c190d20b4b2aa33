import type http from 'node:http';
import { GraphQLError } from 'graphql';
import type { VerifyClientCallbackAsync, WebSocket } from 'ws';
import type { AuthenticatedCaller, ContextFactory } from '../context.js';
import type { Logger } from '../logger.js';
import type { LiveConnection } from '../subscriptions/live-context.js';
import { TOKEN_EXPIRED } from '../subscriptions/live-context.js';
import { tooManyConnectionsMessage, type CallerConnection, type CallerConnections } from './caller-connections.js';
import { createPendingConnections } from './pending-connections.js';

/**
 * Which WebSockets the transport serves, from the upgrade to the close:
 *
 * - at the upgrade, sockets still waiting for their `connection_init` are capped in total and per client address
 *   (pending-connections.ts; the upgrade is answered 503 or 429);
 * - at `connection_init`, the caller's token is checked by the context factory, and a caller already holding
 *   MAX_CONNECTIONS_PER_CALLER connections on this instance (sockets and HTTP streams) is refused. A refused socket is
 *   acknowledged all the same, each subscription its client sends gets the refusal as its one result
 *   (`UNAUTHENTICATED`, `FORBIDDEN`, `UPSTREAM_UNAVAILABLE` or `ACTION_NOT_ALLOWED`), and then it closes with 4401 (no
 *   or a bad token), 4403 (no read permission, too many connections) or 1013 (the authority is unreachable);
 * - when an admitted socket's token expires, each of its subscriptions first ends with an UNAUTHENTICATED result (their
 *   streams end themselves: live-context.ts), later starts are refused the same way, and once its subscriptions are
 *   over (or after {@link EXPIRED_CLOSE_GRACE_MS}) the socket closes with 4401, so a client reconnects with a fresh
 *   token and no subscription outlives the token it was authorised with. Supergraph runtimes drop close codes but pass
 *   the results on.
 */

export interface ConnectionAdmissionOptions {
  context: Pick<ContextFactory, 'authenticateConnection'>;
  /** Every transport's connections per caller (MAX_CONNECTIONS_PER_CALLER). */
  callerConnections: CallerConnections;
  /** WS_MAX_PENDING_CONNECTIONS and WS_MAX_PENDING_PER_ADDRESS. */
  maxPendingConnections: number;
  maxPendingPerAddress: number;
  /** The client address of an upgrade request (`clientAddressOf(TRUST_PROXY)`). */
  clientAddress: (req: http.IncomingMessage) => string;
  logger: Logger;
}

/** An admitted socket: the token its operations run with, and whose it is. */
export interface AdmittedConnection extends AuthenticatedCaller {
  /**
   * The socket as its operations' contexts know it: one object for the socket's life, so what the context factory keeps
   * per connection (the caller's Graph client) is keyed by it and made once, not once per subscription.
   */
  connection: LiveConnection;
  /** Why a start on this socket is refused now (its token has expired), or undefined. */
  refusal(): GraphQLError | undefined;
}

/** What the admission reads of graphql-ws's context of a socket. */
export interface SocketContext {
  readonly connectionParams?: unknown;
  readonly extra: { readonly socket: WebSocket; readonly request: http.IncomingMessage };
  /** The socket's operations (graphql-ws's own record). */
  readonly subscriptions: Readonly<Record<string, unknown>>;
}

export interface ConnectionAdmission {
  /** `ws`'s `verifyClient`: the pending-connection caps, decided before any other upgrade is looked at. */
  verifyClient: VerifyClientCallbackAsync;
  /** graphql-ws `onConnect`: admits the socket, or closes it and answers false. */
  onConnect(ctx: SocketContext): Promise<boolean>;
  /** graphql-ws `onClose`. */
  onClose(ctx: SocketContext): void;
  /** The socket's admission, or undefined when it was never admitted. */
  admitted(socket: WebSocket): AdmittedConnection | undefined;
  /** Why every start on a socket refused at `connection_init` is refused (the socket closes soon), or undefined. */
  refusalOf(socket: WebSocket): GraphQLError | undefined;
  /** Open, admitted connections. */
  open(): number;
}

export const TOKEN_EXPIRED_CLOSE_REASON = 'The bearer token has expired; reconnect with a new one.';

/** setTimeout's ceiling (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How long after its token expires a socket waits for its subscriptions' last results before it closes anyway. */
const EXPIRED_CLOSE_GRACE_MS = 1_000;

/** How long a socket refused at `connection_init` waits for its client's subscriptions, to refuse each, before it closes. */
const REFUSED_CLOSE_GRACE_MS = 1_000;

type RefusalCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'UPSTREAM_UNAVAILABLE' | 'ACTION_NOT_ALLOWED';

/** The code a refused start carries, for each close code of a refused `connection_init`. */
const CLOSE_CODE_ERRORS: Record<4401 | 4403 | 1013, RefusalCode> = {
  4401: 'UNAUTHENTICATED',
  4403: 'FORBIDDEN',
  1013: 'UPSTREAM_UNAVAILABLE',
};

interface Refused {
  code: RefusalCode;
  /** The close reason, which is also the refused starts' message (safe: no token, at most 123 bytes). */
  reason: string;
  /** A start was refused with it. */
  answered: boolean;
}

/** How often a socket about to close looks whether its subscriptions are over. */
const CLOSE_CHECK_MS = 25;

const EXPIRED_REFUSAL = (): GraphQLError => new GraphQLError(TOKEN_EXPIRED.message, { extensions: { code: 'UNAUTHENTICATED' } });

class Admitted implements AdmittedConnection {
  readonly caller: AdmittedConnection['caller'];
  readonly token: AdmittedConnection['token'];
  readonly connection: LiveConnection;
  readonly counted: CallerConnection;
  expiry: NodeJS.Timeout | undefined;
  expired = false;

  constructor(auth: AuthenticatedCaller, socket: WebSocket, counted: CallerConnection) {
    this.caller = auth.caller;
    this.token = auth.token;
    this.counted = counted;
    this.connection = { close: (code, reason) => socket.close(code, reason) };
  }

  refusal(): GraphQLError | undefined {
    return this.expired ? EXPIRED_REFUSAL() : undefined;
  }
}

export function createConnectionAdmission({
  context,
  callerConnections,
  maxPendingConnections,
  maxPendingPerAddress,
  clientAddress,
  logger,
}: ConnectionAdmissionOptions): ConnectionAdmission {
  const pending = createPendingConnections({ maxTotal: maxPendingConnections, maxPerAddress: maxPendingPerAddress });
  const admitted = new WeakMap<WebSocket, Admitted>();
  const refused = new WeakMap<WebSocket, Refused>();
  let open = 0;
  /**
   * A socket refused at `connection_init` is acknowledged all the same, so that the subscriptions its client sends next
   * each get the refusal as a result with its code (supergraph runtimes drop close codes and mask graphql-ws errors, but
   * pass results on); then it closes with the close code, once those are answered or after
   * {@link REFUSED_CLOSE_GRACE_MS}. It counts as pending until it closes, so the pending caps still bound such sockets.
   */
  const refuseLater = (ctx: SocketContext, code: RefusalCode, closeCode: number, reason: string): true => {
    const refusal: Refused = { code, reason, answered: false };
    refused.set(ctx.extra.socket, refusal);
    closeWhenAnswered(ctx, closeCode, reason, () => refusal.answered, REFUSED_CLOSE_GRACE_MS);
    return true;
  };
  return {
    verifyClient: (info, done) => {
      const verdict = pending.admit(info.req, clientAddress(info.req));
      if (verdict.ok) done(true);
      else {
        logger.info('websocket refused: pending connection cap', { status: verdict.status });
        done(false, verdict.status, verdict.message, { 'Retry-After': '1' });
      }
    },
    async onConnect(ctx) {
      const { socket, request } = ctx.extra;
      let auth;
      try {
        auth = await context.authenticateConnection(ctx.connectionParams, request.headers);
      } catch (err) {
        pending.settle(request);
        throw err;
      }
      if (!auth.ok) return refuseLater(ctx, CLOSE_CODE_ERRORS[auth.closeCode], auth.closeCode, auth.reason);
      const counted = callerConnections.open(auth.caller);
      if (!counted) {
        logger.info('websocket refused: connection cap', { subject: auth.caller.subject, limit: callerConnections.limit });
        return refuseLater(ctx, 'ACTION_NOT_ALLOWED', 4403, tooManyConnectionsMessage(callerConnections.limit));
      }
      // Admitted: the socket no longer counts as waiting for its connection_init.
      pending.settle(request);
      open++;
      const state = new Admitted(auth, socket, counted);
      const untilExpiry = Math.max(0, auth.caller.expiresAt.getTime() - Date.now());
      state.expiry = setTimeout(() => expire(state, ctx), Math.min(untilExpiry, MAX_TIMER_MS));
      state.expiry.unref();
      admitted.set(socket, state);
      return true;
    },
    onClose(ctx) {
      const state = admitted.get(ctx.extra.socket);
      if (!state) return;
      admitted.delete(ctx.extra.socket);
      clearTimeout(state.expiry);
      open--;
      state.counted.close();
    },
    admitted: (socket) => admitted.get(socket),
    refusalOf(socket) {
      const refusal = refused.get(socket);
      if (!refusal) return undefined;
      refusal.answered = true;
      return new GraphQLError(refusal.reason, { extensions: { code: refusal.code } });
    },
    open: () => open,
  };
}

/**
 * The socket's token has expired: its subscriptions are ending with UNAUTHENTICATED (their streams' own timers), new
 * starts are refused; the socket closes with 4401 once they are over, or after {@link EXPIRED_CLOSE_GRACE_MS}.
 */
function expire(state: Admitted, ctx: SocketContext): void {
  state.expired = true;
  closeWhenAnswered(ctx, 4401, TOKEN_EXPIRED_CLOSE_REASON, () => true, EXPIRED_CLOSE_GRACE_MS, state);
}

/**
 * Closes the socket with `code` once `answered()` holds and none of its operations is left (their last results are out
 * before the close frame), or after `graceMs` whatever is left.
 */
function closeWhenAnswered(
  ctx: SocketContext,
  code: number,
  reason: string,
  answered: () => boolean,
  graceMs: number,
  timers: { expiry: NodeJS.Timeout | undefined } = { expiry: undefined },
): void {
  const closeBy = Date.now() + graceMs;
  const check = (): void => {
    const over = answered() && Object.keys(ctx.subscriptions).length === 0;
    if (!over && Date.now() < closeBy) {
      timers.expiry = setTimeout(check, CLOSE_CHECK_MS);
      timers.expiry.unref();
      return;
    }
    ctx.extra.socket.close(code, reason);
  };
  // One turn later at least: streams whose timers fire at the same instant have queued their last results by then.
  timers.expiry = setTimeout(check, CLOSE_CHECK_MS);
  timers.expiry.unref();
}
