import { describe, expect, it } from 'vitest';
import { createStartGate } from '../../src/server/start-gate.js';

describe('start gate', () => {
  it('lets each caller have at most its number of starts in progress, in order, and forgets idle callers', async () => {
    const gate = createStartGate(2);
    const a1 = await gate.enter('a');
    const a2 = await gate.enter('a');
    const entered: string[] = [];
    const a3 = gate.enter('a').then((leave) => (entered.push('a3'), leave));
    const a4 = gate.enter('a').then((leave) => (entered.push('a4'), leave));
    // Another caller is not held up by a's queue.
    const b1 = await gate.enter('b');
    await new Promise((r) => setImmediate(r));
    expect(entered).toEqual([]);
    expect(gate.count('a')).toEqual({ active: 2, waiting: 2 });

    a1();
    a1();
    await new Promise((r) => setImmediate(r));
    expect(entered).toEqual(['a3']);
    a2();
    (await a3)();
    (await a4)();
    b1();
    expect(entered).toEqual(['a3', 'a4']);
    expect(gate.count('a')).toEqual({ active: 0, waiting: 0 });
    expect(gate.count('b')).toEqual({ active: 0, waiting: 0 });
  });
});
