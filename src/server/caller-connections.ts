import type { CallerIdentity } from '../context.js';

/**
 * Streams each caller holds open on this instance, whatever carries them: a WebSocket, or one SSE or multipart HTTP
 * response per subscription. One count for all transports, so MAX_CONNECTIONS_PER_CALLER bounds what one caller can
 * hold open here however it connects.
 */
export interface CallerConnections {
  /** Counts one more connection for the caller; undefined (nothing counted) when the caller holds the most already. */
  open(caller: CallerIdentity): CallerConnection | undefined;
  /** Open connections on this instance. */
  count(): number;
  /** MAX_CONNECTIONS_PER_CALLER. */
  readonly limit: number;
}

export interface CallerConnection {
  /** Gives the connection back (idempotent). */
  close(): void;
}

/** The key connections are counted by: one per caller (tenant, kind, subject). */
function callerConnectionKey(caller: CallerIdentity): string {
  return `${caller.tenantId}/${caller.kind}/${caller.subject}`;
}

export function createCallerConnections(limit: number): CallerConnections {
  const perCaller = new Map<string, number>();
  let total = 0;
  return {
    limit,
    open(caller) {
      const key = callerConnectionKey(caller);
      const held = perCaller.get(key) ?? 0;
      if (held >= limit) return undefined;
      perCaller.set(key, held + 1);
      total++;
      let closed = false;
      return {
        close() {
          if (closed) return;
          closed = true;
          total--;
          const left = (perCaller.get(key) ?? 1) - 1;
          if (left > 0) perCaller.set(key, left);
          else perCaller.delete(key);
        },
      };
    },
    count: () => total,
  };
}

/** The message of a refusal for the per-caller cap, the same on every transport. */
export function tooManyConnectionsMessage(limit: number): string {
  return `Too many connections for this caller: at most ${limit} at once (MAX_CONNECTIONS_PER_CALLER).`;
}
