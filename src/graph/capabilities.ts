import { GraphRequestError } from './errors.js';

/**
 * What the gateway asks of Graph although no documentation page promises it for that endpoint, and what it does when
 * Graph refuses. The names are the doctor's (`npm run doctor`), so its JSON file can seed the memory at start.
 *
 * The memory is one per Graph base URL (one per gateway instance) and shared by every caller's client. A refusal is
 * remembered only when Graph's answer names the option as not allowed, for a request whose query options the gateway
 * built itself with no caller-supplied text in them (the list code decides that), so no caller can switch a capability
 * off for everyone. A remembered refusal is tried again after `recheckMs` (and forgotten at restart): the first request
 * after that asks again, and a success forgets it.
 */

// What each kind of fallback does, said once for every list that uses it.
const READ_BY_GRAPH_PAGES = "pages read at Graph's own size and followed until `first` is filled";
const COUNT_FROM_PAGES =
  '`totalCount` counted from the pages read (read 100 at a time): exact when the list ends within them, otherwise null';
const FILTER_HERE = "filtered on the gateway's side over Graph's pages, scanning at most GRAPH_FALLBACK_SCAN_LIMIT sessions";
const FILTER_ARTIFACTS_HERE = "filtered on the gateway's side over Graph's pages, scanning at most GRAPH_FALLBACK_SCAN_LIMIT artifacts";

/** The capabilities the gateway can do without, each with the fallback it uses instead. */
export const FALLBACKS = {
  'restoreSessions.count': COUNT_FROM_PAGES,
  'restoreSessions.top': READ_BY_GRAPH_PAGES,
  'restoreSessions.filterStatus': FILTER_HERE,
  'restoreSessions.filterJobType': FILTER_HERE,
  'sharePointRestoreSessions.count': COUNT_FROM_PAGES,
  'sharePointRestoreSessions.top': READ_BY_GRAPH_PAGES,
  'sharePointRestoreSessions.filterStatus': FILTER_HERE,
  'sharePointRestoreSessions.filterJobType': FILTER_HERE,
  'siteProtectionUnits.top': READ_BY_GRAPH_PAGES,
  'siteProtectionUnits.count': COUNT_FROM_PAGES,
  'mailboxProtectionUnits.top': READ_BY_GRAPH_PAGES,
  'mailboxProtectionUnits.count': COUNT_FROM_PAGES,
  'driveProtectionUnits.top': READ_BY_GRAPH_PAGES,
  'driveProtectionUnits.count': COUNT_FROM_PAGES,
  'browseSessions.top': READ_BY_GRAPH_PAGES,
  'browseSessions.count': COUNT_FROM_PAGES,
  // The granular mailbox list is Microsoft's SDK's only: no page promises it any query option.
  'granularMailboxRestoreArtifacts.top': READ_BY_GRAPH_PAGES,
  'granularMailboxRestoreArtifacts.count': COUNT_FROM_PAGES,
  'granularMailboxRestoreArtifacts.filterStatus': FILTER_ARTIFACTS_HERE,
  'restorePoints.expandProtectionUnit':
    'the restore point and its unit read side by side (`GET restorePoints/{id}` and `GET restorePoints/{id}/protectionUnit`, one `$batch` round)',
} as const;

export type GraphCapability = keyof typeof FALLBACKS;
const isCapability = (name: string): name is GraphCapability => Object.hasOwn(FALLBACKS, name);

/** What the gateway does instead when Graph refuses `name`; undefined when it has no fallback (the request fails). */
export function fallbackOf(name: string): string | undefined {
  return isCapability(name) ? FALLBACKS[name] : undefined;
}

export interface RefusalEvidence {
  /** The query option Graph named, e.g. `$top`. */
  option: string;
  /** Graph's `request-id` of the refused request, or the doctor's. */
  requestId: string | undefined;
  /** `graph`: a request of this gateway was refused; `doctor`: the doctor's file said so at start. */
  from: 'graph' | 'doctor';
}

