import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SEED_SESSION_IDS } from '@restore-session-gateway/graph-emulator';
import { startTestGateway, useTestGateway, type TestGateway } from './harness.js';
import { subscribe, wsClient } from './live-support.js';

/**
 * Request limits (depth, cost, aliases, tokens, document size, operations per request, `first`), APQ,
 * CSRF, production hygiene (introspection, suggestions, masked internals), the audit log, that nothing
 * secret or internal reaches a response or a log line, and that per-caller caches and rate limits
 * never cross callers.
 */

const gw = useTestGateway({
  env: { MAX_QUERY_DEPTH: '8', MAX_QUERY_COST: '2000', MAX_QUERY_ALIASES: '5', MAX_QUERY_TOKENS: '600', MAX_QUERY_BYTES: '4096' },
});

/** A raw POST to the gateway as admin. */
async function post(
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  text: string;
  json: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}> {
  const res = await fetch(gw.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await gw.authorization('admin'), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as never };
}

/** A GET to the gateway as admin, with the header CSRF prevention asks of GETs. */
async function get(params: Record<string, string>): Promise<{
  status: number;
  text: string;
  json: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}> {
  const res = await fetch(`${gw.url}?${new URLSearchParams(params).toString()}`, {
    headers: { authorization: await gw.authorization('admin'), 'apollo-require-preflight': 'true' },
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as never };
}

const MISMATCH = 'The persisted query hash (extensions.persistedQuery.sha256Hash) does not match the SHA-256 of the query sent with it.';

/** Documents and variables with a typo that graphql-js answers with a "Did you mean …?" hint. */
const TYPOS = {
  field: `{ restoreSesion(id: "x") { id } }`,
  inlineFragment: `{ restoreSessions { nodes { siteRestoreArtifacts { nodes { id } } } } }`,
  enumLiteral: `{ restoreSessions(filter: { status: [DRAF] }) { totalCount } }`,
  enumVariable: [`query ($f: RestoreSessionFilter) { restoreSessions(filter: $f) { totalCount } }`, { f: { status: ['DRAF'] } }],
  inputField: [`query ($f: RestoreSessionFilter) { restoreSessions(filter: $f) { totalCount } }`, { f: { statuss: ['DRAFT'] } }],
  subscriptionField: `subscription { restoreSessionStatusChanged(id: "${SEED_SESSION_IDS.active}") { statuss } }`,
} as const;

/** The messages of every typo in TYPOS sent over HTTP, and of the subscription typo sent over WebSocket. */
async function typoMessages(target: TestGateway): Promise<{ http: string[]; ws: string }> {
  const http: string[] = [];
  for (const typo of [TYPOS.field, TYPOS.inlineFragment, TYPOS.enumLiteral, TYPOS.enumVariable, TYPOS.inputField]) {
    const [query, variables] = typeof typo === 'string' ? [typo, undefined] : typo;
    const res = await target.query(query, variables);
    expect(res.status).toBe(400);
    expect(res.errors?.length).toBeGreaterThan(0);
    http.push(...(res.errors ?? []).map((e) => e.message));
  }
  const ws = wsClient(target.gateway.wsUrl.replace('localhost', '127.0.0.1'), { authorization: await target.authorization('admin') });
  try {
    const stream = subscribe(ws, TYPOS.subscriptionField, {});
    await stream.ended();
    return { http, ws: JSON.stringify(stream.error) };
  } finally {
    await ws.dispose();
  }
}

/** `levels` times: a session's artifacts, whose `restoreSession` leads to the next level (three selections each). */
const nested = (levels: number): string => {
  let inner = 'id';
  for (let i = 0; i < levels; i++)
    inner = `restoreSession { id ... on SharePointRestoreSession { siteRestoreArtifacts(first: 1) { nodes { ${inner} } } } }`;
  return `{ restoreSession(id: "${SEED_SESSION_IDS.large}") { ... on SharePointRestoreSession { siteRestoreArtifacts(first: 1) { nodes { ${inner} } } } } }`;
};

describe('request limits', () => {
  it('refuses documents deeper than MAX_QUERY_DEPTH before calling Graph', async () => {
    const fine = await gw.query(
      `{ restoreSession(id: "${SEED_SESSION_IDS.large}") { ... on SharePointRestoreSession { siteRestoreArtifacts(first: 1) { nodes { restorePoint { protectionUnit { ... on SiteProtectionUnit { siteName } } } } } } } }`,
    );
    expect(fine.errors).toBeUndefined();
    gw.resetUpstream();
    const res = await gw.query(nested(2));
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/depth/i);
    expect(gw.graphEntries()).toHaveLength(0);
  });

  it('refuses documents whose connections multiply past MAX_QUERY_COST, with literal or variable sizes', async () => {
    const doc = `query ($n: Int) { restoreSessions(first: $n) { nodes { ... on SharePointRestoreSession { siteRestoreArtifacts(first: $n) { nodes { id restorePoint { id protectionUnit { ... on SiteProtectionUnit { siteName } } } } } } } } }`;
    gw.resetUpstream();
    expect((await gw.query(doc, { n: 10 })).errors).toBeUndefined();
    gw.resetUpstream();
    const costly = await gw.query(doc, { n: 50 });
    expect(costly.status).toBe(400);
    expect(costly.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(costly.errors?.[0]?.message).toMatch(/cost \d+ exceeds the limit of 2000/);
    // The same through an unused default, and `first` left out counts as the default page of 20.
    const literal = await gw.query(
      `{ restoreSessions(first: 100) { nodes { ... on SharePointRestoreSession { siteRestoreArtifacts { nodes { id } } } } } }`,
    );
    expect(literal.status).toBe(400);
    expect(gw.graphEntries()).toHaveLength(0);
  });

  it('refuses more aliases than MAX_QUERY_ALIASES', async () => {
    const aliases = (n: number): string =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: restoreSession(id: "${SEED_SESSION_IDS.draft}") { id }`).join(' ')} }`;
    expect((await gw.query(aliases(5))).errors).toBeUndefined();
    gw.resetUpstream();
    const res = await gw.query(aliases(6));
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(/aliases/i);
    expect(gw.graphEntries()).toHaveLength(0);
  });

  it('refuses documents with too many tokens, or too many bytes', async () => {
    const tokens = await gw.query(`{ ${'a '.repeat(700)}}`);
    expect(tokens.status).toBe(400);
    expect(tokens.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(tokens.errors?.[0]?.message).toMatch(/more th?a[nt] 600 tokens/);

    const big = await post({ query: `{ __typename } # ${'x'.repeat(5_000)}` });
    expect(big.status).toBe(413);
    expect(big.json.errors?.[0]).toMatchObject({
      message: 'The GraphQL document is larger than 4096 bytes.',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('refuses batched requests (MAX_BATCH_OPERATIONS=1)', async () => {
    const res = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
  });

  it('refuses subscriptions over HTTP (they are served over WebSocket), however they are written', async () => {
    for (const [query, variables] of [
      [`subscription { restoreSessionStatusChanged(id: "${SEED_SESSION_IDS.active}") { id } }`, undefined],
      [`subscription S($b: Boolean!) { restoreSessionStatusChanged(id: "x") @skip(if: $b) { id } }`, { b: false }],
    ] as const) {
      const res = await gw.query(query, variables);
      expect(res.status).toBe(400);
      expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(/WebSocket/), extensions: { code: 'BAD_REQUEST' } });
    }
    // A query in a document that also holds a subscription still runs.
    const both = await post({
      query: `query Q { __typename } subscription S { restoreSessionStatusChanged(id: "x") { id } }`,
      operationName: 'Q',
    });
    expect(both.json.data).toEqual({ __typename: 'Query' });
  });

  it('hold over WebSocket too: depth, aliases and tokens', async () => {
    const ws = wsClient(gw.gateway.wsUrl.replace('localhost', '127.0.0.1'), { authorization: await gw.authorization('admin') });
    try {
      gw.resetUpstream();
      const aliases = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: restoreSession(id: "${SEED_SESSION_IDS.draft}") { id }`).join(' ')} }`;
      for (const [query, message] of [
        [nested(2), /depth/i],
        [aliases, /aliases/i],
        [`{ ${'a '.repeat(700)}}`, /600 tokens/],
      ] as const) {
        const stream = subscribe(ws, query, {});
        await stream.ended();
        expect(JSON.stringify(stream.error)).toMatch(message);
      }
      expect(gw.graphEntries()).toHaveLength(0);
    } finally {
      await ws.dispose();
    }
  });

  it('bounds `first` before any Graph call', async () => {
    gw.resetUpstream();
    for (const first of [0, -1, 101]) {
      const res = await gw.query(`query ($n: Int) { restoreSessions(first: $n) { totalCount } }`, { n: first });
      expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'first' } });
    }
    expect(gw.graphEntries()).toHaveLength(0);
  });
});

describe('automatic persisted queries', () => {
  it('register a document by its hash and then run it by hash alone', async () => {
    const query = `query Apq($id: ID!) { restoreSession(id: $id) { id status } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await post({ extensions, variables: { id: SEED_SESSION_IDS.draft } });
    expect(unknown.json.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post({ query, extensions, variables: { id: SEED_SESSION_IDS.draft } });
    expect(registered.json.data).toEqual({ restoreSession: { id: SEED_SESSION_IDS.draft, status: 'DRAFT' } });
    const byHash = await post({ extensions, variables: { id: SEED_SESSION_IDS.completed } });
    expect(byHash.json.data).toEqual({ restoreSession: { id: SEED_SESSION_IDS.completed, status: 'COMPLETED' } });
    // A hash that does not match its document is refused.
    const forged = await post({ query: '{ __typename }', extensions });
    expect(forged.status).toBe(400);
  });

  it('refuse a hash that does not match the query sent with it, over POST and GET, as BAD_REQUEST before any Graph call', async () => {
    const query = `query Forged { restoreSession(id: "${SEED_SESSION_IDS.draft}") { id } }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update('{ __typename }').digest('hex') } };
    gw.resetUpstream();
    const overPost = await post({ query, extensions });
    const overGet = await get({ query, extensions: JSON.stringify(extensions) });
    for (const res of [overPost, overGet]) {
      expect(res.status).toBe(400);
      expect(res.json.errors).toEqual([{ message: MISMATCH, extensions: { code: 'BAD_REQUEST' } }]);
      expect(res.json.data).toBeUndefined();
    }
    expect(gw.graphEntries()).toHaveLength(0);
    // The hash was not registered under the forged document either.
    const byHash = await post({ extensions });
    expect(byHash.json.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('register and run by hash over GET, and refuse a version other than 1 as BAD_REQUEST', async () => {
    const query = `query ApqGet { restoreSession(id: "${SEED_SESSION_IDS.active}") { id status } }`;
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } });
    const unknown = await get({ extensions });
    expect(unknown.json.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await get({ query, extensions })).json.data).toEqual({ restoreSession: { id: SEED_SESSION_IDS.active, status: 'ACTIVE' } });
    expect((await get({ extensions })).json.data).toEqual({ restoreSession: { id: SEED_SESSION_IDS.active, status: 'ACTIVE' } });

    const v2 = await post({
      query,
      extensions: { persistedQuery: { version: 2, sha256Hash: createHash('sha256').update(query).digest('hex') } },
    });
    expect(v2.status).toBe(400);
    expect(v2.json.errors?.[0]).toEqual({ message: expect.stringMatching(/version 1/), extensions: { code: 'BAD_REQUEST' } });
  });

  it('refuse a batch in which one operation carries a hash that does not match its query', async () => {
    const batching = await startTestGateway({ env: { MAX_BATCH_OPERATIONS: '3' } });
    try {
      const query = `query B { restoreSession(id: "${SEED_SESSION_IDS.draft}") { id } }`;
      const good = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
      const bad = { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } };
      const send = async (body: unknown): Promise<{ status: number; json: unknown }> => {
        const res = await fetch(batching.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: await batching.authorization('admin') },
          body: JSON.stringify(body),
        });
        return { status: res.status, json: await res.json() };
      };
      batching.resetUpstream();
      const refused = await send([
        { query, extensions: good },
        { query, extensions: bad },
      ]);
      expect(refused).toEqual({
        status: 400,
        json: { errors: [{ message: `${MISMATCH} (Operation 2 of the batch.)`, extensions: { code: 'BAD_REQUEST' } }] },
      });
      expect(batching.graphEntries()).toHaveLength(0);
      const fine = await send([{ query, extensions: good }, { query }]);
      expect(fine).toEqual({
        status: 200,
        json: [{ data: { restoreSession: { id: SEED_SESSION_IDS.draft } } }, { data: { restoreSession: { id: SEED_SESSION_IDS.draft } } }],
      });
    } finally {
      await batching.close();
    }
  });
});

