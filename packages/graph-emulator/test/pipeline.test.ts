import { describe, expect, it } from 'vitest';
import https from 'node:https';
import tls from 'node:tls';
import { useTestEmulator } from '../src/testing/index.js';
import { seedUnitId } from '../src/index.js';

const ROOT = '/solutions/backupRestore';

interface GraphErrorBody {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string; 'client-request-id': string; code?: string } };
}

const t = useTestEmulator();

/**
 * Sends the path byte for byte: undici (behind `t.call`) normalizes `..` and re-encodes the URL, which would hide
 * exactly what these tests are about.
 */
function rawRequest(
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: t.emu.port, method, path, headers: opts.headers, ca: t.emu.caCert, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
          resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function expectGraphError(
  res: { status: number; headers: Record<string, string>; text: string },
  statuses: number[],
  label: string,
): Promise<GraphErrorBody> {
  expect(statuses, `${label}: ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
  expect(res.headers['content-type'], label).toMatch(/^application\/json/);
  const body = JSON.parse(res.text) as GraphErrorBody;
  expect(typeof body.error.code, label).toBe('string');
  expect(typeof body.error.message, label).toBe('string');
  // Hostile input is never echoed at length, nor with control characters.
  expect(body.error.message.length, label).toBeLessThan(300);
  // eslint-disable-next-line no-control-regex
  expect(body.error.message, label).not.toMatch(/[\u0000-\u001f]/);
  return body;
}

describe('Graph error envelope and request ids', () => {
  it('renders errors as Graph does, with request-id, date and the echoed client-request-id', async () => {
    const res = await t.graph<GraphErrorBody>('GET', `${ROOT}/protectionUnits/nope`, {
      headers: { 'client-request-id': 'my-client-id-1' },
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['client-request-id']).toBe('my-client-id-1');
    const requestId = res.headers['request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.error.code).toBe('InvalidProtectionUnitId');
    expect(res.body.error.innerError['request-id']).toBe(requestId);
    expect(res.body.error.innerError['client-request-id']).toBe('my-client-id-1');
    expect(res.body.error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  it('echoes client-request-id on success and gives each request its own request-id', async () => {
    const a = await t.graph('GET', `${ROOT}/protectionUnits/${seedUnitId(1)}`, { headers: { 'client-request-id': 'ok-1' } });
    const b = await t.graph('GET', `${ROOT}/protectionUnits/${seedUnitId(1)}`);
    expect(a.status).toBe(200);
    expect(a.headers['client-request-id']).toBe('ok-1');
    expect(a.headers['request-id']).not.toBe(b.headers['request-id']);
    // Without one, Graph answers with its request-id as the client-request-id.
    expect(b.headers['client-request-id']).toBe(b.headers['request-id']);
  });

  it('bounds and cleans an overlong or non-ASCII client-request-id instead of reflecting it', async () => {
    const res = await rawRequest('GET', `/beta${ROOT}/protectionUnits/x`, { headers: { 'client-request-id': `${'a'.repeat(500)}\u00e9` } });
    const body = await expectGraphError(res, [401], 'crid');
    expect(res.headers['client-request-id']).toBe('a'.repeat(128));
    expect(body.error.innerError['client-request-id']).toBe('a'.repeat(128));
  });
});

describe('routing', () => {
  it('serves the same resources under /beta and /v1.0', async () => {
    for (const version of ['beta', 'v1.0'] as const) {
      const res = await t.graph<Record<string, unknown>>('GET', ROOT, { version });
      expect(res.status, version).toBe(200);
      expect(res.body['@odata.context']).toBe(`${t.emu.origin}/${version}/$metadata#solutions/backupRestore/$entity`);
    }
  });

  it('answers 400 "Resource not found for the segment" for unknown paths under a version root', async () => {
    const res = await t.graph<GraphErrorBody>('GET', `${ROOT}/restoreWidgets`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadRequest');
    expect(res.body.error.message).toBe("Resource not found for the segment 'restoreWidgets'.");
    const me = await t.graph<GraphErrorBody>('GET', '/me');
    expect(me.body.error.message).toBe("Resource not found for the segment 'me'.");
    const deep = await t.graph<GraphErrorBody>('GET', `${ROOT}/protectionUnits/${seedUnitId(1)}/extra/more`);
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toContain('Resource not found for the segment');
  });

  it('matches literal segments case-insensitively', async () => {
    const res = await t.graph('GET', `/SOLUTIONS/backuprestore/SiteProtectionUnits?$top=1`);
    expect(res.status).toBe(200);
  });

  it('answers 404 in the Graph envelope outside the version roots', async () => {
    for (const path of ['/', '/v2.0/solutions/backupRestore', '/BETA/solutions/backupRestore', '/favicon.ico']) {
      const res = await t.call<GraphErrorBody>('GET', path, { token: await t.appToken() });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBeTruthy();
    }
  });

  it('answers 405 for a method the resource does not support', async () => {
    for (const [method, path] of [
      ['DELETE', ROOT],
      ['POST', `${ROOT}/siteProtectionUnits`],
      ['PATCH', `${ROOT}/protectionUnits/${seedUnitId(1)}`],
      ['PUT', `${ROOT}/restorePoints/search`],
    ] as const) {
      const res = await t.graph<GraphErrorBody>(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.body.error.code).toBe('MethodNotAllowed');
    }
  });

  it('refuses unknown and repeated $ query options with 400, ignoring custom options', async () => {
    const unknown = await t.graph<GraphErrorBody>('GET', `${ROOT}/siteProtectionUnits?$frobnicate=1`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('$frobnicate');
    const twice = await t.graph('GET', `${ROOT}/siteProtectionUnits?$top=1&$top=2`);
    expect(twice.status).toBe(400);
    const notSupportedHere = await t.graph('GET', `${ROOT}?$top=1`);
    expect(notSupportedHere.status).toBe(400);
    const custom = await t.graph('GET', `${ROOT}/siteProtectionUnits?$top=1&trace=yes`);
    expect(custom.status).toBe(200);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await t.graph<GraphErrorBody>('POST', `${ROOT}/restorePoints/search`, {
      rawBody: '{"protectionUnitIds": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadRequest');
    expect(res.body.error.innerError['request-id']).toBeTruthy();
  });
});

describe('authentication and permissions', () => {
  it('answers 401 InvalidAuthenticationToken with WWW-Authenticate without a token or with a bad one', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['none', {}],
      ['empty bearer', { authorization: 'Bearer ' }],
      ['garbage', { authorization: 'Bearer not.a.jwt' }],
      ['basic', { authorization: 'Basic dXNlcjpwYXNz' }],
      // A token for the gateway's own API is not a Graph token.
      ['other audience', { authorization: `Bearer ${await t.apiToken('admin')}` }],
    ];
    for (const [label, headers] of cases) {
      const res = await t.graph<GraphErrorBody>('GET', ROOT, { token: null, headers });
      expect(res.status, label).toBe(401);
      expect(res.body.error.code, label).toBe('InvalidAuthenticationToken');
      expect(res.headers['www-authenticate'], label).toMatch(/^Bearer /);
      expect(res.headers['request-id'], label).toBeTruthy();
    }
  });

  it('authenticates before routing: an unknown path without a token is 401', async () => {
    const res = await t.graph('GET', '/nowhere', { token: null });
    expect(res.status).toBe(401);
  });

  it('answers 403 when the token lacks the endpoint’s permission', async () => {
    const reader = await t.userToken('reader');
    const root = await t.graph<GraphErrorBody>('GET', ROOT, { token: reader });
    expect(root.status).toBe(403);
    expect(root.body.error.code).toBe('Forbidden');
    expect(root.body.error.message).toContain('BackupRestore-Control.Read.All');
    const units = await t.graph('GET', `${ROOT}/siteProtectionUnits?$top=1`, { token: reader });
    expect(units.status).toBe(200);
  });
});

