// Fails when src/generated differs from the last commit. Run right after codegen (the
// `codegen:check` script does both), so stale generated types cannot pass CI unnoticed.
import { execFileSync } from 'node:child_process';
import process from 'node:process';

const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'src/generated'], {
  encoding: 'utf8',
});
if (status.trim() !== '') {
  process.stderr.write(
    `src/generated is out of date with schema/ or codegen.yml:\n${status}\n` + 'Run `npm run codegen` and commit the result.\n',
  );
  process.exitCode = 1;
}
