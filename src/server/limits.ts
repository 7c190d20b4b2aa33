import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { createHash } from 'node:crypto';
import type express from 'express';
import {
  GraphQLError,
  Kind,
  getNamedType,
  isLeafType,
  parse,
  type DocumentNode,
  type OperationDefinitionNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { isCallbackSubscriptionRequest } from './subscription-callback.js';

/**
 * What one GraphQL request may ask of the gateway, checked before any resolver runs, so no hostile or
 * careless document reaches Graph:
 *
 * - document size (MAX_QUERY_BYTES) and operations per HTTP request (MAX_BATCH_OPERATIONS; 1 turns
 *   Apollo's batched requests off), checked on the HTTP request before Apollo parses anything; and
 *   subscriptions sent as plain requests: they are served over WebSocket, SSE and multipart HTTP
 *   (http-subscriptions.ts, which answers before this middleware); Apollo's graphql-js validation throws on
 *   some of them (`@skip(if: $var)` on the root field) and its execution cannot stream them, so they are
 *   refused with a 400 before Apollo sees them;
 * - lexical tokens (MAX_QUERY_TOKENS), by graphql-js's own parser limit;
 * - depth (MAX_QUERY_DEPTH), aliases (MAX_QUERY_ALIASES) and directives, by graphql-armor's validation
 *   rules (in production, "Did you mean …?" hints are dropped by the error formatting, format-error.ts, which
 *   both transports share and which sees them all, enum values coerced at execution included);
 * - cost (MAX_QUERY_COST) by graphql-query-complexity, with the variables of the request: every object
 *   field costs 1, a connection multiplies what it contains by its `first` (the argument's schema default when left
 *   out: 20 for most lists, 50 for a browse session's `items`, Graph's own page there),
 *   `restorePoints` by its five, `searchRestorePoints` and `_entities` by the ids they are given, so
 *   nested connections multiply as their Graph calls do;
 * - automatic persisted queries (Apollo Server's built-in APQ) in a bounded LRU cache (APQ_CACHE_MB); a hash
 *   that does not match the document sent with it, or a version other than 1, is refused here as BAD_REQUEST,
 *   because Apollo's own refusals carry no code and would be masked as internal errors.
 *
 * `first` stays bounded (1 to 100) by the resolvers, which check it before any Graph call.
 */

/** Armor's default: more directives than this in one document is an attack, not a query. */
const MAX_DIRECTIVES = 50;
/** What a connection returns when `first` is left out (the resolvers' default page size). */
const DEFAULT_PAGE = 20;
/** Graph answers at most five restore points per protection unit. */
const RESTORE_POINTS_PER_LOOKUP = 5;
/** How long a persisted query stays registered without use. */
const APQ_TTL_SECONDS = 24 * 60 * 60;

/** The limits; the configuration (config.ts) reads them from the environment. */
export interface RequestLimitsOptions {
  /** Selection depth (MAX_QUERY_DEPTH). */
  maxDepth: number;
  /** Cost, where connection sizes (`first`) multiply what they contain (MAX_QUERY_COST). */
  maxCost: number;
  /** Aliases in one document (MAX_QUERY_ALIASES). */
  maxAliases: number;
  /** Lexical tokens in one document (MAX_QUERY_TOKENS). */
  maxTokens: number;
  /** Bytes of one document (MAX_QUERY_BYTES). */
  maxDocumentBytes: number;
  /** Operations in one HTTP request; 1 turns batched requests off (MAX_BATCH_OPERATIONS). */
  maxOperationsPerBatch: number;
  /** Size of the automatic persisted query cache in MiB; 0 turns APQ off (APQ_CACHE_MB). */
  apqCacheMb: number;
}

export interface RequestLimits<Ctx extends BaseContext> {
  /** Apollo Server options: parse limits, validation rules, APQ, batching. */
  apolloOptions: Pick<ApolloServerOptions<Ctx>, 'parseOptions' | 'validationRules' | 'persistedQueries' | 'allowBatchedHttpRequests'>;
  /** Depth, alias and directive rules alone (also part of `apolloOptions.validationRules`). */
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  /** Cost limit. */
  plugins: ApolloServerPlugin<Ctx>[];
  /** Mount after the JSON body parser and before Apollo: document size, operations per request, persisted-query mistakes. */
  httpMiddleware: express.RequestHandler;
}

export function createRequestLimits<Ctx extends BaseContext>(limits: RequestLimitsOptions): RequestLimits<Ctx> {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: MAX_DIRECTIVES },
    // Tokens are counted by graphql-js itself (parseOptions); cost needs connection multipliers armor does not know.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    // Armor's mask sees field suggestions over HTTP only, and leaves "[Suggestion hidden]?" behind; the error
    // formatting drops every suggestion on both transports when introspection is off.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const parseOptions: ParseOptions = { maxTokens: limits.maxTokens };
  const plugins: ApolloServerPlugin<Ctx>[] = [...(armor.plugins as ApolloServerPlugin<Ctx>[]), costLimitPlugin<Ctx>(limits.maxCost)];
  return {
    apolloOptions: {
      parseOptions,
      validationRules: armor.validationRules,
      persistedQueries:
        limits.apqCacheMb > 0
          ? { cache: new InMemoryLRUCache<string>({ maxSize: limits.apqCacheMb * 1024 * 1024 }), ttl: APQ_TTL_SECONDS }
          : false,
      allowBatchedHttpRequests: limits.maxOperationsPerBatch > 1,
    },
    validationRules: armor.validationRules,
    parseOptions,
    plugins,
    httpMiddleware: httpLimits(limits),
  };
}

