import { ApolloClient, CombinedGraphQLErrors, gql, HttpLink, ServerError } from '@apollo/client';
import { CombinedProtocolErrors, UnconventionalError } from '@apollo/client/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { useTestGateway } from '../../../test/gateway/harness.js';
import { createExampleClient, type ExampleClient } from '../example/client.js';
import { followRestore } from '../example/restore-flow.js';
import { createGatewayCache, errorCode, errorCodes, gatewayErrorCodes, isGatewayErrorCode } from '../src/index.js';

// `errorCode` reads the gateway's extensions.code from the errors Apollo Client 4 really produces against the gateway.

const gw = useTestGateway();
const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function client(authorization?: string): ApolloClient {
  const c = new ApolloClient({
    link: new HttpLink({ uri: gw.url, headers: authorization ? { authorization } : {} }),
    cache: createGatewayCache(),
  });
  stops.push(() => c.stop());
  return c;
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    (result) => {
      throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
    },
    (error: unknown) => error,
  );
}

describe('errorCode', () => {
  it('reads a resolver error (CombinedGraphQLErrors)', async () => {
    const c = client(await gw.authorization('admin'));
    const error = await failure(() =>
      c.mutate({
        mutation: gql`
          mutation ($id: ID!) {
            activateRestoreSession(id: $id) {
              restoreSession {
                id
                status
              }
            }
          }
        `,
        variables: { id: SEED_SESSION_IDS.completed },
      }),
    );
    expect(CombinedGraphQLErrors.is(error)).toBe(true);
    expect(errorCode(error)).toBe('ACTION_NOT_ALLOWED');
  });

  it('reads a document the gateway refuses with HTTP 400', async () => {
    const c = client(await gw.authorization('admin'));
    const error = await failure(() => c.query({ query: gql('{ restoreSessions { nodes { noSuchField } } }') }));
    expect(errorCode(error)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('reads a request without a token (HTTP 401)', async () => {
    const error = await failure(() => client().query({ query: gql('{ restoreSessions { totalCount } }') }));
    expect(errorCode(error)).toBe('UNAUTHENTICATED');
  });

  it('reads a refused WebSocket subscription', async () => {
    const kit: ExampleClient = createExampleClient({ url: gw.url, token: 'not-a-jwt', transport: 'ws' });
    stops.push(() => kit.close());
    const error = await failure(() => followRestore(kit.client, SEED_SESSION_IDS.active));
    expect(errorCode(error)).toBe('UNAUTHENTICATED');
  });

  it('reads protocol errors, a non-2xx body, a close code and wrapped values, and skips unknown codes', () => {
    const protocol = new CombinedProtocolErrors([{ message: 'm', extensions: { code: 'RATE_LIMITED' } }]);
    expect(errorCode(protocol)).toBe('RATE_LIMITED');
    const bodyText = JSON.stringify({ errors: [{ message: 'm', extensions: { code: 'BAD_REQUEST' } }] });
    const server = new ServerError('Response not successful', { response: new Response(bodyText, { status: 413 }), bodyText });
    expect(errorCode(server)).toBe('BAD_REQUEST');
    expect(errorCode(new Error('Socket closed with event 4403 Forbidden'))).toBe('FORBIDDEN');
    expect(errorCode({ code: 4401, reason: 'expired' })).toBe('UNAUTHENTICATED');
    expect(errorCode(new UnconventionalError({ code: 4401, reason: '' }))).toBe('UNAUTHENTICATED');
    const mixed = new CombinedGraphQLErrors({
      errors: [
        { message: 'a', extensions: { code: 'SOMETHING_NEW' } },
        { message: 'b', extensions: { code: 'NOT_FOUND' } },
        { message: 'c', extensions: { code: 'NOT_FOUND' } },
        { message: 'd', extensions: { code: 'UPSTREAM_THROTTLED' } },
      ],
    });
    expect(errorCodes(mixed)).toEqual(['NOT_FOUND', 'UPSTREAM_THROTTLED']);
    expect(errorCode(new Error('fetch failed'))).toBeUndefined();
    expect(errorCode(undefined)).toBeUndefined();
  });

  it('knows every code of the schema', () => {
    expect(gatewayErrorCodes).toEqual(expect.arrayContaining(['UNAUTHENTICATED', 'OUTCOME_UNKNOWN', 'PERSISTED_QUERY_NOT_FOUND']));
    expect(gatewayErrorCodes.every(isGatewayErrorCode)).toBe(true);
    expect(isGatewayErrorCode('unauthenticated')).toBe(false);
  });
});
