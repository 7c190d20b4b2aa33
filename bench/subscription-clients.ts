import { parentPort } from 'node:worker_threads';
import { createClient } from 'graphql-ws';
import { Agent, fetch } from 'undici';
import WebSocket from 'ws';

/**
 * The subscribers of `bench/subscriptions.ts`, in a worker thread: their sockets, parsers and
 * buffers live in this isolate's heap, so the gateway's heap (in the main thread) measures the
 * gateway alone. Every result is time-stamped on the process-wide clock
 * (`performance.timeOrigin + performance.now()`), so the main thread can match it with the poll
 * that saw the change.
 */

export interface ClientsStart {
  /** Names this set of connections, so that it can be closed on its own (`dispose`). */
  set: string;
  url: string;
  authorization: string;
  sessionIds: string[];
  connections: number;
  perConnection: number;
  /** Whether this set's results count in the receipts (and results, completed, errors) of `report`. */
  record: boolean;
  /**
   * How the subscriptions travel: graphql-ws (default), or one HTTP request each over SSE or Apollo's multipart protocol
   * (`connections` requests of one subscription; `perConnection` is then 1).
   */
  transport?: 'ws' | 'sse' | 'multipart';
  /** The HTTP endpoint, for `sse` and `multipart`. */
  httpUrl?: string;
}

export type ClientsRequest =
  { type: 'start'; start: ClientsStart } | { type: 'dispose'; set: string } | { type: 'report' } | { type: 'close' };

export type ClientsMessage =
  /** Every subscription of the set has its first answer: `failed` of them an error (or a result with errors, a refusal). */
  | { type: 'subscribed'; set: string; subscriptions: number; failed: number; ms: number }
  | { type: 'disposed'; set: string }
  | { type: 'receipts'; receipts: Array<[string, number[]]>; results: number; completed: number; errors: number };

const WATCH = `subscription Watch($id: ID!) { restoreSessionStatusChanged(id: $id) { id status progress { completed failed } } }`;

interface Result {
  restoreSessionStatusChanged: { id: string; status: string; progress: { completed: number; failed: number } };
}

const port = parentPort!;
/** What a set holds open: graphql-ws clients, or HTTP streams. */
interface Disposable {
  dispose(): unknown;
}
const sets = new Map<string, Disposable[]>();
/** Receipt times per change (`id|STATUS|completed|failed`), first results (the current state) excluded. */
const receipts = new Map<string, number[]>();
let results = 0;
let completed = 0;
let errors = 0;

const dispose = (clients: Disposable[]): Promise<unknown> => Promise.all(clients.map((c) => c.dispose()));

port.on('message', (message: ClientsRequest) => {
  if (message.type === 'start')
    void (message.start.transport === 'sse' || message.start.transport === 'multipart' ? startHttp(message.start) : start(message.start));
  else if (message.type === 'dispose') {
    const clients = sets.get(message.set) ?? [];
    sets.delete(message.set);
    void dispose(clients).then(() => port.postMessage({ type: 'disposed', set: message.set } satisfies ClientsMessage));
  } else if (message.type === 'report') {
    port.postMessage({ type: 'receipts', receipts: [...receipts], results, completed, errors } satisfies ClientsMessage);
  } else {
    void dispose([...sets.values()].flat()).then(() => process.exit(0));
  }
});

/** Tells the parent how many of the set's `total` subscriptions got through, once each has its first answer. */
function reportWhenAllAnswered(s: ClientsStart, total: number, subscribed: number, failed: number, started: number): void {
  if (subscribed + failed !== total) return;
  port.postMessage({
    type: 'subscribed',
    set: s.set,
    subscriptions: subscribed,
    failed,
    ms: performance.now() - started,
  } satisfies ClientsMessage);
}

