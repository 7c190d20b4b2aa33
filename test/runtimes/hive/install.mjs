// Installs this folder's own npm project (Hive Gateway for the supergraph runtime tests) when its lockfile changed
// since the last install, so that `npm test` (its `pretest` script) does everything on a clean clone and costs a hash
// when nothing changed. Hive lives apart from the root project because it needs newer @graphql-tools/* than the root's
// overrides allow; a production install (`npm ci --omit=dev`) never runs this.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const PROJECT = dirname(fileURLToPath(import.meta.url));
// Inside node_modules: whatever removes the install removes its stamp too.
const STAMP = join(PROJECT, 'node_modules', '.install-stamp');

function fingerprint() {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(PROJECT, file)));
  return hash.digest('hex');
}

/** The environment of a fresh shell: the npm running `npm test` exports its own settings (`npm_*`), which a nested npm would read as its own. */
function cleanEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^npm_/i.test(name) && !/^npm_config_(cache|userconfig|registry)$/i.test(name)) delete env[name];
  }
  return env;
}

const expected = fingerprint();
if (existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === expected) process.exit(0);

process.stdout.write(
  'test/runtimes/hive: installing Hive Gateway for the supergraph runtime tests (first install, or its lockfile changed)\n',
);
// No install scripts: nothing in this tree needs one to run, and none should run unreviewed.
const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
  cwd: PROJECT,
  env: cleanEnv(),
  stdio: 'inherit',
});
if (result.status !== 0) {
  process.stderr.write(`test/runtimes/hive: npm ci failed (${result.error?.message ?? `exit ${result.status}`})\n`);
  process.exit(1);
}
writeFileSync(STAMP, `${expected}\n`);