describe('a document with several operations', () => {
  it('without a matching operationName is OPERATION_RESOLUTION_FAILURE (400), not an internal error', async () => {
    gw.resetUpstream();
    const document = `query A { restoreSession(id: "${SEED_SESSION_IDS.draft}") { id } } query B { __typename }`;
    for (const [operationName, message] of [
      [undefined, 'Must provide operation name if query contains multiple operations.'],
      ['C', 'Unknown operation named "C".'],
    ] as const) {
      const res = await post({ query: document, ...(operationName ? { operationName } : {}) });
      expect(res.status).toBe(400);
      expect(res.json.errors).toEqual([{ message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }]);
    }
    expect(gw.graphEntries()).toHaveLength(0);
    expect((await post({ query: document, operationName: 'B' })).json.data).toEqual({ __typename: 'Query' });
  });
});

describe('CSRF prevention', () => {
  it('refuses simple requests a browser form could send, with or without a token', async () => {
    const form = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: await gw.authorization('admin') },
      body: '{"query":"{ __typename }"}',
    });
    expect(form.status).toBe(400);
    const urlencoded = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    });
    expect(urlencoded.status).toBe(400);
    const get = await fetch(`${gw.url}?query=${encodeURIComponent(`{ restoreSession(id: "${SEED_SESSION_IDS.draft}") { id } }`)}`, {
      headers: { authorization: await gw.authorization('admin') },
    });
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF|preflight/i);
  });

  it('never runs a mutation over GET', async () => {
    const res = await fetch(
      `${gw.url}?query=${encodeURIComponent(`mutation { deleteRestoreSession(id: "${SEED_SESSION_IDS.emptyDraft}") { deletedRestoreSessionId } }`)}`,
      {
        headers: { authorization: await gw.authorization('admin'), 'apollo-require-preflight': 'true' },
      },
    );
    expect(res.status).toBe(405);
  });
});

