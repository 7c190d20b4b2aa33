import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type LogLevelName } from '../../src/logger.js';
import { SEED_SESSION_IDS, type ApiTokenRequest } from '@restore-session-gateway/graph-emulator';
import { startTestGateway, type TestGateway } from '../gateway/harness.js';
import { startLocalAuthority } from './support.js';

// No token, assertion or secret in any log line at any level: the logger's redaction on its own, then every line a
// gateway writes at trace level while callers come and go, tokens are exchanged and refused, and the authority fails.

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
/** A client secret the authority refuses: the gateway logs the failure (masked for the client), never the secret. */
const WRONG_SECRET = 'wrong-client-secret.d41d8cd98f00b204';
const LEVELS: LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

describe('the logger', () => {
  const SECRET = 'configured-secret-value-123';

  it('redacts credential fields, bearer values, JWTs, form credentials and configured secrets at every level', async () => {
    const token = await (await startLocalAuthority()).sign();
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', write: (line) => lines.push(line), secrets: [SECRET] });
    const cause = new Error(`upstream said: invalid assertion ${token}`);
    const error = Object.assign(new Error(`exchange failed for Bearer ${token}`, { cause }), {
      assertion: token,
      errorCode: 'invalid_grant',
    });
    for (const level of LEVELS) {
      logger[level](`message with ${token} and ${SECRET}`, {
        authorization: `Bearer ${token}`,
        headers: { Authorization: `Bearer ${token}`, cookie: 'session=1' },
        clientSecret: SECRET,
        body: `grant_type=jwt-bearer&assertion=${token}&client_secret=${SECRET}`,
        url: `https://login.example/token?access_token=${token}`,
        nested: [{ accessToken: token, note: `the secret is ${SECRET}` }],
        error,
        kept: 'visible',
        count: 3,
      });
    }
    expect(lines).toHaveLength(LEVELS.length);
    for (const line of lines) {
      expect(line).not.toContain(token);
      expect(line).not.toMatch(JWT);
      expect(line).not.toContain(SECRET);
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(record.kept).toBe('visible');
      expect(record.count).toBe(3);
      expect(record.authorization).toBe('[redacted]');
      expect((record.error as { errorCode?: string }).errorCode).toBe('invalid_grant');
      expect(JSON.stringify(record.error)).toContain('upstream said');
    }
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(LEVELS);
  });

  it('honours LOG_LEVEL and writes nothing when silent', () => {
    const lines: string[] = [];
    const warn = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    for (const level of LEVELS) warn[level]('x');
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['warn', 'error', 'fatal']);
    const silent = createLogger({ level: 'silent', write: (line) => lines.push(line) });
    for (const level of LEVELS) silent[level]('x');
    expect(lines).toHaveLength(3);
    expect(warn.child({ component: 'c' }).isLevelEnabled('info')).toBe(false);
  });
});

describe('a running gateway at LOG_LEVEL=trace', () => {
  const gateways: TestGateway[] = [];
  const seen: string[] = [];

  beforeAll(async () => {
    gateways.push(await startTestGateway());
    gateways.push(await startTestGateway({ env: { AUTH_MODE: 'app' } }));
    gateways.push(await startTestGateway({ upstream: (u) => ({ ...u, authorityHost: 'https://127.0.0.1:9' }) }));
    gateways.push(
      await startTestGateway({
        env: { AUTH_MODE: 'app' },
        upstream: (u) => ({ ...u, credential: { kind: 'secret', clientSecret: WRONG_SECRET } }),
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gw) => gw.close()));
  });

  it('never writes a token, an assertion or a secret', async () => {
    for (const gw of gateways) {
      const apiToken = async (shape: Partial<ApiTokenRequest>): Promise<string> => {
        const token = await gw.t.apiToken(shape);
        seen.push(token);
        return token;
      };
      for (const user of ['admin', 'reader', 'noconsent']) seen.push(await gw.token(user));
      await gw.query('{ restoreSessions(first: 2) { nodes { id status } } }');
      await gw.queryAs('reader', 'query ($id: ID!) { restoreSession(id: $id) { id } }', { id: SEED_SESSION_IDS.completed });
      await gw.queryAs('reader', `mutation { deleteRestoreSession(id: "${SEED_SESSION_IDS.draft}") { deletedRestoreSessionId } }`);
      await gw.queryAs('noconsent', '{ restoreSessions { totalCount } }');
      await gw.queryAs({ token: await apiToken({ app: 'writer' }) }, '{ siteProtectionUnits(first: 1) { totalCount } }');
      await gw.queryAs({ token: await apiToken({ user: 'admin', lifetimeSeconds: 0 }) }, '{ restoreSessions { totalCount } }');
      await gw.queryAs({ token: 'not-a-token' }, '{ restoreSessions { totalCount } }');
      await gw.queryAs(null, '{ restoreSessions { totalCount } }');
      // A Graph outage.
      gw.t.emu.faults.set({ seed: 1, rules: [{ path: '**', status: 500, rate: 1 }] });
      await gw.query('{ restoreSessions { totalCount } }');
      gw.t.emu.faults.clear();
      await gw.gateway.createContext.authenticateConnection({ authorization: `Bearer ${await gw.token('admin')}` });
      await gw.gateway.createContext.authenticateConnection({ token: 'Bearer garbage' });
      seen.push(await gw.t.userToken('admin'), await gw.t.appToken());
    }
    const secrets = [...new Set([...seen, gateways[0]!.t.emu.settings.AZURE_CLIENT_SECRET, WRONG_SECRET])];
    const lines = gateways.flatMap((gw) => gw.logLines);
    const levels = new Set(lines.map((line) => (JSON.parse(line) as { level: string }).level));
    expect([...levels].sort()).toEqual(expect.arrayContaining(['debug', 'error', 'info', 'trace', 'warn']));
    // The refused client secret was logged as the authority's verdict, with its code.
    expect(lines.some((line) => line.includes('"level":"error"') && line.includes('invalid_client'))).toBe(true);
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      expect(line).not.toMatch(JWT);
      expect(line).not.toMatch(/Bearer\s+(?!\[redacted\])\S/);
      for (const secret of secrets) expect(line.includes(secret), `a secret in: ${line.slice(0, 200)}`).toBe(false);
    }
  });
});
