/**
 * One subscriber's undelivered events, bounded. graphql-ws pulls the next event only once the
 * previous one was handed to the socket, so a client that reads slower than events arrive makes this
 * queue grow; at `capacity` the subscriber is dropped ({@link SlowConsumerError}, `onOverflow`) and
 * its queue freed, so one slow client can never make the gateway's memory grow.
 */

export class SlowConsumerError extends Error {
  override readonly name = 'SlowConsumerError';
  constructor(readonly capacity: number) {
    super(`The client did not keep up: more than ${capacity} events were waiting to be sent.`);
  }
}

export interface SubscriberQueue<T> extends AsyncIterableIterator<T> {
  /** Queues a value; false when the queue is finished (ended, failed, dropped or returned). */
  push(value: T): boolean;
  /** Completes the iterator once the queued values are consumed. */
  end(): void;
  /** Fails the iterator with `error` once the queued values are consumed. */
  fail(error: unknown): void;
  /** How many values wait. */
  readonly size: number;
  readonly finished: boolean;
}

export interface SubscriberQueueOptions {
  /** Most values waiting at once (SUBSCRIPTION_BUFFER_SIZE). */
  capacity: number;
  /** The consumer fell `capacity` events behind and was dropped. */
  onOverflow?: (error: SlowConsumerError) => void;
  /** Runs once, however the iterator finished (completed, failed, dropped, or the consumer returned). */
  onClose?: () => void;
}

export function createSubscriberQueue<T>(options: SubscriberQueueOptions): SubscriberQueue<T> {
  let buffer: T[] = [];
  let waiting: { resolve(r: IteratorResult<T>): void; reject(e: unknown): void } | undefined;
  /** Set once no more values will be queued. */
  let ending: { error?: unknown } | undefined;
  let closed = false;

  const close = (): void => {
    if (closed) return;
    closed = true;
    buffer = [];
    options.onClose?.();
  };

  /** Settles a pending `next()` with what comes after the buffer, if the queue is ending. */
  const settleWaiting = (): void => {
    if (!waiting || !ending || buffer.length > 0) return;
    const w = waiting;
    waiting = undefined;
    const { error } = ending;
    close();
    if (error !== undefined) w.reject(error);
    else w.resolve({ value: undefined, done: true });
  };

  const queue: SubscriberQueue<T> = {
    push(value) {
      if (ending || closed) return false;
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w.resolve({ value, done: false });
        return true;
      }
      if (buffer.length >= options.capacity) {
        const error = new SlowConsumerError(options.capacity);
        // Drop what was waiting and leave the session at once: the point is to free the memory now.
        ending = { error };
        close();
        options.onOverflow?.(error);
        return false;
      }
      buffer.push(value);
      return true;
    },
    end() {
      if (ending || closed) return;
      ending = {};
      settleWaiting();
    },
    fail(error) {
      if (ending || closed) return;
      ending = { error };
      settleWaiting();
    },
    get size() {
      return buffer.length;
    },
    get finished() {
      return closed || ending !== undefined;
    },
    next() {
      if (buffer.length > 0) return Promise.resolve({ value: buffer.shift() as T, done: false });
      if (ending) {
        // An error is reported once; after it the iterator is simply done.
        const { error } = ending;
        ending = {};
        close();
        return error !== undefined ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
      }
      if (closed) return Promise.resolve({ value: undefined, done: true });
      if (waiting) return Promise.reject(new Error('next() called while a previous next() is pending'));
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      ending = {};
      const w = waiting;
      waiting = undefined;
      close();
      w?.resolve({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      ending ??= { error };
      const w = waiting;
      waiting = undefined;
      close();
      w?.resolve({ value: undefined, done: true });
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}
