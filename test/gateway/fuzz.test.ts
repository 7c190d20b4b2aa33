import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { prng } from '@restore-session-gateway/graph-emulator/testing';
import { useTestGateway } from './harness.js';

/**
 * Fuzzing the HTTP surface with generated documents and variables, hostile ids, huge inputs, invalid
 * UTF-8 and deep nesting (seeded, so a failure reproduces). Whatever arrives, the process keeps
 * serving, and no answer is a 5xx without a GraphQL error body.
 */

const random = prng(0xf0221);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (max: number): number => Math.floor(random() * max);

const FIELDS = [
  'restoreSession',
  'restoreSessions',
  'sharePointRestoreSessions',
  'siteProtectionUnits',
  'restorePoints',
  'restorePoint',
  'searchRestorePoints',
  'id',
  'status',
  'nodes',
  'edges',
  'node',
  'cursor',
  'pageInfo',
  'hasNextPage',
  'endCursor',
  'totalCount',
  'progress',
  'total',
  'siteRestoreArtifacts',
  'restorePoint',
  'protectionUnit',
  'siteName',
  'siteWebUrl',
  'createdBy',
  'user',
  'userIdentity',
  'displayName',
  'error',
  'code',
  'message',
  '__typename',
  '__schema',
  '__type',
  '_service',
  'sdl',
  '_entities',
  'createSharePointRestoreSession',
  'deleteRestoreSession',
  'activateRestoreSession',
  'nonexistent',
  'constructor',
  '__proto__',
  'toString',
];
const HOSTILE_IDS = [
  '../x',
  '..',
  'a/b',
  '%2F',
  '%2e%2e%2F',
  '?$expand=protectionUnit',
  '#frag',
  "x' or id ne 'y",
  'a\u0000b',
  '\u202e',
  '\ud800',
  '💥'.repeat(50),
  'x'.repeat(20_000),
  ' ',
  '',
  'null',
  '{}',
  '$batch',
  'https://evil.example/',
  '\\\\server\\share',
  SEED_SESSION_IDS.draft.toUpperCase(),
];
const SCALARS = [
  () => JSON.stringify(pick(HOSTILE_IDS)),
  () => String(int(1_000_000) - 500_000),
  () => '1e308',
  () => '-0',
  () => '0.5',
  () => 'true',
  () => 'null',
  () => pick(['DRAFT', 'ACTIVE', 'UNKNOWN_FUTURE_VALUE', 'NEW', 'IN_PLACE', 'nope']),
  () => '$id',
  () => '$first',
  () => '"""block"""',
  () => '[1, [2, [3]]]',
  () => '{ status: [DRAFT] }',
  () => '{ protectionUnitIds: [], startDateTime: "yesterday" }',
];

function selection(depth: number): string {
  const n = 1 + int(3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    let field = pick(FIELDS);
    if (random() < 0.15) field = `a${int(99)}: ${field}`;
    if (random() < 0.4)
      field += `(${pick(['id', 'first', 'after', 'filter', 'input', 'before', 'representations', 'x'])}: ${pick(SCALARS)()})`;
    if (random() < 0.1) field += ` @${pick(['include', 'skip', 'deprecated', 'nope'])}(if: ${pick(['true', 'false', '$b'])})`;
    if (depth > 0 && random() < 0.6) field += ` { ${selection(depth - 1)} }`;
    if (random() < 0.1) field = `... on ${pick(['SharePointRestoreSession', 'RestoreSession', 'Query', 'Nope'])} { ${field} }`;
    parts.push(field);
  }
  return parts.join(' ');
}

function document(): string {
  const kind = pick(['query', 'mutation', 'subscription', '', 'query Q($id: ID!, $first: Int, $b: Boolean)', 'fragment F on Query']);
  let doc = `${kind} { ${selection(1 + int(5))} }`;
  // Now and then, break it.
  if (random() < 0.2) {
    const at = int(doc.length);
    doc = doc.slice(0, at) + pick(['{', '}', '(', '"', '\\u', '$', '...', '#', '\u0000', ':', '@']) + doc.slice(at);
  }
  return doc;
}

