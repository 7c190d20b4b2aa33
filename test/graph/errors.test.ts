import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { TokenAcquisitionError } from '../../src/auth/types.js';
import { GraphInputError, GraphProtocolError, GraphRequestError, GraphTransportError } from '../../src/graph/errors.js';
import { gatewayCodeFor, scrubMessage, toGraphQLError } from '../../src/graphql-errors.js';
import { graphRequestError } from '../../src/graph/http.js';

describe('gatewayCodeFor', () => {
  it.each([
    [400, 'InvalidRestoreSessionId', 'BAD_USER_INPUT'],
    [400, 'InvalidRestorePoint', 'BAD_USER_INPUT'],
    [413, 'RestoreArtifactsLimitBreached', 'BAD_USER_INPUT'],
    [401, 'InvalidAuthenticationToken', 'UNAUTHENTICATED'],
    [403, 'Forbidden', 'FORBIDDEN'],
    [403, 'accessDenied', 'FORBIDDEN'],
    [403, 'RestoreSessionActionNotAllowed', 'ACTION_NOT_ALLOWED'],
    [403, 'InvalidStateForBulkRequestDeletion', 'ACTION_NOT_ALLOWED'],
    [404, 'RestoreSessionNotFound', 'NOT_FOUND'],
    [404, 'BulkRestoreArtifactsNotFound', 'NOT_FOUND'],
    [409, 'Conflict', 'ACTION_NOT_ALLOWED'],
    [429, 'TooManyRequests', 'UPSTREAM_THROTTLED'],
    [500, 'TooManyActiveRestoreSessions', 'ACTION_NOT_ALLOWED'],
    [500, 'IncompleteArtifactDeletion', 'UPSTREAM_UNAVAILABLE'],
    [503, 'ServiceUnavailable', 'UPSTREAM_UNAVAILABLE'],
    [504, 'GatewayTimeout', 'UPSTREAM_UNAVAILABLE'],
    [405, 'MethodNotAllowed', 'INTERNAL_SERVER_ERROR'],
  ])('%i %s → %s', (status, code, expected) => {
    expect(gatewayCodeFor(status, code)).toBe(expected);
  });
});

describe('toGraphQLError', () => {
  it("carries extensions.graph and Graph's (scrubbed) message for client errors", () => {
    const err = graphRequestError(
      403,
      { 'request-id': 'req-1' },
      {
        error: {
          code: 'RestoreSessionActionNotAllowed',
          message: 'Session is not in draft. See https://graph.microsoft.com/beta/solutions/x for details.',
          innerError: { 'request-id': 'inner', 'client-request-id': 'ignored' },
        },
      },
      'client-1',
    );
    const gql = toGraphQLError(err);
    expect(gql).toBeInstanceOf(GraphQLError);
    expect(gql.message).toBe('Session is not in draft. See <url> for details.');
    expect(gql.extensions).toEqual({
      code: 'ACTION_NOT_ALLOWED',
      graph: { status: 403, code: 'RestoreSessionActionNotAllowed', requestId: 'req-1', clientRequestId: 'client-1' },
    });
  });

  it('reads the request id from innerError and Retry-After from the headers', () => {
    const err = graphRequestError(
      429,
      { 'retry-after': '2.5' },
      { error: { code: 'TooManyRequests', message: 'Please retry again later.', innerError: { 'request-id': 'r-9' } } },
      'c',
    );
    expect(err).toMatchObject({ status: 429, code: 'TooManyRequests', requestId: 'r-9', retryAfterMs: 2500 });
    expect(toGraphQLError(err).message).toBe('Microsoft Graph is throttling requests; try again in 3 s.');
  });

  it('hides Graph internals for 5xx, and everything for unknown errors', () => {
    const err = new GraphRequestError({ status: 500, code: 'InternalServerError', message: 'NullReferenceException at Foo.Bar()' });
    expect(toGraphQLError(err).message).toBe('Microsoft Graph is unavailable; try again later.');
    const unknown = toGraphQLError(new Error('database password is hunter2'));
    expect(unknown.message).toBe('Internal server error.');
    expect(unknown.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it("maps the gateway's own failures", () => {
    expect(toGraphQLError(new GraphInputError('first', "'first' must be…")).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'first',
    });
    expect(toGraphQLError(new GraphTransportError('timeout', false, 'c')).extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(toGraphQLError(new GraphProtocolError('bad')).extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    const token = toGraphQLError(
      new TokenAcquisitionError('UPSTREAM_UNAVAILABLE', 'The token authority could not be reached; try again later.'),
    );
    expect(token.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    const passthrough = new GraphQLError('x', { extensions: { code: 'FORBIDDEN' } });
    expect(toGraphQLError(passthrough)).toBe(passthrough);
  });

  it("survives a body that is not Graph's envelope", () => {
    const err = graphRequestError(502, {}, undefined, 'c');
    expect(err).toMatchObject({ status: 502, code: 'HttpStatus502', clientRequestId: 'c' });
  });
});

describe('scrubMessage', () => {
  it('removes URLs, tokens and control characters, and bounds the length', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    expect(scrubMessage(`token ${jwt} rejected`)).toBe('token <token> rejected');
    expect(scrubMessage('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer <redacted>');
    expect(scrubMessage('see https://login.microsoftonline.com/t/oauth2?x=1\nnow')).toBe('see <url> now');
    expect(scrubMessage('x'.repeat(2000))).toHaveLength(501);
  });
});