/**
 * `use`: ask Graph for it. `probe`: ask, and report the outcome (exactly one of `worked`, `refused`, `inconclusive`): a
 * remembered refusal is due for its recheck, and this request makes it. `fallback`: go without.
 */
export type CapabilityDecision = 'use' | 'probe' | 'fallback';

export interface CapabilityMemory {
  /** The Graph base URL the memory is about (with its version). */
  readonly baseUrl: string;
  /**
   * Whether to use `capability` now. Until Graph refuses it, every request asks for it: the requests of the first
   * operation that meets a refusal are refused together (one round, retried at once without it), and no later one is.
   * While a recheck is out, the others fall back.
   */
  decide(capability: GraphCapability): CapabilityDecision;
  /** Whether a refusal of `capability` is remembered and not yet due for its recheck (decides nothing, reports nothing). */
  refusing(capability: GraphCapability): boolean;
  /** Graph refused `capability` (see the rules above, which the caller has applied). */
  refused(capability: GraphCapability, evidence: RefusalEvidence): void;
  /** A request that used `capability` succeeded: a remembered refusal is forgotten. */
  worked(capability: GraphCapability): void;
  /** A recheck ended without saying either way (another failure, or a refusal the memory must not learn from). */
  inconclusive(capability: GraphCapability): void;
  /** A request went without `capability` and used its fallback. */
  fellBack(capability: GraphCapability): void;
  /** The refusals remembered now, with when each is rechecked (ms since the epoch). */
  refusals(): Array<{ capability: GraphCapability; recheckAt: number }>;
}

/** Where the memory reports; the gateway wires logs and metrics here (`observability/`). */
export interface CapabilityObserver {
  /** A refusal is remembered (`true`, once per refusal, not per refused request) or forgotten after a recheck (`false`). */
  changed(capability: GraphCapability, refused: boolean, detail: { recheckAt?: number; evidence?: RefusalEvidence }): void;
  fellBack(capability: GraphCapability): void;
}

export interface CapabilityMemoryOptions {
  baseUrl: string;
  /** GRAPH_CAPABILITY_RECHECK_MS: how long a refusal is remembered before the capability is tried again. */
  recheckMs: number;
  observer?: CapabilityObserver | undefined;
  now?: () => number;
}

export function createCapabilityMemory({ baseUrl, recheckMs, observer, now = Date.now }: CapabilityMemoryOptions): CapabilityMemory {
  const refusals = new Map<GraphCapability, { recheckAt: number; rechecking: boolean }>();
  return {
    baseUrl,
    decide(capability) {
      const r = refusals.get(capability);
      if (r === undefined) return 'use';
      if (r.rechecking || now() < r.recheckAt) return 'fallback';
      r.rechecking = true;
      return 'probe';
    },
    refusing(capability) {
      const r = refusals.get(capability);
      return r !== undefined && now() < r.recheckAt;
    },
    refused(capability, evidence) {
      const r = refusals.get(capability);
      // The other requests of the burst that taught it, answered after it: already known, nothing new to say.
      if (r !== undefined && !r.rechecking && now() < r.recheckAt) return;
      const recheckAt = now() + recheckMs;
      refusals.set(capability, { recheckAt, rechecking: false });
      observer?.changed(capability, true, { recheckAt, evidence });
    },
    worked(capability) {
      if (!refusals.delete(capability)) return;
      observer?.changed(capability, false, {});
    },
    inconclusive(capability) {
      const r = refusals.get(capability);
      if (r !== undefined) r.rechecking = false;
    },
    fellBack(capability) {
      observer?.fellBack(capability);
    },
    refusals: () => [...refusals].map(([capability, r]) => ({ capability, recheckAt: r.recheckAt })),
  };
}

/** A query option Graph named as not allowed, and the property when it named one (`$filter` on one property). */
export interface RefusedOption {
  /** Lower case with its `$`: `$top`, `$count`, `$filter`, `$expand`, `$skip`. */
  option: string;
  property?: string;
}

