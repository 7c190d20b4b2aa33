import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { currentOperation } from './operation-context.js';

/**
 * What the process does with errors that escaped every handler.
 *
 * - An unhandled promise rejection is a bug in the gateway, but one that has already lost its caller: it is logged
 *   (with a correlation id, and the operation's request id when it happened inside one) and counted
 *   (`restore_gateway_unhandled_rejections_total`), and the process keeps serving. Node's default would end the
 *   process, so that any request able to provoke one could stop the service for everybody.
 * - An uncaught exception leaves the process in a state nobody can vouch for: it is logged, then the process drains
 *   as on SIGTERM (in-flight operations finish, leases are handed over) and exits non-zero, so the supervisor starts a
 *   fresh one.
 */

export interface ProcessGuardOptions {
  logger: Logger;
  /** Counts each unhandled rejection (the gateway's metrics, once they exist). */
  onUnhandledRejection?: () => void;
  /** Drains and exits non-zero (the shutdown's trigger with an exit code of 1). */
  onFatal: (reason: string) => void;
}

/** Installs the handlers on `target` (default `process`); returns a function that removes them. */
export function installProcessGuards(
  { logger, onUnhandledRejection, onFatal }: ProcessGuardOptions,
  target: Pick<NodeJS.Process, 'on' | 'off'> = process,
): () => void {
  const onRejection = (reason: unknown): void => {
    const correlationId = randomUUID();
    logger.error('unhandled promise rejection; the process keeps serving', {
      correlationId,
      requestId: currentOperation()?.requestId,
      error: reason,
    });
    onUnhandledRejection?.();
  };
  let fatal = false;
  const onException = (error: Error, origin: string): void => {
    const correlationId = randomUUID();
    logger.fatal('uncaught exception; draining and exiting', { correlationId, origin, requestId: currentOperation()?.requestId, error });
    // A second one while draining changes nothing: the drain is already on its way to a non-zero exit.
    if (fatal) return;
    fatal = true;
    onFatal('uncaughtException');
  };
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}
