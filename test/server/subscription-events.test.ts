import { buildSchema, parse, subscribe, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { subscribeEvents } from '../../src/server/subscription-events.js';

// The transport's own results stream must behave as graphql-js's `subscribe` does: the same results, the same errors,
// and the source closed the same ways. Each case runs both over the same kind of source and compares.

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Event { n: Int! double: Int! }
  type Subscription { counted(to: Int!, failAt: Int): Event! }
`);

interface Source {
  closed: boolean;
}

function argsWith(source: Source, subscribeThrows = false): ExecutionArgs {
  return {
    schema,
    document: parse('subscription S($to: Int!, $failAt: Int) { counted(to: $to, failAt: $failAt) { n double } }'),
    variableValues: { to: 3 },
    rootValue: {
      counted: ({ to, failAt }: { to: number; failAt?: number }) => {
        if (subscribeThrows) throw new Error('no stream for you');
        return (async function* () {
          try {
            for (let n = 1; n <= to; n++) {
              if (n === failAt) throw new Error(`source failed at ${n}`);
              yield { n, double: n * 2 };
            }
          } finally {
            source.closed = true;
          }
        })();
      },
    },
  };
}

type Stream = AsyncIterableIterator<ExecutionResult>;

async function both(
  run: (stream: Stream, source: Source) => Promise<unknown>,
  args: (source: Source) => ExecutionArgs = (s) => argsWith(s),
): Promise<[unknown, unknown]> {
  const theirs: Source = { closed: false };
  const ours: Source = { closed: false };
  const expected = await run((await subscribe(args(theirs))) as Stream, theirs);
  const actual = await run((await subscribeEvents(args(ours))) as Stream, ours);
  return [actual, expected];
}

const settle = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    (value) => ({ value }),
    (err: unknown) => ({ error: err instanceof Error ? err.message : err }),
  );

describe('the WebSocket transport results stream', () => {
  it('executes every event with the event as root value, then completes, and closes the source', async () => {
    const [actual, expected] = await both(async (stream, source) => {
      const results: ExecutionResult[] = [];
      for await (const r of stream) results.push(r);
      return { results, closed: source.closed };
    });
    expect(actual).toEqual(expected);
    expect((actual as { results: unknown[] }).results).toHaveLength(3);
  });

  it('passes return() on to the source, and is done afterwards', async () => {
    const [actual, expected] = await both(async (stream, source) => {
      const first = await stream.next();
      const returned = await stream.return!();
      const after = await stream.next();
      return { first, returned, after, closed: source.closed };
    });
    expect(actual).toEqual(expected);
  });

  it('fails the stream with the source error, as graphql-js does', async () => {
    const [actual, expected] = await both(
      async (stream, source) => {
        const first = await settle(stream.next());
        const second = await settle(stream.next());
        const third = await settle(stream.next());
        return { first, second, third, closed: source.closed };
      },
      (s) => ({ ...argsWith(s), variableValues: { to: 3, failAt: 2 } }),
    );
    expect(actual).toEqual(expected);
  });

  it('answers a subscribe resolver that throws with a result, not a stream', async () => {
    const [actual, expected] = await both(
      async (stream) => stream,
      (s) => argsWith(s, true),
    );
    expect(JSON.parse(JSON.stringify(actual))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(actual).toMatchObject({ errors: [{ message: 'no stream for you' }] });
  });

  it('passes throw() on to the source', async () => {
    const [actual, expected] = await both(async (stream, source) => {
      await stream.next();
      const thrown = await settle(stream.throw!(new Error('consumer gave up')));
      return { thrown, closed: source.closed };
    });
    expect(actual).toEqual(expected);
  });
});
