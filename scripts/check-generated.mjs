// Fails when generated files differ from the last commit. Run right after codegen (the `codegen:check` script does
// both), so stale generated types cannot pass CI unnoticed: the gateway's resolver types (src/generated) and the
// client kit's schema, schema facts and typed example documents (packages/client-kit).
import { execFileSync } from 'node:child_process';
import process from 'node:process';

const GENERATED = ['src/generated', 'packages/client-kit/schema.graphql', 'packages/client-kit/src/generated'];

const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', ...GENERATED], {
  encoding: 'utf8',
});
if (status.trim() !== '') {
  process.stderr.write(
    `Generated files are out of date with schema/, codegen.yml or the client kit's codegen:\n${status}\n` +
      'Run `npm run codegen` and commit the result.\n',
  );
  process.exitCode = 1;
}
