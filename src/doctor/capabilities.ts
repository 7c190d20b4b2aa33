import { decodeEnvelope } from '../graph/batch/envelope.js';
import { PREFER_UNKNOWN_ENUM_MEMBERS } from '../graph/http.js';
import { continuationOf, rerootNextLink } from '../graph/paging.js';
import { graphPaths, type GraphPath, type QueryOptions } from '../graph/url.js';
import { GraphProtocolError } from '../graph/errors.js';
import { fallbackOf } from '../graph/capabilities.js';
import { classify, nextLinkOf, skipped, type Probe } from './probe.js';
import type { Discovered } from './permissions.js';
import type { CheckOutcome } from './results.js';

/**
 * The capabilities the gateway relies on although the documentation does not promise them for these endpoints, each
 * probed with one direct request. `uses` says what of the gateway depends on it. Where the gateway has a fallback for a
 * refused capability (`fallbackOf`, the gateway's own list), the outcome carries it and the run does not fail on it:
 * clients are served another way, which the fallback's sentence describes. A refused capability without a fallback is
 * something a client of the gateway will see fail.
 */

export interface Capability {
  name: string;
  /** What of the gateway depends on it. */
  uses: string;
  /** `METHOD path` with `{id}` for keys, to match the undocumented endpoints. */
  endpoint: string;
}

const ROOT = 'solutions/backupRestore';
const EXPAND = 'restorePoints.expandProtectionUnit';
const NAVIGATION = 'restorePoints.unitNavigation';

type SessionSet = 'restoreSessions' | 'sharePointRestoreSessions';
const sessionCapabilities = (set: SessionSet): Capability[] => [
  {
    name: `${set}.count`,
    uses: `\`totalCount\` on \`${set}\` (every page asks \`$count=true\`)`,
    endpoint: `GET ${ROOT}/${set}`,
  },
  {
    name: `${set}.top`,
    uses: `the page size of \`${set}(first:)\` (every page is read with \`$top\`)`,
    endpoint: `GET ${ROOT}/${set}`,
  },
  {
    name: `${set}.filterStatus`,
    uses: `\`${set}(filter: { status })\`, filtered by Graph`,
    endpoint: `GET ${ROOT}/${set}`,
  },
  {
    name: `${set}.filterJobType`,
    uses: `\`${set}(filter: { restoreJobType })\`, filtered by Graph`,
    endpoint: `GET ${ROOT}/${set}`,
  },
];

/** The mailbox and OneDrive unit lists, which the gateway reads through their typed casts as their pages name them. */
type UnitList = 'mailboxProtectionUnits' | 'driveProtectionUnits';
const UNIT_LIST_PATHS: Record<UnitList, (query?: QueryOptions) => GraphPath> = {
  mailboxProtectionUnits: graphPaths.mailboxProtectionUnits,
  driveProtectionUnits: graphPaths.driveProtectionUnits,
};
const unitListCapabilities = (list: UnitList, cast: string): Capability[] => [
  {
    name: `${list}.top`,
    uses: `the page size of \`${list}(first:)\` (every page is read with \`$top\`)`,
    endpoint: `GET ${ROOT}/protectionUnits/microsoft.graph.${cast}`,
  },
  {
    name: `${list}.count`,
    uses: `\`totalCount\` on \`${list}\` (every page asks \`$count=true\`)`,
    endpoint: `GET ${ROOT}/protectionUnits/microsoft.graph.${cast}`,
  },
];

