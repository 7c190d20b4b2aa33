import type http from 'node:http';
import type { VerifyClientCallbackAsync, WebSocket } from 'ws';
import type { AuthenticatedCaller, ContextFactory } from '../context.js';
import type { Logger } from '../logger.js';
import type { LiveConnection } from '../subscriptions/live-context.js';
import { createPendingConnections } from './pending-connections.js';

/**
 * Which WebSockets the transport serves, from the upgrade to the close:
 *
 * - at the upgrade, sockets still waiting for their `connection_init` are capped in total and per client address
 *   (pending-connections.ts; the upgrade is answered 503 or 429);
 * - at `connection_init`, the caller's token is checked by the context factory: no or a bad token closes the socket
 *   with 4401, a token without read permission with 4403, and a caller already holding MAX_CONNECTIONS_PER_CALLER
 *   sockets on this instance gets 4403 saying why;
 * - an admitted socket closes with 4401 when its token expires, so a client reconnects with a fresh one and no
 *   subscription outlives the token it was authorised with.
 */

export interface ConnectionAdmissionOptions {
  context: Pick<ContextFactory, 'authenticateConnection'>;
  maxConnectionsPerCaller: number;
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
}

/** What the admission reads of graphql-ws's context of a socket. */
export interface SocketContext {
  readonly connectionParams?: unknown;
  readonly extra: { readonly socket: WebSocket; readonly request: http.IncomingMessage };
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
  /** Open, admitted connections. */
  open(): number;
}

export const TOKEN_EXPIRED_CLOSE_REASON = 'The bearer token has expired; reconnect with a new one.';

/** setTimeout's ceiling (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Admitted extends AdmittedConnection {
  /** Counts the caller's connections on this instance. */
  callerKey: string;
  expiry: NodeJS.Timeout;
}

export function createConnectionAdmission({
  context,
  maxConnectionsPerCaller,
  maxPendingConnections,
  maxPendingPerAddress,
  clientAddress,
  logger,
}: ConnectionAdmissionOptions): ConnectionAdmission {
  const pending = createPendingConnections({ maxTotal: maxPendingConnections, maxPerAddress: maxPendingPerAddress });
  const admitted = new WeakMap<WebSocket, Admitted>();
  const perCaller = new Map<string, number>();
  let open = 0;
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
      } finally {
        // Decided either way: the socket no longer counts as waiting for its connection_init.
        pending.settle(request);
      }
      if (!auth.ok) {
        socket.close(auth.closeCode, auth.reason);
        return false;
      }
      const callerKey = `${auth.caller.tenantId}/${auth.caller.kind}/${auth.caller.subject}`;
      const count = perCaller.get(callerKey) ?? 0;
      if (count >= maxConnectionsPerCaller) {
        logger.info('websocket refused: connection cap', { subject: auth.caller.subject, limit: maxConnectionsPerCaller });
        socket.close(
          4403,
          `Too many connections for this caller: at most ${maxConnectionsPerCaller} at once (MAX_CONNECTIONS_PER_CALLER).`,
        );
        return false;
      }
      perCaller.set(callerKey, count + 1);
      open++;
      const untilExpiry = Math.max(0, auth.caller.expiresAt.getTime() - Date.now());
      const expiry = setTimeout(() => socket.close(4401, TOKEN_EXPIRED_CLOSE_REASON), Math.min(untilExpiry, MAX_TIMER_MS));
      expiry.unref();
      const connection: LiveConnection = { close: (code, reason) => socket.close(code, reason) };
      admitted.set(socket, { token: auth.token, caller: auth.caller, connection, callerKey, expiry });
      return true;
    },
    onClose(ctx) {
      const state = admitted.get(ctx.extra.socket);
      if (!state) return;
      admitted.delete(ctx.extra.socket);
      clearTimeout(state.expiry);
      open--;
      const left = (perCaller.get(state.callerKey) ?? 1) - 1;
      if (left > 0) perCaller.set(state.callerKey, left);
      else perCaller.delete(state.callerKey);
    },
    admitted: (socket) => admitted.get(socket),
    open: () => open,
  };
}
