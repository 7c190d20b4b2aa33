import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { createAuthorityHttp, type AuthorityHttp } from '../../src/auth/authority-http.js';
import { bearerToken, connectionToken, createCallerTokenValidator } from '../../src/auth/caller-token.js';
import { CallerAuthenticationError } from '../../src/auth/caller-errors.js';
import { TokenAcquisitionError } from '../../src/auth/types.js';
import { createContextFactory, executedDocument, httpContextRequest, type ContextFactory } from '../../src/context.js';
import { createGraphClient, type GraphClient } from '../../src/graph/client.js';
import { startLocalAuthority, type LocalAuthority } from './support.js';

// The context factory's admission rules with an authority of the test's own (tokens the emulator would not issue),
// and its transport helpers. App mode, so nothing here needs an on-behalf-of exchange; no Graph call is made.

let authority: LocalAuthority;
let http: AuthorityHttp;
let graph: GraphClient;
let factory: ContextFactory;

beforeAll(async () => {
  authority = await startLocalAuthority();
  http = createAuthorityHttp();
  graph = createGraphClient({
    baseUrl: 'https://127.0.0.1:9/beta',
    tokenProvider: { getGraphToken: () => Promise.reject(new TokenAcquisitionError('INTERNAL_SERVER_ERROR', 'unused')) },
  });
  const callers = createCallerTokenValidator({
    authorityHost: authority.origin,
    tenantId: authority.tenantId,
    clientId: authority.clientId,
    http,
  });
  factory = createContextFactory({ graph, callers, authMode: 'app' });
});
afterAll(async () => {
  await graph?.close();
  await http?.close();
  await authority?.close();
});

async function refusedWith(authorization: string | undefined): Promise<{ code: unknown; status: unknown }> {
  try {
    await factory({ transport: 'http', authorization });
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    const httpHead = err.extensions.http as { status?: number } | undefined;
    return { code: err.extensions.code, status: httpHead?.status };
  }
  return { code: 'admitted', status: 200 };
}

