import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { TestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import { runDoctor } from '../../src/doctor/run-doctor.js';
import type { DoctorReport } from '../../src/doctor/results.js';

/** The doctor run in process against a test emulator, its printed output and its JSON file collected. */

export interface DoctorRun {
  code: number;
  output: string;
  report: DoctorReport | undefined;
  /** The JSON file's text, as written. */
  json: string;
}

/** The settings `npm run emulator` prints for `t`, plus `extra` (e.g. AUTH_MODE). */
export function emulatorEnv(t: TestEmulator, extra: Record<string, string> = {}): Record<string, string> {
  return { ...t.emu.settings, ...extra };
}

/** A temporary directory for JSON files, removed after the file's tests. */
export function useJsonDir(): () => string {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-test-'));
  let n = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => join(dir, `report-${++n}.json`);
}

export async function doctor(argv: string[], env: Record<string, string>, jsonPath?: string): Promise<DoctorRun> {
  let output = '';
  const code = await runDoctor(jsonPath ? [...argv, '--json', jsonPath] : argv, env, { write: (text) => (output += text) });
  let json = '';
  try {
    json = jsonPath ? readFileSync(jsonPath, 'utf8') : '';
  } catch {
    json = '';
  }
  return { code, output, json, report: json === '' ? undefined : (JSON.parse(json) as DoctorReport) };
}

/** Anything shaped like a JWT (three base64url parts, the first two starting with `eyJ`). */
export const JWT_SHAPE = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/;

/** The capabilities the strict profile refuses: every option no documentation page lists for its endpoint. */
export const STRICT_REFUSED: Record<string, string> = {
  'restoreSessions.count': 'Count',
  'restoreSessions.top': 'Top',
  'restoreSessions.filterStatus': 'Filter',
  'restoreSessions.filterJobType': 'Filter',
  'sharePointRestoreSessions.count': 'Count',
  'sharePointRestoreSessions.top': 'Top',
  'sharePointRestoreSessions.filterStatus': 'Filter',
  'sharePointRestoreSessions.filterJobType': 'Filter',
  'siteProtectionUnits.top': 'Top',
  'siteProtectionUnits.skip': 'Skip',
  'siteProtectionUnits.count': 'Count',
  'mailboxProtectionUnits.top': 'Top',
  'mailboxProtectionUnits.count': 'Count',
  'driveProtectionUnits.top': 'Top',
  'driveProtectionUnits.count': 'Count',
  'restorePoints.expandProtectionUnit': 'Expand',
};
