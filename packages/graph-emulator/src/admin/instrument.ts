import { randomUUID } from 'node:crypto';
import type { GraphResponse } from '../http/types.js';
import { GraphError } from '../http/errors.js';
import { errorResponse, type RawGraphRequest } from '../http/graph-pipeline.js';
import { DropConnection, type BatchItemRunner } from '../http/batch.js';
import { faultError, type FaultDecision, type FaultInjector } from './faults.js';
import { journalStart, journalTiming, type Journal, type JournalEntry, type JournalStart } from './journal.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The outcome of a Graph call run under the fault injector: an answer, or a dropped connection (with the envelope's
 * request id when a `$batch` item took its envelope down).
 */
export type Outcome =
  { kind: 'answer'; response: GraphResponse; fault?: string } | { kind: 'drop'; fault: string; batchRequestId?: string };

function faultResponse(decision: FaultDecision, clientRequestId: string | undefined): GraphResponse {
  const status = decision.status ?? 500;
  const { code, message, innerCode } = faultError(status);
  const headers: Record<string, string> = {};
  if (decision.retryAfter !== undefined) headers['retry-after'] = String(decision.retryAfter);
  const err = new GraphError(status, code, message, { headers, innerCode });
  const requestId = randomUUID();
  return errorResponse(err, requestId, clientRequestId, { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId });
}

function describe(decision: FaultDecision): string {
  const what = decision.drop
    ? 'drop'
    : decision.status !== undefined
      ? `status:${decision.status}`
      : `latency:${Math.round(decision.latencyMs)}ms`;
  return decision.phase === 'after' ? `${what}@after` : what;
}

/** Runs `run` under whatever fault fires for this request. */
export async function withFaults(
  faults: FaultInjector,
  method: string,
  path: string,
  scope: 'request' | 'batchItem',
  clientRequestId: string | undefined,
  run: () => Promise<GraphResponse>,
): Promise<Outcome> {
  const decision = faults.decide(method, path, scope);
  if (!decision) return { kind: 'answer', response: await run() };
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  const fault = describe(decision);
  const replaces = decision.drop || decision.status !== undefined;
  if (decision.phase === 'before' && replaces) {
    return decision.drop ? { kind: 'drop', fault } : { kind: 'answer', response: faultResponse(decision, clientRequestId), fault };
  }
  const response = await run();
  if (decision.phase === 'after' && replaces) {
    return decision.drop ? { kind: 'drop', fault } : { kind: 'answer', response: faultResponse(decision, clientRequestId), fault };
  }
  return { kind: 'answer', response, fault };
}

/** Wraps each `$batch` item with faults and a journal entry. */
export function batchItemRunner(faults: FaultInjector, journal: Journal): BatchItemRunner {
  return async (raw: RawGraphRequest, run) => {
    const started = journalStart();
    const clientRequestId = raw.headers['client-request-id'];
    const outcome = await withFaults(faults, raw.method, raw.path, 'batchItem', clientRequestId, run);
    const entry = graphEntry('batchItem', raw, started, outcome);
    journal.add(entry);
    if (outcome.kind === 'drop') throw new DropConnection(raw.batch?.batchRequestId);
    return outcome.response;
  };
}

/** A journal entry for a Graph request or `$batch` item. */
export function graphEntry(
  kind: 'request' | 'batch' | 'batchItem',
  raw: Pick<RawGraphRequest, 'method' | 'version' | 'path' | 'query' | 'headers' | 'batch'>,
  started: JournalStart,
  outcome: Outcome,
): Omit<JournalEntry, 'seq'> {
  const response = outcome.kind === 'answer' ? outcome.response : undefined;
  const entry: Omit<JournalEntry, 'seq'> = {
    kind,
    method: raw.method,
    version: raw.version,
    path: raw.path,
    query: raw.query.toString(),
    status: response?.status ?? 0,
    subject: response?.subject ?? null,
    ...journalTiming(started),
    requestId: response?.headers?.['request-id'] ?? null,
    clientRequestId: raw.headers['client-request-id'] ?? null,
  };
  if (raw.batch) {
    entry.batchRequestId = raw.batch.batchRequestId;
    entry.itemId = raw.batch.itemId;
  }
  if (kind === 'batch') {
    const batchRequestId = response?.headers?.['request-id'] ?? (outcome.kind === 'drop' ? outcome.batchRequestId : undefined);
    if (batchRequestId) entry.batchRequestId = batchRequestId;
  }
  if (outcome.fault) entry.fault = outcome.fault;
  return entry;
}
