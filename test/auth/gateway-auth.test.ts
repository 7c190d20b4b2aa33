import { describe, expect, it } from 'vitest';
import { isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLInputType } from 'graphql';
import { createOboTokenProviders } from '../../src/auth/obo-token-provider.js';
import { accessToken, TokenAcquisitionError } from '../../src/auth/types.js';
import { defaultSeed, SEED_SESSION_IDS, seedRestorePointId } from '@restore-session-gateway/graph-emulator';
import { buildSchema } from '../../src/schema/build-schema.js';
import { graphCalls, tokenRequests } from '@restore-session-gateway/graph-emulator/testing';
import { useTestGateway, type TestGateway } from '../gateway/harness.js';
import { errorCodes, subscribe, wsClient } from '../gateway/live-support.js';
import type { GraphQLResponse } from '../support/graphql.js';
import { encodeJwt, jwtParts, newKey } from './support.js';

// Caller identity end to end over real HTTP: the gateway, the emulator's Entra-compatible authority and Graph
// emulator, msal-node's on-behalf-of exchange, and the emulator's journal as the witness of who called Graph.

const user = (name: string): string => {
  const found = defaultSeed().users.find((u) => u.name === name);
  if (!found) throw new Error(`no seeded user ${name}`);
  return found.id;
};
const ADMIN = user('admin');
const READER = user('reader');
const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const LIST = '{ restoreSessions(first: 3) { totalCount nodes { id } } }';
const BY_ID = 'query ($id: ID!) { restoreSession(id: $id) { id status } }';
const CREATE = 'mutation { createSharePointRestoreSession(input: {}) { restoreSession { id } } }';
const WATCH = 'subscription ($id: ID!) { restoreSessionStatusChanged(id: $id) { id status } }';
/** A user token carrying an app role assigned to the user but no delegated scope: a user, not an app. */
const USER_WITH_ROLES_ONLY = { user: 'admin', scopes: [], roles: ['RestoreSessions.ReadWrite.All'] };

/** One document per Mutation field, with every required argument filled with a plausible literal. */
function mutationDocuments(): Array<{ field: string; document: string }> {
  const mutation = buildSchema().getMutationType();
  if (!mutation) throw new Error('the schema has no Mutation type');
  const literal = (type: GraphQLInputType, name: string): string => {
    if (isNonNullType(type)) return literal(type.ofType, name);
    if (isListType(type)) return `[${literal(type.ofType, name)}]`;
    if (isEnumType(type)) return type.getValues()[0]?.name ?? '';
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
      return `{ ${fields.map((f) => `${f.name}: ${literal(f.type, f.name)}`).join(', ')} }`;
    }
    if (isScalarType(type)) {
      switch (type.name) {
        case 'ID':
          return JSON.stringify(/restorePoint/i.test(name) ? seedRestorePointId(0, 0) : SEED_SESSION_IDS.draft);
        case 'Int':
        case 'NonNegativeInt':
        case 'Float':
          return '1';
        case 'Boolean':
          return 'true';
        case 'DateTime':
          return '"2025-06-01T00:00:00Z"';
        case 'URL':
          return '"https://contoso.sharepoint.com/sites/Finance01"';
        default:
          return '"x"';
      }
    }
    throw new Error(`no literal for ${String(type)}`);
  };
  return Object.values(mutation.getFields()).map((field) => {
    const args = field.args.filter((a) => isNonNullType(a.type)).map((a) => `${a.name}: ${literal(a.type, a.name)}`);
    return { field: field.name, document: `mutation { ${field.name}${args.length ? `(${args.join(', ')})` : ''} { __typename } }` };
  });
}

function expectForbidden(res: GraphQLResponse, label: string): void {
  expect(res.status, `${label}: ${res.text}`).toBe(403);
  expect(res.data, label).toBeUndefined();
  expect(
    res.errors?.map((e) => e.extensions?.code),
    label,
  ).toEqual(['FORBIDDEN']);
}

/** Opens a graphql-ws socket with `token`, subscribes, and answers how the gateway closed it (and what came through). */
async function socketRefusal(gw: TestGateway, token: string): Promise<{ code: number; results: string[] }> {
  // Not lazy about closing, so the server's close shows rather than the client's own.
  const client = wsClient(gw.gateway.wsUrl, { authorization: `Bearer ${token}` }, undefined, { lazyCloseTimeout: 10_000 });
  try {
    const stream = subscribe(client, WATCH, { id: SEED_SESSION_IDS.active });
    const closed = await client.waitClosed();
    // The refusal reaches the subscription as a result with its code before the close code.
    return { code: closed.code, results: errorCodes(stream.results) };
  } finally {
    await client.dispose();
  }
}

