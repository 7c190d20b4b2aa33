import type { UndocumentedEndpoint } from '@restore-session-gateway/graph-emulator';
import type { UndocumentedEndpointNote } from './results.js';

/**
 * The endpoints no Microsoft Graph documentation page lists but Microsoft's SDK offers, as the emulator's strict profile
 * records them (`UNDOCUMENTED_ENDPOINTS`). The emulator package is a development dependency: a production install
 * (`npm ci --omit=dev`) leaves it out, and the doctor then says the list is not available instead of failing.
 */
export async function loadUndocumentedEndpoints(): Promise<readonly UndocumentedEndpoint[] | undefined> {
  try {
    return (await import('@restore-session-gateway/graph-emulator')).UNDOCUMENTED_ENDPOINTS;
  } catch {
    return undefined;
  }
}

/** `GET solutions/backuprestore/restorepoints/{}`: placeholders compared by position, literals case-insensitively. */
function endpointKey(endpoint: string): string {
  return endpoint.replace(/\{[^}]*\}/g, '{}').toLowerCase();
}

/** Each undocumented endpoint with the doctor's checks that reached it (`checks`: check name → `METHOD path`). */
export function noteUndocumented(list: readonly UndocumentedEndpoint[], checks: Record<string, string>): UndocumentedEndpointNote[] {
  return list.map((e) => {
    const key = endpointKey(`${e.method} ${e.path}`);
    const checkedBy = Object.entries(checks)
      .filter(([, endpoint]) => endpointKey(endpoint) === key)
      .map(([name]) => name);
    return { method: e.method, path: e.path, reason: e.reason, checkedBy };
  });
}
