import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import {
  ConfidentialClientApplication,
  InteractionRequiredAuthError,
  ServerError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
  type NodeAuthOptions,
} from '@azure/msal-node';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair, type JWK } from 'jose';
import { loadOrCreateTls, type EmulatorTls } from '../src/tls.js';
import { createAuthority, type EmulatorAuthority } from '../src/authority/create-authority.js';
import { generateClientCertificate } from '../src/authority/client-certificate.js';
import { DAEMON_CLIENT_IDS, FRONTEND_SPA_CLIENT_ID, servicePrincipalId } from '../src/authority/claims.js';
import { GraphError } from '../src/http/errors.js';
import { defaultSeed, type SeedUser } from '../src/model/seed.js';

const TENANT_ID: string = randomUUID();
const CLIENT_ID: string = randomUUID();
const CLIENT_SECRET = 'test-secret~with+odd:chars';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

const users: SeedUser[] = defaultSeed().users;
const userNamed = (name: string): SeedUser => {
  const user = users.find((u) => u.name === name);
  if (!user) throw new Error(`no seeded user ${name}`);
  return user;
};

let dir: string;
let tls: EmulatorTls;
let server: https.Server;
let origin: string;
let hostAndPort: string;
let authority: EmulatorAuthority;
let dispatcher: Agent;
/** Every URL msal-node (or a test) sent through the network client. */
const requested: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'authority-test-'));
  tls = loadOrCreateTls(join(dir, 'tls'));
  server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', origin);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      authority
        .handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, rawBody: Buffer.concat(chunks) })
        .then((answer) => {
          if (!answer) {
            res.writeHead(404, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { code: 'NotFound', message: 'not an authority path' } }));
            return;
          }
          res.writeHead(answer.status, answer.headers);
          res.end(JSON.stringify(answer.body));
        })
        .catch((err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  hostAndPort = `127.0.0.1:${port}`;
  origin = `https://${hostAndPort}`;
  authority = await createAuthority({
    origin,
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    users,
    keyDir: join(dir, 'keys'),
  });
  // The emulator CA is made after process start, so NODE_EXTRA_CA_CERTS cannot help: trust it per agent.
  dispatcher = new Agent({ connect: { ca: tls.caCert } });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await dispatcher.close();
  rmSync(dir, { recursive: true, force: true });
});

/** msal-node's HTTP seam over undici, trusting the emulator CA, refusing to leave the emulator. */
function networkClient(): INetworkModule {
  async function send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    if (!url.startsWith(`${origin}/`)) throw new Error(`msal-node tried to reach ${url} outside the emulator`);
    requested.push(`${method} ${new URL(url).pathname}`);
    const res = await request(url, { method, headers: options?.headers, body: options?.body, dispatcher });
    const text = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: res.statusCode, headers, body: (text ? JSON.parse(text) : {}) as T };
  }
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('GET', url, options),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('POST', url, options),
  };
}

/** The settings the gateway will reuse: authority URL, knownAuthorities (which skips instance discovery), network client. */
function msalApp(credential: Omit<NodeAuthOptions, 'clientId'>): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: CLIENT_ID,
      authority: `${origin}/${TENANT_ID}`,
      knownAuthorities: [hostAndPort],
      ...credential,
    },
    system: { networkClient: networkClient() },
  });
}

async function getJson(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await request(`${origin}${path}`, { method: 'GET', headers, dispatcher });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

async function postForm(
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  const res = await request(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
    dispatcher,
  });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, unknown> };
}

const tokenPath = (tenant: string = TENANT_ID): string => `/${tenant}/oauth2/v2.0/token`;

async function graphAuthError(authorization: string | undefined): Promise<GraphError> {
  try {
    await authority.authenticateGraph(authorization);
  } catch (err) {
    if (err instanceof GraphError) return err;
    throw err;
  }
  throw new Error('the token was accepted');
}