describe('the audit log', () => {
  it('records every mutation with the caller, the target, the outcome and Graph request ids', async () => {
    gw.resetUpstream();
    const lines = gw.logLines.length;
    const created = await gw.query<{ createSharePointRestoreSession: { restoreSession: { id: string } } }>(
      `mutation Create { createSharePointRestoreSession(input: {}) { restoreSession { id } } }`,
    );
    const id = created.data!.createSharePointRestoreSession.restoreSession.id;
    await gw.queryAs('reader', `mutation Refused($id: ID!) { deleteRestoreSession(id: $id) { deletedRestoreSessionId } }`, { id });
    gw.t.emu.faults.set({
      rules: [{ path: 'solutions/backupRestore/sharePointRestoreSessions', method: 'POST', drop: true, phase: 'after', limit: 1 }],
    });
    await gw.query(`mutation Lost { createSharePointRestoreSession(input: {}) { restoreSession { id } } }`);
    gw.t.emu.faults.clear();
    await gw.query(`mutation Drop($id: ID!) { deleteRestoreSession(id: $id) { deletedRestoreSessionId } }`, { id });

    const audit = gw.logLines
      .slice(lines)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.component === 'audit');
    expect(audit.map((a) => [a.operationName, a.mutation, a.outcome])).toEqual([
      ['Create', 'createSharePointRestoreSession', 'succeeded'],
      ['Refused', 'deleteRestoreSession', 'refused'],
      ['Lost', 'createSharePointRestoreSession', 'unknown'],
      ['Drop', 'deleteRestoreSession', 'succeeded'],
    ]);
    const writes = gw.graphEntries().filter((e) => e.method !== 'GET');
    const [create, refused, lost, drop] = audit as Array<{
      caller: Record<string, string>;
      restoreSessionId?: string;
      code?: string;
      graph: Array<Record<string, unknown>>;
    }>;
    expect(create!.restoreSessionId).toBe(id);
    expect(create!.caller).toEqual({ kind: 'user', oid: expect.any(String), appId: expect.any(String), tenantId: expect.any(String) });
    expect(create!.graph).toEqual([
      expect.objectContaining({
        method: 'POST',
        status: 201,
        requestId: writes[0]!.requestId,
        clientRequestId: writes[0]!.clientRequestId,
      }),
    ]);
    expect(refused).toMatchObject({ restoreSessionId: id, code: 'FORBIDDEN', graph: [] });
    expect(refused!.caller.oid).not.toBe(create!.caller.oid);
    expect(lost).toMatchObject({ code: 'OUTCOME_UNKNOWN', graph: [{ method: 'POST', status: 0, requestId: null }] });
    expect(drop).toMatchObject({ restoreSessionId: id, graph: [{ method: 'DELETE', status: 204 }] });
  });
});

