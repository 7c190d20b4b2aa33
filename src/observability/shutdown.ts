import { silentLogger, type Logger } from '../logger.js';

/**
 * Graceful shutdown on SIGTERM (what Kubernetes, systemd and Docker send) and SIGINT (Ctrl+C): the
 * first signal starts `stop` with a deadline SHUTDOWN_TIMEOUT_MS away and exits 0 when it is done; a
 * hard timer exits 1 at the deadline should anything hang past it; a second signal exits 1 at once
 * (an impatient operator). What `stop` does, in order, is the gateway's business (`gateway.ts`): it
 * budgets its steps by the deadline so that the normal path, even one that has to cut a slow request,
 * ends before the hard timer.
 */

export interface ShutdownOptions {
  /** SHUTDOWN_TIMEOUT_MS. */
  timeoutMs: number;
  /** Stops everything; `deadline` is an epoch-ms instant it must finish by. */
  stop: (deadline: number) => Promise<void>;
  logger?: Logger;
  /** Default `process.exit`. */
  exit?: (code: number) => void;
  now?: () => number;
}

export interface Shutdown {
  readonly started: boolean;
  /**
   * Starts shutting down (what a signal does); resolves when `stop` is done, before exiting. The process then exits
   * with `exitCode` (default 0; a fatal error drains the same way and exits non-zero).
   */
  trigger(reason: string, exitCode?: number): Promise<void>;
  /** Listens for SIGTERM and SIGINT; returns a function that stops listening. */
  install(target?: Pick<NodeJS.Process, 'on' | 'off'>): () => void;
}

export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export function createShutdown({
  logger = silentLogger,
  exit = (code) => process.exit(code),
  now = Date.now,
  timeoutMs,
  stop,
}: ShutdownOptions): Shutdown {
  let started = false;
  let running: Promise<void> | undefined;

  const shutdown: Shutdown = {
    get started() {
      return started;
    },
    trigger(reason, exitCode = 0) {
      if (started) {
        logger.warn('shutdown: second signal, exiting without finishing', { reason });
        exit(1);
        return running ?? Promise.resolve();
      }
      started = true;
      const deadline = now() + timeoutMs;
      logger.info('shutdown: draining', { reason, timeoutMs: timeoutMs });
      const hard = setTimeout(() => {
        logger.error('shutdown: did not finish in time, exiting', { timeoutMs: timeoutMs });
        exit(1);
      }, timeoutMs);
      hard.unref();
      running = stop(deadline).then(
        () => {
          clearTimeout(hard);
          logger.info('shutdown: done', { reason });
          exit(exitCode);
        },
        (err: unknown) => {
          clearTimeout(hard);
          logger.error('shutdown: failed', { reason, error: err });
          exit(1);
        },
      );
      return running;
    },
    install(target = process) {
      const handlers = SHUTDOWN_SIGNALS.map((signal) => {
        const handler = (): void => void shutdown.trigger(signal);
        target.on(signal, handler);
        return [signal, handler] as const;
      });
      return () => {
        for (const [signal, handler] of handlers) target.off(signal, handler);
      };
    },
  };
  return shutdown;
}

/**
 * Runs one step of a shutdown, giving up on it (resolving anyway) after `ms`, so one stuck dependency
 * cannot keep the others from being released. Returns whether the step finished in time.
 */
export async function within(ms: number, step: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      step().then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(0, ms));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
