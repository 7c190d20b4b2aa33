import { describe, expect, it } from 'vitest';
import { buildSchema as buildPlainSchema, graphql } from 'graphql';
import { guardMutations } from '../../src/auth/write-guard.js';
import type { CallerIdentity } from '../../src/context.js';
import { resolvers } from '../../src/resolvers/index.js';
import { buildSchema } from '../../src/schema/build-schema.js';

// The write guard on its own: which callers reach a Mutation resolver at all.

const caller = (kind: 'user' | 'app', permissions: string[]): CallerIdentity => ({
  kind,
  permissions,
  subject: 'subject',
  oid: 'oid',
  appId: 'app',
  tenantId: 'tenant',
  expiresAt: new Date(Date.now() + 3_600_000),
});

const WRITERS: Array<[string, CallerIdentity]> = [
  ['a user with RestoreSessions.ReadWrite', caller('user', ['RestoreSessions.Read', 'RestoreSessions.ReadWrite'])],
  ['an app with RestoreSessions.ReadWrite.All', caller('app', ['RestoreSessions.ReadWrite.All'])],
];
const READERS: Array<[string, CallerIdentity | null]> = [
  ['a user with RestoreSessions.Read', caller('user', ['RestoreSessions.Read'])],
  ['an app with RestoreSessions.Read.All', caller('app', ['RestoreSessions.Read.All'])],
  // An app role in a user token and a scope in an app token grant nothing.
  ['a user holding the app role', caller('user', ['RestoreSessions.ReadWrite.All'])],
  ['an app claiming the scope', caller('app', ['RestoreSessions.ReadWrite'])],
  ['no caller', null],
];

describe('the write guard of the gateway schema', () => {
  let calls = 0;
  const schema = buildSchema({
    ...resolvers,
    Mutation: {
      deleteRestoreSession: (_parent, args) => {
        calls++;
        return { deletedRestoreSessionId: args.id };
      },
    },
  });
  const run = (who: CallerIdentity | null): ReturnType<typeof graphql> =>
    graphql({ schema, source: 'mutation { deleteRestoreSession(id: "s1") { deletedRestoreSessionId } }', contextValue: { caller: who } });

  it.each(READERS)('refuses %s with FORBIDDEN (or UNAUTHENTICATED) before the resolver runs', async (_label, who) => {
    calls = 0;
    const result = await run(who);
    expect(result.errors?.map((e) => e.extensions.code)).toEqual([who ? 'FORBIDDEN' : 'UNAUTHENTICATED']);
    expect(calls).toBe(0);
  });

  it.each(WRITERS)('lets %s through', async (_label, who) => {
    calls = 0;
    const result = await run(who);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ deleteRestoreSession: { deletedRestoreSessionId: 's1' } });
    expect(calls).toBe(1);
  });

  it('guards every Mutation field, including those without a resolver', async () => {
    const fields = Object.values(schema.getMutationType()?.getFields() ?? {});
    // Without this, a schema that lost its Mutation type (null passes toBeDefined) would check nothing.
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) {
      expect(field.resolve, field.name).toBeTypeOf('function');
    }
  });

  it('leaves queries alone', async () => {
    const result = await graphql({ schema, source: '{ __typename }', contextValue: { caller: READERS[0]?.[1] } });
    expect(result.errors).toBeUndefined();
  });
});

describe('guardMutations on any schema', () => {
  it('covers fields served by the default resolver, and wraps a schema once', async () => {
    let calls = 0;
    const schema = guardMutations(guardMutations(buildPlainSchema('type Query { a: Int } type Mutation { later: Int }')));
    const rootValue = {
      later: () => {
        calls++;
        return 1;
      },
    };
    const refused = await graphql({
      schema,
      source: 'mutation { later }',
      rootValue,
      contextValue: { caller: caller('user', ['RestoreSessions.Read']) },
    });
    expect(refused.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const allowed = await graphql({
      schema,
      source: 'mutation { later }',
      rootValue,
      contextValue: { caller: caller('user', ['RestoreSessions.ReadWrite']) },
    });
    expect(allowed.data).toEqual({ later: 1 });
    expect(calls).toBe(1);
  });
});