// OData's validator ("Query option 'Top' is not allowed."), as graph.microsoft.com answers it.
const NOT_ALLOWED = /\bquery option '\$?([a-z]+)' is not allowed\b/i;
// Other wordings Graph's services use for the same refusal.
const NOT_SUPPORTED = /(?:\bquery (?:option|parameter) )?'\$([a-z]+)'(?: query (?:option|parameter))? is not supported\b/i;
// A property that cannot be filtered on (the option itself is allowed).
const PROPERTY_NOT_FILTERABLE = /\bproperty '([a-z]+)' cannot be used in the \$filter query option\b/i;

/**
 * The option a 400 from Graph names as not allowed; undefined for any other failure, including a 400 that names no
 * option (a bad value, an unknown id), which must never switch a capability off.
 */
export function refusedOptionOf(err: unknown): RefusedOption | undefined {
  if (!(err instanceof GraphRequestError) || err.status !== 400) return undefined;
  const property = PROPERTY_NOT_FILTERABLE.exec(err.message);
  if (property?.[1]) return { option: '$filter', property: property[1] };
  const named = NOT_ALLOWED.exec(err.message) ?? NOT_SUPPORTED.exec(err.message);
  return named?.[1] ? { option: `$${named[1].toLowerCase()}` } : undefined;
}

/** The refusals a doctor's JSON file (version 1) records, for the memory to start from. */
export interface DoctorCapabilities {
  graphBaseUrl: string;
  checkedAt: string;
  refused: Array<{ capability: GraphCapability; requestId: string | undefined; option: string }>;
}

/**
 * Reads the capability part of a doctor's JSON file (`npm run doctor -- --json <path>`); throws an Error saying what is
 * wrong with it. Refusals of capabilities the gateway has no fallback for are left out: remembering them would change
 * nothing, the requests that need them fail either way.
 */
export function parseDoctorCapabilities(json: unknown): DoctorCapabilities {
  const report = json as { version?: unknown; graphBaseUrl?: unknown; checkedAt?: unknown; capabilities?: unknown } | null;
  if (typeof report !== 'object' || report === null) throw new Error('is not a JSON object');
  if (report.version !== 1) throw new Error(`has version ${JSON.stringify(report.version)}; this gateway reads version 1`);
  if (typeof report.graphBaseUrl !== 'string') throw new Error('names no graphBaseUrl');
  if (typeof report.checkedAt !== 'string') throw new Error('names no checkedAt');
  const capabilities = report.capabilities;
  if (typeof capabilities !== 'object' || capabilities === null) throw new Error('has no capabilities object');
  const refused: DoctorCapabilities['refused'] = [];
  for (const [name, outcome] of Object.entries(capabilities as Record<string, unknown>)) {
    const o = outcome as { result?: unknown; requestId?: unknown; detail?: unknown } | null;
    if (typeof o !== 'object' || o === null || typeof o.result !== 'string') throw new Error(`has no result for ${name}`);
    if (o.result !== 'refused' || !isCapability(name)) continue;
    const option = typeof o.detail === 'string' ? (/'\$?([a-z]+)'/i.exec(o.detail)?.[1] ?? '') : '';
    refused.push({
      capability: name,
      requestId: typeof o.requestId === 'string' ? o.requestId : undefined,
      option: option === '' ? (name.split('.')[1] ?? name) : `$${option.toLowerCase()}`,
    });
  }
  return { graphBaseUrl: report.graphBaseUrl, checkedAt: report.checkedAt, refused };
}

/** Compares Graph base URLs as the doctor and the configuration write them (case and a trailing slash aside). */
const sameGraph = (a: string, b: string): boolean => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/**
 * Starts `memory` from a doctor's file: each refusal it records is remembered as if this gateway had just been refused
 * (and so rechecked after the same time). False, remembering nothing, when the file is about another Graph.
 */
export function rememberDoctorRefusals(memory: CapabilityMemory, file: DoctorCapabilities): boolean {
  if (!sameGraph(file.graphBaseUrl, memory.baseUrl)) return false;
  for (const { capability, requestId, option } of file.refused) memory.refused(capability, { option, requestId, from: 'doctor' });
  return true;
}
