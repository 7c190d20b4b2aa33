import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../logger.js';

/**
 * The audit log: one line per Mutation field, whether it succeeded, failed, was refused or ended with an
 * unknown outcome, naming who asked (the caller's object id, app id and tenant), what (the mutation,
 * the operation's name, the session or request it targeted) and what Graph answered (status, request id
 * and client-request-id of each write it sent). In app mode Graph only ever sees the gateway's app, so
 * these lines are the only record of which person changed a restore. They go through the redacting
 * logger at `info` (component `audit`), never with a token.
 */

export type AuditOutcome = 'succeeded' | 'failed' | 'refused' | 'unknown';

/** Codes that mean nothing was sent to Graph because the caller may not do this. */
const REFUSED = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED']);

export function createAuditPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  const audit = logger.child({ component: 'audit' });
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ operation, operationName }) {
          // Apollo starts execution even when it could not pick an operation (OPERATION_RESOLUTION_FAILURE follows).
          if (operation?.operation !== 'mutation') return;
          return {
            willResolveField({ info, args, contextValue }) {
              if (info.parentType.name !== info.schema.getMutationType()?.name) return;
              const writes = contextValue.graph.operation?.writes;
              // Mutation fields run one after another, so the writes recorded from here on are this field's.
              const mark = writes?.length ?? 0;
              const started = Date.now();
              return (error, result) => {
                const code = errorCode(error);
                const outcome: AuditOutcome =
                  error === null
                    ? 'succeeded'
                    : code === 'OUTCOME_UNKNOWN'
                      ? 'unknown'
                      : code !== undefined && REFUSED.has(code)
                        ? 'refused'
                        : 'failed';
                const caller = contextValue.caller;
                audit.info('mutation', {
                  requestId: contextValue.requestId,
                  operationName: operationName ?? null,
                  mutation: info.fieldName,
                  caller: caller && { kind: caller.kind, oid: caller.oid, appId: caller.appId, tenantId: caller.tenantId },
                  ...targets(args, result),
                  outcome,
                  ...(code !== undefined ? { code } : {}),
                  graph: (writes ?? []).slice(mark).map((w) => ({
                    method: w.method,
                    path: w.path,
                    status: w.status,
                    requestId: w.requestId,
                    clientRequestId: w.clientRequestId,
                    attempts: w.attempts,
                  })),
                  durationMs: Date.now() - started,
                });
              };
            },
          };
        },
      };
    },
  };
}

function errorCode(error: Error | null): string | undefined {
  if (error === null) return undefined;
  const code = (error as Partial<GraphQLError>).extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/** The session (and bulk request or artifact) a mutation named or created. */
function targets(args: Record<string, unknown>, result: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const input = isRecord(args.input) ? args.input : {};
  const fromResult = isRecord(result) ? result : {};
  const session = isRecord(fromResult.restoreSession) ? fromResult.restoreSession.id : undefined;
  const sessionId = firstString(input.restoreSessionId, args.restoreSessionId, input.id, args.id, session);
  if (sessionId !== undefined) out.restoreSessionId = sessionId;
  if (typeof args.restoreSessionId === 'string' && typeof args.id === 'string') out.bulkAdditionRequestId = args.id;
  const bulk = isRecord(fromResult.bulkAdditionRequest) ? fromResult.bulkAdditionRequest.id : undefined;
  if (typeof bulk === 'string') out.bulkAdditionRequestId = bulk;
  for (const field of ['siteRestoreArtifact', 'mailboxRestoreArtifact', 'driveRestoreArtifact'] as const) {
    const artifact = isRecord(fromResult[field]) ? fromResult[field].id : undefined;
    if (typeof artifact === 'string') out[`${field}Id`] = artifact;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v.slice(0, 200);
  return undefined;
}
