import { readlinkSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The churning neighbour of `bench/neighbour.ts`, in a worker thread: its sockets, its JSON and its
 * tight loops burn this thread's CPU, not the event loop the gateway and the measured neighbour share.
 *
 * `sockets` graphql-ws clients (`lazy: false`, so each socket stays open between subscriptions, and
 * `retryAttempts: 0`), each running `loops` subscribe→complete loops at once, in one of these modes:
 *
 * - `first`: subscribe, and unsubscribe as soon as the first result, the completion or an error
 *   arrives (a refusal is one result and the gateway's `complete`: the loop goes on at that
 *   `complete`); then at once the next one;
 * - `immediate`: subscribe, let the `subscribe` frame leave (one macrotask: graphql-ws sends it only
 *   after its own `await connect()`), send `complete` at once without waiting for any answer, and go on
 *   as soon as the gateway has read the frames: a protocol `ping` after them, answered `pong` in order
 *   once the gateway's handler has taken them (one ping per socket for all its loops). The gateway
 *   still runs each start (quota, context, access read); whatever it answers reaches a subscription
 *   this side has already let go, so this mode's served and refused counts are only the answers that
 *   overtook the `complete` (usually none): the emulator's journal tells what it cost;
 * - `flood` (opt-in): `immediate` without the ping, held back only by this side's send buffer. A
 *   gateway that reads slower than that builds a backlog in the sockets' kernel buffers which every
 *   other caller waits behind, for seconds after the churner stopped.
 */

export interface ChurnerOpen {
  url: string;
  authorization: string;
  sockets: number;
  loops: number;
  sessionIds: string[];
}

export type ChurnMode = 'first' | 'immediate' | 'flood';

export interface ChurnCounts {
  /** `subscribe` frames sent. */
  starts: number;
  /** Starts answered with data (the session's current state). */
  served: number;
  /** Starts answered with RATE_LIMITED. */
  refused: number;
  /** `extensions.code` of every error result, RATE_LIMITED included. */
  codes: Record<string, number>;
  /** graphql-ws `error` messages and socket failures seen by a subscription. */
  errors: number;
  /** Subscriptions that completed without a result. */
  completedEmpty: number;
  /** `first` mode: subscriptions still unanswered when the phase ended (unsubscribed then). */
  abandoned: number;
  /** Socket closes, by close code. */
  closes: Record<string, number>;
  seconds: number;
}

export type ChurnerMessage =
  { type: 'opened'; sockets: number; tid: number | undefined } | { type: 'churning' } | { type: 'stopped'; counts: ChurnCounts };

type Command = { type: 'open'; open: ChurnerOpen } | { type: 'churn'; mode: ChurnMode } | { type: 'stop' } | { type: 'close' };

const WATCH = `subscription Churn($id: ID!) { restoreSessionStatusChanged(id: $id) { id status } }`;
/** Frames a socket may have waiting to leave before an `immediate` loop waits for it to drain. */
const MAX_BUFFERED_BYTES = 256 * 1024;

interface Slot {
  client: Client;
  socket: WebSocket | undefined;
  /** A ping is out; `current` waits for its pong, `next` for the ping after it (sent once that pong is in). */
  pingOut: boolean;
  current: Array<() => void>;
  next: Array<() => void>;
}

const port = parentPort!;
const slots: Slot[] = [];
let setup: ChurnerOpen | undefined;
let counts = emptyCounts();
let running = false;
let loops: Array<Promise<void>> = [];
/** Unsubscribers of the `first` mode's subscriptions not answered yet. */
const pending = new Set<() => void>();
let phaseStarted = 0;

/** This thread's id on Linux (`/proc/thread-self` → `<pid>/task/<tid>`), so the main thread can read its CPU time. */
function threadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
}

function emptyCounts(): ChurnCounts {
  return { starts: 0, served: 0, refused: 0, codes: {}, errors: 0, completedEmpty: 0, abandoned: 0, closes: {}, seconds: 0 };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

port.on('message', (m: Command) => {
  if (m.type === 'open') void open(m.open);
  else if (m.type === 'churn') churn(m.mode);
  else if (m.type === 'stop') void stop();
  else void Promise.all(slots.map((s) => s.client.dispose())).then(() => process.exit(0));
});

async function open(o: ChurnerOpen): Promise<void> {
  setup = o;
  const connected: Array<Promise<void>> = [];
  for (let i = 0; i < o.sockets; i++) {
    let ready!: () => void;
    connected.push(new Promise<void>((r) => (ready = r)));
    const slot: Slot = { client: undefined as unknown as Client, socket: undefined, pingOut: false, current: [], next: [] };
    slot.client = createClient({
      url: o.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: o.authorization },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      on: {
        connected: (socket) => {
          slot.socket = socket as WebSocket;
          ready();
        },
        pong: (received) => {
          if (received) pong(slot);
        },
        closed: (event) => {
          if (slot.pingOut) pong(slot);
          const code = String((event as { code?: number } | undefined)?.code ?? 'unknown');
          counts.closes[code] = (counts.closes[code] ?? 0) + 1;
        },
      },
    });
    slots.push(slot);
  }
  await Promise.all(connected);
  port.postMessage({ type: 'opened', sockets: slots.length, tid: threadId() } satisfies ChurnerMessage);
}

