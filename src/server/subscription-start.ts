import { randomUUID } from 'node:crypto';
import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import type { AuthenticatedCaller, ContextTransport, CreateContext, GatewayContext } from '../context.js';
import { toGraphQLError } from '../graphql-errors.js';
import { callerQuotaKey, type CallerQuota } from '../resilience/caller-quota.js';
import type { LiveConnection } from '../subscriptions/live-context.js';
import { rateLimitedError } from './caller-rate-limit.js';
import type { DocumentOf } from './document-cache.js';
import { costRefusal } from './limits.js';
import { createStartGate } from './start-gate.js';

/**
 * The start of one subscription, whatever carries it (WebSocket, SSE, multipart HTTP): which operation a request runs,
 * and the checks every start passes before anything reaches Graph. One budget per caller on every transport:
 *
 * - the caller's quota is asked first (the cheapest check, and the one a flooding caller meets), then the cost limit
 *   applies to one event's selection, then the start spends one call of the quota;
 * - a caller's starts take turns, a few at a time (start-gate.ts), until the stream is set up;
 * - each start gets its own context (its own operation scope), built with the caller's token.
 *
 * A refusal comes back as the GraphQL error the subscription's one result carries, with `extensions.code`: supergraph
 * runtimes pass such a result on, where they mask transport errors and drop close codes.
 */

export interface SubscriptionStartOptions {
  schema: GraphQLSchema;
  /** Builds each operation's context, with the caller's token. */
  context: CreateContext;
  /** MAX_QUERY_COST, for one event's selection. */
  maxCost: number;
  /** The caller quota of HTTP; undefined when per-caller limits are off. */
  quota: CallerQuota | undefined;
}

/** One subscription a transport wants started. */
export interface StartRequest {
  transport: ContextTransport;
  /** The admitted caller and its token. */
  admitted: AuthenticatedCaller;
  /** What the stream runs on: a subscriber that falls behind is dropped by closing it. */
  connection: LiveConnection;
  document: DocumentNode;
  operationName: string | undefined;
  variables: Readonly<Record<string, unknown>> | null | undefined;
  /** Whether the client still wants it once its turn comes (a WebSocket client may complete it meanwhile). */
  stillWanted?: () => boolean;
}

export type StartOutcome =
  | {
      ok: true;
      args: ExecutionArgs;
      /** Gives the caller's turn back: call once the stream is set up (or failed to be). */
      leave: () => void;
    }
  | {
      ok: false;
      error: GraphQLError;
      /** Set when the caller's quota refused it: how long until it would not. */
      retryAfterMs?: number;
    };

export type StartSubscription = (request: StartRequest) => Promise<StartOutcome>;

/** Subscription starts one caller may have in progress at once on this instance (start-gate.ts). */
const MAX_STARTS_PER_CALLER = 4;

export function createSubscriptionStart({ schema, context, maxCost, quota }: SubscriptionStartOptions): StartSubscription {
  const starts = createStartGate(MAX_STARTS_PER_CALLER);
  const rateLimited = (retryAfterMs: number): StartOutcome => ({
    ok: false,
    error: rateLimitedError(retryAfterMs, { http: false }),
    retryAfterMs,
  });
  return async (request) => {
    const { document, operationName, admitted } = request;
    const quotaKey = callerQuotaKey(admitted.caller);
    if (quota) {
      const answer = await quota.check(quotaKey);
      if (!answer.ok) return rateLimited(answer.retryAfterMs);
    }
    const tooCostly = costRefusal({ schema, document, variables: request.variables ?? undefined, operationName }, maxCost);
    if (tooCostly) return { ok: false, error: tooCostly };
    if (quota) {
      const answer = await quota.consume(quotaKey);
      if (!answer.ok) return rateLimited(answer.retryAfterMs);
    }
    const leave = await starts.enter(quotaKey);
    try {
      if (request.stillWanted && !request.stillWanted())
        throw new GraphQLError('The subscription was completed before it started.', { extensions: { code: 'BAD_REQUEST' } });
      const contextValue = await context({
        transport: request.transport,
        token: admitted.token,
        connection: request.connection,
        requestId: operationRequestId(),
      });
      // rootValue too, which graphql-ws would otherwise add later, growing the object for the subscription's life.
      const variableValues = request.variables ?? undefined;
      return { ok: true, args: { schema, document, contextValue, rootValue: undefined, operationName, variableValues }, leave };
    } catch (err) {
      leave();
      return { ok: false, error: err instanceof GraphQLError ? err : toGraphQLError(err) };
    }
  };
}

/**
 * The start, or one event, is over: the operation scope, Graph client view and loaders it built are let go
 * (`GatewayContext.beginEvent`), so a subscription waiting for its next event holds none of them; the next event builds
 * its own. Every transport executes a subscription's events one after the other, each result sent before the next is pulled.
 */
export function settled(args: ExecutionArgs): void {
  const context = args.contextValue as Partial<Pick<GatewayContext, 'beginEvent'>> | undefined;
  context?.beginEvent?.();
}

/** A valid subscription operation of a document. */
export interface ChosenSubscription {
  document: DocumentNode;
  operationName: string | undefined;
  /** The document cache's copy of the query text (one string for all who send it). */
  text: string;
}

/**
 * The subscription a request runs, or why not: the document's own errors (it does not parse or validate), or a refusal
 * when the operation cannot be chosen or is not a subscription (`transportName` says where it was sent).
 */
export function chooseSubscription(
  documentOf: DocumentOf,
  query: string,
  operationName: string | null | undefined,
  transportName: string,
): ChosenSubscription | GraphQLError | GraphQLError[] {
  const parsed = documentOf(query);
  if (Array.isArray(parsed)) return parsed;
  const { document } = parsed;
  const name = operationName ?? undefined;
  const operation = getOperationAST(document, name);
  if (!operation) return operationResolutionError(document, name);
  if (operation.operation !== 'subscription') {
    return new GraphQLError(
      `Over ${transportName} this gateway runs subscriptions only; send ${operation.operation === 'mutation' ? 'mutations' : 'queries'} as HTTP requests to /graphql.`,
      { extensions: { code: 'BAD_REQUEST' } },
    );
  }
  return { document, operationName: name, text: parsed.text };
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

/**
 * A request id for one operation, as the context factory would make it (`randomUUID`), but as one flat string: Node
 * builds a UUID from twenty pieces, and a subscription keeps its id for its whole life (a few hundred bytes instead of
 * about ninety).
 */
function operationRequestId(): string {
  return randomUUID().split('-').join('-');
}
