/**
 * What live status runs on across instances (Redis): its readiness, and the one error every part
 * raises when it cannot be used. The Subscription resolvers turn that error into the client's
 * UPSTREAM_UNAVAILABLE; readiness reports its message.
 */

/** The live-status backend is unreachable or not answering (or not configured): live status cannot work here right now. */
export class LiveBackendUnavailableError extends Error {
  override readonly name = 'LiveBackendUnavailableError';
}

export interface LiveBackend {
  /** Resolves when the backend answers; rejects with a {@link LiveBackendUnavailableError} saying why not. */
  check(): Promise<void>;
  /**
   * Whether the backend can deliver now, from its connections' state (no round trip): the one answer every new
   * subscription asks for. Undefined when the backend never gave one.
   */
  available(): boolean;
  /** `listener` runs each time the backend stops being able to deliver (`false`) and once it can again (`true`). */
  onAvailabilityChange(listener: (available: boolean) => void): void;
  /** Waits up to `timeoutMs` for the backend to be connected; false when it is not. */
  waitUntilReady(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}
