import { capabilityOf } from './capabilities.js';
import { failingChecks, onFallback, type CheckOutcome, type DoctorReport, type TokenOutcome } from './results.js';

/**
 * The report as the person at the terminal reads it: tokens, permissions, capabilities (with what depends on each and,
 * for a refused one, what the gateway does instead), writes, the undocumented endpoints, and a verdict. Plain text tables; the last column is never padded. No token and
 * no secret is in the report to begin with.
 */

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

function resultOf(o: CheckOutcome<string>): string {
  if (o.needed === false) return `${o.result} (not needed)`;
  return o.fallback === undefined ? o.result : `${o.result} (falls back)`;
}

const cellsOf = (o: CheckOutcome<string>): string[] => [resultOf(o), o.status === null ? '-' : String(o.status), o.requestId ?? '-'];

/** The lines of outcomes that have something to say beyond their result: why, and what the gateway does instead. */
function notes(entries: ReadonlyArray<[string, CheckOutcome<string>]>): string[] {
  const lines = entries.flatMap(([name, o]) => [
    ...(o.detail !== undefined && o.result !== 'works' ? [`  ${name}: ${o.detail}`] : []),
    ...(o.fallback !== undefined && o.needed !== false ? [`  ${name}: falls back: ${o.fallback}`] : []),
  ]);
  return lines.length === 0 ? [] : ['', ...lines];
}

function tokenLine(label: string, t: TokenOutcome, what: string): string {
  if (t.result !== 'works') return `  ${label}: ${t.result}${t.detail ? ` (${t.detail})` : ''}`;
  const granted = t.permissions.length > 0 ? t.permissions.join(', ') : 'none';
  return `  ${label}: works; ${what}: ${granted}${t.expiresAt ? `; expires ${t.expiresAt}` : ''}`;
}

function verdict(report: DoctorReport): string {
  const failing = failingChecks(report);
  const fallbacks = onFallback(report);
  const onFallbacks =
    fallbacks.length === 0
      ? ''
      : `${fallbacks.length} ${fallbacks.length === 1 ? 'capability' : 'capabilities'} on a fallback: ${fallbacks.join(', ')}`;
  if (failing.length === 0) return `Verdict: everything the gateway needs works${onFallbacks === '' ? '' : ` (${onFallbacks})`}.`;
  const failed = `Verdict: ${failing.length} check(s) the gateway needs did not pass: ${failing.join(', ')}`;
  return `${failed}${onFallbacks === '' ? '' : `; ${onFallbacks}`}.`;
}

function undocumented(report: DoctorReport): string[] {
  const head = "Endpoints no documentation page lists (Microsoft's SDK offers them; real Graph may stop serving them):";
  if (report.undocumentedEndpoints === null) return [head, '  (list not available: the emulator package is not installed)'];
  return [
    head,
    ...report.undocumentedEndpoints.map((e) => {
      const checked = e.checkedBy.map((name) => {
        const outcome = report.capabilities[name] ?? report.permissions[name];
        return `${name} ${outcome === undefined ? '' : resultOf(outcome)}`.trim();
      });
      return `  ${e.method} ${e.path}: ${checked.length > 0 ? `checked (${checked.join(', ')})` : 'not checked by the doctor'}`;
    }),
  ];
}

export function renderReport(report: DoctorReport): string {
  const permissions = Object.entries(report.permissions);
  const capabilities = Object.entries(report.capabilities);
  const writes = Object.entries(report.writes ?? {});
  const sections = [
    [`Microsoft Graph doctor: ${report.graphBaseUrl}, checked ${report.checkedAt}`],
    [
      'Tokens:',
      tokenLine('app token (client credentials)', report.tokens.app, 'roles'),
      tokenLine('on-behalf-of exchange', report.tokens.onBehalfOf, 'delegated scopes'),
    ],
    [
      'Permissions (a plain read of each endpoint family the gateway calls):',
      ...table(
        ['family', 'result', 'HTTP', 'Graph request id', 'permission needed'],
        permissions.map(([n, o]) => [n, ...cellsOf(o), o.permission]),
      ),
      ...notes(permissions),
    ],
    [
      'Capabilities (direct requests, not through the gateway):',
      ...table(
        ['capability', 'result', 'HTTP', 'Graph request id', 'what depends on it'],
        capabilities.map(([n, o]) => [n, ...cellsOf(o), capabilityOf(n)?.uses ?? '']),
      ),
      ...notes(capabilities),
    ],
    report.writes === null
      ? ['Writes: not checked (read-only run; --write creates an empty draft session and deletes it)']
      : [
          'Writes (--write):',
          ...table(
            ['write', 'result', 'HTTP', 'Graph request id', 'detail'],
            writes.map(([n, o]) => [n, ...cellsOf(o), o.detail ?? '']),
          ),
        ],
    undocumented(report),
    [verdict(report)],
  ];
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}