describe('admission', () => {
  it('admits users with a RestoreSessions scope and apps with a RestoreSessions app role', async () => {
    const user = await factory({
      transport: 'http',
      authorization: `Bearer ${await authority.sign({ scp: 'User.Read RestoreSessions.Read' })}`,
    });
    expect(user.caller?.kind).toBe('user');
    const app = await factory({
      transport: 'http',
      authorization: `bearer ${await authority.sign({ idtyp: 'app', scp: undefined, roles: ['RestoreSessions.Read.All'] })}`,
    });
    expect(app.caller).toMatchObject({ kind: 'app', permissions: ['RestoreSessions.Read.All'] });
    expect(app.caller?.subject).toBe(app.caller?.appId);
  });

  it('answers 403 FORBIDDEN to valid tokens that grant nothing on the API (4403 on a socket)', async () => {
    const cases = [
      await authority.sign({ scp: 'User.Read' }),
      // App roles in a user token do not count, nor scopes in an app token.
      await authority.sign({ scp: 'User.Read', roles: ['RestoreSessions.ReadWrite.All'] }),
      // Nor in a user token without scp: without idtyp and with a pairwise sub, it is no app token.
      await authority.sign({ scp: undefined, sub: 'pairwise-subject', roles: ['RestoreSessions.ReadWrite.All'] }),
      await authority.sign({ idtyp: 'user', scp: undefined, roles: ['RestoreSessions.Read.All'] }),
      await authority.sign({ idtyp: 'app', scp: undefined, roles: [] }),
    ];
    for (const token of cases) {
      expect(await refusedWith(`Bearer ${token}`)).toEqual({ code: 'FORBIDDEN', status: 403 });
      expect(await factory.authenticateConnection({ authorization: `Bearer ${token}` })).toMatchObject({ ok: false, closeCode: 4403 });
    }
  });

  it('answers 401 UNAUTHENTICATED without a token or with another scheme', async () => {
    expect(await refusedWith(undefined)).toEqual({ code: 'UNAUTHENTICATED', status: 401 });
    expect(await refusedWith('')).toEqual({ code: 'UNAUTHENTICATED', status: 401 });
    expect(await refusedWith(`Basic ${Buffer.from('a:b').toString('base64')}`)).toEqual({ code: 'UNAUTHENTICATED', status: 401 });
    expect(await refusedWith(`Bearer ${await authority.sign()} extra`)).toEqual({ code: 'UNAUTHENTICATED', status: 401 });
  });

  it('gives schema-only operations no caller and a Graph client that refuses every call', async () => {
    const context = await factory({ transport: 'http', schemaOnly: true });
    expect(context.caller).toBeNull();
    await expect(context.graph.getSession('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('transport helpers', () => {
  it('marks only _service { sdl } documents as schema-only', () => {
    const only = (query: string, where: 'body' | 'query' = 'body'): boolean | undefined =>
      httpContextRequest(
        where === 'body'
          ? { method: 'POST', url: '/graphql', headers: {}, body: { query } }
          : { method: 'GET', url: `/graphql?query=${encodeURIComponent(query)}`, headers: {} },
      ).schemaOnly;
    expect(only('{ _service { sdl } }')).toBe(true);
    expect(only('query { __typename _service { sdl } }', 'query')).toBe(true);
    expect(only('{ _service { sdl } restoreSessions { totalCount } }')).toBe(false);
    expect(only('{ ...F } fragment F on Query { _service { sdl } }')).toBe(false);
    expect(only('mutation { _service { sdl } }')).toBe(false);
    expect(only('{ _service { sdl }')).toBe(false);
    expect(httpContextRequest({ method: 'POST', url: '/graphql', headers: {}, body: [{ query: '{ _service { sdl } }' }] }).schemaOnly).toBe(
      false,
    );
  });

  it('judges the exemption on the document Apollo executes, and refuses it when the request is ambiguous', () => {
    const sdl = '{ _service { sdl } }';
    const entities = 'query($r:[_Any!]!){ _entities(representations:$r){ __typename } }';
    const q = (document: string): string => `/graphql?query=${encodeURIComponent(document)}`;
    // GET executes the URL's document: a schema-only body beside it changes nothing.
    expect(executedDocument({ method: 'GET', url: q(entities), headers: {}, body: { query: sdl } })).toBeUndefined();
    expect(httpContextRequest({ method: 'GET', url: q(entities), headers: {}, body: { query: sdl } }).schemaOnly).toBe(false);
    expect(httpContextRequest({ method: 'GET', url: q(entities), headers: {} }).schemaOnly).toBe(false);
    expect(executedDocument({ method: 'GET', url: q(sdl), headers: {}, body: {} })).toBe(sdl);
    // The same parameter twice is refused by Apollo; never exempt.
    expect(executedDocument({ method: 'GET', url: `${q(sdl)}&query=${encodeURIComponent(entities)}`, headers: {} })).toBeUndefined();
    // POST executes the body's document; a document in its URL as well is ambiguous.
    expect(executedDocument({ method: 'POST', url: '/graphql', headers: {}, body: { query: sdl } })).toBe(sdl);
    expect(executedDocument({ method: 'POST', url: q(sdl), headers: {}, body: { query: entities } })).toBeUndefined();
    expect(executedDocument({ method: 'POST', url: q(sdl), headers: {}, body: { query: sdl } })).toBeUndefined();
    // Other methods execute nothing.
    expect(executedDocument({ method: 'PUT', url: q(sdl), headers: {}, body: { query: sdl } })).toBeUndefined();
  });

  it('reads a socket token from connectionParams before the upgrade request, without its scheme', () => {
    expect(connectionToken({ authorization: 'Bearer a' }, { authorization: 'Bearer b' })).toBe('a');
    expect(connectionToken({ Authorization: 'Bearer a' })).toBe('a');
    expect(connectionToken({ token: 'Bearer a' })).toBe('a');
    expect(connectionToken({ token: 'a' })).toBe('a');
    expect(connectionToken({ authorization: 42 }, { authorization: 'Bearer b' })).toBe('b');
    const reason = (read: () => unknown): unknown => {
      try {
        return read();
      } catch (err) {
        return err instanceof CallerAuthenticationError ? err.reason : err;
      }
    };
    expect(reason(() => connectionToken(null))).toBe('missing');
    expect(reason(() => connectionToken({ token: 'Basic abc' }))).toBe('malformed');
  });

  it('strips the scheme of an Authorization header once, whatever its case, and refuses any other', () => {
    expect(bearerToken('Bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('bearer \ta.b.c ')).toBe('a.b.c');
    expect(() => bearerToken(undefined)).toThrow(CallerAuthenticationError);
    expect(() => bearerToken('Basic YTpi')).toThrow(/well-formed bearer token/);
    expect(() => bearerToken('Bearer a b')).toThrow(/well-formed bearer token/);
  });

  it('closes a socket with 1013 when the authority cannot be asked', async () => {
    const down = await startLocalAuthority();
    const token = await down.sign();
    await down.close();
    const downHttp = createAuthorityHttp({ timeoutMs: 2_000 });
    try {
      const callers = createCallerTokenValidator({
        authorityHost: down.origin,
        tenantId: down.tenantId,
        clientId: down.clientId,
        http: downHttp,
      });
      const offline = createContextFactory({ graph, callers, authMode: 'app' });
      expect(await offline.authenticateConnection({ authorization: `Bearer ${token}` })).toMatchObject({ ok: false, closeCode: 1013 });
    } finally {
      await downHttp.close();
    }
  });
});
