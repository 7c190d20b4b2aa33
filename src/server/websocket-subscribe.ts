import { GraphQLError, parse, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { DocumentOf } from './document-cache.js';
import { chooseSubscription, createSubscriptionStart, settled, type SubscriptionStartOptions } from './subscription-start.js';
import { subscribeEvents } from './subscription-events.js';
import type { ConnectionAdmission } from './websocket-admission.js';

/**
 * The start of one operation over WebSocket (graphql-ws `onSubscribe`, and the `subscribe` it hands its answer to).
 *
 * - Only subscriptions run here: queries and mutations go over HTTP, where the cost limit, the caller rate limit, the
 *   per-operation deadline and the audit log apply, so a socket is no way around them.
 * - One budget per caller, as over HTTP: each start spends one call of the caller's quota, the cost limit applies to
 *   one event's selection, and each event's Graph calls run in an operation scope of their own
 *   (`GatewayContext.beginEvent`). A caller's starts take turns, a few at a time (start-gate.ts).
 * - A refusal of a valid document (not admitted, the operation cap, the cost or the rate limit, a query or mutation,
 *   an operation name that names none) reaches the subscription as one result with `errors[0].extensions.code`, then
 *   `complete`, and the socket stays open: supergraph runtimes pass such a result on, while they mask graphql-ws
 *   `error` messages and drop close codes. Documents that do not parse or validate are `error` messages, as the
 *   protocol has them.
 */

export interface SubscriptionStartsOptions extends SubscriptionStartOptions {
  admission: Pick<ConnectionAdmission, 'admitted' | 'refusalOf'>;
  documentOf: DocumentOf;
  /** MAX_SUBSCRIPTIONS_PER_CONNECTION. */
  maxSubscriptionsPerConnection: number;
}

/** What a start reads of graphql-ws's context of its socket. */
export interface OperationSocketContext {
  readonly extra: { readonly socket: WebSocket };
  /** The socket's operations, this one included (graphql-ws registers it before `onSubscribe`). */
  readonly subscriptions: Readonly<Record<string, unknown>>;
}

export interface SubscriptionStarts {
  /** graphql-ws `onSubscribe`: the arguments to subscribe with (a refusal's among them), or the document's errors. */
  onSubscribe(ctx: OperationSocketContext, id: string, payload: SubscribePayload): Promise<ExecutionArgs | GraphQLError[]>;
  /** graphql-ws `subscribe`: answers refusals, subscribes the rest, and gives the start's turn back. */
  subscribe(args: ExecutionArgs): ReturnType<typeof subscribeEvents>;
  /** graphql-ws `onNext`: the event of `args` has its result; what it built for Graph is let go. */
  settled(args: ExecutionArgs): void;
}

/** Longest pause in reading from a socket after a start refused for the caller's quota. */
const REFUSED_PAUSE_MS = 1_000;

/** What graphql-ws resolves a refused operation against: any valid operation does, it is never executed. */
const REFUSED = parse('subscription Refused { __typename }');

export function createSubscriptionStarts({
  admission,
  documentOf,
  maxSubscriptionsPerConnection,
  ...startOptions
}: SubscriptionStartsOptions): SubscriptionStarts {
  const refusals = createRefusals(startOptions.schema);
  const start = createSubscriptionStart(startOptions);
  /** The turn each start holds, by the arguments graphql-ws will subscribe with. */
  const leaving = new WeakMap<ExecutionArgs, () => void>();

  return {
    async onSubscribe(ctx, id, payload) {
      const { socket } = ctx.extra;
      const refusedSocket = admission.refusalOf(socket);
      if (refusedSocket) return refusals.refuse(refusedSocket);
      const admitted = admission.admitted(socket);
      if (!admitted)
        return refusals.refuse(new GraphQLError('The connection is not admitted.', { extensions: { code: 'UNAUTHENTICATED' } }));
      // graphql-ws registers the operation before this hook: it counts itself.
      if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerConnection) {
        return refusals.refuse(
          new GraphQLError(
            `This connection already runs ${maxSubscriptionsPerConnection} operations, the most MAX_SUBSCRIPTIONS_PER_CONNECTION allows; complete one, or open another connection.`,
            { extensions: { code: 'ACTION_NOT_ALLOWED' } },
          ),
        );
      }
      const refused = admitted.refusal();
      if (refused) return refusals.refuse(refused);
      const chosen = chooseSubscription(documentOf, payload.query, payload.operationName, 'WebSocket');
      if (Array.isArray(chosen)) return chosen;
      if (chosen instanceof GraphQLError) return refusals.refuse(chosen);
      shareQueryText(payload, chosen.text);
      const outcome = await start({
        transport: 'websocket',
        admitted,
        connection: admitted.connection,
        document: chosen.document,
        operationName: chosen.operationName,
        variables: payload.variables,
        // Completed by its client while it waited: nothing to set up (graphql-ws sends nothing for it either).
        stillWanted: () => id in ctx.subscriptions,
      });
      if (!outcome.ok) {
        if (outcome.retryAfterMs !== undefined) pauseReading(socket, outcome.retryAfterMs);
        return refusals.refuse(outcome.error);
      }
      // graphql-ws calls `subscribe` with whatever this hook returns; the turn is given back there.
      leaving.set(outcome.args, outcome.leave);
      return outcome.args;
    },
    // A start's turn of the gate ends once its stream is set up (the access check and baseline read included), or refused.
    async subscribe(args) {
      try {
        return refusals.answer(args) ?? (await subscribeEvents(args));
      } finally {
        leaving.get(args)?.();
        leaving.delete(args);
        settled(args);
      }
    },
    settled,
  };
}

/**
 * graphql-ws keeps each subscribe message for the subscription's life (its hooks get the payload): its query becomes
 * the document cache's copy of the same text, so the subscribers of one document keep one copy of it instead of one
 * each (a few hundred bytes to kilobytes apiece). Nothing else changes: the text is equal.
 */
function shareQueryText(payload: SubscribePayload, text: string): void {
  if (payload.query === text) (payload as { query: string }).query = text;
}

interface Refusals {
  /** Arguments graphql-ws will subscribe with, answered by {@link answer} with `error` as the one result. */
  refuse(error: GraphQLError): ExecutionArgs;
  /** The result of refused arguments; undefined for any others. */
  answer(args: ExecutionArgs): ExecutionResult | undefined;
}

function createRefusals(schema: GraphQLSchema): Refusals {
  const refusals = new WeakMap<ExecutionArgs, ExecutionResult>();
  return {
    refuse(error) {
      const args: ExecutionArgs = { schema, document: REFUSED };
      refusals.set(args, { errors: [error] });
      return args;
    },
    answer: (args) => refusals.get(args),
  };
}

/**
 * After a start refused for the caller's quota the socket reads nothing more for a while (at most
 * {@link REFUSED_PAUSE_MS}, never past the quota's own wait), so a client that ignores `retryAfterSeconds` is slowed
 * by TCP back-pressure instead of costing a refusal per message. Its other subscriptions keep receiving meanwhile.
 */
function pauseReading(socket: WebSocket, retryAfterMs: number): void {
  if (socket.isPaused) return;
  socket.pause();
  setTimeout(() => socket.resume(), Math.min(retryAfterMs, REFUSED_PAUSE_MS)).unref();
}
