import { GraphCircuitOpenError, type CallOutcome, type CircuitBreaker } from '../../resilience/circuit-breaker.js';
import { GraphTransportError } from '../errors.js';
import { failCall, type PendingCall } from './call.js';

/**
 * The scheduler's side of the circuit breaker (`resilience/circuit-breaker.ts`): every attempt of every call must be
 * let through (an open circuit fails it at once), and every admitted attempt reports how it went, a half-open probe
 * exactly once. Without a breaker everything is let through and nothing is counted.
 */

export interface BreakerGate {
  /** Whether this attempt may go out; when it may not, the call fails at once with GraphCircuitOpenError. */
  admit(call: PendingCall): boolean;
  /** What an attempt of this call said about Graph's health (`outcomeOfStatus` for an answer). */
  report(call: PendingCall, outcome: CallOutcome): void;
  /** No answer came for this attempt: a failure, unless the request never left (and Graph was never asked). */
  reportNoAnswer(call: PendingCall, err: unknown): void;
  /** An envelope that failed as a whole counts once, however many calls it carried; its probes learn the same outcome. */
  reportEnvelope(calls: readonly PendingCall[], outcome: CallOutcome): void;
}

export function createBreakerGate(breaker: CircuitBreaker | undefined): BreakerGate {
  const report = (call: PendingCall, outcome: CallOutcome): void => {
    if (!breaker) return;
    breaker.record(outcome, call.probe);
    call.probe = false;
  };
  return {
    admit(call) {
      call.probe = false;
      if (!breaker) return true;
      const admission = breaker.admit();
      if (!admission.allowed) {
        failCall(call, new GraphCircuitOpenError(admission.retryAfterMs));
        return false;
      }
      call.probe = admission.probe;
      return true;
    },
    report,
    reportNoAnswer(call, err) {
      // A refused connection says Graph is down; a request that failed before it left (DNS, TLS) says nothing about it.
      report(call, err instanceof GraphTransportError && err.notSent && err.reason !== 'refused' ? 'neutral' : 'failure');
    },
    reportEnvelope(calls, outcome) {
      if (!breaker) return;
      let counted = false;
      for (const call of calls) {
        if (call.probe) report(call, outcome);
        else if (!counted) {
          counted = true;
          breaker.record(outcome, false);
        }
      }
    },
  };
}
