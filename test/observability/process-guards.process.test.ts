import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { installProcessGuards } from '../../src/observability/process-guards.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A logger whose lines the test reads. */
function capture(): { lines: Array<Record<string, unknown>>; logger: ReturnType<typeof createLogger> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { lines, logger };
}

describe('process guards', () => {
  it('log and count an unhandled rejection without stopping; drain once on an uncaught exception', () => {
    const target = new EventEmitter();
    const { lines, logger } = capture();
    let counted = 0;
    const fatal: string[] = [];
    const uninstall = installProcessGuards(
      { logger, onUnhandledRejection: () => counted++, onFatal: (reason) => fatal.push(reason) },
      target as unknown as NodeJS.Process,
    );
    target.emit('unhandledRejection', new Error('lost lookup'), Promise.resolve());
    expect(counted).toBe(1);
    expect(fatal).toEqual([]);
    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'unhandled promise rejection; the process keeps serving',
      correlationId: expect.any(String),
    });
    expect(JSON.stringify(lines[0])).toContain('lost lookup');

    target.emit('uncaughtException', new Error('broken state'), 'uncaughtException');
    target.emit('uncaughtException', new Error('again'), 'uncaughtException');
    expect(fatal).toEqual(['uncaughtException']);
    expect(lines.filter((l) => l.level === 'fatal')).toHaveLength(2);

    uninstall();
    expect(target.listenerCount('unhandledRejection')).toBe(0);
    expect(target.listenerCount('uncaughtException')).toBe(0);
  });

  it('keep a real process alive through an unhandled rejection and end it non-zero after an uncaught exception', async () => {
    const script = `
      import { createLogger } from './src/logger.ts';
      import { installProcessGuards } from './src/observability/process-guards.ts';
      const logger = createLogger({ level: 'info' });
      installProcessGuards({ logger, onFatal: () => { console.log('draining'); setTimeout(() => process.exit(1), 10); } });
      void Promise.reject(new Error('nobody listens'));
      setTimeout(() => { console.log('still serving'); setTimeout(() => { throw new Error('boom'); }, 10); }, 50);
      setInterval(() => undefined, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(out).toContain('unhandled promise rejection; the process keeps serving');
    expect(out).toContain('still serving');
    expect(out).toContain('uncaught exception; draining and exiting');
    expect(out.indexOf('still serving')).toBeLessThan(out.indexOf('draining'));
    expect(code).toBe(1);
  }, 30_000);
});