/** The cost of a field: connections and lists multiply their contents; leaves are free. */
export const connectionCostEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (isLeafType(getNamedType(field.type))) return 0;
  if (field.args.some((a) => a.name === 'first')) {
    const first = typeof args.first === 'number' && Number.isFinite(args.first) ? Math.max(1, Math.floor(args.first)) : DEFAULT_PAGE;
    return 1 + first * childComplexity;
  }
  if (field.name === 'restorePoints') return 1 + RESTORE_POINTS_PER_LOOKUP * childComplexity;
  if (field.name === 'searchRestorePoints') {
    const ids = (args.input as { protectionUnitIds?: unknown } | undefined)?.protectionUnitIds;
    return 1 + Math.max(1, Array.isArray(ids) ? ids.length : 1) * childComplexity;
  }
  if (field.name === '_entities') {
    const representations = args.representations;
    return 1 + Math.max(1, Array.isArray(representations) ? representations.length : 1) * childComplexity;
  }
  return 1 + childComplexity;
};

/** Refuses operations costlier than `maxCost` before they run (HTTP 400, like any invalid document). */
export function costLimitPlugin<Ctx extends BaseContext>(maxCost: number): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          const refusal = costRefusal({ schema, document, variables: request.variables, operationName }, maxCost);
          if (refusal) throw new GraphQLError(refusal.message, { extensions: { ...refusal.extensions, http: { status: 400 } } });
        },
      };
    },
  };
}

/**
 * The cost limit's refusal of one operation, or undefined when it may run. Transports that run graphql-js themselves
 * use it too: over WebSocket a subscription's cost is that of one event's selection, since each event resolves it once.
 */
export function costRefusal(
  input: {
    schema: GraphQLSchema;
    document: DocumentNode;
    variables: Record<string, unknown> | null | undefined;
    operationName: string | null | undefined;
  },
  maxCost: number,
): GraphQLError | undefined {
  let cost: number;
  try {
    cost = getComplexity({
      schema: input.schema,
      query: input.document,
      variables: input.variables ?? {},
      // An empty name names no operation: graphql-query-complexity would then cost none.
      operationName: input.operationName || undefined,
      estimators: [connectionCostEstimator],
    });
  } catch (err) {
    // Too many nodes to even count, or variables that do not fit: not worth running either.
    return costError(err instanceof GraphQLError ? err.message : 'The operation could not be costed.');
  }
  if (cost <= maxCost) return undefined;
  return costError(
    `The operation's cost ${cost} exceeds the limit of ${maxCost}: connection sizes multiply what they contain. Ask for fewer items (smaller \`first\`) or split the operation.`,
  );
}

