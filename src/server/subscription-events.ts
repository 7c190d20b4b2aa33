import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';

/**
 * graphql-js's `subscribe`, with the stream of results as one small object: graphql-js maps a subscription's events
 * with an object of seven closures and keeps an async frame suspended in it, which is most of what an idle
 * subscription costs beyond its own state. Same behaviour: the source stream comes from `createSourceEventStream`
 * (errors before it exists are the result), each event is executed with the event as root value, an event that fails
 * to execute closes the source and fails the stream, and `return`/`throw` go through to the source.
 */
export async function subscribeEvents(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const resultOrStream = await createSourceEventStream(args);
  if (!isAsyncIterable(resultOrStream)) return resultOrStream;
  return new EventResults(args, resultOrStream[Symbol.asyncIterator]());
}

function isAsyncIterable(value: AsyncIterable<unknown> | ExecutionResult): value is AsyncIterable<unknown> {
  return typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

class EventResults implements AsyncIterableIterator<ExecutionResult> {
  readonly #args: ExecutionArgs;
  readonly #source: AsyncIterator<unknown>;

  constructor(args: ExecutionArgs, source: AsyncIterator<unknown>) {
    this.#args = args;
    this.#source = source;
  }

  // Not `async`: a subscription waits in here between events, and a pending `then` is lighter than a suspended frame.
  next(): Promise<IteratorResult<ExecutionResult>> {
    try {
      return this.#source.next().then((result) => this.#map(result));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    return typeof this.#source.return === 'function' ? this.#map(await this.#source.return()) : DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    if (typeof this.#source.throw === 'function') return this.#map(await this.#source.throw(error));
    await this.#returnIgnoringErrors();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async #map(result: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> {
    if (result.done) return DONE;
    try {
      return { value: await execute({ ...this.#args, rootValue: result.value }), done: false };
    } catch (error) {
      await this.#returnIgnoringErrors();
      throw error;
    }
  }

  async #returnIgnoringErrors(): Promise<void> {
    try {
      await this.#source.return?.();
    } catch {
      // Keep the original error when closing the source also fails.
    }
  }
}