async function expectRejected(authorization: string | undefined, message: string): Promise<void> {
  const err = await graphAuthError(authorization);
  expect(err.status).toBe(401);
  expect(err.code).toBe('InvalidAuthenticationToken');
  expect(err.message).toBe(message);
  expect(err.extra.headers?.['www-authenticate']).toBe(
    `Bearer realm="", authorization_uri="${origin}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
  );
}

describe('discovery documents', () => {
  it('serves the OpenID configuration with the fixed issuer for the tenant id, common and organizations', async () => {
    for (const tenant of [TENANT_ID, 'common', 'organizations']) {
      const { status, body } = await getJson(`/${tenant}/v2.0/.well-known/openid-configuration`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        issuer: `${origin}/${TENANT_ID}/v2.0`,
        token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
        jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
      expect(body.token_endpoint_auth_methods_supported).toEqual(
        expect.arrayContaining(['client_secret_post', 'client_secret_basic', 'private_key_jwt']),
      );
    }
  });

  it('never takes the issuer from the Host header', async () => {
    const answer = await authority.handle({
      method: 'GET',
      path: `/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
      query: new URLSearchParams(),
      headers: { host: 'attacker.example:443' },
      rawBody: Buffer.alloc(0),
    });
    expect((answer?.body as { issuer: string }).issuer).toBe(authority.issuer);
    expect(authority.issuer).toBe(`${origin}/${TENANT_ID}/v2.0`);
  });

  it('serves the JWKS with kid, use and alg', async () => {
    const { status, body } = await getJson(`/${TENANT_ID}/discovery/v2.0/keys`);
    expect(status).toBe(200);
    const keys = body.keys as JWK[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: expect.any(String), n: expect.any(String), e: 'AQAB' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('refuses an unknown tenant as Entra does and leaves other paths to the server', async () => {
    const { status, body } = await getJson('/not-a-tenant/v2.0/.well-known/openid-configuration');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
    expect((await getJson('/beta/nothing')).status).toBe(404);
  });
});

describe('client credentials', () => {
  it('issues an app-only Graph token for the client secret through msal-node', async () => {
    const result = await msalApp({ clientSecret: CLIENT_SECRET }).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    expect(result?.accessToken).toBeTruthy();
    const token = result?.accessToken ?? '';
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: authority.jwks().keys[0]?.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: `${origin}/${TENANT_ID}/v2.0`,
      aud: 'https://graph.microsoft.com',
      tid: TENANT_ID,
      oid: servicePrincipalId(CLIENT_ID),
      sub: servicePrincipalId(CLIENT_ID),
      azp: CLIENT_ID,
      azpacr: '1',
      idtyp: 'app',
      ver: '2.0',
      roles: [
        'BackupRestore-Restore.ReadWrite.All',
        'BackupRestore-Search.Read.All',
        'BackupRestore-Control.Read.All',
        'BackupRestore-Configuration.Read.All',
      ],
    });
    expect(claims.scp).toBeUndefined();
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    expect(typeof claims.uti).toBe('string');

    const caller = await authority.authenticateGraph(`Bearer ${token}`);
    expect(caller).toMatchObject({
      kind: 'app',
      subject: CLIENT_ID,
      appId: CLIENT_ID,
      oid: servicePrincipalId(CLIENT_ID),
      tenantId: TENANT_ID,
    });
    expect(caller.permissions.has('BackupRestore-Restore.ReadWrite.All')).toBe(true);
    // msal-node went to the tenant's discovery document and token endpoint, nowhere else.
    expect(requested).toContain(`GET /${TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(requested).toContain(`POST /${TENANT_ID}/oauth2/v2.0/token`);
  });

  it('surfaces a wrong secret as invalid_client AADSTS7000215 in msal-node', async () => {
    const app = msalApp({ clientSecret: 'not-the-secret' });
    const err = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).errorCode).toBe('invalid_client');
    expect((err as ServerError).errorMessage).toContain('AADSTS7000215: Invalid client secret provided.');
  });

  it("answers in Entra's error shape with the right statuses", async () => {
    const wrong = await postForm(
      tokenPath(),
      {
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: 'nope',
        scope: GRAPH_SCOPE,
      },
      { 'client-request-id': 'corr-123' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({
      error: 'invalid_client',
      error_codes: [7000215],
      correlation_id: 'corr-123',
      trace_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/),
    });
    expect(String(wrong.body.error_description)).toMatch(
      /^AADSTS7000215: Invalid client secret provided\. .*Trace ID: .* Correlation ID: corr-123 Timestamp: /,
    );
    expect(wrong.headers['cache-control']).toBe('no-store, no-cache');

    const otherResource = await postForm(tokenPath(), {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: 'https://management.azure.com/.default',
    });
    expect(otherResource.status).toBe(400);
    expect(otherResource.body.error).toBe('invalid_scope');

    const notDefault = await postForm(tokenPath(), {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: 'https://graph.microsoft.com/User.Read',
    });
    expect(notDefault.status).toBe(400);
    expect(notDefault.body).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });

    const grant = await postForm(tokenPath(), {
      grant_type: 'password',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: GRAPH_SCOPE,
    });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');

    const noGrant = await postForm(tokenPath(), { client_id: CLIENT_ID });
    expect(noGrant.status).toBe(400);
    expect(noGrant.body).toMatchObject({ error: 'invalid_request', error_codes: [900144] });

    const noCredential = await postForm(tokenPath(), { grant_type: 'client_credentials', client_id: CLIENT_ID, scope: GRAPH_SCOPE });
    expect(noCredential.status).toBe(401);
    expect(noCredential.body).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });

    const unknownClient = await postForm(tokenPath(), {
      grant_type: 'client_credentials',
      client_id: randomUUID(),
      client_secret: CLIENT_SECRET,
      scope: GRAPH_SCOPE,
    });
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
  });

  it('accepts the secret in HTTP Basic and on the common endpoint', async () => {
    const basic = Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64');
    const res = await postForm(
      tokenPath('common'),
      { grant_type: 'client_credentials', scope: GRAPH_SCOPE },
      { authorization: `Basic ${basic}` },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600 });
    const caller = await authority.authenticateGraph(`Bearer ${String(res.body.access_token)}`);
    expect(caller.kind).toBe('app');
  });

  it('authenticates a registered certificate (SHA-256 thumbprint, PS256) through msal-node', async () => {
    const cert = generateClientCertificate();
    const registered = authority.registerClientCertificate(cert.certificatePem);
    expect(registered.thumbprintSha256).toBe(cert.thumbprintSha256);
    const result = await msalApp({
      clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem },
    }).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    const claims = decodeJwt(result?.accessToken ?? '');
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', azp: CLIENT_ID, azpacr: '2', idtyp: 'app' });
  });

  it('authenticates a registered certificate named by its SHA-1 thumbprint with x5c (RS256)', async () => {
    const cert = generateClientCertificate({ commonName: 'legacy thumbprint' });
    authority.registerClientCertificate(cert.certificatePem);
    const result = await msalApp({
      clientCertificate: { thumbprint: cert.thumbprint, privateKey: cert.privateKeyPem, x5c: cert.certificatePem },
    }).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    expect(decodeJwt(result?.accessToken ?? '').azpacr).toBe('2');
  });

  it('refuses a certificate that is not registered on the app', async () => {
    const cert = generateClientCertificate({ commonName: 'never uploaded' });
    const err = await msalApp({
      clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem },
    })
      .acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).errorCode).toBe('invalid_client');
    expect((err as ServerError).errorMessage).toContain('AADSTS700027');
  });

  it('refuses an assertion for another audience or client, signed by a registered certificate', async () => {
    const cert = generateClientCertificate({ commonName: 'hand-rolled assertions' });
    const info = authority.registerClientCertificate(cert.certificatePem);
    const { createPrivateKey } = await import('node:crypto');
    const key = createPrivateKey(cert.privateKeyPem);
    const assertion = (aud: string, iss = CLIENT_ID): Promise<string> =>
      new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t: Buffer.from(info.thumbprint, 'hex').toString('base64url') })
        .setIssuer(iss)
        .setSubject(iss)
        .setAudience(aud)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime('10m')
        .sign(key);
    const form = (clientAssertion: string): Record<string, string> => ({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      scope: GRAPH_SCOPE,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion,
    });
    const ok = await postForm(tokenPath(), form(await assertion(`${origin}/${TENANT_ID}/oauth2/v2.0/token`)));
    expect(ok.status).toBe(200);
    const wrongAud = await postForm(tokenPath(), form(await assertion('https://login.microsoftonline.com/x/oauth2/v2.0/token')));
    expect(wrongAud.status).toBe(401);
    expect(wrongAud.body.error).toBe('invalid_client');
    const wrongIss = await postForm(tokenPath(), form(await assertion(`${origin}/${TENANT_ID}/oauth2/v2.0/token`, randomUUID())));
    expect(wrongIss.status).toBe(401);
    expect(wrongIss.body).toMatchObject({ error: 'invalid_client', error_codes: [700021] });
  });
});

describe('on-behalf-of', () => {
  it('exchanges admin and reader API tokens for Graph tokens in parallel', async () => {
    const app = msalApp({ clientSecret: CLIENT_SECRET });
    const [adminAssertion, readerAssertion] = await Promise.all([
      authority.issueApiToken({ user: 'admin', audience: CLIENT_ID }),
      authority.issueApiToken({ user: 'reader', audience: `api://${CLIENT_ID}` }),
    ]);
    const [adminResult, readerResult] = await Promise.all([
      app.acquireTokenOnBehalfOf({ oboAssertion: adminAssertion, scopes: [GRAPH_SCOPE] }),
      app.acquireTokenOnBehalfOf({ oboAssertion: readerAssertion, scopes: [GRAPH_SCOPE] }),
    ]);
    const admin = decodeJwt(adminResult?.accessToken ?? '');
    const reader = decodeJwt(readerResult?.accessToken ?? '');
    expect(admin).toMatchObject({
      iss: `${origin}/${TENANT_ID}/v2.0`,
      aud: 'https://graph.microsoft.com',
      tid: TENANT_ID,
      oid: userNamed('admin').id,
      scp: 'BackupRestore-Restore.ReadWrite.All BackupRestore-Search.Read.All BackupRestore-Configuration.Read.All',
      name: userNamed('admin').displayName,
      preferred_username: userNamed('admin').email,
      azp: CLIENT_ID,
      ver: '2.0',
    });
    expect(reader).toMatchObject({ oid: userNamed('reader').id, scp: 'BackupRestore-Restore.Read.All', azp: CLIENT_ID });
    expect(admin.roles).toBeUndefined();
    expect(adminResult?.account?.localAccountId).toBe(userNamed('admin').id);

    const [adminCaller, readerCaller] = await Promise.all([
      authority.authenticateGraph(`Bearer ${adminResult?.accessToken ?? ''}`),
      authority.authenticateGraph(`Bearer ${readerResult?.accessToken ?? ''}`),
    ]);
    expect(adminCaller).toMatchObject({ kind: 'user', subject: userNamed('admin').id, appId: CLIENT_ID, displayName: 'Adele Vance' });
    expect([...adminCaller.permissions]).toEqual([
      'BackupRestore-Restore.ReadWrite.All',
      'BackupRestore-Search.Read.All',
      'BackupRestore-Configuration.Read.All',
    ]);
    expect(readerCaller).toMatchObject({ kind: 'user', subject: userNamed('reader').id });
    expect([...readerCaller.permissions]).toEqual(['BackupRestore-Restore.Read.All']);

    // msal-node's cache answers the same user's second request without a token call.
    const before = requested.length;
    const again = await app.acquireTokenOnBehalfOf({ oboAssertion: adminAssertion, scopes: [GRAPH_SCOPE] });
    expect(again?.accessToken).toBe(adminResult?.accessToken);
    expect(requested.length).toBe(before);
  });

  it('works with a certificate credential too', async () => {
    const cert = generateClientCertificate({ commonName: 'obo' });
    authority.registerClientCertificate(cert.certificatePem);
    const app = msalApp({ clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem } });
    const assertion = await authority.issueApiToken({ user: 'reader', audience: CLIENT_ID, tokenVersion: '1.0' });
    const result = await app.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: [GRAPH_SCOPE] });
    expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({ oid: userNamed('reader').id, azpacr: '2' });
  });

  it('refuses the user who never consented with consent_required', async () => {
    const assertion = await authority.issueApiToken({ user: 'noconsent', audience: CLIENT_ID });
    const err = await msalApp({ clientSecret: CLIENT_SECRET })
      .acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: [GRAPH_SCOPE] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(InteractionRequiredAuthError);
    const e = err as InteractionRequiredAuthError;
    expect(e.errorCode).toBe('invalid_grant');
    expect(e.subError).toBe('consent_required');
    expect(e.errorMessage).toContain('AADSTS65001: The user or administrator has not consented to use the application');
    expect(e.errorMessage).toContain('Send an interactive authorization request for this user and resource.');
  });

  it('refuses expired, foreign and misdirected assertions with invalid_grant', async () => {
    const obo = (assertion: string): Promise<{ status: number; body: Record<string, unknown> }> =>
      postForm(tokenPath(), {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        scope: GRAPH_SCOPE,
        assertion,
      });
    const expired = await obo(await authority.issueApiToken({ user: 'admin', audience: CLIENT_ID, lifetimeSeconds: 0 }));
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ error: 'invalid_grant', error_codes: [500133] });

    const { privateKey } = await generateKeyPair('RS256');
    const foreignToken = await new SignJWT({ tid: TENANT_ID, oid: userNamed('admin').id, scp: 'RestoreSessions.ReadWrite' })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: authority.jwks().keys[0]?.kid ?? '' })
      .setIssuer(authority.issuer)
      .setAudience(CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const foreign = await obo(foreignToken);
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ error: 'invalid_grant', error_codes: [50013] });

    const graphToken = await authority.issueGraphToken({ user: 'admin' });
    const misdirected = await obo(graphToken);
    expect(misdirected.body).toMatchObject({ error: 'invalid_grant', error_codes: [50013] });
    expect(String(misdirected.body.error_description)).toContain('Assertion audience does not match');

    const wrongSecret = await postForm(tokenPath(), {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: CLIENT_ID,
      client_secret: 'nope',
      scope: GRAPH_SCOPE,
      assertion: await authority.issueApiToken({ user: 'admin', audience: CLIENT_ID }),
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe('invalid_client');
  });
});

