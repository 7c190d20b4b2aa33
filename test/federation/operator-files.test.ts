import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// `yaml` comes with @graphql-codegen/cli (it reads codegen.yml); no YAML parser of our own is needed.
import { parse as parseYaml } from 'yaml';
import { RESTORE_SESSIONS_SUBGRAPH } from './support.js';

// Neither rover nor the router is an npm package of this project (both are downloaded binaries), so
// these tests check what can be checked offline: the files parse, and they agree with each other, with
// the gateway's endpoint and with the composition the tests run.

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (name: string): unknown => parseYaml(readFileSync(`${root}${name}`, 'utf8'));

interface SupergraphConfig {
  federation_version: string;
  subgraphs: Record<string, { routing_url: string; schema: { subgraph_url?: string; file?: string } }>;
}

interface RouterConfig {
  supergraph: { listen: string; path: string };
  headers: { subgraphs: Record<string, { request: Array<{ propagate?: { named: string } }> }> };
  include_subgraph_errors: { subgraphs: Record<string, boolean> };
  subscription: {
    enabled: boolean;
    mode: { passthrough: { subgraphs: Record<string, { path: string; protocol: string }> } };
  };
}

const supergraph = read('supergraph.yaml') as SupergraphConfig;
const router = read('router.yaml') as RouterConfig;

describe('supergraph.yaml (rover)', () => {
  it('pins the federation version the tests compose with', () => {
    const composition = createRequire(import.meta.url)('@apollo/composition/package.json') as { version: string };
    expect(supergraph.federation_version).toBe(`=${composition.version}`);
  });

  it('declares this gateway as the subgraph the tests compose, on its /graphql endpoint', () => {
    expect(Object.keys(supergraph.subgraphs)).toEqual([RESTORE_SESSIONS_SUBGRAPH]);
    const subgraph = supergraph.subgraphs[RESTORE_SESSIONS_SUBGRAPH];
    expect(subgraph?.routing_url).toBe('http://localhost:4000/graphql');
    expect(subgraph?.schema.subgraph_url).toBe(subgraph?.routing_url);
  });

  it('points its offline alternative at the reviewed _service SDL', () => {
    const alternative = /#\s*file:\s*(\S+)/.exec(readFileSync(`${root}supergraph.yaml`, 'utf8'))?.[1];
    expect(alternative).toBe('./test/schema/__snapshots__/subgraph.graphql');
    expect(existsSync(`${root}${alternative ?? ''}`)).toBe(true);
  });
});

describe('router.yaml (Apollo Router)', () => {
  it('configures the subgraph by the name supergraph.yaml gives it', () => {
    const names = [
      Object.keys(router.headers.subgraphs),
      Object.keys(router.include_subgraph_errors.subgraphs),
      Object.keys(router.subscription.mode.passthrough.subgraphs),
    ];
    for (const list of names) expect(list).toEqual(Object.keys(supergraph.subgraphs));
  });

  it('propagates the caller’s Authorization header, and nothing else', () => {
    expect(router.headers.subgraphs[RESTORE_SESSIONS_SUBGRAPH]?.request).toEqual([{ propagate: { named: 'authorization' } }]);
  });

  it('passes subscriptions through to the gateway’s graphql-transport-ws endpoint', () => {
    expect(router.subscription.enabled).toBe(true);
    const passthrough = router.subscription.mode.passthrough.subgraphs[RESTORE_SESSIONS_SUBGRAPH];
    expect(passthrough).toEqual({
      path: new URL(supergraph.subgraphs[RESTORE_SESSIONS_SUBGRAPH]?.routing_url ?? '').pathname,
      protocol: 'graphql_ws',
    });
  });

  it('listens on a port other than the gateway’s default', () => {
    expect(router.supergraph.listen).not.toMatch(/:4000$/);
    expect(router.supergraph.path).toBe('/graphql');
  });
});
