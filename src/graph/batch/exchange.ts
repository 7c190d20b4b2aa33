import { randomUUID } from 'node:crypto';
import type { AccessToken, TokenProvider } from '../../auth/types.js';
import { outcomeOfStatus } from '../../resilience/circuit-breaker.js';
import { GraphDeadlineError } from '../../resilience/operation.js';
import type { AttemptOutcome } from '../../resilience/retry-policy.js';
import { GraphProtocolError } from '../errors.js';
import { graphRequestError, transportError, type GraphHttp } from '../http.js';
import { graphPaths } from '../url.js';
import type { BreakerGate } from './breaker-gate.js';
import { dueBy, exchangeTimeout, failCall, releaseWaiters, resolveCall, type PendingCall } from './call.js';
import { decodeEnvelope, encodeEnvelope, type ItemAnswer } from './envelope.js';

/**
 * One upstream exchange for the calls of one chunk: a lone request for one call, a `POST /$batch` envelope for more.
 * It takes a Graph token, sends, reports each attempt to the breaker gate, and settles each call with its answer or
 * hands its failure to `failed` (the scheduler's retry planning). An item fails only its own call; an envelope that
 * failed as a whole (throttled, unauthenticated, unreachable) passes its fate to every call it carried.
 */

export interface ExchangeOptions {
  /** The HTTP layer, already observed. */
  http: GraphHttp;
  tokenProvider: TokenProvider;
  gate: BreakerGate;
  now: () => number;
  /** An attempt failed with `error`: retry the call, or fail it. */
  failed(call: PendingCall, outcome: AttemptOutcome, error: unknown): void;
}

/** Sends `calls` (one chunk); resolves once every call is settled or handed to `failed`. */
export type Exchange = (calls: readonly PendingCall[]) => Promise<void>;

export function createExchange(options: ExchangeOptions): Exchange {
  const { gate, now } = options;
  const attempt = attemptParts(options);
  /** Fails the waiters whose operation's deadline passed while the call queued; false when none is left to send for. */
  const stillWanted = (call: PendingCall): boolean => {
    if (
      releaseWaiters(
        call,
        (w) => dueBy(w, now()),
        (w) => new GraphDeadlineError(w.operation?.deadline ?? 0),
      )
    )
      return true;
    gate.report(call, 'neutral');
    return false;
  };
  return async (calls) => {
    const wanted = calls.filter(stillWanted);
    if (wanted.length === 1) await sendOne(options, attempt, wanted[0] as PendingCall);
    else if (wanted.length > 1) await sendEnvelope(options, attempt, wanted);
  };
}

interface AttemptParts {
  /** The Graph token for these calls; undefined when none could be had (and the calls have failed with why). */
  token(calls: readonly PendingCall[]): Promise<AccessToken | undefined>;
  /** Settles a call with Graph's answer to it, or hands its failure on. */
  settle(call: PendingCall, answer: ItemAnswer): void;
  /** No answer came: an unreadable one fails the call, a lost one may be retried. */
  lost(call: PendingCall, err: unknown): void;
}

function attemptParts({ tokenProvider, gate, failed }: ExchangeOptions): AttemptParts {
  return {
    async token(calls) {
      try {
        return await tokenProvider.getGraphToken();
      } catch (err) {
        // msal-node has already retried what was worth retrying. Graph was not asked: nothing to tell the breaker.
        for (const call of calls) {
          gate.report(call, 'neutral');
          failCall(call, err);
        }
        return undefined;
      }
    },
    settle(call, { status, headers, body }) {
      gate.report(call, outcomeOfStatus(status));
      if (status >= 200 && status < 300) {
        resolveCall(call, { status, headers, body, requestId: headers['request-id'], clientRequestId: call.clientRequestId });
        return;
      }
      const error = graphRequestError(status, headers, body, call.clientRequestId);
      failed(call, { kind: 'status', status, retryAfterMs: error.retryAfterMs }, error);
    },
    lost(call, err) {
      if (err instanceof GraphProtocolError) {
        failCall(call, err);
        return;
      }
      const error = transportError(err, call.clientRequestId);
      failed(call, { kind: 'transport', notSent: error.notSent, reason: error.reason }, error);
    },
  };
}

async function sendOne({ http, gate, now }: ExchangeOptions, { token, settle, lost }: AttemptParts, call: PendingCall): Promise<void> {
  call.attempts++;
  const bearer = await token([call]);
  if (bearer === undefined) return;
  const { method, path, body } = call.spec;
  let answer: ItemAnswer;
  try {
    answer = await http.send({
      method,
      path,
      body,
      token: bearer,
      clientRequestId: call.clientRequestId,
      timeoutMs: exchangeTimeout([call], now()),
    });
  } catch (err) {
    gate.reportNoAnswer(call, err);
    lost(call, err);
    return;
  }
  settle(call, answer);
}

async function sendEnvelope(
  { http, gate, now, failed }: ExchangeOptions,
  { token, settle, lost }: AttemptParts,
  calls: readonly PendingCall[],
): Promise<void> {
  for (const call of calls) call.attempts++;
  const bearer = await token(calls);
  if (bearer === undefined) return;
  const body = encodeEnvelope(calls.map((call) => ({ ...call.spec, clientRequestId: call.clientRequestId })));
  const envelopeId = randomUUID();
  let res;
  try {
    res = await http.send({
      method: 'POST',
      path: graphPaths.batch(),
      token: bearer,
      clientRequestId: envelopeId,
      body,
      timeoutMs: exchangeTimeout(calls, now()),
    });
  } catch (err) {
    // One lost connection is one failure for the breaker, however many items it carried.
    gate.reportEnvelope(calls, 'failure');
    for (const call of calls) lost(call, err);
    return;
  }
  if (res.status < 200 || res.status >= 300) {
    gate.reportEnvelope(calls, outcomeOfStatus(res.status));
    const error = graphRequestError(res.status, res.headers, res.body, envelopeId);
    for (const call of calls) failed(call, { kind: 'status', status: error.status, retryAfterMs: error.retryAfterMs }, error);
    return;
  }
  decodeEnvelope(res.body, calls.length).forEach((answer, i) => {
    const call = calls[i] as PendingCall;
    if (answer) return settle(call, answer);
    gate.report(call, 'failure');
    failCall(call, new GraphProtocolError('Microsoft Graph left a batched request unanswered.', res.headers['request-id'], envelopeId));
  });
}
