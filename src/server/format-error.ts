import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';

/**
 * Codes a client may see as they are. Everything else is an internal error: masked behind a correlation id, logged
 * in full on the server. Never a URL, token or stack trace to the client.
 */
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'ACTION_NOT_ALLOWED',
  'TOO_MANY_ACTIVE_RESTORE_SESSIONS',
  'UPSTREAM_THROTTLED',
  'UPSTREAM_UNAVAILABLE',
  'RATE_LIMITED',
  'OUTCOME_UNKNOWN',
  // Apollo Server's own request-level codes.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Extension keys that may pass through with a public code. */
const PUBLIC_EXTENSIONS = new Set(['code', 'graph', 'field', 'argument', 'retryAfterSeconds', 'streamContinues', 'correlationId', 'http']);

/**
 * Every hint graphql-js 16 appends through its `didYouMean` (unknown fields, arguments, types, input fields,
 * enum values, "to use an inline fragment on"): always last in its message, names never hold a `?`.
 */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

export type ErrorLogger = (correlationId: string, error: unknown) => void;

export interface FormatErrorOptions {
  /**
   * Drop "Did you mean …?" hints: they spell the schema's names, so they must go whenever introspection is off
   * (`hideSuggestions: !introspection`). Hidden unless a caller says otherwise, so that a transport wired without
   * the option leaks nothing.
   */
  hideSuggestions?: boolean;
}

/**
 * The error formatting of every transport (Apollo's `formatError` over HTTP, the WebSocket transport's), so that
 * both answer alike: the last place every error message passes, whichever layer wrote it (validation, variable
 * coercion during execution, plugins).
 */
export function createFormatError(
  log: ErrorLogger,
  { hideSuggestions = true }: FormatErrorOptions = {},
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
    if (code && PUBLIC_CODES.has(code)) {
      const extensions: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(formatted.extensions ?? {})) if (PUBLIC_EXTENSIONS.has(k) && k !== 'http') extensions[k] = v;
      const message = hideSuggestions ? withoutSuggestions(formatted.message) : formatted.message;
      return { ...formatted, message, extensions };
    }
    const correlationId = randomUUID();
    log(correlationId, error);
    const masked: GraphQLFormattedError = {
      message: `Internal server error (correlation id ${correlationId}).`,
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
    };
    if (formatted.path) return { ...masked, path: formatted.path, ...(formatted.locations ? { locations: formatted.locations } : {}) };
    return masked;
  };
}

function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}
