import { parentPort } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The subscribers of `bench/subscriptions.ts`, in a worker thread: their sockets, parsers and
 * buffers live in this isolate's heap, so the gateway's heap (in the main thread) measures the
 * gateway alone. Every result is time-stamped on the process-wide clock
 * (`performance.timeOrigin + performance.now()`), so the main thread can match it with the poll
 * that saw the change.
 */

export interface ClientsStart {
  url: string;
  authorization: string;
  sessionIds: string[];
  connections: number;
  perConnection: number;
}

export type ClientsMessage =
  | { type: 'subscribed'; subscriptions: number; failed: number; ms: number }
  | { type: 'receipts'; receipts: Array<[string, number[]]>; results: number; completed: number; errors: number };

const WATCH = `subscription Watch($id: ID!) { restoreSessionStatusChanged(id: $id) { id status progress { completed failed } } }`;

interface Result {
  restoreSessionStatusChanged: { id: string; status: string; progress: { completed: number; failed: number } };
}

const port = parentPort!;
const clients: Client[] = [];
/** Receipt times per change (`id|STATUS|completed|failed`), first results (the current state) excluded. */
const receipts = new Map<string, number[]>();
let results = 0;
let completed = 0;
let errors = 0;

port.on('message', (message: { type: 'start'; start: ClientsStart } | { type: 'report' } | { type: 'close' }) => {
  if (message.type === 'start') void start(message.start);
  else if (message.type === 'report') {
    port.postMessage({ type: 'receipts', receipts: [...receipts], results, completed, errors } satisfies ClientsMessage);
  } else {
    void Promise.all(clients.map((c) => c.dispose())).then(() => process.exit(0));
  }
});

async function start(s: ClientsStart): Promise<void> {
  const started = performance.now();
  let subscribed = 0;
  let failed = 0;
  const total = s.connections * s.perConnection;
  // Once every subscription has its first answer (a value or an error), the parent learns how many got through.
  const reportOnceAllAnswered = (): void => {
    if (subscribed + failed === total) {
      port.postMessage({ type: 'subscribed', subscriptions: subscribed, failed, ms: performance.now() - started } satisfies ClientsMessage);
    }
  };
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
            results++;
            const v = result.data?.restoreSessionStatusChanged;
            if (first) {
              first = false;
              subscribed++;
              reportOnceAllAnswered();
              return;
            }
            if (!v) return;
            const key = `${v.id.toLowerCase()}|${v.status}|${v.progress.completed}|${v.progress.failed}`;
            const list = receipts.get(key);
            if (list) list.push(at);
            else receipts.set(key, [at]);
          },
          error: () => {
            errors++;
            if (first) {
              first = false;
              failed++;
              reportOnceAllAnswered();
            }
          },
          complete: () => {
            completed++;
          },
        },
      );
    }
    // A breath between connections, as browsers arrive over time rather than in one tick.
    await new Promise((r) => setImmediate(r));
  }
}