function costError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
}

/** Document size, operations per request and persisted-query hashes, before Apollo parses anything. */
function httpLimits(limits: RequestLimitsOptions): express.RequestHandler {
  const refuse = (res: express.Response, status: number, message: string): void => {
    res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
  };
  return (req, res, next) => {
    const body: unknown = req.body;
    const selected = (operation: unknown): { query?: unknown; operationName?: unknown } =>
      typeof operation === 'object' && operation !== null ? (operation as { query?: unknown; operationName?: unknown }) : {};
    if (Array.isArray(body)) {
      if (limits.maxOperationsPerBatch <= 1) return refuse(res, 400, 'Batched requests are not accepted: send one operation per request.');
      if (body.length > limits.maxOperationsPerBatch) {
        return refuse(
          res,
          400,
          `A batched request may hold at most ${limits.maxOperationsPerBatch} operations; this one holds ${body.length}.`,
        );
      }
    }
    const operations: unknown[] = Array.isArray(body) ? body : [body, req.query];
    for (const operation of operations) {
      const { query, operationName } = selected(operation);
      if (typeof query !== 'string') continue;
      if (Buffer.byteLength(query, 'utf8') > limits.maxDocumentBytes) {
        return refuse(res, 413, `The GraphQL document is larger than ${limits.maxDocumentBytes} bytes.`);
      }
      // A subscription over plain HTTP runs only as Apollo Router's callback mode, once subscription-callback.ts admitted it.
      if (!isCallbackSubscriptionRequest(req) && isSubscription(query, operationName, limits.maxTokens)) {
        return refuse(
          res,
          400,
          'Subscriptions are served on this same URL over WebSocket (graphql-transport-ws), Server-Sent Events (Accept: text/event-stream) or multipart HTTP (Accept: multipart/mixed;subscriptionSpec=1.0).',
        );
      }
    }
    if (limits.apqCacheMb > 0) {
      // Apollo reads a GET's operation from the URL only, and a POST's from the body only.
      const fromUrl = req.method === 'GET' && !Array.isArray(body);
      const sent: unknown[] = Array.isArray(body) ? body : [fromUrl ? req.query : body];
      for (const [i, operation] of sent.entries()) {
        const refusal = persistedQueryRefusal(operation, fromUrl);
        if (refusal) return refuse(res, 400, Array.isArray(body) ? `${refusal} (Operation ${i + 1} of the batch.)` : refusal);
      }
    }
    next();
  };
}

/**
 * Apollo refuses these two persisted-query mistakes with no code, which the error formatting would mask as
 * internal errors. Anything else (no query: a lookup by hash; `extensions` that are not an object) is Apollo's to
 * answer, with codes of its own.
 */
function persistedQueryRefusal(operation: unknown, fromUrl: boolean): string | undefined {
  if (typeof operation !== 'object' || operation === null) return undefined;
  const { query, extensions } = operation as { query?: unknown; extensions?: unknown };
  let parsed: unknown = extensions;
  if (fromUrl && typeof extensions === 'string') {
    try {
      parsed = JSON.parse(extensions);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const persisted = (parsed as { persistedQuery?: unknown }).persistedQuery;
  // Apollo's own test: any truthy value asks for a persisted query.
  if (!persisted) return undefined;
  const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) return 'Only version 1 of automatic persisted queries is supported: send extensions.persistedQuery.version 1.';
  if (typeof query !== 'string') return undefined;
  if (sha256Hash === createHash('sha256').update(query, 'utf8').digest('hex')) return undefined;
  return 'The persisted query hash (extensions.persistedQuery.sha256Hash) does not match the SHA-256 of the query sent with it.';
}

/** Whether the operation a request would run is a subscription (parsed only when the word appears). */
function isSubscription(query: string, operationName: unknown, maxTokens: number): boolean {
  if (!/\bsubscription\b/.test(query)) return false;
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true, maxTokens });
  } catch {
    // Apollo reports the syntax error.
    return false;
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    typeof operationName === 'string' && operationName !== ''
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
  return operation?.operation === 'subscription';
}