describe('what reaches clients and logs', () => {
  it('never carries a token, a secret or an internal URL, whatever fails', async () => {
    const secret = gw.t.emu.settings.AZURE_CLIENT_SECRET;
    const internal = [gw.t.emu.origin, gw.t.emu.settings.GRAPH_BASE_URL, '127.0.0.1:' + new URL(gw.t.emu.origin).port];
    const admin = await gw.token('admin');
    const texts: string[] = [];
    const lines = gw.logLines.length;
    const docs = [
      `{ restoreSession(id: "${SEED_SESSION_IDS.draft}") { id } }`,
      `{ restoreSessions { nodes { id ... on SharePointRestoreSession { siteRestoreArtifacts { nodes { restorePoint { protectionUnit { ... on SiteProtectionUnit { siteName } } } } } } } } }`,
      `mutation { activateRestoreSession(id: "${SEED_SESSION_IDS.emptyDraft}") { restoreSession { id } } }`,
    ];
    for (const rule of [
      { status: 500 },
      { status: 401 },
      { status: 429, retryAfter: 0.01 },
      { drop: true },
      { status: 503, retryAfter: 0.01 },
      { status: 400 },
    ]) {
      gw.t.emu.faults.set({ rules: [{ path: '**', ...rule }] });
      for (const doc of docs) texts.push((await gw.query(doc)).text);
    }
    gw.t.emu.faults.clear();
    texts.push((await gw.queryAs({ token: `${admin.slice(0, -4)}AAAA` }, docs[0]!)).text);
    texts.push((await gw.queryAs({ token: 'not-a-jwt' }, docs[0]!)).text);
    texts.push((await gw.queryAs(null, docs[0]!)).text);
    texts.push((await post('{"query": "{ restoreSession(id: \\"x\\") { id } ', {})).text);
    for (const text of texts) {
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\./);
      expect(text).not.toContain(secret);
      for (const url of internal) expect(text).not.toContain(url);
      expect(text).not.toMatch(/\bat [^\s]+ \(|node_modules|\.ts:\d+/);
    }
    for (const line of gw.logLines.slice(lines)) {
      expect(line).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\./);
      expect(line).not.toContain(secret);
      expect(line).not.toContain(admin);
    }
  });
});

