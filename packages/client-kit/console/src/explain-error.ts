import { CombinedGraphQLErrors, CombinedProtocolErrors } from '@apollo/client/errors';
import { errorCode, type GatewayErrorCode } from '@restore-session-gateway/client-kit';

/**
 * Errors as a person reads them. The console branches on the gateway's stable `extensions.code` (the kit's
 * `errorCode`), never on messages, and says what to do next; the code itself is shown too, for a support request.
 */

export interface Explanation {
  code: GatewayErrorCode | undefined;
  title: string;
  advice: string;
}

/** `extensions.retryAfterSeconds` of the first error that carries it (throttling, rate limits, an open breaker). */
export function retryAfterSeconds(error: unknown): number | undefined {
  const errors = CombinedGraphQLErrors.is(error) || CombinedProtocolErrors.is(error) ? error.errors : [];
  for (const e of errors) {
    const seconds = e.extensions?.['retryAfterSeconds'];
    if (typeof seconds === 'number') return seconds;
  }
  return undefined;
}

function tryAgain(error: unknown): string {
  const seconds = retryAfterSeconds(error);
  return seconds === undefined ? 'Try again in a minute.' : `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}

function firstMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error) && error.errors[0]) return error.errors[0].message;
  return error instanceof Error ? error.message : 'No details.';
}

const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

const EXPLAINED: Partial<Record<GatewayErrorCode, (error: unknown) => Omit<Explanation, 'code'>>> = {
  OUTCOME_UNKNOWN: () => ({
    title: 'We do not know whether this went through',
    advice: 'The answer was lost on the way. Check the restore sessions before retrying: a blind retry can start the same restore twice.',
  }),
  UPSTREAM_THROTTLED: (error) => ({ title: 'Microsoft 365 is busy and asked us to slow down', advice: tryAgain(error) }),
  RATE_LIMITED: (error) => ({ title: 'You have sent many requests in a short time', advice: tryAgain(error) }),
  UPSTREAM_UNAVAILABLE: (error) => ({
    title: 'Microsoft 365 could not be reached',
    advice: `Nothing was changed. ${tryAgain(error)}`,
  }),
  FORBIDDEN: () => ({
    title: 'You are not allowed to do this',
    advice: 'Your account can read restore sessions but not start or change them. Ask a backup administrator.',
  }),
  UNAUTHENTICATED: () => ({ title: 'Your sign-in has expired', advice: 'Sign out and sign in again.' }),
  ACTION_NOT_ALLOWED: () => ({
    title: 'This session can no longer be changed',
    advice: 'Only a draft can be activated or changed. Reload to see where it is now.',
  }),
  NOT_FOUND: () => ({ title: 'Not found', advice: 'It may have been deleted. Go back to the restore sessions.' }),
  BAD_USER_INPUT: (error) => ({ title: 'The request was not accepted', advice: firstMessage(error) }),
};

export function explainError(error: unknown): Explanation {
  const code = errorCode(error);
  const explained = code ? EXPLAINED[code]?.(error) : undefined;
  return {
    code,
    ...(explained ?? {
      title: 'Something went wrong',
      advice: `${sentence(firstMessage(error))} Try again; if it keeps failing, tell your administrator.`,
    }),
  };
}
