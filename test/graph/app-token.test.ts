import { createServer } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppTokenProvider, type AppTokenProvider, type AppTokenProviderOptions } from '../../src/auth/app-token-provider.js';
import { TokenAcquisitionError } from '../../src/auth/types.js';
import { SEED_SESSION_IDS, type EmulatorAuthority } from '@restore-session-gateway/graph-emulator';
import { createGraphClient } from '../../src/graph/client.js';
import { toGraphQLError } from '../../src/graphql-errors.js';
import { generateClientCertificate, tokenRequests, useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import { emulatorAppTokenOptions } from './support.js';

const t = useTestEmulator();
const providers: AppTokenProvider[] = [];
afterAll(async () => {
  for (const p of providers) await p.close();
});

function provider(overrides: Partial<AppTokenProviderOptions> = {}): AppTokenProvider {
  const p = createAppTokenProvider({ ...emulatorAppTokenOptions(t), ...overrides } as AppTokenProviderOptions);
  providers.push(p);
  return p;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('createAppTokenProvider (msal-node against the emulator authority)', () => {
  it("gets a Graph token once and serves the next call from msal-node's cache", async () => {
    const p = provider();
    const first = await p.getGraphToken();
    const second = await p.getGraphToken();
    expect(second).toBe(first);
    const requests = tokenRequests(t.emu.journal.list());
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ grantType: 'client_credentials', clientId: t.emu.settings.AZURE_CLIENT_ID, status: 200 });
    const claims = decodeJwt(first);
    expect(claims.aud).toBe('https://graph.microsoft.com');
    expect(claims.tid).toBe(t.emu.settings.AZURE_TENANT_ID);
  });

  it('shares one token request between concurrent first calls', async () => {
    const p = provider();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => p.getGraphToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokenRequests(t.emu.journal.list())).toHaveLength(1);
  });

  it('authenticates with a certificate as well', async () => {
    const cert = generateClientCertificate();
    (t.emu.context.authority as EmulatorAuthority).registerClientCertificate(cert.certificatePem);
    const p = provider({
      clientSecret: undefined,
      certificate: { privateKey: cert.privateKeyPem, thumbprintSha256: cert.thumbprintSha256, x5c: cert.certificatePem },
    });
    expect(decodeJwt(await p.getGraphToken()).aud).toBe('https://graph.microsoft.com');
  });

  it("reports refused credentials as the gateway's own problem, without the secret", async () => {
    const p = provider({ clientSecret: 'wrong-secret-value' });
    const err = await p.getGraphToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenAcquisitionError);
    expect(err).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: 'The gateway could not obtain a Microsoft Graph token.' });
    expect(JSON.stringify(toGraphQLError(err))).not.toContain('wrong-secret-value');
  });

  it('reports an unreachable authority as UPSTREAM_UNAVAILABLE, and Graph is never called', async () => {
    const p = provider({ authorityHost: `https://127.0.0.1:${await closedPort()}` });
    const client = createGraphClient({ baseUrl: t.emu.settings.GRAPH_BASE_URL, tokenProvider: p, ca: [t.emu.caCert] });
    try {
      const err = await client.getSession(SEED_SESSION_IDS.draft).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenAcquisitionError);
      const gql = toGraphQLError(err);
      expect(gql.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(gql.message).not.toMatch(/127\.0\.0\.1|https?:/);
      expect(t.emu.journal.list()).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('does not trust the emulator without its CA', async () => {
    const p = provider({ ca: [] });
    await expect(p.getGraphToken()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('calls Graph as the app', async () => {
    const p = provider();
    const client = createGraphClient({ baseUrl: t.emu.settings.GRAPH_BASE_URL, tokenProvider: p, ca: [t.emu.caCert] });
    try {
      await client.getSession(SEED_SESSION_IDS.draft);
      await client.getSession(SEED_SESSION_IDS.active);
      const graph = t.emu.journal.list().filter((e) => e.kind === 'request');
      expect(graph.map((e) => e.subject)).toEqual([t.emu.settings.AZURE_CLIENT_ID, t.emu.settings.AZURE_CLIENT_ID]);
      expect(tokenRequests(t.emu.journal.list())).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