describe('callers stay apart', () => {
  it("each caller's Graph calls carry their own identity, and concurrent callers share no cached answer", async () => {
    gw.resetUpstream();
    const doc = `query ($id: ID!) { restoreSession(id: $id) { id status createdBy { user { id } } } }`;
    const [admin, reader] = await Promise.all([
      gw.queryAs('admin', doc, { id: SEED_SESSION_IDS.active }),
      gw.queryAs('reader', doc, { id: SEED_SESSION_IDS.active }),
    ]);
    expect(admin.data).toEqual(reader.data);
    const subjects = new Set(
      gw
        .graphEntries()
        .filter((e) => e.kind !== 'batch')
        .map((e) => e.subject),
    );
    // One Graph call per caller (on-behalf-of): nothing either asked was answered from the other's.
    expect(subjects.size).toBe(2);
    expect(gw.graphEntries().filter((e) => e.kind !== 'batch')).toHaveLength(2);
  });

  it("rate-limits one caller without touching another's quota: 429 with Retry-After before any Graph call", async () => {
    const limited = await startTestGateway({ env: { CALLER_RATE_LIMIT_CALLS: '3', CALLER_RATE_LIMIT_WINDOW_MS: '60000' } });
    try {
      const doc = `query ($id: ID!) { restoreSession(id: $id) { id } }`;
      for (let i = 0; i < 3; i++) expect((await limited.queryAs('admin', doc, { id: SEED_SESSION_IDS.draft })).errors).toBeUndefined();
      // The fourth call of the window fails as a field error inside an operation that started in time…
      const partial = await limited.queryAs('admin', `{ a: restoreSession(id: "${SEED_SESSION_IDS.draft}") { id } }`);
      expect(partial.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      // …and the next operation does not start at all.
      limited.resetUpstream();
      const refused = await limited.queryAs('admin', doc, { id: SEED_SESSION_IDS.draft });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(limited.graphEntries()).toHaveLength(0);
      // Another caller is untouched.
      const reader = await limited.queryAs('reader', doc, { id: SEED_SESSION_IDS.draft });
      expect(reader.data).toEqual({ restoreSession: { id: SEED_SESSION_IDS.draft } });
    } finally {
      await limited.close();
    }
  });
});

describe('in production', () => {
  it('refuses introspection, hides field suggestions and masks internal errors behind a correlation id', async () => {
    const prod = await startTestGateway({
      env: { NODE_ENV: 'production', AUTH_MODE: 'app' },
      // The gateway's own credential is wrong: an internal failure no caller can fix.
      upstream: (s) => ({ ...s, credential: { kind: 'secret', clientSecret: 'wrong-secret-for-this-test' } }),
    });
    try {
      const introspection = await prod.query(`{ __schema { types { name } } }`);
      expect(introspection.status).toBe(400);
      expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);

      const typo = await prod.query(`{ restoreSesion(id: "x") { id } }`);
      expect(typo.status).toBe(400);
      expect(typo.text).not.toMatch(/Did you mean/);

      const internal = await prod.query(`{ restoreSession(id: "${SEED_SESSION_IDS.draft}") { id } }`);
      const error = internal.errors?.[0];
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.message).toMatch(/^Internal server error \(correlation id [0-9a-f-]{36}\)\.$/);
      expect(internal.text).not.toContain('wrong-secret-for-this-test');
      expect(internal.text).not.toMatch(/stack|AADSTS|invalid_client/i);
      const correlationId = error?.extensions?.correlationId as string;
      expect(prod.loggedErrors.map((e) => e.correlationId)).toContain(correlationId);
    } finally {
      await prod.close();
    }
  });

  it('gives no "Did you mean …?" hint in any error, over HTTP and WebSocket, and still says what is wrong', async () => {
    const prod = await startTestGateway({ env: { NODE_ENV: 'production' } });
    try {
      prod.resetUpstream();
      const { http, ws } = await typoMessages(prod);
      for (const message of [...http, ws]) {
        expect(message).not.toMatch(/Did you mean|Suggestion hidden/);
        // The names only a suggestion would spell (the variables' own values are echoed, as sent).
        expect(message).not.toMatch(/"restoreSession"|"status"|SharePointRestoreSession|enum value/);
      }
      expect(http).toContain('Cannot query field "restoreSesion" on type "Query".');
      expect(http).toContain('Cannot query field "siteRestoreArtifacts" on type "RestoreSession".');
      expect(http.join('\n')).toMatch(/Value "DRAF" does not exist in "RestoreSessionStatus" enum\.(\n|$)/);
      expect(http.join('\n')).toMatch(/Field "statuss" is not defined by type "RestoreSessionFilter"\.(\n|$)/);
      expect(ws).toContain('Cannot query field \\"statuss\\" on type');
      expect(prod.graphEntries()).toHaveLength(0);
    } finally {
      await prod.close();
    }
  });
});

describe('in development', () => {
  it('keeps the "Did you mean …?" hints, over HTTP and WebSocket', async () => {
    const { http, ws } = await typoMessages(gw);
    const all = http.join('\n');
    expect(all).toContain('Cannot query field "restoreSesion" on type "Query". Did you mean "restoreSession"');
    expect(all).toContain('Did you mean to use an inline fragment on');
    expect(all).toContain('Did you mean the enum value "DRAFT"?');
    expect(all).toMatch(/Field "statuss" is not defined by type "RestoreSessionFilter"\. Did you mean "status"\?/);
    expect(ws).toMatch(/Did you mean/);
  });
});