function value(depth = 0): unknown {
  const r = random();
  if (depth > 4 || r < 0.3) return pick<unknown>([pick(HOSTILE_IDS), int(1e9), -1, 1e308, 0.1, true, null, '', 'DRAFT']);
  if (r < 0.6) return Array.from({ length: int(4) }, () => value(depth + 1));
  const o: Record<string, unknown> = {};
  for (const k of ['id', 'first', 'after', 'status', 'input', '__proto__', 'constructor', 'siteRestoreArtifacts'].slice(0, 1 + int(8)))
    o[k] = value(depth + 1);
  return o;
}

interface Sent {
  label: string;
  status: number;
  text: string;
}

const gw = useTestGateway({ env: { LOG_LEVEL: 'silent', GRAPH_RETRY_BASE_MS: '1' } });
let authorization: string;
const answers: Sent[] = [];

async function send(
  label: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer | Uint8Array; query?: string },
): Promise<void> {
  const res = await fetch(`${gw.url}${init.query ?? ''}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', authorization, ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  answers.push({ label, status: res.status, text: await res.text() });
}

beforeAll(async () => {
  authorization = await gw.authorization('admin');
});

describe('fuzzing the gateway', () => {
  it('never crashes it and never answers a 5xx without a GraphQL error body', async () => {
    // Generated documents, with and without generated variables.
    for (let i = 0; i < 250; i++) {
      const body: Record<string, unknown> = { query: document() };
      if (random() < 0.5) body.variables = value();
      if (random() < 0.1) body.operationName = pick(['Q', 'nope', '', null, 42]);
      if (random() < 0.05)
        body.extensions = { persistedQuery: { version: pick([1, 2, 'x']), sha256Hash: pick(['00', 'x'.repeat(64), null]) } };
      await send(`document ${i}`, { body: JSON.stringify(body) });
    }
    // Valid documents, hostile variables.
    const typed = [
      `query ($id: ID!) { restoreSession(id: $id) { id status } }`,
      `query ($first: Int, $after: String, $filter: RestoreSessionFilter) { restoreSessions(first: $first, after: $after, filter: $filter) { totalCount nodes { id } } }`,
      `query ($id: ID!, $before: DateTime) { restorePoints(protectionUnitId: $id, before: $before) { id } }`,
      `query ($input: SearchRestorePointsInput!) { searchRestorePoints(input: $input) { noResultProtectionUnitIds } }`,
      `mutation ($input: CreateSharePointRestoreSessionInput!) { createSharePointRestoreSession(input: $input) { restoreSession { id } } }`,
      `mutation ($input: UpdateSharePointRestoreSessionInput!) { updateSharePointRestoreSession(input: $input) { failures { code } } }`,
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { __typename } }`,
    ];
    for (let i = 0; i < 120; i++) {
      const vars = {
        id: pick(HOSTILE_IDS),
        first: pick([0, -1, 101, 1e12, 20, '20', null]),
        after: pick(HOSTILE_IDS),
        filter: value(),
        before: pick(['x', '9999-99-99', 1, null]),
        input: value(),
        reps: value(),
      };
      await send(`variables ${i}`, { body: JSON.stringify({ query: pick(typed), variables: vars }) });
    }
    // Huge inputs.
    await send('2 MB body', { body: JSON.stringify({ query: '{ __typename }', variables: { x: 'x'.repeat(2 * 1024 * 1024) } }) });
    await send('100k-item list', {
      body: JSON.stringify({
        query: typed[4],
        variables: {
          input: { siteRestoreArtifacts: Array.from({ length: 100_000 }, () => ({ restorePointId: 'x', destinationType: 'NEW' })) },
        },
      }),
    });
    await send('20 kB id', { body: JSON.stringify({ query: typed[0], variables: { id: 'x'.repeat(20_000) } }) });
    await send('wide selection', { body: JSON.stringify({ query: `{ ${'__typename '.repeat(2_500)}}` }) });
    // Invalid UTF-8, in the JSON and inside the document string.
    for (const bytes of [
      [0xc3, 0x28],
      [0xff, 0xfe, 0xfd],
      [0xed, 0xa0, 0x80],
      [0xf0, 0x28, 0x8c, 0x28],
      [0xe2, 0x82],
    ]) {
      await send(`raw bytes ${bytes.join(',')}`, { body: Buffer.from(bytes) });
      await send(`bytes in the document ${bytes.join(',')}`, {
        body: Buffer.concat([Buffer.from('{"query":"{ restoreSession(id: \\"'), Buffer.from(bytes), Buffer.from('\\") { id } }"}')]),
      });
    }
    // Deep nesting: of selections, of JSON, of variables.
    await send('10k nested selections', { body: JSON.stringify({ query: `${'{ a '.repeat(10_000)}${'}'.repeat(10_000)}` }) });
    await send('100k nested JSON arrays', {
      body: `{"query":"{ __typename }","variables":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
    });
    let deep: unknown = 'x';
    for (let i = 0; i < 2_000; i++) deep = { status: deep };
    await send('2k nested input objects', { body: JSON.stringify({ query: typed[1], variables: { filter: deep } }) });
    // Odd transports.
    await send('GET with a mutation', {
      method: 'GET',
      query: `?query=${encodeURIComponent('mutation { deleteRestoreSession(id: "x") { deletedRestoreSessionId } }')}`,
      headers: { 'apollo-require-preflight': '1' },
    });
    await send('GET with hostile variables', {
      method: 'GET',
      query: `?query=${encodeURIComponent(typed[0]!)}&variables=%7B%22id`,
      headers: { 'apollo-require-preflight': '1' },
    });
    await send('PUT', { method: 'PUT', body: '{}' });
    await send('DELETE', { method: 'DELETE' });
    await send('no content type', { headers: { 'content-type': '' }, body: '{"query":"{ __typename }"}' });
    await send('JSON that is a string', { body: '"{ __typename }"' });
    await send('JSON null', { body: 'null' });
    await send('empty batch', { body: '[]' });
    await send('bad authorization', {
      headers: { authorization: `Bearer ${'a'.repeat(20_000)}` },
      body: JSON.stringify({ query: typed[0], variables: { id: 'x' } }),
    });

    const bad = answers.filter((a) => {
      if (a.status < 500) return false;
      try {
        const body = JSON.parse(a.text) as { errors?: unknown };
        return !Array.isArray(body.errors) || body.errors.length === 0;
      } catch {
        return true;
      }
    });
    expect(bad.map((a) => `${a.label}: ${a.status} ${a.text.slice(0, 200)}`)).toEqual([]);
    // Every answer from the GraphQL endpoint is JSON (Express's 404 for other methods and Node's 431 for oversized headers aside).
    const notJson = answers.filter((a) => {
      if (a.status === 404 || a.status === 405 || a.status === 431) return false;
      try {
        JSON.parse(a.text);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson.map((a) => `${a.label}: ${a.status} ${a.text.slice(0, 120)}`)).toEqual([]);
    // Still serving, and still right.
    expect((await fetch(`${gw.origin}/healthz`)).status).toBe(200);
    const after = await gw.query(`query ($id: ID!) { restoreSession(id: $id) { id } }`, { id: SEED_SESSION_IDS.draft });
    expect(after.data).toEqual({ restoreSession: { id: SEED_SESSION_IDS.draft } });
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    console.log(
      `fuzz: ${answers.length} requests; statuses ${[...statuses]
        .sort((x, y) => x[0] - y[0])
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`,
    );
  }, 120_000);
});
