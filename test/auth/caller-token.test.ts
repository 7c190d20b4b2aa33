import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { createAuthorityHttp, type AuthorityHttp } from '../../src/auth/authority-http.js';
import { AuthorityUnavailableError, CallerAuthenticationError, type CallerRefusal } from '../../src/auth/caller-errors.js';
import { createCallerTokenValidator, type CallerTokenValidator } from '../../src/auth/caller-token.js';
import { accessToken } from '../../src/auth/types.js';
import { FRONTEND_SPA_CLIENT_ID, defaultSeed } from '@restore-session-gateway/graph-emulator';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import { encodeJwt, jwtParts, newKey, startLocalAuthority, type LocalAuthority } from './support.js';

/** A raw token string, as the edge would have read it out of its `Authorization` value. */
function validate(validator: CallerTokenValidator, token: string): ReturnType<CallerTokenValidator['validate']> {
  return validator.validate(accessToken(token));
}

// Caller token validation on its own: against the emulator's Entra-compatible authority over HTTPS, and against an
// authority of the test's own whose trusted key signs what the emulator never would.

async function refusal(promise: Promise<unknown>): Promise<CallerRefusal | 'accepted' | string> {
  try {
    await promise;
    return 'accepted';
  } catch (err) {
    if (err instanceof CallerAuthenticationError) return err.reason;
    return err instanceof Error ? err.name : String(err);
  }
}

const seedUser = (name: string): string => {
  const user = defaultSeed().users.find((u) => u.name === name);
  if (!user) throw new Error(`no seeded user ${name}`);
  return user.id;
};