export const CAPABILITIES: readonly Capability[] = [
  ...sessionCapabilities('restoreSessions'),
  ...sessionCapabilities('sharePointRestoreSessions'),
  {
    name: 'siteProtectionUnits.top',
    uses: `the page size of \`siteProtectionUnits(first:)\` (every page is read with \`$top\`)`,
    endpoint: `GET ${ROOT}/siteProtectionUnits`,
  },
  {
    name: 'siteProtectionUnits.skip',
    uses: `\`siteProtectionUnits(after:)\` where Graph's nextLinks continue with \`$skip\``,
    endpoint: `GET ${ROOT}/siteProtectionUnits`,
  },
  {
    name: 'siteProtectionUnits.count',
    uses: `\`totalCount\` on \`siteProtectionUnits\` (every page asks \`$count=true\`)`,
    endpoint: `GET ${ROOT}/siteProtectionUnits`,
  },
  ...unitListCapabilities('mailboxProtectionUnits', 'mailboxProtectionUnit'),
  ...unitListCapabilities('driveProtectionUnits', 'driveProtectionUnit'),
  {
    name: 'restorePoints.getById',
    uses: `\`restorePoint(id:)\`, \`SiteRestoreArtifact.restorePoint\` and federated \`RestorePoint\` references`,
    endpoint: `GET ${ROOT}/restorePoints/{id}`,
  },
  {
    name: EXPAND,
    uses: `the same reads, each restore point with its unit in one request (\`RestorePoint.protectionUnit\`)`,
    endpoint: `GET ${ROOT}/restorePoints/{id}`,
  },
  {
    name: NAVIGATION,
    uses: `the fallback of ${EXPAND}: \`RestorePoint.protectionUnit\` read beside the point when \`$expand\` is refused`,
    endpoint: `GET ${ROOT}/restorePoints/{id}/protectionUnit`,
  },
  {
    name: 'batch.twoItems',
    uses: 'every read: the gateway sends its Graph calls in `$batch` envelopes of up to 20',
    endpoint: 'POST $batch',
  },
  {
    name: 'batch.itemPrefer',
    uses: `every \`$batch\` item carries \`Prefer: ${PREFER_UNKNOWN_ENUM_MEMBERS}\`, so new enum values arrive as \`UNKNOWN_FUTURE_VALUE\``,
    endpoint: 'POST $batch',
  },
  {
    name: 'paging.nextLink',
    uses: "`hasNextPage` and the cursors of every list, which continue from Graph's `@odata.nextLink`",
    endpoint: `GET ${ROOT}/siteProtectionUnits`,
  },
];

const USES = new Map(CAPABILITIES.map((c) => [c.name, c]));
export const capabilityOf = (name: string): Capability | undefined => USES.get(name);

/** Runs every capability check at once; the result lists them in {@link CAPABILITIES} order. */
export async function checkCapabilities(probe: Probe, found: Discovered): Promise<Record<string, CheckOutcome>> {
  const option = async (path: (query: QueryOptions) => GraphPath, query: QueryOptions): Promise<CheckOutcome> =>
    (
      await probe.send(
        { method: 'GET', path: path(query) },
        query.map(([name]) => name),
      )
    ).outcome;
  const checks: Record<string, Promise<CheckOutcome>> = {};
  for (const set of ['restoreSessions', 'sharePointRestoreSessions'] as const) {
    const path = (q: QueryOptions): GraphPath =>
      set === 'restoreSessions' ? graphPaths.restoreSessions(q) : graphPaths.sharePointRestoreSessions(q);
    checks[`${set}.count`] = option(path, [['$count', 'true']]);
    checks[`${set}.top`] = option(path, [['$top', 1]]);
    checks[`${set}.filterStatus`] = option(path, [['$filter', "status eq 'completed'"]]);
    checks[`${set}.filterJobType`] = option(path, [['$filter', "restoreJobType eq 'standard'"]]);
  }
  checks['siteProtectionUnits.top'] = option(graphPaths.siteProtectionUnits, [['$top', 1]]);
  checks['siteProtectionUnits.skip'] = option(graphPaths.siteProtectionUnits, [['$skip', 1]]);
  checks['siteProtectionUnits.count'] = option(graphPaths.siteProtectionUnits, [['$count', 'true']]);
  for (const list of ['mailboxProtectionUnits', 'driveProtectionUnits'] as const) {
    checks[`${list}.top`] = option(UNIT_LIST_PATHS[list], [['$top', 1]]);
    checks[`${list}.count`] = option(UNIT_LIST_PATHS[list], [['$count', 'true']]);
  }
  const point = found.restorePointId;
  const noPoint = Promise.resolve(skipped('the tenant has no restore point to read'));
  checks['restorePoints.getById'] = point === undefined ? noPoint : option((q) => graphPaths.restorePoint(point, q), []);
  checks[EXPAND] = point === undefined ? noPoint : option((q) => graphPaths.restorePoint(point, q), [['$expand', 'protectionUnit']]);
  checks[NAVIGATION] = point === undefined ? noPoint : option(() => graphPaths.restorePointProtectionUnit(point), []);
  const batch = checkBatch(probe);
  checks['batch.twoItems'] = batch.then(([plain]) => plain);
  checks['batch.itemPrefer'] = batch.then(([withPrefer]) => withPrefer);
  checks['paging.nextLink'] = checkPaging(probe, found);
  const entries = await Promise.all(CAPABILITIES.map(async (c) => [c.name, await (checks[c.name] ?? noPoint)] as const));
  const outcomes: Record<string, CheckOutcome> = Object.fromEntries(entries);
  const skip = outcomes['siteProtectionUnits.skip'];
  if (skip && skip.result !== 'works' && !nextLinkUsesSkip(found)) {
    const why = "not needed here: this Graph's nextLinks do not continue with $skip, so the gateway never sends it";
    outcomes['siteProtectionUnits.skip'] = notNeeded(skip, why);
  }
  return withFallbacks(outcomes, judgeUnitNavigation(outcomes));
}

