import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestGateway } from './harness.js';

// The HTTP surface: Sandbox, introspection, CSRF prevention, health, and the federation SDL.

const SNAPSHOT = new URL('../schema/__snapshots__/subgraph.graphql', import.meta.url);

describe('in development', () => {
  const gw = useTestGateway();

  it('serves Apollo Sandbox for browsers, with the endpoint and subscription URL preset', async () => {
    const res = await fetch(gw.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('embeddable-sandbox');
    expect(html).toContain(JSON.stringify(gw.url));
    expect(html).toContain(JSON.stringify(gw.gateway.wsUrl));
    expect(html).toContain('restoreSessions(first: 10)');
    const root = await fetch(`${gw.origin}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/graphql');
  });

  it('answers introspection, with the SDL descriptions of the scalars', async () => {
    const res = await gw.query<{ __schema: { queryType: { name: string } }; __type: { description: string } }>(
      `{ __schema { queryType { name } } __type(name: "DateTime") { description } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.__schema.queryType.name).toBe('Query');
    expect(res.data!.__type.description).toMatch(/^A point in time as an RFC 3339/);
  });

  it('answers _service { sdl } with the reviewed SDL, resolvers and scalars notwithstanding', async () => {
    const res = await gw.query<{ _service: { sdl: string } }>(`{ _service { sdl } }`);
    expect(res.errors).toBeUndefined();
    expect(`${res.data!._service.sdl}\n`).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });

  it('refuses simple requests without a preflight header (CSRF prevention)', async () => {
    const document = '{ restoreSessions { totalCount } }';
    const simplePost = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: document }),
    });
    expect(simplePost.status).toBe(400);
    expect(await simplePost.text()).toMatch(/CSRF|preflight/i);
    const formPost = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: document }).toString(),
    });
    expect(formPost.status).toBe(400);
    const get = await fetch(`${gw.url}?query=${encodeURIComponent(document)}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF|preflight/i);
    // None of them reached Graph.
    expect(gw.graphEntries()).toEqual([]);

    const preflighted = await fetch(`${gw.url}?query=${encodeURIComponent(document)}`, {
      headers: { 'apollo-require-preflight': 'true', authorization: await gw.authorization('admin') },
    });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toEqual({ data: { restoreSessions: { totalCount: 9 } } });
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${gw.origin}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 400 for documents that do not parse or validate, 200 with errors for execution failures', async () => {
    const parse = await gw.query(`{ restoreSessions {`);
    expect(parse.status).toBe(400);
    expect(parse.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const validate = await gw.query(`{ restoreSessions { noSuchField } }`);
    expect(validate.status).toBe(400);
    expect(validate.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const execution = await gw.query(`{ restoreSession(id: "${'x'.repeat(300)}") { id } }`);
    expect(execution.status).toBe(200);
    expect(execution.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('in production', () => {
  const gw = useTestGateway({ env: { NODE_ENV: 'production' } });

  it('turns off introspection and the landing page, but still answers _service for the router', async () => {
    const introspection = await gw.query(`{ __schema { queryType { name } } }`);
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await fetch(gw.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('embeddable-sandbox');
    const service = await gw.query<{ _service: { sdl: string } }>(`{ _service { sdl } }`);
    expect(service.data?._service.sdl).toContain('type Query');
  });
});
