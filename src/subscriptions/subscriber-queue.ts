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
  /**
   * Queues a last value whatever the capacity (one over it at most), and completes the iterator once it is consumed;
   * false when the queue is finished already.
   */
  pushLast(value: T): boolean;
  /** Completes the iterator once the queued values are consumed. */
  end(): void;
  /** Fails the iterator with `error` once the queued values are consumed. */
  fail(error: unknown): void;
  /** How many values wait. */
  readonly size: number;
  readonly finished: boolean;
}

/**
 * Read when needed and called as methods of this object (never detached), so a subscriber's own state object can be its
 * queue's options instead of holding closures for them.
 */
export interface SubscriberQueueOptions {
  /** Most values waiting at once (SUBSCRIPTION_BUFFER_SIZE). */
  capacity: number;
  /** The consumer fell `capacity` events behind and was dropped. */
  onOverflow?: (error: SlowConsumerError) => void;
  /** Runs once, however the iterator finished (completed, failed, dropped, or the consumer returned). */
  onClose?: () => void;
}

export function createSubscriberQueue<T>(options: SubscriberQueueOptions): SubscriberQueue<T> {
  return new BoundedQueue<T>(options);
}

interface Waiter<T> {
  resolve(r: IteratorResult<T>): void;
  reject(e: unknown): void;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

class BoundedQueue<T> implements SubscriberQueue<T> {
  #buffer: T[] = [];
  /** A consumer's pending `next()`. */
  #waiting: Waiter<T> | undefined;
  /** Set once no more values will be queued. */
  #ending: { error?: unknown } | undefined;
  #closed = false;
  readonly #options: SubscriberQueueOptions;

  constructor(options: SubscriberQueueOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#buffer.length;
  }

  get finished(): boolean {
    return this.#closed || this.#ending !== undefined;
  }

  push(value: T): boolean {
    if (this.#ending || this.#closed) return false;
    const waiting = this.#takeWaiting();
    if (waiting) {
      waiting.resolve({ value, done: false });
      return true;
    }
    if (this.#buffer.length >= this.#options.capacity) {
      const error = new SlowConsumerError(this.#options.capacity);
      // Drop what was waiting and leave the session at once: the point is to free the memory now.
      this.#ending = { error };
      this.#close();
      this.#options.onOverflow?.(error);
      return false;
    }
    this.#buffer.push(value);
    return true;
  }

  pushLast(value: T): boolean {
    if (this.#ending || this.#closed) return false;
    const waiting = this.#takeWaiting();
    if (waiting) waiting.resolve({ value, done: false });
    else this.#buffer.push(value);
    this.#finish({});
    return true;
  }

  end(): void {
    this.#finish({});
  }

  fail(error: unknown): void {
    this.#finish({ error });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#buffer.length > 0) return Promise.resolve({ value: this.#buffer.shift() as T, done: false });
    if (this.#ending) {
      // An error is reported once; after it the iterator is simply done.
      const { error } = this.#ending;
      this.#ending = {};
      this.#close();
      return error !== undefined ? Promise.reject(error) : Promise.resolve(DONE);
    }
    if (this.#closed) return Promise.resolve(DONE);
    if (this.#waiting) return Promise.reject(new Error('next() called while a previous next() is pending'));
    return new Promise<IteratorResult<T>>((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.#ending = {};
    this.#abandon();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.#ending ??= { error };
    this.#abandon();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #takeWaiting(): Waiter<T> | undefined {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    return waiting;
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#buffer = [];
    this.#options.onClose?.();
  }

  /** The consumer went away: free everything, and settle a pending `next()` as done. */
  #abandon(): void {
    const waiting = this.#takeWaiting();
    this.#close();
    waiting?.resolve(DONE);
  }

  /** No more values: a pending `next()` gets what comes after the (then empty) buffer. */
  #finish(ending: { error?: unknown }): void {
    if (this.#ending || this.#closed) return;
    this.#ending = ending;
    const waiting = this.#buffer.length === 0 ? this.#takeWaiting() : undefined;
    if (!waiting) return;
    this.#close();
    if (ending.error !== undefined) waiting.reject(ending.error);
    else waiting.resolve(DONE);
  }
}
