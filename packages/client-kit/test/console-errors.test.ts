import { CombinedGraphQLErrors, CombinedProtocolErrors } from '@apollo/client/errors';
import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { explainError, retryAfterSeconds } from '../console/src/explain-error.js';

// How the restore console words the gateway's errors. The browser suite (console.process.test.ts) shows FORBIDDEN on a
// real page; these are the other codes a restore screen must word, from errors shaped as the gateway sends them.

const graphQLErrors = (...errors: GraphQLFormattedError[]) => new CombinedGraphQLErrors({ data: null, errors });

describe("the restore console's error explanations", () => {
  it('tells a throttled caller when to try again, from extensions.retryAfterSeconds', () => {
    const throttled = graphQLErrors({ message: 'Graph throttled', extensions: { code: 'UPSTREAM_THROTTLED', retryAfterSeconds: 7 } });
    expect(retryAfterSeconds(throttled)).toBe(7);
    expect(explainError(throttled)).toEqual({
      code: 'UPSTREAM_THROTTLED',
      title: 'Microsoft 365 is busy and asked us to slow down',
      advice: 'Try again in 7 seconds.',
    });
    const once = new CombinedProtocolErrors([{ message: 'slow down', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } }]);
    expect(explainError(once).advice).toBe('Try again in 1 second.');
  });

  it('says "in a minute" when the gateway gives no time', () => {
    expect(explainError(graphQLErrors({ message: 'm', extensions: { code: 'UPSTREAM_THROTTLED' } })).advice).toBe('Try again in a minute.');
  });

  it('warns against a blind retry when the outcome of a write is unknown', () => {
    const lost = explainError(graphQLErrors({ message: 'm', extensions: { code: 'OUTCOME_UNKNOWN' } }));
    expect(lost.code).toBe('OUTCOME_UNKNOWN');
    expect(lost.advice).toMatch(/^The answer was lost on the way\. Check the restore sessions before retrying/);
  });

  it('tells a reader why a write was refused', () => {
    expect(explainError(graphQLErrors({ message: 'm', extensions: { code: 'FORBIDDEN' } }))).toMatchObject({
      code: 'FORBIDDEN',
      title: 'You are not allowed to do this',
    });
  });

  it("passes the gateway's message on for input it refused, and words anything else as an unexpected failure", () => {
    const refused = graphQLErrors({ message: 'restorePointId must not be empty', extensions: { code: 'BAD_USER_INPUT' } });
    expect(explainError(refused).advice).toBe('restorePointId must not be empty');
    const network = explainError(new TypeError('Failed to fetch'));
    expect(network).toEqual({
      code: undefined,
      title: 'Something went wrong',
      advice: 'Failed to fetch. Try again; if it keeps failing, tell your administrator.',
    });
  });
});