function churn(mode: ChurnMode): void {
  counts = emptyCounts();
  running = true;
  phaseStarted = performance.now();
  const ids = setup!.sessionIds;
  let n = 0;
  const nextId = (): string => ids[n++ % ids.length]!;
  loops = slots.flatMap((slot) =>
    Array.from({ length: setup!.loops }, () =>
      mode === 'first' ? firstLoop(slot, nextId) : immediateLoop(slot, nextId, mode === 'immediate'),
    ),
  );
  port.postMessage({ type: 'churning' } satisfies ChurnerMessage);
}

async function firstLoop(slot: Slot, nextId: () => string): Promise<void> {
  while (running) {
    await new Promise<void>((resolve) => {
      let answered = false;
      let unsubscribe: () => void = () => undefined;
      const finish = (): void => {
        pending.delete(abandon);
        unsubscribe();
        resolve();
      };
      const abandon = (): void => {
        counts.abandoned++;
        finish();
      };
      counts.starts++;
      unsubscribe = slot.client.subscribe<unknown>(
        { query: WATCH, variables: { id: nextId() } },
        {
          next: (result) => {
            if (answered) return;
            answered = true;
            countResult(result);
            // A refusal is followed by the gateway's `complete` at once: unsubscribing now as well would make graphql-ws
            // release this subscription twice (its lock count would reach 0 and it would close the socket, 1000).
            if (result.errors) pending.delete(abandon);
            else finish();
          },
          error: () => {
            if (answered) return;
            answered = true;
            counts.errors++;
            finish();
          },
          complete: () => {
            if (!answered) counts.completedEmpty++;
            answered = true;
            finish();
          },
        },
      );
      if (!answered) pending.add(abandon);
    });
  }
}

async function immediateLoop(slot: Slot, nextId: () => string, paced: boolean): Promise<void> {
  while (running) {
    counts.starts++;
    const unsubscribe = slot.client.subscribe<unknown>(
      { query: WATCH, variables: { id: nextId() } },
      {
        next: (result) => countResult(result),
        error: () => {
          counts.errors++;
        },
        complete: () => undefined,
      },
    );
    await tick();
    unsubscribe();
    if (paced) await barrier(slot);
    // A loop faster than the gateway reads would only grow this socket's send buffer.
    while (running && (slot.socket?.bufferedAmount ?? 0) > MAX_BUFFERED_BYTES) await sleep(1);
  }
}

/** Resolves once the gateway has read every frame this socket sent before the call. */
function barrier(slot: Slot): Promise<void> {
  return new Promise<void>((resolve) => {
    if (slot.pingOut) {
      slot.next.push(resolve);
      return;
    }
    slot.current.push(resolve);
    ping(slot);
  });
}

function ping(slot: Slot): void {
  const socket = slot.socket;
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    // No pong will come: let the loops go on (their next subscribe reconnects or fails).
    pong(slot);
    return;
  }
  slot.pingOut = true;
  socket.send(JSON.stringify({ type: 'ping' }));
}

function pong(slot: Slot): void {
  const done = slot.current;
  slot.current = slot.next;
  slot.next = [];
  slot.pingOut = false;
  for (const resolve of done) resolve();
  if (slot.current.length > 0) ping(slot);
}

function countResult(result: { data?: unknown; errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }): void {
  const error = result.errors?.[0];
  if (!error) {
    counts.served++;
    return;
  }
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'NO_CODE';
  counts.codes[code] = (counts.codes[code] ?? 0) + 1;
  if (code === 'RATE_LIMITED') counts.refused++;
}

async function stop(): Promise<void> {
  running = false;
  const seconds = (performance.now() - phaseStarted) / 1000;
  // Loops end with their subscription in flight answered; a start the gateway sits on is abandoned after a grace period.
  const ended = Promise.all(loops);
  const grace = sleep(2_000).then(() => 'late' as const);
  if ((await Promise.race([ended, grace])) === 'late') for (const abandon of [...pending]) abandon();
  await ended;
  port.postMessage({ type: 'stopped', counts: { ...counts, seconds } } satisfies ChurnerMessage);
}
