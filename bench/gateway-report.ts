import type { EmulatorProfile } from '@restore-session-gateway/graph-emulator';
import { fmt } from './lib.js';

/**
 * The report of `npm run bench gateway`: every row of every emulator profile side by side, then the ratios, the
 * fallback cost (strict against default) and the one-time cost of a fresh gateway. Kept apart from the measuring so
 * that each file holds one concern.
 */

export interface Measured {
  p50: number;
  p99: number;
  samples: number;
  errors: number;
  /** The message of the first failed operation, so a failing profile shows why instead of only how often. */
  firstError?: string | undefined;
}

export interface Upstream {
  requests: number;
  calls: number;
  rounds: number;
  tokens: number;
  /** Graph calls answered 400: the query options a Graph refused (a strict emulator's refusals). */
  refused: number;
}

export interface Row {
  label: string;
  clients: number;
  figure: Measured;
  upstream: Upstream;
  /** The REST client's figure at the same concurrency, for the ratio; none on the REST rows themselves. */
  rest?: Measured;
}

export interface Section {
  title: string;
  rows: Row[];
}

/** Operations that failed where a failure is not a figure's error, and the first one's message. */
export interface Failures {
  count: number;
  firstError?: string;
}

/** A fresh gateway's first dashboard load against its second (both by new callers), averaged over `gateways` gateways. */
export interface OneTimeCost {
  first: Upstream;
  second: Upstream;
  gateways: number;
  failed: { first: Failures; second: Failures };
}

export interface DashboardSection extends Section {
  oneTime: OneTimeCost;
}

/** Everything measured against one emulator process. */
export interface ProfileRun {
  profile: EmulatorProfile;
  seed: DashboardSection;
  made: DashboardSection;
  byId: Section;
  seedDate: string;
  callers: number;
  renewals: number;
  /** The untimed dashboard load that teaches each restarted gateway what Graph refuses. */
  teaching: Failures;
}

/** The settings the figures were made with, for the footnote. */
export interface ReportSettings {
  concurrency: number;
  latencyMs: number;
  jitterMs: number;
  restConnections: number | null;
  rounds: number;
  durationMs: number;
  seconds: number;
}

const LABEL = 38;
const CLIENTS = 7;
const CELL_HEAD = '  p50 ms  p99 ms  gw/REST    HTTP   calls  rounds';

const signed = (n: number, digits: number): string => `${n >= 0 ? '+' : ''}${fmt(n, digits)}`;

function cell(r: Row): string {
  const { figure: f, upstream: u } = r;
  const ratio = r.rest ? `${fmt(f.p50 / r.rest.p50, 2)}x` : '';
  return (
    `${fmt(f.p50).padStart(8)}${fmt(f.p99).padStart(8)}${ratio.padStart(9)}` +
    `${fmt(u.requests).padStart(8)}${fmt(u.calls).padStart(8)}${fmt(u.rounds).padStart(8)}`
  );
}

/** What a cell cannot show: token requests, refused calls and failed operations, per profile, only when there are any. */
function notes(rows: ReadonlyArray<{ profile: EmulatorProfile; row: Row }>): string {
  const parts = rows.flatMap(({ profile, row: { figure: f, upstream: u } }) => {
    const said = [
      ...(u.tokens > 0 ? [`+${fmt(u.tokens)} token requests`] : []),
      ...(u.refused > 0 ? [`${fmt(u.refused)} refused (400)`] : []),
      ...(f.errors > 0 ? [`errors ${f.errors}`] : []),
    ];
    return said.length > 0 ? [`${profile}: ${said.join(', ')}`] : [];
  });
  return parts.length > 0 ? `  ${parts.join('; ')}` : '';
}

function sectionLines(runs: readonly ProfileRun[], pick: (run: ProfileRun) => Section): string[] {
  const sections = runs.map(pick);
  const titles = [...new Set(sections.map((s) => s.title))];
  const title = titles.length === 1 ? titles[0]! : sections.map((s, i) => `${runs[i]!.profile}: ${s.title}`).join(' | ');
  const lines = [title];
  sections[0]!.rows.forEach((first, i) => {
    const rows = sections.map((s, j) => ({ profile: runs[j]!.profile, row: s.rows[i]! }));
    lines.push(
      `  ${first.label.padEnd(LABEL - 2)}${String(first.clients).padStart(CLIENTS)}${rows.map((r) => ` |${cell(r.row)}`).join('')}${notes(rows)}`,
    );
    for (const { profile, row } of rows) {
      if (row.figure.firstError !== undefined) lines.push(`      ${profile}, first error: ${row.figure.firstError}`);
    }
  });
  return lines;
}

const rowOf = (s: Section, label: string, clients: number): Row => s.rows.find((r) => r.label.startsWith(label) && r.clients === clients)!;

function ratioLine(run: ProfileRun, name: string, s: Section, concurrency: number): string {
  const ratio = (label: string): string =>
    [1, concurrency].map((c) => `${fmt(rowOf(s, label, c).figure.p50 / rowOf(s, label, c).rest!.p50, 2)}x (${c})`).join(' ');
  const up = (label: string): Upstream => rowOf(s, label, 1).upstream;
  const [f, g, r] = [up('gateway, first'), up('gateway, refresh'), up('REST')];
  return (
    `  ${run.profile.padEnd(8)} ${name.padEnd(20)} first load ${ratio('gateway, first')}; refresh ${ratio('gateway, refresh')}; ` +
    `HTTP requests ${fmt(f.requests, 0)} / ${fmt(g.requests, 0)} vs ${fmt(r.requests, 0)}, rounds ${fmt(f.rounds, 1)} / ${fmt(g.rounds, 1)} vs ${fmt(r.rounds, 1)}`
  );
}

