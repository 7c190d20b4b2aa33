import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT, spawnGroup, cleanEnv, within, type Started } from '../../../test/gateway/process-support.js';

/**
 * What the restore console's browser suite needs: `npm run console` as a child process, Debian's Chromium driven by
 * playwright-core, an axe-core scan of a page, and screenshots for the test output and the docs.
 */

export const CHROMIUM = '/usr/bin/chromium';

/** Chromium is there, or the suite has to say why it cannot run. */
export const chromiumPresent = existsSync(CHROMIUM);

/** Without these, Chromium on a machine with no network waits on connections it tries to open at start. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface RunningConsole {
  run: Started;
  /** The console's page, `http://127.0.0.1:<port>/`. */
  consoleUrl: string;
  /** The gateway the page talks to, `http://127.0.0.1:<port>/graphql`. */
  gatewayUrl: string;
}

/** `npm run console` on ephemeral ports, with `env` on top of a clean environment; answers once its banner is out. */
export async function startConsole(env: Record<string, string>, timeoutMs: number): Promise<RunningConsole> {
  const run = spawnGroup(
    ROOT,
    'npx',
    ['tsx', 'packages/client-kit/console/server/serve.ts', '--port', '0'],
    cleanEnv({ PORT: '0', ...env }),
  );
  const urls = await within(
    new Promise<{ consoleUrl: string; gatewayUrl: string }>((resolve, reject) => {
      const check = (): void => {
        const out = run.stdout();
        const consoleUrl = /Console:\s+(http:\/\/\S+)/.exec(out)?.[1];
        const gatewayUrl = /GraphQL:\s+(http:\/\/\S+\/graphql)/.exec(out)?.[1];
        if (consoleUrl && gatewayUrl && out.includes('Stop with Ctrl+C.')) resolve({ consoleUrl, gatewayUrl });
      };
      run.child.stdout!.on('data', check);
      check();
      void run.exited.then(({ code }) => reject(new Error(`exited with ${code} before the banner:\n${run.stdout()}\n${run.stderr()}`)));
    }),
    timeoutMs,
    'npm run console',
  );
  return { run, ...urls };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/** axe-core's violations on the page as it is now, of every rule axe runs by default (WCAG 2.x A and AA and more). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    // In the page: axe-core's script tag defined `axe` there.
    const inPage = (globalThis as unknown as { axe: typeof axe }).axe;
    const results = await inPage.run({ resultTypes: ['violations'] });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.length }));
  });
}

const SHOTS_DIR = `${ROOT}test-results/console`;
const DOCS_IMAGES_DIR = `${ROOT}docs/images`;

/**
 * A full-page screenshot in the test output. The copies the console's guide shows in docs/images/ are refreshed only
 * when `UPDATE_DOC_SCREENSHOTS=1` is set (dates and ids differ on every run, and a test run should leave the working
 * tree as it found it).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  mkdirSync(DOCS_IMAGES_DIR, { recursive: true });
  const path = `${SHOTS_DIR}/${name}.png`;
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  if (process.env.UPDATE_DOC_SCREENSHOTS === '1') copyFileSync(path, `${DOCS_IMAGES_DIR}/console-${name}.png`);
}
