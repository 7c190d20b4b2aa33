import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { EmulatorOptions } from '../start-emulator.js';
import { startTestEmulator, type TestEmulator } from './test-emulator.js';

/**
 * One test emulator for a vitest file (or for the `describe` it is called in): started before its tests, closed after
 * them, and before each test back to the seed data and the start instant, with an empty journal and no fault rules.
 * The returned object stands for that emulator (it forwards to it), so it can be declared where the tests see it.
 */
export function useTestEmulator(options: EmulatorOptions = {}): TestEmulator {
  let current: TestEmulator | undefined;
  beforeAll(async () => {
    current = await startTestEmulator(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(() => {
    current!.emu.reset();
    current!.emu.journal.clear();
    current!.emu.faults.clear();
  });
  return new Proxy({} as TestEmulator, {
    get(_, property) {
      if (!current) throw new Error('the test emulator is used before its beforeAll started it');
      return Reflect.get(current, property);
    },
  });
}