describe('against the emulator authority', () => {
  const t = useTestEmulator();
  let http: AuthorityHttp;
  let validator: CallerTokenValidator;

  beforeAll(async () => {
    http = createAuthorityHttp({ ca: [t.emu.caCert] });
    const s = t.emu.settings;
    validator = createCallerTokenValidator({
      authorityHost: s.AZURE_AUTHORITY_HOST,
      tenantId: s.AZURE_TENANT_ID,
      clientId: s.AZURE_CLIENT_ID,
      http,
    });
  });
  afterAll(async () => {
    await http?.close();
  });

  it('accepts v2 user tokens for either audience form, with the user, the client app and the scopes', async () => {
    const s = t.emu.settings;
    for (const audience of [s.AZURE_CLIENT_ID, `api://${s.AZURE_CLIENT_ID}`]) {
      const admin = await validate(validator, await t.apiToken({ user: 'admin', audience }));
      expect(admin).toMatchObject({
        kind: 'user',
        subject: seedUser('admin'),
        oid: seedUser('admin'),
        tenantId: s.AZURE_TENANT_ID,
        permissions: ['RestoreSessions.Read', 'RestoreSessions.ReadWrite'],
      });
      expect(admin.appId).toBe(FRONTEND_SPA_CLIENT_ID);
      expect(admin.expiresAt.getTime()).toBeGreaterThan(Date.now());
    }
    const reader = await validate(validator, await t.apiToken('reader'));
    expect(reader).toMatchObject({ kind: 'user', subject: seedUser('reader'), permissions: ['RestoreSessions.Read'] });
  });

  it('accepts v1 tokens (issuer https://sts.windows.net/{tenant}/, appid instead of azp)', async () => {
    const s = t.emu.settings;
    const v1 = await t.emu.context.authority.issueApiToken({ user: 'reader', audience: `api://${s.AZURE_CLIENT_ID}`, tokenVersion: '1.0' });
    expect(jwtParts(v1).payload.iss).toBe(`https://sts.windows.net/${s.AZURE_TENANT_ID}/`);
    expect(await validate(validator, v1)).toMatchObject({ kind: 'user', subject: seedUser('reader'), appId: FRONTEND_SPA_CLIENT_ID });
    const app = await t.emu.context.authority.issueApiToken({ app: 'writer', audience: s.AZURE_CLIENT_ID, tokenVersion: '1.0' });
    expect(await validate(validator, app)).toMatchObject({ kind: 'app', permissions: ['RestoreSessions.ReadWrite.All'] });
  });

  it('accepts app-only tokens: the subject is the calling app, the permissions its app roles', async () => {
    const writer = await validate(validator, await t.apiToken({ app: 'writer' }));
    expect(writer.kind).toBe('app');
    expect(writer.subject).toBe(writer.appId);
    expect(writer.permissions).toEqual(['RestoreSessions.ReadWrite.All']);
    const reader = await validate(validator, await t.apiToken({ app: 'reader' }));
    expect(reader.permissions).toEqual(['RestoreSessions.Read.All']);
    expect(reader.subject).not.toBe(writer.subject);
  });

  it('takes an app-only token without idtyp for the app by oid = sub and no scp, in v1 and v2', async () => {
    for (const tokenVersion of ['1.0', '2.0'] as const) {
      const token = await t.apiToken({ app: 'writer', idtyp: false, tokenVersion });
      const claims = jwtParts(token).payload;
      expect(claims.idtyp, tokenVersion).toBeUndefined();
      expect(claims.oid, tokenVersion).toBe(claims.sub);
      const writer = await validate(validator, token);
      expect(writer, tokenVersion).toMatchObject({ kind: 'app', permissions: ['RestoreSessions.ReadWrite.All'] });
      expect(writer.subject, tokenVersion).toBe(writer.appId);
    }
  });

  it('takes a user token with app roles but no scp for a user with no permissions, in v1 and v2, with or without idtyp', async () => {
    for (const tokenVersion of ['1.0', '2.0'] as const) {
      for (const idtyp of [false, true]) {
        const label = `v${tokenVersion}, idtyp ${String(idtyp)}`;
        const token = await t.apiToken({ user: 'admin', scopes: [], roles: ['RestoreSessions.ReadWrite.All'], idtyp, tokenVersion });
        const claims = jwtParts(token).payload;
        expect(claims.scp, label).toBeUndefined();
        expect(claims.roles, label).toEqual(['RestoreSessions.ReadWrite.All']);
        expect(claims.idtyp, label).toBe(idtyp ? 'user' : undefined);
        expect(claims.sub, label).not.toBe(claims.oid);
        expect(await validate(validator, token), label).toMatchObject({
          kind: 'user',
          subject: seedUser('admin'),
          oid: seedUser('admin'),
          permissions: [],
        });
      }
    }
  });

  it('refuses expired and not-yet-valid tokens', async () => {
    expect(await refusal(validate(validator, await t.apiToken({ user: 'admin', lifetimeSeconds: 0 })))).toBe('expired');
    expect(await refusal(validate(validator, await t.apiToken({ user: 'admin', notBeforeSeconds: 3600 })))).toBe('not_yet_valid');
  });

  it('refuses a token of the same authority for another audience (a Graph token)', async () => {
    // The gateway's own on-behalf-of tokens for Graph, and the app's, are no caller tokens.
    expect(await refusal(validate(validator, await t.userToken('admin')))).toBe('audience');
    expect(await refusal(validate(validator, await t.appToken()))).toBe('audience');
  });

  it('picks up a rotated signing key with one refetch, and still accepts tokens of the previous key', async () => {
    const before = await t.apiToken('admin');
    await validate(validator, before);
    const fetches = validator.jwks.fetches();
    const rotated = await t.call('POST', '/_emulator/keys/rotate');
    expect(rotated.status).toBe(200);
    const after = await t.apiToken('admin');
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    expect(await refusal(validate(validator, after))).toBe('accepted');
    expect(validator.jwks.fetches()).toBe(fetches + 1);
    expect(await refusal(validate(validator, before))).toBe('accepted');
    expect(validator.jwks.fetches()).toBe(fetches + 1);
  });
});

