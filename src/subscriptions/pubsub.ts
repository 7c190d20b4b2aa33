/**
 * Topic-based publish/subscribe of strings or objects, as the change feed needs it: one instance
 * (in memory) or many (Redis, `redis-pubsub.ts`). Delivery is at most once and in publish order per
 * topic; the change feed above it makes up for what at-most-once can lose.
 */

export type Unsubscribe = () => Promise<void>;

export interface PubSub<M> {
  /**
   * Calls `handler` for every message published on `topic` from the moment the returned promise
   * resolves (for Redis: once the server confirmed the subscription) until `Unsubscribe` is called.
   */
  subscribe(topic: string, handler: (message: M) => void): Promise<Unsubscribe>;
  publish(topic: string, message: M): Promise<void>;
  /** Topics with at least one handler here. */
  topics(): string[];
  close(): Promise<void>;
}

/** What a throwing handler costs: a log line (the memory pub/sub's default; the Redis pub/sub and feed always). */
export const logHandlerError = (err: unknown): void => console.error('[live] subscriber failed', err);

/**
 * One subscription's handler, in an object of its own: the same function subscribed twice is two subscriptions. (An
 * object rather than a wrapping closure: there is one per subscriber, and a plain object is the smaller of the two.)
 */
export interface Listener<M> {
  readonly handler: (message: M) => void;
}

/** Calls each listener with `message`; one that throws goes to `onHandlerError` and does not starve the others. */
export function deliver<M>(listeners: Iterable<Listener<M>>, message: M, onHandlerError: (err: unknown) => void): void {
  // A copy: a handler may unsubscribe (itself or another) while the message goes round.
  for (const { handler } of [...listeners]) {
    try {
      handler(message);
    } catch (err) {
      onHandlerError(err);
    }
  }
}

export interface MemoryPubSubOptions {
  /** A handler threw; the others still get the message. Default: logged. */
  onHandlerError?: (err: unknown) => void;
}

/** One process: handlers are called synchronously, in subscription order, with the published value itself. */
export function createMemoryPubSub<M>({ onHandlerError = logHandlerError }: MemoryPubSubOptions = {}): PubSub<M> {
  const handlers = new Map<string, Set<Listener<M>>>();
  return {
    async subscribe(topic, handler) {
      const entry: Listener<M> = { handler };
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      set.add(entry);
      return async () => {
        const current = handlers.get(topic);
        if (!current) return;
        current.delete(entry);
        if (current.size === 0) handlers.delete(topic);
      };
    },
    async publish(topic, message) {
      const set = handlers.get(topic);
      if (set) deliver(set, message, onHandlerError);
    },
    topics: () => [...handlers.keys()],
    async close() {
      handlers.clear();
    },
  };
}
