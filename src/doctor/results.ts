/**
 * What the doctor finds, in the shape its JSON file keeps (`--json`, version 1, docs/operations.md). Plain data only, so
 * a later gateway start can read the file without the doctor's code.
 */

/**
 * `works`: Graph answered 2xx. `refused`: a 400 naming the probed query option as not allowed (OData's validator,
 * "Query option 'Top' is not allowed"); with a `fallback`, the gateway does without it. `failed`: anything else.
 * `skipped`: not checked, because the tenant gave nothing to check it with (no restore point, no second page); a
 * skipped check never fails the run.
 */
export type CapabilityResult = 'works' | 'refused' | 'failed' | 'skipped';

/** `denied`: Graph answered 401 or 403, so the app (or the user) lacks the permission named beside it. */
export type PermissionResult = 'works' | 'denied' | 'failed' | 'skipped';

export interface CheckOutcome<R extends string = CapabilityResult> {
  result: R;
  /** HTTP status of Graph's answer; null when none came (transport failure, skipped). */
  status: number | null;
  /** Graph's `request-id`, for a support case; null when Graph gave none. */
  requestId: string | null;
  /** Graph's error code and message, the refused option's words, or why the check was skipped. */
  detail?: string;
  /**
   * False when this tenant's answers show the gateway would not use the capability (`$skip` when Graph's nextLinks
   * continue with `$skiptoken`): its result is reported but does not fail the run. Absent: needed.
   */
  needed?: false;
  /**
   * Only on a refused capability the gateway can do without here: what it does instead (the gateway's own sentence). A
   * refused capability with a fallback does not fail the run; one without (absent) does.
   */
  fallback?: string;
}

export interface PermissionOutcome extends CheckOutcome<PermissionResult> {
  /** The Microsoft Graph permission this endpoint family needs. */
  permission: string;
}

export interface TokenOutcome {
  result: 'works' | 'failed' | 'skipped';
  /** `roles` of an app token, `scp` of a delegated one: what Graph will let it do. */
  permissions: string[];
  /** When the token expires (ISO), from its `exp`. */
  expiresAt: string | null;
  /** The authority's error code, or why it was skipped. */
  detail?: string;
}

export interface UndocumentedEndpointNote {
  method: string;
  path: string;
  reason: string;
  /** The doctor's checks that reached this endpoint (capability or permission names). */
  checkedBy: string[];
}

export interface DoctorReport {
  version: 1;
  graphBaseUrl: string;
  checkedAt: string;
  /** The run's verdict: true when everything the gateway needs works or falls back (exit code 0). */
  ok: boolean;
  tokens: { app: TokenOutcome; onBehalfOf: TokenOutcome };
  permissions: Record<string, PermissionOutcome>;
  capabilities: Record<string, CheckOutcome>;
  /** Only with `--write`: the draft session made and deleted. */
  writes: Record<string, CheckOutcome> | null;
  /** Endpoints the gateway calls that no documentation page lists; null when the list is not installed. */
  undocumentedEndpoints: UndocumentedEndpointNote[] | null;
}

/**
 * The checks the gateway needs that were refused without a fallback, denied or failed (skipped and not-needed ones
 * never count, and neither does a refusal the gateway falls back from).
 */
export function failingChecks(report: Omit<DoctorReport, 'ok'>): string[] {
  const named: Array<[string, { result: string; needed?: false; fallback?: string }]> = [
    ['appToken', report.tokens.app],
    ['onBehalfOf', report.tokens.onBehalfOf],
    ...Object.entries(report.permissions),
    ...Object.entries(report.capabilities),
    ...Object.entries(report.writes ?? {}),
  ];
  const bad = (r: string): boolean => r === 'refused' || r === 'failed' || r === 'denied';
  return named.filter(([, o]) => bad(o.result) && o.needed !== false && o.fallback === undefined).map(([name]) => name);
}

/** The capabilities Graph refused that the gateway runs on a fallback instead, in report order. */
export function onFallback(report: Pick<DoctorReport, 'capabilities'>): string[] {
  return Object.entries(report.capabilities)
    .filter(([, o]) => o.result === 'refused' && o.needed !== false && o.fallback !== undefined)
    .map(([name]) => name);
}
