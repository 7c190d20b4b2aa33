import { startEmulator } from './start-emulator.js';
import { emulatorOptionsFromEnv } from './options.js';

/** `npm run emulator`: serves the emulator and prints the settings that point a gateway at it. */
async function main(): Promise<void> {
  let options;
  try {
    options = emulatorOptionsFromEnv(process.env);
  } catch (err) {
    console.error(`emulator: invalid configuration\n${(err as Error).message}`);
    process.exit(2);
  }
  const emulator = await startEmulator(options);
  console.error(
    `Graph backup-storage emulator listening on ${emulator.origin} (${options.profile} profile, time scale ${options.timeScale}, ` +
      `${options.clock} clock; ` +
      `seed dated at ${emulator.seed.clockStart}).`,
  );
  console.error('Point a gateway at it with these settings (development credentials):');
  for (const [key, value] of Object.entries(emulator.settings)) console.log(`${key}=${value}`);
  const stop = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') console.error(`emulator: port already in use; set EMULATOR_PORT to another port (0 picks a free one).`);
  else console.error('emulator: failed to start', err);
  process.exit(1);
});