describe('GET solutions/backupRestore (E1)', () => {
  it('returns the root with an enabled first-party service status', async () => {
    const res = await t.graph<Record<string, unknown>>('GET', ROOT);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: t.emu.settings.AZURE_TENANT_ID,
      serviceStatus: { status: 'enabled', disableReason: 'none', backupServiceConsumer: 'firstparty' },
    });
    const status = res.body.serviceStatus as Record<string, unknown>;
    expect(Date.parse(String(status.lastModifiedDateTime))).toBeLessThan(t.emu.clock.now());
    expect(status.lastModifiedBy).toMatchObject({ user: { displayName: expect.any(String) } });
    const selected = await t.graph<Record<string, unknown>>('GET', `${ROOT}?$select=serviceStatus`);
    expect(Object.keys(selected.body)).toEqual(['@odata.context', 'serviceStatus']);
  });
});

describe('hostile paths', () => {
  const hostile: Array<[string, string]> = [
    ['encoded slash', `/beta/solutions%2FbackupRestore/siteProtectionUnits`],
    ['encoded slash in an id', `/beta${ROOT}/restorePoints/..%2F..%2FsiteProtectionUnits`],
    ['dot-dot segment', `/beta${ROOT}/../backupRestore/siteProtectionUnits`],
    ['dot-dot out of the version root', `/beta/../_emulator/clock`],
    ['encoded dot-dot', `/beta/%2e%2e/_emulator/clock`],
    ['encoded dot-dot as an id', `/beta${ROOT}/protectionUnits/%2e%2e`],
    ['backslashes', `/beta${ROOT}\\..\\siteProtectionUnits`],
    ['NUL in a segment', `/beta/solutions%00/backupRestore`],
    ['NUL as an id', `/beta${ROOT}/protectionUnits/%00`],
    ['NUL in a restore point id', `/beta${ROOT}/restorePoints/${seedUnitId(1)}_1748822400_14_1%00`],
    ['10 kB segment', `/beta${ROOT}/${'a'.repeat(10_240)}`],
    ['10 kB id', `/beta${ROOT}/restorePoints/${'a'.repeat(10_240)}`],
    ['10 kB unit id', `/beta${ROOT}/protectionUnits/${'b'.repeat(10_240)}`],
    ['truncated escape', `/beta${ROOT}/protectionUnits/%E0%A4%A`],
    ['invalid escape', `/beta${ROOT}/%zz`],
    ['lone percent', `/beta${ROOT}/protectionUnits/%`],
    ['overlong UTF-8', `/beta${ROOT}/%C0%AE%C0%AE/siteProtectionUnits`],
    ['non-ASCII segment', `/beta${ROOT}/%F0%9F%92%A9`],
    ['empty segments', `/beta//solutions//backupRestore`],
    ['bad escape in the query', `/beta${ROOT}/siteProtectionUnits?$filter=%zz`],
    ['NUL in the query', `/beta${ROOT}/siteProtectionUnits?$filter=status%20eq%20%27%00%27`],
  ];

  it('answers every hostile path with a Graph envelope (400/401/404), never 500 and never another resource', async () => {
    const token = await t.appToken();
    const clockBefore = (await t.call<{ now: string }>('GET', '/_emulator/clock')).body.now;
    for (const [label, path] of hostile) {
      const res = await rawRequest('GET', path, { headers: { authorization: `Bearer ${token}` } });
      await expectGraphError(res, [400, 404], label);
      const anonymous = await rawRequest('GET', path);
      await expectGraphError(anonymous, [400, 401, 404], `${label} (no token)`);
    }
    // Writes that would reach the admin API if the path were resolved must not.
    for (const path of ['/beta/../_emulator/clock/advance', '/v1.0/%2e%2e/_emulator/clock/advance', '/beta/..%2F_emulator/clock/advance']) {
      const res = await rawRequest('POST', path, {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ms: 3_600_000 }),
      });
      await expectGraphError(res, [400, 404], path);
    }
    expect((await t.call<{ now: string }>('GET', '/_emulator/clock')).body.now).toBe(clockBefore);
  });

  it('survives garbage on the wire and keeps answering', async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: t.emu.port, ca: t.emu.caCert, servername: 'localhost' }, () => {
        socket.write('GET /beta/\u0000\u0001 HTTP/1.1\r\nHost: x\r\n\r\nBLAH BLAH\r\n\r\n');
      });
      socket.setTimeout(5_000, () => {
        socket.destroy();
        reject(new Error('the server neither answered nor closed the connection'));
      });
      socket.on('data', () => undefined);
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
    });
    const res = await t.graph('GET', `${ROOT}/protectionUnits/${seedUnitId(1)}`);
    expect(res.status).toBe(200);
    const many = await Promise.all(hostile.map(([, path]) => rawRequest('GET', path)));
    expect(many.every((r) => r.status >= 400 && r.status < 500)).toBe(true);
    const after = await t.graph('GET', `${ROOT}/siteProtectionUnits?$top=1`);
    expect(after.status).toBe(200);
  });
});
