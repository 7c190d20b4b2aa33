import { describe, expect, it } from 'vitest';
import { graphEntries, useTestEmulator, type TestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import { CAPABILITIES } from '../../src/doctor/capabilities.js';
import { fallbackOf, parseDoctorCapabilities } from '../../src/graph/capabilities.js';
import type { DoctorReport } from '../../src/doctor/results.js';
import { doctor, emulatorEnv, JWT_SHAPE, STRICT_REFUSED, useJsonDir } from './doctor-support.js';

const jsonPath = useJsonDir();
/** The mailbox and OneDrive unit lists' capabilities, each with the typed cast it is checked on and the option it sends. */
const UNIT_LISTS: ReadonlyArray<[name: string, path: string, query: string]> = [
  ['mailboxProtectionUnits.top', 'solutions/backupRestore/protectionUnits/microsoft.graph.mailboxProtectionUnit', '$top=1'],
  ['mailboxProtectionUnits.count', 'solutions/backupRestore/protectionUnits/microsoft.graph.mailboxProtectionUnit', '$count=true'],
  ['driveProtectionUnits.top', 'solutions/backupRestore/protectionUnits/microsoft.graph.driveProtectionUnit', '$top=1'],
  ['driveProtectionUnits.count', 'solutions/backupRestore/protectionUnits/microsoft.graph.driveProtectionUnit', '$count=true'],
];

/** The request the journal holds for each unit-list capability's request id. */
function unitListRequests(t: TestEmulator, report: DoctorReport): Array<[string, string, string, number]> {
  const byId = new Map(graphEntries(t.emu.journal.list()).map((e) => [e.requestId, e]));
  return UNIT_LISTS.map(([name]) => {
    const entry = byId.get(report.capabilities[name]?.requestId ?? null);
    return [name, entry?.path ?? '', decodeURIComponent(entry?.query ?? ''), entry?.status ?? 0];
  });
}
const REQUEST_ID = /^[0-9a-f-]{36}$/;
/** What a read-only run may send other than GET: the `$batch` envelope (GET items only) and the restore-point search. */
const READ_ONLY_POSTS = new Set(['$batch', 'solutions/backupRestore/restorePoints/search']);

describe('the doctor against the default profile', () => {
  const t = useTestEmulator();

  it('finds everything the gateway needs, prints the table and writes the versioned JSON', async () => {
    const run = await doctor([], emulatorEnv(t), jsonPath());
    expect(run.code).toBe(0);
    const report = run.report!;
    expect(report).toMatchObject({ version: 1, graphBaseUrl: t.emu.settings.GRAPH_BASE_URL, ok: true, writes: null });
    expect(Date.parse(report.checkedAt)).not.toBeNaN();
    expect(Object.keys(report.capabilities)).toEqual(CAPABILITIES.map((c) => c.name));
    const journalIds = new Set(graphEntries(t.emu.journal.list()).map((e) => e.requestId ?? e.batchRequestId));
    for (const [name, outcome] of Object.entries(report.capabilities)) {
      // The emulator does not implement $skip on this list; its nextLinks use $skiptoken, so the gateway never sends it.
      if (name === 'siteProtectionUnits.skip') {
        expect(outcome).toMatchObject({ result: 'failed', status: 400, needed: false });
        continue;
      }
      expect(outcome, name).toMatchObject({ result: 'works', status: 200 });
      expect(outcome.requestId).toMatch(REQUEST_ID);
      expect(journalIds.has(outcome.requestId!), `${name}: its request id is one the emulator answered`).toBe(true);
      expect(run.output).toMatch(new RegExp(`\\n  ${name.replace('.', '\\.')}\\s+works\\s+200\\s+${outcome.requestId}\\s+\\S`));
    }
    for (const [name, permission] of Object.entries(report.permissions)) {
      expect(permission.result, name).toBe(name === 'writes' ? 'skipped' : 'works');
    }
    expect(report.tokens.app).toMatchObject({ result: 'works' });
    expect(report.tokens.app.permissions).toContain('BackupRestore-Restore.ReadWrite.All');
    expect(report.tokens.onBehalfOf.result).toBe('skipped');
    expect(Object.values(report.capabilities).filter((o) => o.fallback !== undefined)).toEqual([]);
    expect(run.output).toContain('Verdict: everything the gateway needs works.');
    expect(run.output).toContain('`totalCount` on `restoreSessions`');
    expect(run.output).not.toContain('needs this today');
  });

  it('checks $top and $count on the mailbox and OneDrive unit lists, one direct request each, and they work', async () => {
    const run = await doctor([], emulatorEnv(t), jsonPath());
    const report = run.report!;
    expect(unitListRequests(t, report)).toEqual(UNIT_LISTS.map(([name, path, query]) => [name, path, query, 200]));
    for (const [name] of UNIT_LISTS) {
      expect(report.capabilities[name], name).toMatchObject({ result: 'works', status: 200 });
      expect(report.capabilities[name]!.fallback).toBeUndefined();
    }
    expect(run.output).toContain('`totalCount` on `mailboxProtectionUnits`');
    expect(run.output).toContain('the page size of `driveProtectionUnits(first:)`');
  });

  it('lists the undocumented endpoints, with the checks that reached them', async () => {
    const { report, output } = await doctor([], emulatorEnv(t), jsonPath());
    const byEndpoint = new Map(report!.undocumentedEndpoints!.map((e) => [`${e.method} ${e.path}`, e.checkedBy]));
    expect(byEndpoint.get('GET solutions/backupRestore/restorePoints/{id}')).toEqual([
      'restorePoints.getById',
      'restorePoints.expandProtectionUnit',
    ]);
    expect(byEndpoint.get('GET solutions/backupRestore/sharePointRestoreSessions')).toContain('sharePointRestoreSessions');
    expect(byEndpoint.get('GET solutions/backupRestore/restorePoints/{id}/protectionUnit')).toEqual(['restorePoints.unitNavigation']);
    expect(output).toContain('GET solutions/backupRestore/restorePoints/{id}: checked (restorePoints.getById works');
  });

  it('shows the unit navigation as not needed when it fails while $expand works, and still exits 0', async () => {
    t.emu.faults.set({
      seed: 1,
      rules: [{ path: 'solutions/backupRestore/restorePoints/*/protectionUnit', method: 'GET', rate: 1, status: 503, phase: 'before' }],
    });
    const run = await doctor([], emulatorEnv(t), jsonPath());
    expect(run.code).toBe(0);
    expect(run.report!.capabilities['restorePoints.expandProtectionUnit']).toMatchObject({ result: 'works' });
    expect(run.report!.capabilities['restorePoints.unitNavigation']).toMatchObject({ result: 'failed', status: 503, needed: false });
    expect(run.output).toMatch(/restorePoints\.unitNavigation\s+failed \(not needed\)\s+503/);
    expect(run.output).toContain('Verdict: everything the gateway needs works.');
  });

  it('writes nothing without --write', async () => {
    const before = (await t.graph<{ value: unknown[] }>('GET', '/solutions/backupRestore/restoreSessions?$count=true')).body;
    t.emu.journal.clear();
    await doctor([], emulatorEnv(t));
    const entries = graphEntries(t.emu.journal.list());
    expect(entries.length).toBeGreaterThan(20);
    const writes = entries.filter((e) => e.method !== 'GET' && !(e.kind === 'batch' || READ_ONLY_POSTS.has(e.path)));
    expect(writes).toEqual([]);
    const after = (await t.graph<{ value: unknown[] }>('GET', '/solutions/backupRestore/restoreSessions?$count=true')).body;
    expect(after).toEqual(before);
  });

  it('with --write creates an empty draft of each family and deletes it, and writes nothing else', async () => {
    const run = await doctor(['--write'], emulatorEnv(t, { AUTH_MODE: 'app' }), jsonPath());
    expect(run.code).toBe(0);
    expect(run.report!.writes).toMatchObject({
      createDraft: { result: 'works', status: 201 },
      deleteDraft: { result: 'works', status: 204 },
      createExchangeDraft: { result: 'works', status: 201 },
      deleteExchangeDraft: { result: 'works', status: 204 },
      createOneDriveDraft: { result: 'works', status: 201 },
      deleteOneDriveDraft: { result: 'works', status: 204 },
    });
    expect(run.report!.permissions.writes).toMatchObject({ result: 'works', permission: 'BackupRestore-Restore.ReadWrite.All' });
    const writes = graphEntries(t.emu.journal.list()).filter(
      (e) => e.method !== 'GET' && !(e.kind === 'batch' || READ_ONLY_POSTS.has(e.path)),
    );
    expect(writes.map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}$/, '{id}')} ${e.status}`)).toEqual([
      'POST solutions/backupRestore/sharePointRestoreSessions 201',
      'DELETE solutions/backupRestore/restoreSessions/{id} 204',
      'POST solutions/backupRestore/exchangeRestoreSessions 201',
      'DELETE solutions/backupRestore/restoreSessions/{id} 204',
      'POST solutions/backupRestore/oneDriveForBusinessRestoreSessions 201',
      'DELETE solutions/backupRestore/restoreSessions/{id} 204',
    ]);
    expect(writes[0]!.requestId).toBe(run.report!.writes!.createDraft!.requestId);
    expect(writes[2]!.requestId).toBe(run.report!.writes!.createExchangeDraft!.requestId);
    for (const deleted of [writes[1]!, writes[3]!, writes[5]!]) {
      const id = deleted.path.split('/').pop()!;
      expect((await t.graph('GET', `/solutions/backupRestore/restoreSessions/${id}`)).status).toBe(404);
    }
    expect(run.output).toMatch(/createDraft\s+works\s+201/);
  });

  it('checks the on-behalf-of exchange with a user token, and prints no token', async () => {
    const userToken = await t.apiToken('admin');
    const run = await doctor(['--user-token', userToken], emulatorEnv(t), jsonPath());
    expect(run.code).toBe(0);
    expect(run.report!.tokens.onBehalfOf.result).toBe('works');
    expect(run.report!.tokens.onBehalfOf.permissions).toContain('BackupRestore-Restore.ReadWrite.All');
    expect(run.report!.permissions['restoreSessions.onBehalfOf']).toMatchObject({ result: 'works', status: 200 });
    expect(run.report!.permissions.writes).toMatchObject({ result: 'works' });
    for (const text of [run.output, run.json]) {
      expect(text).not.toMatch(JWT_SHAPE);
      expect(text).not.toContain(t.emu.settings.AZURE_CLIENT_SECRET);
      expect(text).not.toContain(userToken.split('.')[2]!);
    }
  });

  it('takes the user token from DOCTOR_USER_TOKEN, and fails (1) when the exchange is refused', async () => {
    const run = await doctor([], emulatorEnv(t, { DOCTOR_USER_TOKEN: await t.apiToken('noconsent') }), jsonPath());
    expect(run.code).toBe(1);
    expect(run.report!.tokens.onBehalfOf).toMatchObject({ result: 'failed' });
    expect(run.report!.tokens.onBehalfOf.detail).toMatch(/^FORBIDDEN/);
    expect(run.output).toMatch(/Verdict: 1 check\(s\) the gateway needs did not pass: onBehalfOf\./);
    expect(run.output).not.toMatch(JWT_SHAPE);
  });

  it('names the permission of a family Graph refuses (403), and exits 1', async () => {
    t.emu.faults.set({
      seed: 1,
      rules: [
        { path: 'solutions/backupRestore/siteProtectionUnits', method: 'GET', scope: 'request', rate: 1, status: 403, phase: 'before' },
      ],
    });
    const run = await doctor([], emulatorEnv(t), jsonPath());
    expect(run.code).toBe(1);
    expect(run.report!.permissions.siteProtectionUnits).toMatchObject({
      result: 'denied',
      status: 403,
      permission: 'BackupRestore-Restore.Read.All',
    });
    // Without a unit, what needs one is not checked rather than failed.
    expect(run.report!.permissions.restorePoints).toMatchObject({ result: 'skipped' });
    expect(run.report!.capabilities['restorePoints.getById']).toMatchObject({ result: 'skipped' });
    expect(run.output).toMatch(/siteProtectionUnits\s+denied\s+403\s+\S+\s+BackupRestore-Restore\.Read\.All/);
  });

  it('names the Configuration permission the mailbox and OneDrive unit lists need when Graph refuses them', async () => {
    t.emu.faults.set({
      seed: 1,
      rules: [
        {
          path: 'solutions/backupRestore/protectionUnits/microsoft.graph.mailboxProtectionUnit',
          method: 'GET',
          scope: 'request',
          rate: 1,
          status: 403,
          phase: 'before',
        },
      ],
    });
    const run = await doctor([], emulatorEnv(t), jsonPath());
    expect(run.code).toBe(1);
    expect(run.report!.permissions.mailboxProtectionUnits).toMatchObject({
      result: 'denied',
      status: 403,
      permission: 'BackupRestore-Configuration.Read.All',
    });
    expect(run.report!.permissions.driveProtectionUnits).toMatchObject({
      result: 'works',
      permission: 'BackupRestore-Configuration.Read.All',
    });
    expect(run.output).toMatch(/mailboxProtectionUnits\s+denied\s+403\s+\S+\s+BackupRestore-Configuration\.Read\.All/);
  });

  it('reports a refused app credential without a secret, and skips what needs the token', async () => {
    const run = await doctor([], emulatorEnv(t, { AZURE_CLIENT_SECRET: 'wrong-secret-value-1234' }), jsonPath());
    expect(run.code).toBe(1);
    expect(run.report!.tokens.app.result).toBe('failed');
    expect(Object.values(run.report!.capabilities).every((c) => c.result === 'skipped')).toBe(true);
    expect(run.output).not.toContain('wrong-secret-value-1234');
    expect(graphEntries(t.emu.journal.list())).toEqual([]);
  });
});

describe('the doctor against the strict profile', () => {
  const t = useTestEmulator({ profile: 'strict' });

  it('shows the undocumented options refused, each the gateway can do without as falling back, and exits 0', async () => {
    const run = await doctor([], emulatorEnv(t), jsonPath());
    expect(run.code).toBe(0);
    const { capabilities, permissions } = run.report!;
    expect(run.report!.ok).toBe(true);
    for (const [name, outcome] of Object.entries(capabilities)) {
      const option = STRICT_REFUSED[name];
      if (option === undefined) {
        expect(outcome, name).toMatchObject({ result: 'works', status: 200 });
        expect(outcome.fallback, name).toBeUndefined();
        continue;
      }
      expect(outcome, name).toMatchObject({ result: 'refused', status: 400 });
      expect(outcome.detail).toContain(`Query option '${option}' is not allowed`);
      expect(outcome.requestId).toMatch(REQUEST_ID);
      // $skip has no fallback; the emulator's nextLinks use $skiptoken, so the gateway never sends it.
      const label = name === 'siteProtectionUnits.skip' ? 'not needed' : 'falls back';
      expect(outcome.fallback, name).toBe(fallbackOf(name));
      expect(run.output).toMatch(new RegExp(`\\n  ${name.replace('.', '\\.')}\\s+refused \\(${label}\\)\\s+400\\s+${outcome.requestId}`));
      if (outcome.fallback !== undefined) expect(run.output).toContain(`\n  ${name}: falls back: ${outcome.fallback}\n`);
    }
    expect(capabilities['restorePoints.unitNavigation']).toMatchObject({ result: 'works', status: 200 });
    expect(
      Object.values(permissions)
        .filter((p) => p.result !== 'works')
        .map((p) => p.result),
    ).toEqual(['skipped']);
    const onFallback = Object.keys(STRICT_REFUSED).filter((n) => n !== 'siteProtectionUnits.skip');
    expect(run.output).toContain(
      `Verdict: everything the gateway needs works (${onFallback.length} capabilities on a fallback: ${onFallback.join(', ')}).`,
    );
    expect(run.json).toContain('"fallback": ');
  });

  it('shows $top and $count refused on the mailbox and OneDrive unit lists, as falling back, and the gateway reads the file', async () => {
    const run = await doctor([], emulatorEnv(t), jsonPath());
    const report = run.report!;
    // Their pages list no query option: the strict profile refuses both, and the gateway has a fallback for each.
    expect(unitListRequests(t, report)).toEqual(UNIT_LISTS.map(([name, path, query]) => [name, path, query, 400]));
    for (const [name] of UNIT_LISTS) {
      expect(report.capabilities[name], name).toMatchObject({ result: 'refused', status: 400, fallback: fallbackOf(name) });
      expect(fallbackOf(name), name).toBeDefined();
      expect(run.output).toMatch(new RegExp(`\\n  ${name.replace('.', '\\.')}\\s+refused \\(falls back\\)\\s+400`));
    }
    // GRAPH_CAPABILITIES_FILE takes the four refusals, each with the option Graph named.
    const names = new Set(UNIT_LISTS.map(([name]) => name));
    const refused = parseDoctorCapabilities(JSON.parse(run.json)).refused.filter((r) => names.has(r.capability));
    expect(refused.map((r) => [r.capability, r.option])).toEqual([
      ['mailboxProtectionUnits.top', '$top'],
      ['mailboxProtectionUnits.count', '$count'],
      ['driveProtectionUnits.top', '$top'],
      ['driveProtectionUnits.count', '$count'],
    ]);
  });

  it('counts a refused $expand as failing when the unit navigation does not work either, and exits 1', async () => {
    t.emu.faults.set({
      seed: 1,
      rules: [{ path: 'solutions/backupRestore/restorePoints/*/protectionUnit', method: 'GET', rate: 1, status: 404, phase: 'before' }],
    });
    const run = await doctor([], emulatorEnv(t), jsonPath());
    expect(run.code).toBe(1);
    const expand = run.report!.capabilities['restorePoints.expandProtectionUnit']!;
    expect(expand).toMatchObject({ result: 'refused', status: 400 });
    expect(expand.fallback).toBeUndefined();
    expect(expand.detail).toContain('no fallback here');
    expect(run.report!.capabilities['restorePoints.unitNavigation']).toMatchObject({ result: 'failed', status: 404 });
    expect(run.report!.capabilities['restorePoints.unitNavigation']!.needed).toBeUndefined();
    expect(run.output).toMatch(/\n {2}restorePoints\.expandProtectionUnit\s+refused\s+400/);
    expect(run.output).toMatch(
      /Verdict: 2 check\(s\) the gateway needs did not pass: restorePoints\.expandProtectionUnit, restorePoints\.unitNavigation; 14 capabilities on a fallback: /,
    );
  });
});

describe('usage and settings', () => {
  const t = useTestEmulator();

  it('exits 2 on a bad command line, unset or invalid settings, or an unwritable JSON path; 0 for --help', async () => {
    expect((await doctor(['--frobnicate'], emulatorEnv(t))).code).toBe(2);
    expect((await doctor(['--json'], emulatorEnv(t))).code).toBe(2);
    const unset = await doctor([], {});
    expect(unset.code).toBe(2);
    expect(unset.output).toContain('set GRAPH_BASE_URL');
    const invalid = await doctor([], emulatorEnv(t, { GRAPH_BASE_URL: 'http://graph.example.com/beta' }));
    expect(invalid.code).toBe(2);
    expect(invalid.output).toContain('GRAPH_BASE_URL');
    expect((await doctor(['--json', '/nonexistent-dir/x/report.json'], emulatorEnv(t))).code).toBe(2);
    const help = await doctor(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.output).toContain('Usage: npm run doctor');
  });

  it('never echoes a stray argument, which may be a token pasted in the wrong place', async () => {
    const token = await t.apiToken('admin');
    const run = await doctor([token], emulatorEnv(t));
    expect(run.code).toBe(2);
    expect(run.output).not.toMatch(JWT_SHAPE);
  });
});
