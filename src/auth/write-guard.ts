import { defaultFieldResolver, GraphQLError, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { canWrite, WRITE_PERMISSIONS_TEXT } from './permissions.js';

/**
 * Every Mutation field of the schema, present and future, refuses callers without the write permission with FORBIDDEN
 * before its resolver runs, so no Graph write is even attempted for them. The guard wraps the fields of the built
 * schema instead of the resolver map, so a mutation added later is covered without anyone remembering to.
 */

const guarded = new WeakSet<GraphQLSchema>();

export function guardMutations(schema: GraphQLSchema): GraphQLSchema {
  if (guarded.has(schema)) return schema;
  guarded.add(schema);
  const mutation = schema.getMutationType();
  if (!mutation) return schema;
  for (const field of Object.values(mutation.getFields())) {
    const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context, info) => {
      assertMayWrite(context, info.fieldName);
      return resolve(source, args, context, info);
    };
  }
  return schema;
}

/**
 * The write check on its own, for other paths that need the write permission: a subscription that would change
 * something, or a read that shows what only restore operators may see (browsing a backup's contents), which says so in
 * `needs` (what `what` does, in the refusal's words).
 */
export function assertMayWrite(context: unknown, what: string, needs = 'changes restore sessions'): void {
  const caller = callerOf(context);
  if (caller === null) {
    throw new GraphQLError(`${what} needs a caller token.`, { extensions: { code: 'UNAUTHENTICATED' } });
  }
  if (!canWrite(caller)) {
    throw new GraphQLError(`${what} ${needs}, which needs ${WRITE_PERMISSIONS_TEXT}; this caller may only read.`, {
      extensions: { code: 'FORBIDDEN' },
    });
  }
}

function callerOf(context: unknown): { kind: 'user' | 'app'; permissions: readonly string[] } | null {
  if (typeof context !== 'object' || context === null || !('caller' in context)) return null;
  const caller = (context as { caller: unknown }).caller;
  if (typeof caller !== 'object' || caller === null) return null;
  const { kind, permissions } = caller as { kind?: unknown; permissions?: unknown };
  if ((kind !== 'user' && kind !== 'app') || !Array.isArray(permissions)) return null;
  return { kind, permissions: permissions.filter((p): p is string => typeof p === 'string') };
}
