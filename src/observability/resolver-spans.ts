import { context, createContextKey, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Tracing } from './tracing.js';

/**
 * A span for each resolver that calls Graph, and none for the many that do not (enum mappings, field
 * helpers, default resolvers). Every field resolver of the schema is wrapped to run in a context that
 * carries a pending span: only when the Graph client's hook asks for a parent inside that context
 * ({@link graphParentContext}) is the span started, back-dated to when the resolver began; it ends when
 * the resolver's value settles. A DataLoader batch runs in the context of the first resolver that loaded
 * into it, so a batch of 20 restore points shows as one resolver span holding their Graph calls.
 *
 * Only called when tracing is on: with it off the schema is left untouched.
 */

interface PendingSpan {
  readonly name: string;
  readonly startTime: Date;
  readonly parent: Context;
  readonly attributes: Record<string, string>;
  span: Span | undefined;
  spanContext: Context | undefined;
  done: boolean;
}

const PENDING = createContextKey('restore-session-gateway.resolver');
const instrumented = new WeakSet<GraphQLSchema>();

export function instrumentResolvers(schema: GraphQLSchema, tracing: Tracing): GraphQLSchema {
  if (!tracing.enabled || instrumented.has(schema)) return schema;
  instrumented.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve || field.resolve === defaultFieldResolver) continue;
      field.resolve = wrap(field.resolve, `${type.name}.${field.name}`);
    }
  }
  return schema;
}

function wrap(resolve: GraphQLFieldResolver<unknown, unknown>, coordinate: string): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, ctx, info) => {
    const parent = context.active();
    const pending: PendingSpan = {
      name: `resolve ${coordinate}`,
      startTime: new Date(),
      parent,
      attributes: { 'graphql.field.coordinate': coordinate, 'graphql.field.path': pathOf(info.path) },
      span: undefined,
      spanContext: undefined,
      done: false,
    };
    return context.with(parent.setValue(PENDING, pending), () => {
      let result: unknown;
      try {
        result = resolve(source, args, ctx, info);
      } catch (err) {
        finish(pending, err);
        throw err;
      }
      if (isPromiseLike(result)) {
        return Promise.resolve(result).then(
          (value) => {
            finish(pending, undefined);
            return value;
          },
          (err: unknown) => {
            finish(pending, err);
            throw err;
          },
        );
      }
      finish(pending, undefined);
      return result;
    });
  };
}

/**
 * The context a Graph call's span belongs in: the pending resolver span of the active context, started
 * now if it was not yet, or the active context itself outside any resolver.
 */
export function graphParentContext(tracing: Tracing): Context {
  const active = context.active();
  const pending = active.getValue(PENDING) as PendingSpan | undefined;
  if (!pending || pending.done) return pending?.parent ?? active;
  if (!pending.spanContext) {
    pending.span = tracing.tracer.startSpan(pending.name, { startTime: pending.startTime, attributes: pending.attributes }, pending.parent);
    pending.spanContext = trace.setSpan(pending.parent, pending.span);
  }
  return pending.spanContext;
}

function finish(pending: PendingSpan, err: unknown): void {
  if (pending.done) return;
  pending.done = true;
  if (!pending.span) return;
  if (err !== undefined) pending.span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'error' });
  pending.span.end();
}

function pathOf(path: { prev: unknown; key: string | number } | undefined): string {
  const parts: Array<string | number> = [];
  for (let p = path; p; p = p.prev as typeof path) parts.unshift(p.key);
  return parts.join('.');
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