const notNeeded = (o: CheckOutcome, why: string): CheckOutcome => ({ ...o, needed: false, detail: `${o.detail ?? o.result}; ${why}` });

/**
 * The navigation matters only as the fallback of a refused `$expand`: otherwise its failure is not needed. With
 * `$expand` refused and the navigation not working either, the expand has no fallback here, which the detail says.
 */
function judgeUnitNavigation(outcomes: Record<string, CheckOutcome>): ReadonlySet<string> {
  const expand = outcomes[EXPAND];
  const navigation = outcomes[NAVIGATION];
  if (expand === undefined || navigation === undefined || navigation.result === 'works' || navigation.result === 'skipped') {
    return new Set();
  }
  if (expand.result !== 'refused') {
    outcomes[NAVIGATION] = notNeeded(navigation, `not needed here: only the fallback of a refused ${EXPAND} reads it`);
    return new Set();
  }
  const why = `no fallback here: it reads the unit through ${NAVIGATION}, which does not work either (${navigation.result})`;
  outcomes[EXPAND] = { ...expand, detail: `${expand.detail ?? expand.result}; ${why}` };
  return new Set([EXPAND]);
}

/** Each refused capability the gateway can do without, with what it does instead (`unusable`: not on this tenant). */
function withFallbacks(outcomes: Record<string, CheckOutcome>, unusable: ReadonlySet<string>): Record<string, CheckOutcome> {
  return Object.fromEntries(
    Object.entries(outcomes).map(([name, o]) => {
      const fallback = o.result === 'refused' && !unusable.has(name) ? fallbackOf(name) : undefined;
      return [name, fallback === undefined ? o : { ...o, fallback }];
    }),
  );
}

/** The gateway sends `$skip` only to continue from a nextLink that carries one (paging.ts). */
function nextLinkUsesSkip(found: Discovered): boolean {
  const link = nextLinkOf(found.units);
  return link !== undefined && continuationOf(link)?.skip !== undefined;
}

/**
 * One `$batch` of two reads: the first as a plain item, the second with the `Prefer` header every gateway item carries,
 * so a refused header shows on its own item. The envelope's answer and the first item's decide `batch.twoItems`.
 */
async function checkBatch(probe: Probe): Promise<[CheckOutcome, CheckOutcome]> {
  const path = graphPaths.sharePointRestoreSessions();
  const body = {
    requests: [
      { id: '1', method: 'GET', url: path },
      { id: '2', method: 'GET', url: path, headers: { prefer: PREFER_UNKNOWN_ENUM_MEMBERS } },
    ],
  };
  const { response, outcome } = await probe.send({ method: 'POST', path: graphPaths.batch(), body });
  if (response === undefined || outcome.result !== 'works')
    return [outcome, { ...outcome, detail: `the $batch itself: ${outcome.detail ?? ''}` }];
  const [first, second] = decodeEnvelope(response.body, 2);
  const item = (answer: typeof first): CheckOutcome => {
    if (answer === undefined)
      return { result: 'failed', status: response.status, requestId: outcome.requestId, detail: 'item not answered' };
    const judged = classify(answer.status, answer.headers, answer.body);
    return { ...judged, requestId: judged.requestId ?? outcome.requestId };
  };
  return [item(first), item(second)];
}

/** Follows one `@odata.nextLink` of the plain unit list, re-rooted onto the configured base as the gateway does. */
async function checkPaging(probe: Probe, found: Discovered): Promise<CheckOutcome> {
  const link = nextLinkOf(found.units);
  if (link === undefined) return skipped('the unit list fits on one page: no nextLink to follow');
  let path: GraphPath;
  try {
    path = rerootNextLink(link);
  } catch (err) {
    return {
      result: 'failed',
      status: null,
      requestId: null,
      detail: err instanceof GraphProtocolError ? err.message : 'nextLink unusable',
    };
  }
  return (await probe.send({ method: 'GET', path })).outcome;
}
