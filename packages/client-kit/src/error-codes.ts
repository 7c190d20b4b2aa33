import { CombinedGraphQLErrors, CombinedProtocolErrors, ServerError, UnconventionalError } from '@apollo/client/errors';
import type { GraphQLFormattedError } from 'graphql';
import { gatewayErrorCodes, type GatewayErrorCode } from './generated/schema-facts.js';

/**
 * The gateway's `extensions.code` out of whatever Apollo Client 4 hands an application as an error. Branch on these,
 * never on messages: the codes are the gateway's stable contract (docs/errors.md), the messages are not.
 */

const KNOWN: ReadonlySet<string> = new Set(gatewayErrorCodes);

export function isGatewayErrorCode(value: unknown): value is GatewayErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}

// How the gateway closes a WebSocket it refuses. It first sends each subscription a result with the code, which
// reaches clients through any gateway in between; the close code is what is left when only the close arrives.
const CLOSE_CODES: Readonly<Record<number, GatewayErrorCode>> = { 4401: 'UNAUTHENTICATED', 4403: 'FORBIDDEN' };

function errorsInBody(bodyText: string): readonly GraphQLFormattedError[] {
  try {
    const body: unknown = JSON.parse(bodyText);
    const errors = typeof body === 'object' && body !== null && 'errors' in body ? body.errors : undefined;
    return Array.isArray(errors) ? (errors as GraphQLFormattedError[]) : [];
  } catch {
    return [];
  }
}

/** The GraphQL errors an Apollo Client error carries: execution and validation errors, multipart protocol errors, or a non-2xx body. */
function formattedErrors(error: unknown): readonly GraphQLFormattedError[] {
  if (CombinedGraphQLErrors.is(error) || CombinedProtocolErrors.is(error)) return error.errors;
  // A 4xx the HttpLink could not read as a GraphQL response (a body sent as `application/json`) still holds the errors.
  if (ServerError.is(error)) return errorsInBody(error.bodyText);
  return [];
}

function closeCode(error: unknown): number | undefined {
  // GraphQLWsLink reports a close as `Socket closed with event <code> <reason>`; graphql-ws's own client as the event.
  if (error instanceof Error) {
    const match = /^Socket closed with event (\d{4})\b/.exec(error.message);
    return match ? Number(match[1]) : undefined;
  }
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number') return error.code;
  return undefined;
}

/** Every distinct gateway error code in `error`, in the order its errors list them. */
export function errorCodes(error: unknown): GatewayErrorCode[] {
  if (UnconventionalError.is(error)) return errorCodes(error.cause);
  const codes = formattedErrors(error)
    .map((e) => e.extensions?.['code'])
    .filter(isGatewayErrorCode);
  const fromClose = CLOSE_CODES[closeCode(error) ?? 0];
  if (fromClose) codes.push(fromClose);
  return [...new Set(codes)];
}

/**
 * The gateway error code of `error` (the first, when several errors carry one), or undefined when it carries none: a
 * network failure, a bug, or a code this version of the kit does not know (regenerate it from a newer schema).
 */
export function errorCode(error: unknown): GatewayErrorCode | undefined {
  return errorCodes(error)[0];
}