describe('API tokens for the gateway', () => {
  it('carries the design file scopes and roles, and refuses other audiences', async () => {
    const admin = decodeJwt(await authority.issueApiToken({ user: 'admin', audience: `api://${CLIENT_ID}` }));
    expect(admin).toMatchObject({
      aud: `api://${CLIENT_ID}`,
      scp: 'RestoreSessions.Read RestoreSessions.ReadWrite',
      azp: FRONTEND_SPA_CLIENT_ID,
      oid: userNamed('admin').id,
      iss: authority.issuer,
    });
    expect(decodeJwt(await authority.issueApiToken({ user: 'reader', audience: CLIENT_ID })).scp).toBe('RestoreSessions.Read');
    const writer = decodeJwt(await authority.issueApiToken({ app: 'writer', audience: CLIENT_ID }));
    expect(writer).toMatchObject({ roles: ['RestoreSessions.ReadWrite.All'], idtyp: 'app', azp: DAEMON_CLIENT_IDS.writer });
    expect(decodeJwt(await authority.issueApiToken({ app: 'reader', audience: CLIENT_ID })).roles).toEqual(['RestoreSessions.Read.All']);
    const v1 = decodeJwt(await authority.issueApiToken({ user: 'reader', audience: CLIENT_ID, tokenVersion: '1.0' }));
    expect(v1).toMatchObject({
      iss: `https://sts.windows.net/${TENANT_ID}/`,
      ver: '1.0',
      appid: FRONTEND_SPA_CLIENT_ID,
      upn: userNamed('reader').email,
    });

    await expect(authority.issueApiToken({ user: 'admin', audience: 'https://graph.microsoft.com' })).rejects.toMatchObject({
      status: 400,
    });
    await expect(authority.issueApiToken({ user: 'nobody', audience: CLIENT_ID })).rejects.toMatchObject({ status: 400 });
    await expect(authority.issueApiToken({ audience: CLIENT_ID })).rejects.toBeInstanceOf(GraphError);
  });

  it('leaves scp out for an empty scope list, adds roles and idtyp on request, and drops idtyp from app tokens when asked', async () => {
    const rolesOnly = decodeJwt(
      await authority.issueApiToken({ user: 'admin', audience: CLIENT_ID, scopes: [], roles: ['RestoreSessions.Read.All'] }),
    );
    expect(rolesOnly).not.toHaveProperty('scp');
    expect(rolesOnly).not.toHaveProperty('idtyp');
    expect(rolesOnly).toMatchObject({ oid: userNamed('admin').id, roles: ['RestoreSessions.Read.All'], azp: FRONTEND_SPA_CLIENT_ID });
    expect(rolesOnly.sub).not.toBe(rolesOnly.oid);
    const v1User = decodeJwt(await authority.issueApiToken({ user: 'reader', audience: CLIENT_ID, idtyp: true, tokenVersion: '1.0' }));
    expect(v1User).toMatchObject({ idtyp: 'user', scp: 'RestoreSessions.Read', appid: FRONTEND_SPA_CLIENT_ID });
    for (const tokenVersion of ['1.0', '2.0'] as const) {
      const app = decodeJwt(await authority.issueApiToken({ app: 'writer', audience: CLIENT_ID, idtyp: false, tokenVersion }));
      expect(app, tokenVersion).not.toHaveProperty('idtyp');
      expect(app, tokenVersion).toMatchObject({
        oid: servicePrincipalId(DAEMON_CLIENT_IDS.writer),
        sub: servicePrincipalId(DAEMON_CLIENT_IDS.writer),
      });
    }
    await expect(authority.issueApiToken({ app: 'writer', audience: CLIENT_ID, scopes: [] })).rejects.toMatchObject({ status: 400 });
    await expect(authority.issueApiToken({ user: 'admin', audience: CLIENT_ID, roles: ['two words'] })).rejects.toMatchObject({
      status: 400,
    });
  });
});