function overheadLine(run: ProfileRun, concurrency: number): string {
  const overhead = (clients: number): string => {
    const g = run.byId.rows.find((r) => r.rest && r.clients === clients)!;
    return `${signed(g.figure.p50 - g.rest!.p50, 1)} ms (${clients})`;
  };
  return `  ${run.profile.padEnd(8)} get by id: the gateway's p50 over a direct GET ${overhead(1)} ${overhead(concurrency)}`;
}

/** Strict minus default for one dashboard: p50 at one client, then HTTP requests / Graph calls / rounds per load. */
function fallbackLine(name: string, base: Section, strict: Section): string {
  const diff = (label: string): string => {
    const [a, b] = [rowOf(base, label, 1), rowOf(strict, label, 1)];
    const [x, y] = [a.upstream, b.upstream];
    return (
      `${signed(y.requests - x.requests, 0)} / ${signed(y.calls - x.calls, 0)} / ${signed(y.rounds - x.rounds, 1)} ` +
      `(p50 ${signed(b.figure.p50 - a.figure.p50, 1)} ms)`
    );
  };
  return `  ${name.padEnd(20)} first load ${diff('gateway, first')}; refresh ${diff('gateway, refresh')}; REST ${diff('REST')}`;
}

const failedLine = (what: string, f: Failures, of: number): string[] =>
  f.count > 0 ? [`      ${what} failed ${f.count} of ${of}: ${f.firstError ?? ''}`] : [];

function oneTimeLines(run: ProfileRun, name: string, { first: a, second: b, gateways, failed }: OneTimeCost): string[] {
  const four = (u: Upstream): string => `${fmt(u.requests, 1)} / ${fmt(u.calls, 1)} / ${fmt(u.rounds, 1)} / ${fmt(u.refused, 1)}`;
  return [
    `  ${run.profile.padEnd(8)} ${name.padEnd(20)} first ${four(a)}, second ${four(b)}: ` +
      `${signed(a.requests - b.requests, 1)} / ${signed(a.calls - b.calls, 1)} / ${signed(a.rounds - b.rounds, 1)} / ${signed(a.refused - b.refused, 1)}`,
    ...failedLine('first loads', failed.first, gateways),
    ...failedLine('second loads', failed.second, gateways),
  ];
}

function costLines(runs: readonly ProfileRun[]): string[] {
  const base = runs.find((r) => r.profile === 'default');
  const strict = runs.find((r) => r.profile === 'strict');
  const lines: string[] = [];
  if (base && strict) {
    lines.push(
      'fallback cost, strict minus default per load (HTTP requests / Graph calls / rounds, and p50 at 1 client):',
      fallbackLine('seed dashboard', base.seed, strict.seed),
      fallbackLine('made through Graph', base.made, strict.made),
    );
  }
  const gateways = runs[0]!.seed.oneTime.gateways;
  lines.push(
    `one-time cost of a fresh gateway: its first dashboard load vs its second, each by a new caller, mean of ${gateways} fresh ` +
      'gateways (HTTP requests / Graph calls / rounds / refused 400s; then first minus second):',
  );
  for (const run of runs) {
    lines.push(...oneTimeLines(run, 'seed dashboard', run.seed.oneTime), ...oneTimeLines(run, 'made through Graph', run.made.oneTime));
    const taught = run.renewals - 2 * run.seed.oneTime.gateways;
    lines.push(...failedLine(`${run.profile}: the untimed load that teaches a restarted gateway`, run.teaching, taught));
  }
  return lines;
}

export function report(runs: readonly ProfileRun[], s: ReportSettings): void {
  const head = `${''.padEnd(LABEL + CLIENTS)}${runs.map((r) => ` | ${r.profile.padEnd(CELL_HEAD.length - 1)}`).join('')}`;
  const lines = [head.trimEnd(), `${''.padEnd(LABEL)}clients${runs.map(() => ` |${CELL_HEAD}`).join('')}`];
  for (const pick of [(r: ProfileRun) => r.seed, (r: ProfileRun) => r.made, (r: ProfileRun) => r.byId])
    lines.push(...sectionLines(runs, pick));
  lines.push(
    'gateway / REST p50 by clients (below 1: the gateway is faster); upstream per load, gateway first load / refresh vs REST:',
    ...runs.flatMap((r) => [
      ratioLine(r, 'seed dashboard', r.seed, s.concurrency),
      ratioLine(r, 'made through Graph', r.made, s.concurrency),
    ]),
    ...runs.map((r) => overheadLine(r, s.concurrency)),
    ...costLines(runs),
    `(upstream latency ${s.latencyMs} ms + 0..${s.jitterMs} ms on every Graph call, inside $batch too; each profile its own emulator ` +
      `process, one after the other, manual clock, seed posted dated at ${runs.map((r) => `${r.seedDate} (${r.profile})`).join(', ')}; ` +
      `REST: one client per concurrent user, ${s.restConnections ?? 'unbounded'} connections each; new callers: ` +
      `${runs.map((r) => `${r.callers} seeded users and ${r.renewals} gateway restarts to renew them (${r.profile})`).join(', ')}, ` +
      `each already signed in and the gateway already taught what Graph refuses; ${s.rounds} rounds of ${s.durationMs} ms per figure ` +
      `after 500 ms of warm-up, pooled; rounds = longest chain of sequential upstream requests; ${fmt(s.seconds, 0)} s)`,
  );
  console.log(lines.join('\n'));
}
