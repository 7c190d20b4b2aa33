import { randomUUID } from 'node:crypto';
import {
  getOperationAST,
  GraphQLError,
  parse,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { CreateContext, GatewayContext } from '../context.js';
import { toGraphQLError } from '../graphql-errors.js';
import { callerQuotaKey, type CallerQuota } from '../resilience/caller-quota.js';
import { rateLimitedError } from './caller-rate-limit.js';
import type { DocumentOf } from './document-cache.js';
import { costRefusal } from './limits.js';
import { createStartGate } from './start-gate.js';
import { subscribeEvents } from './websocket-events.js';
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

export interface SubscriptionStartsOptions {
  schema: GraphQLSchema;
  /** Builds each operation's context, with the socket's token. */
  context: CreateContext;
  admission: Pick<ConnectionAdmission, 'admitted'>;
  documentOf: DocumentOf;
  /** MAX_SUBSCRIPTIONS_PER_CONNECTION. */
  maxSubscriptionsPerConnection: number;
  /** MAX_QUERY_COST, for one event's selection. */
  maxCost: number;
  /** The caller quota of HTTP; undefined when per-caller limits are off. */
  quota: CallerQuota | undefined;
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

/** Subscription starts one caller may have in progress at once on this instance (start-gate.ts). */
const MAX_STARTS_PER_CALLER = 4;

/** Longest pause in reading from a socket after a start refused for the caller's quota. */
const REFUSED_PAUSE_MS = 1_000;

/** What graphql-ws resolves a refused operation against: any valid operation does, it is never executed. */
const REFUSED = parse('subscription Refused { __typename }');

export function createSubscriptionStarts({
  schema,
  context,
  admission,
  documentOf,
  maxSubscriptionsPerConnection,
  maxCost,
  quota,
}: SubscriptionStartsOptions): SubscriptionStarts {
  const refusals = createRefusals(schema);
  const starts = createStartGate(MAX_STARTS_PER_CALLER);
  /** The turn each start holds, by the arguments graphql-ws will subscribe with. */
  const leaving = new WeakMap<ExecutionArgs, () => void>();
  const rateLimited = (socket: WebSocket, retryAfterMs: number): ExecutionArgs => {
    pauseReading(socket, retryAfterMs);
    return refusals.refuse(rateLimitedError(retryAfterMs, { http: false }));
  };

  return {
    async onSubscribe(ctx, id, payload) {
      const { socket } = ctx.extra;
      const connection = admission.admitted(socket);
      if (!connection)
        return refusals.refuse(new GraphQLError('The connection is not admitted.', { extensions: { code: 'UNAUTHENTICATED' } }));
      const chosen = chooseOperation(ctx, payload, { documentOf, maxSubscriptionsPerConnection });
      if (Array.isArray(chosen)) return chosen;
      if (chosen instanceof GraphQLError) return refusals.refuse(chosen);
      const { document, operationName } = chosen;
      // The quota is asked first (the cheapest check, and the one a flooding caller meets), then the cost, then the
      // start is spent; all before the context is built, so a refused start costs no token validation and no Graph call.
      const quotaKey = callerQuotaKey(connection.caller);
      if (quota) {
        const answer = await quota.check(quotaKey);
        if (!answer.ok) return rateLimited(socket, answer.retryAfterMs);
      }
      const tooCostly = costRefusal({ schema, document, variables: payload.variables, operationName }, maxCost);
      if (tooCostly) return refusals.refuse(tooCostly);
      if (quota) {
        const answer = await quota.consume(quotaKey);
        if (!answer.ok) return rateLimited(socket, answer.retryAfterMs);
      }
      // From here the start takes one of the caller's turns until graphql-ws has subscribed: graphql-ws calls
      // `subscribe` with whatever this hook returns, and the turn is given back there.
      const leave = await starts.enter(quotaKey);
      let args: ExecutionArgs;
      try {
        // Completed by its client while it waited: nothing to set up (graphql-ws sends nothing for it either).
        if (!(id in ctx.subscriptions))
          throw new GraphQLError('The subscription was completed before it started.', { extensions: { code: 'BAD_REQUEST' } });
        const contextValue = await context({
          transport: 'websocket',
          token: connection.token,
          connection: connection.connection,
          requestId: operationRequestId(),
        });
        // rootValue too, which graphql-ws would otherwise add later, growing the object for the subscription's life.
        args = { schema, document, contextValue, rootValue: undefined, operationName, variableValues: payload.variables };
      } catch (err) {
        args = refusals.refuse(err instanceof GraphQLError ? err : toGraphQLError(err));
      }
      leaving.set(args, leave);
      return args;
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
 * The start, or one event, is over: the operation scope, Graph client view and loaders it built are let go
 * (`GatewayContext.beginEvent`), so a subscription waiting for its next event holds none of them; the next event builds
 * its own. graphql-ws executes a subscription's events one after the other, each result sent before the next is pulled.
 */
function settled(args: ExecutionArgs): void {
  const context = args.contextValue as Partial<Pick<GatewayContext, 'beginEvent'>> | undefined;
  context?.beginEvent?.();
}

/**
 * A request id for one operation, as the context factory would make it (`randomUUID`), but as one flat string: Node
 * builds a UUID from twenty pieces, and a subscription keeps its id for its whole life (a few hundred bytes instead of
 * about ninety).
 */
function operationRequestId(): string {
  return randomUUID().split('-').join('-');
}

/**
 * The operation a subscribe message runs, or why not: the document's own errors (sent as graphql-ws `error`), or a
 * refusal (sent as the subscription's one result) when the socket runs too many operations already, the operation
 * cannot be chosen, or it is not a subscription.
 */
function chooseOperation(
  ctx: OperationSocketContext,
  payload: SubscribePayload,
  options: Pick<SubscriptionStartsOptions, 'documentOf' | 'maxSubscriptionsPerConnection'>,
): { document: DocumentNode; operationName: string | undefined } | GraphQLError | GraphQLError[] {
  // graphql-ws registers the operation before this hook: it counts itself.
  if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerConnection) {
    return new GraphQLError(
      `This connection already runs ${options.maxSubscriptionsPerConnection} operations, the most MAX_SUBSCRIPTIONS_PER_CONNECTION allows; complete one, or open another connection.`,
      { extensions: { code: 'ACTION_NOT_ALLOWED' } },
    );
  }
  const parsed = options.documentOf(payload.query);
  if (Array.isArray(parsed)) return parsed;
  const { document } = parsed;
  shareQueryText(payload, parsed.text);
  const operationName = payload.operationName ?? undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) return operationResolutionError(document, operationName);
  if (operation.operation !== 'subscription') {
    return new GraphQLError(
      `Over WebSocket this gateway runs subscriptions only; send ${operation.operation === 'mutation' ? 'mutations' : 'queries'} as HTTP requests to /graphql.`,
      { extensions: { code: 'BAD_REQUEST' } },
    );
  }
  return { document, operationName };
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

/** Apollo's OPERATION_RESOLUTION_FAILURE, with its wording, for a document whose operation cannot be chosen. */
function operationResolutionError(document: DocumentNode, operationName: string | undefined): GraphQLError {
  const message =
    operationName !== undefined
      ? `Unknown operation named "${operationName.replace(/[^\x20-\x7e]/g, '?').slice(0, 100)}".`
      : document.definitions.some((d) => d.kind === 'OperationDefinition')
        ? 'Must provide operation name if query contains multiple operations.'
        : 'The document holds no operation to run.';
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
}
