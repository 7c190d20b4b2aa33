import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, visit, type DocumentNode, type GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../logger.js';
import { AUDITED_READ_FIELDS, AUDITED_READS, type AuditedGraphExchange, type AuditedRead } from './audited-reads.js';

/**
 * The audit log: one line per Mutation field, whether it succeeded, failed, was refused or ended with an
 * unknown outcome, naming who asked (the caller's object id, app id and tenant), what (the mutation,
 * the operation's name, the session or request it targeted) and what Graph answered (status, request id
 * and client-request-id of each write it sent). In app mode Graph only ever sees the gateway's app, so
 * these lines are the only record of which person changed a restore. They go through the redacting
 * logger at `info` (component `audit`), never with a token.
 *
 * Some reads are audited too (`audited-reads.ts`: each listing of a backup's contents): one `read` line per
 * resolution, with what was looked at and Graph's answers to the reads behind it.
 */

export type AuditOutcome = 'succeeded' | 'failed' | 'refused' | 'unknown';

/** Codes that mean nothing was sent to Graph because the caller may not do this. */
const REFUSED = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED']);

export function createAuditPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  const audit = logger.child({ component: 'audit' });
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ operation, operationName, document }) {
          // Apollo starts execution even when it could not pick an operation (OPERATION_RESOLUTION_FAILURE follows).
          if (operation?.operation !== 'mutation' && operation?.operation !== 'query') return;
          const isMutation = operation.operation === 'mutation';
          // A query that selects no audited field is not watched field by field.
          if (!isMutation && !selectsAuditedRead(document)) return;
          return {
            willResolveField({ info, args, source, contextValue }) {
              if (isMutation && info.parentType.name === info.schema.getMutationType()?.name) {
                return auditMutation(audit, contextValue, operationName ?? null, info.fieldName, args);
              }
              // Audited reads resolve anywhere in a query or a mutation's payload.
              if (!AUDITED_READ_FIELDS.has(info.fieldName)) return;
              const read = AUDITED_READS.get(`${info.parentType.name}.${info.fieldName}`);
              const details = read?.details({ args, source });
              if (!read || !details) return;
              return auditRead(audit, contextValue, operationName ?? null, `${info.parentType.name}.${info.fieldName}`, details, read);
            },
          };
        },
      };
    },
  };
}

type FieldEnd = (error: Error | null, result?: unknown) => void;

/** Whether the document (any of its operations and fragments) selects a field named like an audited read. */
function selectsAuditedRead(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (!AUDITED_READ_FIELDS.has(node.name.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

function auditMutation(
  audit: Logger,
  contextValue: GatewayContext,
  operationName: string | null,
  mutation: string,
  args: Record<string, unknown>,
): FieldEnd {
  const writes = contextValue.graph.operation?.writes;
  // Mutation fields run one after another, so the writes recorded from here on are this field's.
  const mark = writes?.length ?? 0;
  const started = Date.now();
  return (error, result) => {
    const code = errorCode(error);
    audit.info('mutation', {
      requestId: contextValue.requestId,
      operationName,
      mutation,
      caller: callerOf(contextValue),
      ...targets(args, result),
      outcome: outcomeOf(error, code),
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
}

/** One line per resolution of an audited read (`audited-reads.ts`), refused and failed ones included. */
function auditRead(
  audit: Logger,
  contextValue: GatewayContext,
  operationName: string | null,
  field: string,
  details: Record<string, unknown>,
  read: AuditedRead,
): FieldEnd {
  const started = Date.now();
  return (error, result) => {
    const code = errorCode(error);
    audit.info('read', {
      requestId: contextValue.requestId,
      operationName,
      field,
      caller: callerOf(contextValue),
      ...details,
      outcome: outcomeOf(error, code),
      ...(code !== undefined ? { code } : {}),
      graph: error === null ? (read.graph?.(result) ?? []) : graphOfError(error),
      durationMs: Date.now() - started,
    });
  };
}

function callerOf(contextValue: GatewayContext): Record<string, unknown> | null {
  const caller = contextValue.caller;
  return caller && { kind: caller.kind, oid: caller.oid, appId: caller.appId, tenantId: caller.tenantId };
}

function outcomeOf(error: Error | null, code: string | undefined): AuditOutcome {
  if (error === null) return 'succeeded';
  if (code === 'OUTCOME_UNKNOWN') return 'unknown';
  return code !== undefined && REFUSED.has(code) ? 'refused' : 'failed';
}

/** Graph's answer behind a failure, when Graph answered (`extensions.graph`). */
function graphOfError(error: Error): AuditedGraphExchange[] {
  const graph = (error as Partial<GraphQLError>).extensions?.graph;
  if (!isRecord(graph) || typeof graph.status !== 'number') return [];
  const id = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return [{ status: graph.status, requestId: id(graph.requestId), clientRequestId: id(graph.clientRequestId) }];
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
  const browse = isRecord(fromResult.browseSession) ? fromResult.browseSession.id : undefined;
  if (typeof browse === 'string') out.browseSessionId = browse.slice(0, 200);
  if (typeof input.restorePointId === 'string' && !('restoreSessionId' in input)) out.restorePointId = input.restorePointId.slice(0, 200);
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
