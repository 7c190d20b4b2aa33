import type { AdminApi } from './admin-api.js';
import type { Journal } from './journal.js';
import type { FaultInjector } from './faults.js';
import type { SeedFixture } from '../model/seed.js';
import { validateSeed } from '../model/seed-validate.js';
import { badRequest } from '../http/errors.js';

/** faults, journal and seed: the admin endpoints that make the emulator observable and controllable. */
export function registerObserveEndpoints(
  admin: AdminApi,
  deps: { journal: Journal; faults: FaultInjector; currentSeed: () => SeedFixture; replaceSeed: (seed: SeedFixture) => void },
): void {
  admin.on('GET', 'faults', () => deps.faults.view());
  admin.on('PUT', 'faults', (body) => {
    deps.faults.set(body);
    return deps.faults.view();
  });
  admin.on('DELETE', 'faults', () => {
    deps.faults.clear();
    return undefined;
  });

  admin.on('GET', 'journal', (_body, req) => {
    const sinceRaw = req.query.get('since');
    const since = sinceRaw === null ? 0 : Number(sinceRaw);
    if (!Number.isInteger(since) || since < 0) throw badRequest("'since' must be a non-negative integer sequence number.");
    return { lastSeq: deps.journal.lastSeq, entries: deps.journal.list(since) };
  });
  admin.on('DELETE', 'journal', () => {
    deps.journal.clear();
    return undefined;
  });

  admin.on('GET', 'seed', () => deps.currentSeed());
  admin.on('POST', 'seed', (body) => {
    const seed = validateSeed(body);
    deps.replaceSeed(seed);
    return {
      status: 'seeded',
      protectionUnits: seed.protectionUnits.length,
      restorePoints: seed.restorePoints.length,
      sessions: seed.sessions.length,
    };
  });
}