describe('authenticateGraph', () => {
  const tamper = (token: string, change: (claims: Record<string, unknown>) => void): string => {
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    change(claims);
    return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
  };

  it('rejects a missing or empty token', async () => {
    await expectRejected(undefined, 'Access token is empty.');
    await expectRejected('', 'Access token is empty.');
    await expectRejected('Bearer ', 'Access token is empty.');
    await expectRejected(`Basic ${Buffer.from('a:b').toString('base64')}`, 'Access token is empty.');
  });

  it('rejects expired and not-yet-valid tokens', async () => {
    await expectRejected(
      `Bearer ${await authority.issueGraphToken({ user: 'admin', lifetimeSeconds: 0 })}`,
      'Access token has expired or is not yet valid.',
    );
    await expectRejected(
      `Bearer ${await authority.issueGraphToken({ user: 'admin', notBeforeSeconds: 3600 })}`,
      'Access token has expired or is not yet valid.',
    );
  });

  it('rejects a token for another audience', async () => {
    await expectRejected(
      `Bearer ${await authority.issueApiToken({ user: 'admin', audience: CLIENT_ID })}`,
      'Access token validation failure. Invalid audience.',
    );
  });

  it('rejects a token from another issuer signed with the same key', async () => {
    // Same key directory, other origin: a validly signed token whose issuer is not this authority's.
    const impostor = await createAuthority({
      origin: 'https://login.example.test',
      tenantId: TENANT_ID,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      users,
      keyDir: join(dir, 'keys'),
    });
    expect(impostor.jwks().keys[0]?.kid).toBe(authority.jwks().keys[0]?.kid);
    await expectRejected(`Bearer ${await impostor.issueGraphToken({ user: 'admin' })}`, 'Access token validation failure. Invalid issuer.');
  });

  it('rejects alg none, HS256, a tampered payload and unknown keys', async () => {
    const good = await authority.issueGraphToken({ user: 'reader' });
    const kid = decodeProtectedHeader(good).kid ?? '';
    const [, payload] = good.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url')}.${payload}.`;
    await expectRejected(`Bearer ${none}`, 'Invalid signature.');

    const hs256 = await new SignJWT(decodeJwt(good))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid })
      .sign(new TextEncoder().encode('a shared secret of at least 32 bytes!!'));
    await expectRejected(`Bearer ${hs256}`, 'Invalid signature.');

    await expectRejected(`Bearer ${tamper(good, (c) => (c.scp = 'BackupRestore-Restore.ReadWrite.All'))}`, 'Invalid signature.');

    const { privateKey } = await generateKeyPair('RS256');
    for (const headerKid of [kid, 'some-other-kid']) {
      const forged = await new SignJWT(decodeJwt(good)).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: headerKid }).sign(privateKey);
      await expectRejected(`Bearer ${forged}`, 'Invalid signature.');
    }
    await expectRejected('Bearer not-a-jwt', 'CompactToken parsing failed with error code: 80049217');
  });

  it('answers repeated calls with one token from its cache', async () => {
    const token = `Bearer ${await authority.issueGraphToken({ user: 'admin' })}`;
    const first = await authority.authenticateGraph(token);
    for (let i = 0; i < 5000; i++) expect(await authority.authenticateGraph(token)).toBe(first);
  });

  it('accepts Graph app-id audiences and permission overrides for route tests', async () => {
    const caller = await authority.authenticateGraph(
      `Bearer ${await authority.issueGraphToken({ app: true, audience: '00000003-0000-0000-c000-000000000000', permissions: ['BackupRestore-Restore.Read.All'] })}`,
    );
    expect(caller).toMatchObject({ kind: 'app', subject: CLIENT_ID, displayName: 'Restore Session Gateway' });
    expect([...caller.permissions]).toEqual(['BackupRestore-Restore.Read.All']);
  });
});

