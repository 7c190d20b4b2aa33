import type { AdminApi } from './admin-api.js';
import { objectBody } from './admin-api.js';
import { badRequest } from '../http/errors.js';
import type { ApiTokenRequest } from '../authority/authority.js';

/** reset, clock and token: the admin endpoints the restore lifecycle and the tests need. */
export function registerCoreEndpoints(admin: AdminApi, reset: () => void): void {
  admin.on('POST', 'reset', () => {
    reset();
    return { status: 'reset', clock: new Date(admin.context.clock.now()).toISOString() };
  });

  admin.on('GET', 'clock', () => clockView(admin));

  admin.on('POST', 'clock/advance', (body) => {
    const { ms } = objectBody(body);
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 10 * 365 * 86_400_000) {
      throw badRequest("'ms' must be a non-negative number of milliseconds (at most ten years).");
    }
    admin.context.clock.advance(ms);
    return clockView(admin);
  });

  admin.on('POST', 'token', async (body) => {
    const o = objectBody(body);
    const input: ApiTokenRequest = { audience: typeof o.audience === 'string' ? o.audience : admin.context.authority.clientId };
    if (o.user !== undefined) {
      if (typeof o.user !== 'string') throw badRequest('\'user\' must be a seeded user\'s name, e.g. "admin" or "reader".');
      input.user = o.user;
    }
    if (o.app !== undefined) {
      if (o.app !== 'writer' && o.app !== 'reader') throw badRequest('\'app\' must be "writer" or "reader".');
      input.app = o.app;
    }
    if (input.user === undefined && input.app === undefined) input.user = 'admin';
    if (o.tokenVersion !== undefined) {
      if (o.tokenVersion !== '1.0' && o.tokenVersion !== '2.0') throw badRequest('\'tokenVersion\' must be "1.0" or "2.0".');
      input.tokenVersion = o.tokenVersion;
    }
    if (o.lifetimeSeconds !== undefined) {
      if (typeof o.lifetimeSeconds !== 'number' || !Number.isFinite(o.lifetimeSeconds))
        throw badRequest("'lifetimeSeconds' must be a number.");
      input.lifetimeSeconds = o.lifetimeSeconds;
    }
    if (o.notBeforeSeconds !== undefined) {
      if (typeof o.notBeforeSeconds !== 'number' || !Number.isFinite(o.notBeforeSeconds))
        throw badRequest("'notBeforeSeconds' must be a number.");
      input.notBeforeSeconds = o.notBeforeSeconds;
    }
    const scopes = stringList(o, 'scopes', "'scopes' must be a list of delegated scope names (an empty list leaves 'scp' out).");
    if (scopes !== undefined) input.scopes = scopes;
    const roles = stringList(o, 'roles', '\'roles\' must be a list of app role names, e.g. ["RestoreSessions.ReadWrite.All"].');
    if (roles !== undefined) input.roles = roles;
    if (o.idtyp !== undefined) {
      if (typeof o.idtyp !== 'boolean')
        throw badRequest("'idtyp' must be true or false: whether the token carries the optional idtyp claim.");
      input.idtyp = o.idtyp;
    }
    const accessToken = await admin.context.authority.issueApiToken(input);
    return { token_type: 'Bearer', access_token: accessToken };
  });

  admin.on('POST', 'keys/rotate', async () => {
    await admin.context.authority.rotateSigningKey();
    return { status: 'rotated' };
  });
}

function stringList(body: Record<string, unknown>, field: string, message: string): string[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) throw badRequest(message);
  return value;
}

/** `start` is the instant the seed is dated at: restore point ids hold their day, so it says which ids exist. */
function clockView(admin: AdminApi): { now: string; start: string; mode: string; timeScale: number } {
  const ctx = admin.context;
  return {
    now: new Date(ctx.clock.now()).toISOString(),
    start: new Date(ctx.clock.start()).toISOString(),
    mode: ctx.clock.mode,
    timeScale: ctx.options.timeScale,
  };
}
