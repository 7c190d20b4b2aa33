/** What the browse-session and granular suites share: their paths, answer shapes and a few calls. */
import { expect } from 'vitest';
import type { EmuResponse, TestEmulator } from '../src/testing/index.js';
import type { EmulatorAuthority } from '../src/index.js';
import { Permission } from '../src/authority/caller.js';
import { ROOT, type Err, type Json } from './family-support.js';

export const SP_BROWSE = `${ROOT}/sharePointBrowseSessions`;
export const OD_BROWSE = `${ROOT}/oneDriveForBusinessBrowseSessions`;
export const SP_SESSIONS = `${ROOT}/sharePointRestoreSessions`;
export const OD_SESSIONS = `${ROOT}/oneDriveForBusinessRestoreSessions`;
export const EX_SESSIONS = `${ROOT}/exchangeRestoreSessions`;
export const RS = `${ROOT}/restoreSessions`;
export const DAY = 86_400_000;

export interface BrowseItem {
  itemKey: string;
  name: string;
  webUrl: string;
  type: string;
  itemsCount: number;
  sizeInBytes: string;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  createdBy?: Json;
  lastModifiedBy?: Json;
}

export interface BrowsePage {
  '@odata.context': string;
  '@odata.count': number;
  '@odata.nextLink'?: string;
  value: BrowseItem[];
}

export function expectError(res: EmuResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect((res.body as Err).error.code).toBe(code);
}

/** The path of a nextLink after its version root, as `t.graph` takes it. */
export function afterVersion(url: string): string {
  const m = /\/(?:beta|v1\.0)(\/.*)$/.exec(url);
  if (!m?.[1]) throw new Error(`not a Graph URL: ${url}`);
  return m[1];
}

/** A new browse session on `restorePointId` in `set`; its id. */
export async function browseSession(
  t: TestEmulator,
  set: string,
  restorePointId: string,
  version: 'beta' | 'v1.0' = 'beta',
): Promise<string> {
  const res = await t.graph<{ id: string }>('POST', set, { body: { restorePointId }, version });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** POSTs a browse and follows its nextLinks with GET to the end: every page, in order. */
export async function browseAll(
  t: TestEmulator,
  set: string,
  id: string,
  body: Json | undefined,
  opts: { version?: 'beta' | 'v1.0'; token?: string } = {},
): Promise<BrowsePage[]> {
  const pages: BrowsePage[] = [];
  let res: EmuResponse<BrowsePage> = await t.graph<BrowsePage>('POST', `${set}/${id}/browse`, { body, ...opts });
  for (;;) {
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    pages.push(res.body);
    const next = res.body['@odata.nextLink'];
    if (next === undefined) return pages;
    res = await t.graph<BrowsePage>('GET', afterVersion(next), opts);
  }
}

/** A delegated Graph token minted without the OBO grant: a user's, with other permissions or directory roles. */
export async function graphToken(
  t: TestEmulator,
  shape: { user: string; permissions?: string[]; directoryRoles?: string[] },
): Promise<string> {
  return (t.emu.context.authority as EmulatorAuthority).issueGraphToken(shape);
}

/** A delegated token holding the restore permission but not the SharePoint Backup Administrator role. */
export function writerWithoutRole(t: TestEmulator): Promise<string> {
  return graphToken(t, { user: 'reader', permissions: [Permission.RestoreReadWrite] });
}

export const PREFER_ENUMS = { prefer: 'include-unknown-enum-members' };
