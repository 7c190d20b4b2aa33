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
const PUBLIC_EXTENSIONS = new Set(['code', 'graph', 'field', 'argument', 'retryAfterSeconds', 'correlationId', 'http']);

export type ErrorLogger = (correlationId: string, error: unknown) => void;

export function createFormatError(log: ErrorLogger): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
    if (code && PUBLIC_CODES.has(code)) {
      const extensions: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(formatted.extensions ?? {})) if (PUBLIC_EXTENSIONS.has(k) && k !== 'http') extensions[k] = v;
      return { ...formatted, extensions };
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