/**
 * A user token with app roles and no `scp` is refused FORBIDDEN for a query, a mutation and a socket, and nothing is
 * done for it: no Graph call, and no token request (on-behalf-of or client credentials).
 */
async function expectRolesOnlyUserRefused(gw: TestGateway): Promise<void> {
  const token = await gw.t.apiToken(USER_WITH_ROLES_ONLY);
  expectForbidden(await gw.queryAs({ token }, LIST), 'query');
  expectForbidden(await gw.queryAs({ token }, CREATE), 'mutation');
  expect(await socketRefusal(gw, token)).toEqual({ code: 4403, results: ['FORBIDDEN'] });
  expect(graphCalls(gw.graphEntries())).toEqual([]);
  expect(gw.tokenEntries()).toEqual([]);
}

function expectRefused(res: GraphQLResponse, reason: RegExp | null = /invalid_token/): void {
  expect(res.status).toBe(401);
  expect(res.data).toBeUndefined();
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  const challenge = res.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer\b/);
  if (reason) expect(challenge).toMatch(reason);
  else expect(challenge).not.toMatch(/error=/);
}

describe('in obo mode (the default)', () => {
  const gw = useTestGateway();

  describe('without a valid caller token', () => {
    it('answers 401 UNAUTHENTICATED with a Bearer challenge when there is no token, and calls nothing upstream', async () => {
      const res = await gw.queryAs(null, LIST);
      expectRefused(res, null);
      expect(res.errors?.[0]?.message).toMatch(/Authorization header "Bearer <token>"/);
      const get = await fetch(`${gw.url}?query=${encodeURIComponent(LIST)}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(get.status).toBe(401);
      expect(get.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect(gw.t.emu.journal.list()).toEqual([]);
    });

    it('refuses expired, not-yet-valid, wrong-audience, wrong-issuer, unsigned, tampered and malformed tokens', async () => {
      const good = jwtParts(await gw.token('reader'));
      const stranger = await newKey();
      const { SignJWT } = await import('jose');
      const foreign = (claims: Record<string, unknown>): Promise<string> =>
        new SignJWT({ ...good.payload, ...claims })
          .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: stranger.kid })
          .sign(stranger.privateKey);
      const cases: Array<[string, string]> = [
        ['expired', await gw.t.apiToken({ user: 'admin', lifetimeSeconds: 0 })],
        ['not yet valid', await gw.t.apiToken({ user: 'admin', notBeforeSeconds: 3600 })],
        ['for Graph, not the gateway', await gw.t.userToken('admin')],
        ['signed by an untrusted key, claiming the right issuer', await foreign({})],
        [
          'signed by an untrusted key, another issuer',
          await foreign({ iss: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0' }),
        ],
        ['alg none', encodeJwt({ alg: 'none', typ: 'JWT' }, good.payload, '')],
        [
          'tampered scopes',
          encodeJwt(good.header, { ...good.payload, scp: 'RestoreSessions.Read RestoreSessions.ReadWrite' }, good.signature),
        ],
        ['tampered expiry', encodeJwt(good.header, { ...good.payload, exp: Number(good.payload.exp) + 86_400 }, good.signature)],
        ['not a JWT', 'not-a-jwt'],
      ];
      for (const [label, bad] of cases) {
        const res = await gw.queryAs({ token: bad }, LIST);
        expect(res.status, label).toBe(401);
        expectRefused(res);
        expect(res.text, label).not.toContain(bad.split('.')[1] ?? bad);
      }
      const basic = await gw.query(LIST, undefined, { authorization: 'Basic YWRtaW46YWRtaW4=' });
      expectRefused(basic);
      expect(graphCalls(gw.graphEntries())).toEqual([]);
    });

    it('answers _service { sdl } (and only it) without a token, for rover and routers', async () => {
      const sdl = await gw.queryAs<{ _service: { sdl: string } }>(null, '{ _service { sdl } }');
      expect(sdl.status).toBe(200);
      expect(sdl.data?._service.sdl).toContain('type Query');
      const typed = await gw.queryAs(null, 'query Sdl { __typename _service { sdl } }');
      expect(typed.status).toBe(200);
      // A bad token does not spoil the schema query either.
      expect((await gw.queryAs({ token: 'garbage' }, '{ _service { sdl } }')).status).toBe(200);

      expectRefused(await gw.queryAs(null, '{ _service { sdl } restoreSessions { totalCount } }'), null);
      expectRefused(await gw.queryAs(null, '{ _service { sdl } ...F } fragment F on Query { restoreSessions { totalCount } }'), null);
      expectRefused(await gw.queryAs(null, '{ ... on Query { _service { sdl } restoreSessions { totalCount } } }'), null);
      expectRefused(await gw.queryAs(null, 'query A { _service { sdl } } query B { restoreSessions { totalCount } }', undefined, {}), null);
      expectRefused(await gw.queryAs(null, '{ _entities(representations: []) { __typename } }'), null);
      expect(gw.t.emu.journal.list()).toEqual([]);
    });

    it('serves /healthz and the Sandbox landing page without a token', async () => {
      expect((await fetch(`${gw.origin}/healthz`)).status).toBe(200);
      const page = await fetch(gw.url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('embeddable-sandbox');
    });
  });

  it("calls Graph with each user's own on-behalf-of token, for admin and reader in parallel", async () => {
    const runs = Array.from({ length: 4 }, () => [
      gw.queryAs('admin', BY_ID, { id: SEED_SESSION_IDS.draft }),
      gw.queryAs('reader', BY_ID, { id: SEED_SESSION_IDS.completed }),
      gw.queryAs('admin', LIST),
      gw.queryAs('reader', LIST),
    ]).flat();
    for (const res of await Promise.all(runs)) {
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(res.status).toBe(200);
    }
    const calls = graphCalls(gw.graphEntries());
    const bySession = (id: string): Array<string | null> => calls.filter((c) => c.path.includes(id)).map((c) => c.subject);
    expect(bySession(SEED_SESSION_IDS.draft)).toEqual(Array(4).fill(ADMIN));
    expect(bySession(SEED_SESSION_IDS.completed)).toEqual(Array(4).fill(READER));
    const lists = calls.filter((c) => c.path === 'solutions/backupRestore/restoreSessions').map((c) => c.subject);
    expect(lists.sort()).toEqual([...Array(4).fill(ADMIN), ...Array(4).fill(READER)].sort());
    expect(new Set(calls.map((c) => c.subject))).toEqual(new Set([ADMIN, READER]));
  });

  it('exchanges a caller token once: later operations with it, even concurrent ones, make no token request', async () => {
    const fresh = await gw.t.apiToken('reader');
    const first = await Promise.all(Array.from({ length: 5 }, () => gw.queryAs({ token: fresh }, LIST)));
    for (const res of first) expect(res.errors).toBeUndefined();
    const exchanges = gw.tokenEntries();
    expect(exchanges.map((e) => [e.grantType, e.subject, e.status])).toEqual([
      ['urn:ietf:params:oauth:grant-type:jwt-bearer', READER, 200],
    ]);
    const seq = gw.t.emu.journal.lastSeq;
    const second = await gw.queryAs({ token: fresh }, BY_ID, { id: SEED_SESSION_IDS.active });
    expect(second.errors).toBeUndefined();
    expect(tokenRequests(gw.t.emu.journal.list(seq))).toEqual([]);
    expect(graphCalls(gw.t.emu.journal.list(seq)).map((e) => e.subject)).toEqual([READER]);
  });

  it('refuses reader on every mutation with FORBIDDEN before any Graph call', async () => {
    const documents = mutationDocuments();
    expect(documents.length).toBeGreaterThanOrEqual(7);
    const readerApp = await gw.t.apiToken({ app: 'reader' });
    for (const caller of ['reader', { token: readerApp }] as const) {
      for (const { field, document } of documents) {
        const res = await gw.queryAs(caller, document);
        expect(res.status, `${field}: ${res.text}`).toBe(200);
        expect(
          res.errors?.map((e) => e.extensions?.code),
          field,
        ).toEqual(['FORBIDDEN']);
        expect(res.errors?.[0]?.message, field).toMatch(/RestoreSessions\.ReadWrite/);
        expect(res.errors?.[0]?.extensions?.graph, field).toBeUndefined();
      }
    }
    expect(gw.graphEntries().filter((e) => WRITES.has(e.method) && e.kind !== 'batch')).toEqual([]);
    expect(graphCalls(gw.graphEntries())).toEqual([]);

    // The same documents are valid and get past the guard for admin (whatever Graph then says).
    for (const { field, document } of documents) {
      const res = await gw.queryAs('admin', document);
      expect(res.status, field).toBe(200);
      for (const error of res.errors ?? []) {
        if (error.extensions?.code === 'FORBIDDEN') expect(error.extensions.graph, `${field}: the guard refused admin`).toBeDefined();
      }
    }
    expect(graphCalls(gw.graphEntries()).some((e) => WRITES.has(e.method))).toBe(true);
  });

  it('calls Graph as the app for app-only callers, which have no user to act for', async () => {
    const writer = await gw.t.apiToken({ app: 'writer' });
    const res = await gw.queryAs({ token: writer }, LIST);
    expect(res.errors).toBeUndefined();
    expect(new Set(graphCalls(gw.graphEntries()).map((e) => e.subject))).toEqual(new Set([gw.t.emu.settings.AZURE_CLIENT_ID]));
  });

  it('refuses a user token with app roles but no scp with FORBIDDEN on queries, mutations and sockets, and exchanges nothing for it', async () => {
    // Taken for an app, it would have been served with the app's own (possibly cached) Graph token.
    await expectRolesOnlyUserRefused(gw);
    // The same user with the delegated scopes is served on their own behalf.
    const res = await gw.queryAs({ token: await gw.t.apiToken('admin') }, LIST);
    expect(res.errors).toBeUndefined();
    expect(gw.tokenEntries().map((e) => [e.grantType, e.subject])).toEqual([['urn:ietf:params:oauth:grant-type:jwt-bearer', ADMIN]]);
  });

  it('serves an app-only token without idtyp as the app: reads, and writes for writer only', async () => {
    const writer = await gw.t.apiToken({ app: 'writer', idtyp: false });
    const reader = await gw.t.apiToken({ app: 'reader', idtyp: false });
    expect(jwtParts(writer).payload.idtyp).toBeUndefined();
    for (const token of [writer, reader]) expect((await gw.queryAs({ token }, LIST)).errors).toBeUndefined();
    const created = await gw.queryAs<{ createSharePointRestoreSession: { restoreSession: { id: string } } }>({ token: writer }, CREATE);
    expect(created.errors).toBeUndefined();
    expect(created.data?.createSharePointRestoreSession.restoreSession.id).toBeTruthy();
    const refused = await gw.queryAs({ token: reader }, CREATE);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const app = gw.t.emu.settings.AZURE_CLIENT_ID;
    expect(new Set(graphCalls(gw.graphEntries()).map((e) => e.subject))).toEqual(new Set([app]));
    expect(
      graphCalls(gw.graphEntries())
        .filter((e) => e.method === 'POST')
        .map((e) => e.subject),
    ).toEqual([app]);
    expect(gw.tokenEntries().filter((e) => e.grantType !== 'client_credentials')).toEqual([]);
  });

  it('answers FORBIDDEN naming the missing Graph permission when the on-behalf-of exchange lacks consent', async () => {
    const res = await gw.queryAs('noconsent', LIST);
    expect(res.status).toBe(200);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(res.errors?.[0]?.message).toMatch(/consent/);
    expect(res.errors?.[0]?.message).toContain('BackupRestore-Restore.Read.All');
    expect(res.text).not.toMatch(/eyJ[\w-]+\./);
    expect(graphCalls(gw.graphEntries())).toEqual([]);
    expect(gw.tokenEntries().map((e) => e.status)).toEqual([400]);
  });

  describe('the WebSocket helper', () => {
    it('finds the token in connectionParams (authorization, Authorization, token, bare) or the upgrade request', async () => {
      const auth = gw.gateway.createContext.authenticateConnection;
      const token = await gw.token('reader');
      for (const params of [
        { authorization: `Bearer ${token}` },
        { Authorization: `Bearer ${token}` },
        { token: `Bearer ${token}` },
        { authorization: token },
      ]) {
        const result = await auth(params);
        expect(result.ok, JSON.stringify(Object.keys(params))).toBe(true);
        if (result.ok) {
          expect(result.caller.subject).toBe(READER);
          expect(result.token).toBe(token);
        }
      }
      expect((await auth(undefined, { authorization: `Bearer ${token}` })).ok).toBe(true);
      expect((await auth({}, { authorization: `Bearer ${token}` })).ok).toBe(true);
    });

    it('refuses a socket without a valid token with 4401, and a context built from its token is the same caller', async () => {
      const auth = gw.gateway.createContext.authenticateConnection;
      const expired = await gw.t.apiToken({ user: 'admin', lifetimeSeconds: 0 });
      for (const params of [undefined, {}, { authorization: '' }, { authorization: `Bearer ${expired}` }, { token: 'Basic abc' }]) {
        const result = await auth(params);
        expect(result).toMatchObject({ ok: false, closeCode: 4401 });
        if (!result.ok) expect(result.reason).not.toContain(expired.slice(20, 60));
      }
      const accepted = await auth({ authorization: await gw.authorization('admin') });
      if (!accepted.ok) throw new Error('admin refused');
      const context = await gw.gateway.createContext({ transport: 'websocket', token: accepted.token });
      expect(context.caller?.subject).toBe(ADMIN);
      expect(context.transport).toBe('websocket');
    });
  });
});

describe('in app mode', () => {
  const gw = useTestGateway({ env: { AUTH_MODE: 'app' } });

  it('still authenticates callers', async () => {
    expectRefused(await gw.queryAs(null, LIST), null);
  });

  it("calls Graph as the app with client credentials, whoever the caller is, and never on a user's behalf", async () => {
    const results = await Promise.all([gw.queryAs('admin', LIST), gw.queryAs('reader', LIST), gw.queryAs('noconsent', LIST)]);
    for (const res of results) expect(res.errors).toBeUndefined();
    const subjects = new Set(graphCalls(gw.graphEntries()).map((e) => e.subject));
    expect(subjects).toEqual(new Set([gw.t.emu.settings.AZURE_CLIENT_ID]));
    expect(gw.tokenEntries().every((e) => e.grantType === 'client_credentials')).toBe(true);
  });

  it('refuses a user token with app roles but no scp with FORBIDDEN here too, and calls nothing as the app for it', async () => {
    await expectRolesOnlyUserRefused(gw);
  });

  it('still needs the write scope or role to mutate', async () => {
    for (const { field, document } of mutationDocuments()) {
      const res = await gw.queryAs('reader', document);
      expect(
        res.errors?.map((e) => e.extensions?.code),
        field,
      ).toEqual(['FORBIDDEN']);
    }
    expect(graphCalls(gw.graphEntries())).toEqual([]);
    const created = await gw.query<{ createSharePointRestoreSession: { restoreSession: { id: string } } }>(
      'mutation { createSharePointRestoreSession(input: {}) { restoreSession { id } } }',
    );
    expect(created.errors).toBeUndefined();
    expect(
      graphCalls(gw.graphEntries())
        .filter((e) => e.method === 'POST')
        .map((e) => e.subject),
    ).toEqual([gw.t.emu.settings.AZURE_CLIENT_ID]);
  });
});

describe('a rotation of the authority signing key', () => {
  // A gateway of its own: forged key ids sent by other tests would put the JWKS refetch in its cooldown.
  const gw = useTestGateway();

  it('is picked up at once: a token with the new kid is accepted, and so are tokens of the previous key', async () => {
    const before = await gw.token('admin');
    expect((await gw.queryAs({ token: before }, LIST)).status).toBe(200);
    expect((await gw.t.call('POST', '/_emulator/keys/rotate')).status).toBe(200);
    const rotated = await gw.t.apiToken('admin');
    expect(jwtParts(rotated).header.kid).not.toBe(jwtParts(before).header.kid);
    const res = await gw.queryAs({ token: rotated }, LIST);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect((await gw.queryAs({ token: before }, LIST)).status).toBe(200);
  });
});

describe('when the token authority is unreachable', () => {
  // Port 9 (discard) on loopback: nothing listens, connections are refused at once.
  const gw = useTestGateway({ upstream: (u) => ({ ...u, authorityHost: 'https://127.0.0.1:9' }) });

  it('answers 503 UPSTREAM_UNAVAILABLE (the token may be fine), and still serves the schema', async () => {
    const res = await gw.query(LIST);
    expect(res.status).toBe(503);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(res.text).not.toContain('127.0.0.1:9');
    expect((await gw.queryAs(null, '{ _service { sdl } }')).status).toBe(200);
  });

  it('maps an unreachable authority during the on-behalf-of exchange to UPSTREAM_UNAVAILABLE', async () => {
    const s = gw.t.emu.settings;
    const obo = createOboTokenProviders({
      authorityHost: 'https://127.0.0.1:9',
      tenantId: s.AZURE_TENANT_ID,
      clientId: s.AZURE_CLIENT_ID,
      clientSecret: s.AZURE_CLIENT_SECRET,
      ca: [gw.t.emu.caCert],
      timeoutMs: 2_000,
    });
    try {
      const caller = {
        subject: ADMIN,
        kind: 'user',
        permissions: [],
        oid: ADMIN,
        appId: 'x',
        tenantId: s.AZURE_TENANT_ID,
        expiresAt: new Date(),
      } as const;
      const error = await obo
        .forCaller(accessToken(await gw.token('admin')), caller)
        .getGraphToken()
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(TokenAcquisitionError);
      expect((error as TokenAcquisitionError).code).toBe('UPSTREAM_UNAVAILABLE');
      expect((error as TokenAcquisitionError).message).not.toMatch(/127\.0\.0\.1|eyJ/);
    } finally {
      await obo.close();
    }
  });
});