describe('against an authority of the test', () => {
  let authority: LocalAuthority;
  let http: AuthorityHttp;
  let validator: CallerTokenValidator;
  let clock = Date.now();

  beforeAll(async () => {
    authority = await startLocalAuthority();
    http = createAuthorityHttp();
    validator = createCallerTokenValidator({
      authorityHost: authority.origin,
      tenantId: authority.tenantId,
      clientId: authority.clientId,
      http,
      now: () => clock,
    });
  });
  afterAll(async () => {
    await http?.close();
    await authority?.close();
  });

  it('accepts a well-formed token', async () => {
    expect(await refusal(validate(validator, await authority.sign()))).toBe('accepted');
  });

  it("tells app-only tokens apart by Microsoft's rule: idtyp, or without it no scp and oid = sub", async () => {
    const oid = '11111111-2222-3333-4444-555555555555';
    const roles = ['RestoreSessions.ReadWrite.All'];
    const identity = async (
      claims: Record<string, unknown>,
    ): Promise<{ kind: string; permissions: readonly string[]; subject: string }> => {
      const { kind, permissions, subject } = await validate(validator, await authority.sign({ oid, ...claims }));
      return { kind, permissions, subject };
    };
    const appId = '99999999-8888-7777-6666-555555555555';
    expect(await identity({ idtyp: 'app', scp: undefined, roles, sub: 'pairwise-looking', azp: appId })).toEqual({
      kind: 'app',
      permissions: roles,
      subject: appId,
    });
    expect(await identity({ scp: undefined, roles, sub: oid, azp: appId })).toEqual({ kind: 'app', permissions: roles, subject: appId });
    // App roles assigned to a user: no scp, but sub is pairwise, so a user whose roles grant nothing.
    expect(await identity({ scp: undefined, roles, sub: 'pairwise-subject' })).toEqual({ kind: 'user', permissions: [], subject: oid });
    expect(await identity({ scp: undefined, roles })).toEqual({ kind: 'user', permissions: [], subject: oid });
    // idtyp wins over oid = sub, both ways.
    expect(await identity({ idtyp: 'user', scp: undefined, roles, sub: oid })).toEqual({ kind: 'user', permissions: [], subject: oid });
    // A delegated token is a user's even if its sub happens to equal its oid.
    expect(await identity({ scp: 'RestoreSessions.Read', roles, sub: oid })).toEqual({
      kind: 'user',
      permissions: ['RestoreSessions.Read'],
      subject: oid,
    });
  });

  it('applies the same rule to v1 tokens (appid instead of azp)', async () => {
    const oid = '11111111-2222-3333-4444-555555555555';
    const appId = '99999999-8888-7777-6666-555555555555';
    const v1 = {
      iss: `https://sts.windows.net/${authority.tenantId}/`,
      ver: '1.0',
      azp: undefined,
      appid: appId,
      scp: undefined,
      roles: ['RestoreSessions.Read.All'],
      oid,
    };
    expect(await validate(validator, await authority.sign({ ...v1, sub: oid }))).toMatchObject({
      kind: 'app',
      subject: appId,
      permissions: ['RestoreSessions.Read.All'],
    });
    expect(await validate(validator, await authority.sign({ ...v1, sub: 'pairwise-subject' }))).toMatchObject({
      kind: 'user',
      subject: oid,
      permissions: [],
    });
  });

  it('refuses a trusted signature on a token of another issuer or tenant', async () => {
    const otherTenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    expect(await refusal(validate(validator, await authority.sign({ iss: 'https://login.microsoftonline.com/common/v2.0' })))).toBe(
      'issuer',
    );
    expect(await refusal(validate(validator, await authority.sign({ iss: `https://sts.windows.net/${otherTenant}/` })))).toBe('issuer');
    expect(
      await refusal(validate(validator, await authority.sign({ iss: `${authority.origin}/${otherTenant}/v2.0`, tid: otherTenant }))),
    ).toBe('issuer');
    // The right issuer, but the token says it belongs to another tenant.
    expect(await refusal(validate(validator, await authority.sign({ tid: otherTenant })))).toBe('tenant');
    expect(await refusal(validate(validator, await authority.sign({ tid: undefined })))).toBe('claims');
  });

  it('refuses audiences other than the client id and api://<client id>', async () => {
    expect(await refusal(validate(validator, await authority.sign({ aud: `api://${authority.clientId}` })))).toBe('accepted');
    expect(await refusal(validate(validator, await authority.sign({ aud: 'https://graph.microsoft.com' })))).toBe('audience');
    expect(await refusal(validate(validator, await authority.sign({ aud: `api://${authority.clientId}/extra` })))).toBe('audience');
  });

  it('allows a small clock skew on exp and nbf, and no more', async () => {
    const now = Math.floor(clock / 1000);
    expect(await refusal(validate(validator, await authority.sign({ exp: now - 30 })))).toBe('accepted');
    expect(await refusal(validate(validator, await authority.sign({ exp: now - 120 })))).toBe('expired');
    expect(await refusal(validate(validator, await authority.sign({ nbf: now + 30 })))).toBe('accepted');
    expect(await refusal(validate(validator, await authority.sign({ nbf: now + 120 })))).toBe('not_yet_valid');
    expect(await refusal(validate(validator, await authority.sign({ exp: undefined })))).toBe('claims');
  });

  it('refuses alg none, HS256 keyed with the public key, PS256 and tokens without a kid', async () => {
    const good = jwtParts(await authority.sign({ scp: 'RestoreSessions.ReadWrite' }));
    expect(await refusal(validate(validator, encodeJwt({ alg: 'none', typ: 'JWT' }, good.payload, '')))).toBe('algorithm');
    expect(await refusal(validate(validator, encodeJwt({ alg: 'none', typ: 'JWT', kid: authority.key().kid }, good.payload, '')))).toBe(
      'algorithm',
    );
    const confusion = await new SignJWT(good.payload)
      .setProtectedHeader({ alg: 'HS256', kid: authority.key().kid })
      .sign(new TextEncoder().encode(JSON.stringify(authority.key().publicJwk)));
    expect(await refusal(validate(validator, confusion))).toBe('algorithm');
    const pss = await newKey('PS256');
    expect(await refusal(validate(validator, await authority.sign({}, { alg: 'PS256', key: { ...pss, kid: authority.key().kid } })))).toBe(
      'algorithm',
    );
    expect(await refusal(validate(validator, await authority.sign({}, { header: { kid: undefined } })))).toBe('signature');
  });

  it('refuses tampered tokens and tokens signed with a key it does not trust', async () => {
    const good = jwtParts(await authority.sign({ scp: 'RestoreSessions.Read' }));
    const upgraded = encodeJwt(good.header, { ...good.payload, scp: 'RestoreSessions.Read RestoreSessions.ReadWrite' }, good.signature);
    expect(await refusal(validate(validator, upgraded))).toBe('signature');
    const otherSignature = jwtParts(await authority.sign()).signature;
    expect(await refusal(validate(validator, encodeJwt(good.header, good.payload, otherSignature)))).toBe('signature');
    const stranger = await newKey();
    expect(await refusal(validate(validator, await authority.sign({}, { key: stranger })))).toBe('signature');
    // An untrusted key that claims the trusted key's id.
    expect(await refusal(validate(validator, await authority.sign({}, { key: { ...stranger, kid: authority.key().kid } })))).toBe(
      'signature',
    );
  });

  it('refuses what is not a JWT', async () => {
    for (const garbage of ['', 'abc', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.e30', `${'x'.repeat(20_000)}.a.b`]) {
      expect(await refusal(validate(validator, garbage)), garbage.slice(0, 20)).toBe('malformed');
    }
  });

  it('refetches the JWKS for an unknown kid at most once per cooldown', async () => {
    const stranger = await newKey();
    const keyFetches = (): number => authority.requests.filter((p) => p.endsWith('/keys')).length;
    // Past the cooldown of the unknown kids of earlier tests.
    clock += 31_000;
    await validate(validator, await authority.sign());
    const before = keyFetches();
    for (let i = 0; i < 5; i++)
      expect(await refusal(validate(validator, await authority.sign({}, { key: { ...stranger, kid: `forged-${i}` } })))).toBe('signature');
    expect(keyFetches()).toBe(before + 1);
    // A rotation inside the cooldown is picked up once the cooldown is over, with one more fetch.
    const next = await authority.rotate();
    expect(await refusal(validate(validator, await authority.sign({}, { key: next })))).toBe('signature');
    expect(keyFetches()).toBe(before + 1);
    clock += 31_000;
    expect(await refusal(validate(validator, await authority.sign({}, { key: next })))).toBe('accepted');
    expect(keyFetches()).toBe(before + 2);
  });
});

describe('when the authority cannot be reached', () => {
  it('answers AuthorityUnavailableError, not a refusal of the token', async () => {
    const authority = await startLocalAuthority();
    const token = await authority.sign();
    await authority.close();
    const http = createAuthorityHttp({ timeoutMs: 2_000 });
    const validator = createCallerTokenValidator({
      authorityHost: authority.origin,
      tenantId: authority.tenantId,
      clientId: authority.clientId,
      http,
    });
    try {
      await expect(validate(validator, token)).rejects.toBeInstanceOf(AuthorityUnavailableError);
      await expect(validator.warmUp()).resolves.toBeUndefined();
    } finally {
      await http.close();
    }
  });
});