// Last: rotation changes the authority's signing key for everything after it.
describe('signing key rotation', () => {
  it('keeps old tokens valid, signs new ones with the new key and lists both in the JWKS', async () => {
    const app = msalApp({ clientSecret: CLIENT_SECRET });
    const before = (await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }))?.accessToken ?? '';
    const oldKid = decodeProtectedHeader(before).kid;
    await authority.authenticateGraph(`Bearer ${before}`);

    await authority.rotateSigningKey();
    const { body } = await getJson(`/${TENANT_ID}/discovery/v2.0/keys`);
    const kids = (body.keys as JWK[]).map((k) => k.kid);
    expect(kids).toHaveLength(2);
    expect(kids[1]).toBe(oldKid);
    const newKid = kids[0];
    expect(newKid).not.toBe(oldKid);

    const after = (await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE], skipCache: true }))?.accessToken ?? '';
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect((await authority.authenticateGraph(`Bearer ${before}`)).kind).toBe('app');
    expect((await authority.authenticateGraph(`Bearer ${after}`)).kind).toBe('app');

    // A second rotation retires the first key: its tokens stop validating, cached or not.
    await authority.rotateSigningKey();
    await expectRejected(`Bearer ${before}`, 'Invalid signature.');
    expect((await authority.authenticateGraph(`Bearer ${after}`)).kind).toBe('app');
  });
});