async function start(s: ClientsStart): Promise<void> {
  const started = performance.now();
  let subscribed = 0;
  let failed = 0;
  const total = s.connections * s.perConnection;
  // Once every subscription has its first answer (a value or an error), the parent learns how many got through.
  const reportOnceAllAnswered = (): void => reportWhenAllAnswered(s, total, subscribed, failed, started);
  const clients: Disposable[] = [];
  sets.set(s.set, clients);
  let n = 0;
  for (let c = 0; c < s.connections; c++) {
    const client = createClient({
      url: s.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: s.authorization },
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    for (let k = 0; k < s.perConnection; k++, n++) {
      const id = s.sessionIds[n % s.sessionIds.length]!;
      let first = true;
      client.subscribe<Result>(
        { query: WATCH, variables: { id } },
        {
          next: (result) => {
            const at = performance.timeOrigin + performance.now();
            if (s.record) results++;
            const v = result.data?.restoreSessionStatusChanged;
            if (first) {
              first = false;
              // A refused start (the caller's quota, a cap) answers with one result carrying errors, then completes.
              if (result.errors?.length) failed++;
              else subscribed++;
              reportOnceAllAnswered();
              return;
            }
            if (!v || !s.record) return;
            const key = `${v.id.toLowerCase()}|${v.status}|${v.progress.completed}|${v.progress.failed}`;
            const list = receipts.get(key);
            if (list) list.push(at);
            else receipts.set(key, [at]);
          },
          error: () => {
            if (s.record) errors++;
            if (first) {
              first = false;
              failed++;
              reportOnceAllAnswered();
            }
          },
          complete: () => {
            if (s.record) completed++;
          },
        },
      );
    }
    // A breath between connections, as browsers arrive over time rather than in one tick.
    await new Promise((r) => setImmediate(r));
  }
}

/** One HTTP connection per stream: the agent never pools them (a streaming response holds its connection). */
const agent = new Agent({ keepAliveTimeout: 60_000, connections: null });

/**
 * HTTP subscribers (SSE or multipart), one request each, for the memory figures: each counts as subscribed on its first
 * result (the current state) and is then only held open.
 */
async function startHttp(s: ClientsStart): Promise<void> {
  const started = performance.now();
  let subscribed = 0;
  let failed = 0;
  const total = s.connections;
  const answered = (ok: boolean): void => {
    if (ok) subscribed++;
    else failed++;
    reportWhenAllAnswered(s, total, subscribed, failed, started);
  };
  const streams: Disposable[] = [];
  sets.set(s.set, streams);
  for (let n = 0; n < total; n++) {
    const abort = new AbortController();
    streams.push({ dispose: () => abort.abort() });
    void readFirst(s, s.sessionIds[n % s.sessionIds.length]!, abort.signal).then(answered, () => answered(false));
    if (n % 20 === 19) await new Promise((r) => setImmediate(r));
  }
}

/** Opens one stream and resolves on its first result (true without errors); the stream stays open until aborted. */
async function readFirst(s: ClientsStart, id: string, signal: AbortSignal): Promise<boolean> {
  const sse = s.transport === 'sse';
  const response = await fetch(s.httpUrl!, {
    method: 'POST',
    dispatcher: agent,
    signal,
    headers: {
      authorization: s.authorization,
      'content-type': 'application/json',
      accept: sse ? 'text/event-stream' : 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json',
    },
    body: JSON.stringify({ query: WATCH, variables: { id } }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return false;
    text += decoder.decode(value, { stream: true });
    const first = sse ? /event: next\ndata: (.*)\n/.exec(text)?.[1] : /\r\n\r\n(\{"payload".*?)\r\n--graphql/.exec(text)?.[1];
    if (first === undefined) continue;
    const result = (sse ? JSON.parse(first) : (JSON.parse(first) as { payload: unknown }).payload) as { errors?: unknown[] };
    // Keep the stream open (and drained) in the background; it ends when the set is disposed.
    void (async () => {
      try {
        while (!(await reader.read()).done);
      } catch {
        // Aborted.
      }
    })();
    return !result.errors?.length;
  }
}
