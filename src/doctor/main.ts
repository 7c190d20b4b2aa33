import { runDoctor } from './run-doctor.js';

/** `npm run doctor`: the doctor on this process's command line and environment (docs/operations.md). */
runDoctor(process.argv.slice(2), process.env, process.stdout).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('The doctor failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
