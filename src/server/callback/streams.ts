import type { GatewayContext } from '../../context.js';
import type { CallerConnection, CallerConnections } from '../caller-connections.js';

/**
 * The callback subscriptions that are running, and the requests admitted to start one: what the plugin's hooks and
 * the fetcher share, by the URL the plugin knows each by.
 */

/** Failed POSTs in a row (no answer at all) after which a subscription is given up. */
export const MAX_FAILURES = 3;

export type CallbackAction = 'check' | 'next' | 'complete';

/** What the router's request names, checked. */
export interface CallbackTarget {
  url: URL;
  subscriptionId: string;
  verifier: string;
  heartbeatIntervalMs: number;
}

/** One callback subscription that passed its start's checks: the router's URL and ids, the caller's slot, its context. */
export class CallbackStream {
  /** The router confirmed the first `check`. */
  checked = false;
  /** `complete` is on its way: a heartbeat after it would only race it. */
  completing = false;
  ended = false;
  #failedChecks = 0;
  #failedDeliveries = 0;

  constructor(
    readonly target: CallbackTarget,
    readonly context: GatewayContext,
    private readonly slot: CallerConnection,
    private readonly onEnd: () => void,
  ) {}

  /** A POST got no answer; true when that was one too many and the subscription is given up. */
  failed(action: CallbackAction): boolean {
    return (action === 'check' ? ++this.#failedChecks : ++this.#failedDeliveries) >= MAX_FAILURES;
  }

  /** The router answered 2xx. */
  delivered(action: CallbackAction): void {
    if (action === 'check') {
      this.#failedChecks = 0;
      this.checked = true;
      return;
    }
    this.#failedDeliveries = 0;
    // Like every transport after an event: what the event built for Graph is let go until the next one.
    if (action === 'next') this.context.beginEvent();
    else this.end();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.slot.close();
    this.onEnd();
  }
}

/** Requests the middleware admitted (until their response closes), and the subscriptions they started, by the plugin's URL. */
export class CallbackRegistry {
  readonly #admitted = new Map<string, CallbackTarget>();
  readonly #streams = new Map<string, CallbackStream>();
  #sequence = 0;

  constructor(readonly connections: CallerConnections) {}

  /** The URL the plugin will know this request's subscription by. */
  admit(target: CallbackTarget): string {
    const key = new URL(target.url);
    key.hash = `gateway-${++this.#sequence}`;
    this.#admitted.set(key.href, target);
    return key.href;
  }

  forget(key: string): void {
    this.#admitted.delete(key);
  }

  admitted(key: string): CallbackTarget | undefined {
    return this.#admitted.get(key);
  }

  start(key: string, target: CallbackTarget, context: GatewayContext, slot: CallerConnection): CallbackStream {
    const stream = new CallbackStream(target, context, slot, () => {
      if (this.#streams.get(key) === stream) this.#streams.delete(key);
    });
    this.#streams.set(key, stream);
    return stream;
  }

  stream(key: string): CallbackStream | undefined {
    return this.#streams.get(key);
  }
}
