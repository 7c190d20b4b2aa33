import { describe, expect, it } from 'vitest';
import { useTestEmulator, type EmuResponse, type TestEmulator } from '../src/testing/index.js';
import {
  SEED_SESSION_IDS,
  STRICT_QUERY_OPTIONS,
  UNDOCUMENTED_ENDPOINTS,
  SEED_EXCHANGE_POLICY_ID,
  SEED_ONEDRIVE_POLICY_ID,
  SEED_SESSION_ARTIFACT_IDS,
  emulatorOptionsFromEnv,
  seedBrowseItem,
  seedDriveRestorePointId,
  seedDriveUnitId,
  seedMailboxRestorePointId,
  seedMailboxUnitId,
  seedRestorePointId,
  seedUnitId,
  startEmulator,
} from '../src/index.js';
import { stableGuid } from '../src/model/ids.js';
import { GRAPH_ROUTES } from '../src/routes/index.js';

const ROOT = '/solutions/backupRestore';
const SP = `${ROOT}/sharePointRestoreSessions`;
/** The OData system query options the table speaks of, with a value each would take. */
const OPTIONS: Record<string, string> = {
  $count: 'true',
  $expand: 'protectionUnit',
  $filter: "status eq 'draft'",
  $orderby: 'id',
  $search: '"x"',
  $select: 'id',
  $skip: '1',
  $top: '2',
};
const ODATA_NAME: Record<string, string> = {
  $count: 'Count',
  $expand: 'Expand',
  $filter: 'Filter',
  $orderby: 'OrderBy',
  $search: 'Search',
  $select: 'Select',
  $skip: 'Skip',
  $top: 'Top',
};
const refusal = (name: string): string =>
  `Query option '${name}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`;

interface GraphErrorBody {
  error: { code: string; message: string; innerError: Record<string, string> };
}
interface Page {
  value: Array<{ id: string }>;
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

const key = (method: string, path: string): string => `${method} ${path.replace(/\{[^}]*\}/g, '{}').toLowerCase()}`;
const unitFilter = `$expand=protectionUnit($filter=id eq '${seedUnitId(3)}')&$filter=protectionDateTime lt 2025-06-01T00:00:00Z`;

/** A concrete URL (after the version root, with its base query) for every GET row of the table, on the seed data. */
function getUrls(artifactId: string, extra: Array<[string, string]> = []): Record<string, string> {
  const { draft, large, emptyDraft, exchange, oneDrive } = SEED_SESSION_IDS;
  const missing = stableGuid('no-such-bulk-request');
  const urls: Array<[string, string]> = [
    ['solutions/backupRestore', ROOT],
    ['solutions/backupRestore/restoreSessions', `${ROOT}/restoreSessions`],
    ['solutions/backupRestore/restoreSessions/{}', `${ROOT}/restoreSessions/${draft}`],
    ['solutions/backupRestore/sharePointRestoreSessions', SP],
    ['solutions/backupRestore/sharePointRestoreSessions/{}', `${SP}/${draft}`],
    ['solutions/backupRestore/exchangeRestoreSessions', `${ROOT}/exchangeRestoreSessions`],
    ['solutions/backupRestore/exchangeRestoreSessions/{}', `${ROOT}/exchangeRestoreSessions/${exchange}`],
    ['solutions/backupRestore/oneDriveForBusinessRestoreSessions', `${ROOT}/oneDriveForBusinessRestoreSessions`],
    ['solutions/backupRestore/oneDriveForBusinessRestoreSessions/{}', `${ROOT}/oneDriveForBusinessRestoreSessions/${oneDrive}`],
    ['solutions/backupRestore/sharePointRestoreSessions/{}/siteRestoreArtifacts', `${SP}/${large}/siteRestoreArtifacts`],
    ['solutions/backupRestore/sharePointRestoreSessions/{}/siteRestoreArtifacts/{}', `${SP}/${large}/siteRestoreArtifacts/${artifactId}`],
    [
      'solutions/backupRestore/sharePointRestoreSessions/{}/siteRestoreArtifacts/{}/restorePoint',
      `${SP}/${large}/siteRestoreArtifacts/${artifactId}/restorePoint`,
    ],
    ['solutions/backupRestore/sharePointRestoreSessions/{}/granularSiteRestoreArtifacts', `${SP}/${draft}/granularSiteRestoreArtifacts`],
    [
      'solutions/backupRestore/sharePointRestoreSessions/{}/siteRestoreArtifactsBulkAdditionRequests',
      `${SP}/${emptyDraft}/siteRestoreArtifactsBulkAdditionRequests`,
    ],
    [
      'solutions/backupRestore/sharePointRestoreSessions/{}/siteRestoreArtifactsBulkAdditionRequests/{}',
      `${SP}/${emptyDraft}/siteRestoreArtifactsBulkAdditionRequests/${missing}`,
    ],
    ['solutions/backupRestore/restorePoints', `${ROOT}/restorePoints?${unitFilter}`],
    ['solutions/backupRestore/restorePoints/{}', `${ROOT}/restorePoints/${seedRestorePointId(3, 1)}`],
    ['solutions/backupRestore/restorePoints/{}/protectionUnit', `${ROOT}/restorePoints/${seedRestorePointId(3, 1)}/protectionUnit`],
    ['solutions/backupRestore/siteProtectionUnits', `${ROOT}/siteProtectionUnits`],
    ['solutions/backupRestore/protectionUnits', `${ROOT}/protectionUnits`],
    ['solutions/backupRestore/siteProtectionUnits/{}', `${ROOT}/siteProtectionUnits/${seedUnitId(3)}`],
    ['solutions/backupRestore/protectionUnits/{}', `${ROOT}/protectionUnits/${seedUnitId(3)}`],
  ];
  for (const nav of ['mailboxRestoreArtifacts', 'mailboxRestoreArtifactsBulkAdditionRequests']) {
    urls.push([`solutions/backupRestore/exchangeRestoreSessions/{}/${nav}`, `${ROOT}/exchangeRestoreSessions/${exchange}/${nav}`]);
  }
  const [mailboxArtifact] = SEED_SESSION_ARTIFACT_IDS.exchange;
  const [driveArtifact] = SEED_SESSION_ARTIFACT_IDS.oneDrive;
  urls.push(
    [
      'solutions/backupRestore/exchangeRestoreSessions/{}/mailboxRestoreArtifacts/{}',
      `${ROOT}/exchangeRestoreSessions/${exchange}/mailboxRestoreArtifacts/${mailboxArtifact}`,
    ],
    [
      'solutions/backupRestore/exchangeRestoreSessions/{}/mailboxRestoreArtifacts/{}/restorePoint',
      `${ROOT}/exchangeRestoreSessions/${exchange}/mailboxRestoreArtifacts/${mailboxArtifact}/restorePoint`,
    ],
    [
      'solutions/backupRestore/oneDriveForBusinessRestoreSessions/{}/driveRestoreArtifacts/{}',
      `${ROOT}/oneDriveForBusinessRestoreSessions/${oneDrive}/driveRestoreArtifacts/${driveArtifact}`,
    ],
    [
      'solutions/backupRestore/oneDriveForBusinessRestoreSessions/{}/driveRestoreArtifacts/{}/restorePoint',
      `${ROOT}/oneDriveForBusinessRestoreSessions/${oneDrive}/driveRestoreArtifacts/${driveArtifact}/restorePoint`,
    ],
  );
  for (const [workload, policies, policy, unit] of [
    ['mailbox', 'exchangeProtectionPolicies', SEED_EXCHANGE_POLICY_ID, seedMailboxUnitId(2)],
    ['drive', 'oneDriveForBusinessProtectionPolicies', SEED_ONEDRIVE_POLICY_ID, seedDriveUnitId(2)],
  ] as const) {
    urls.push(
      [`solutions/backupRestore/${workload}ProtectionUnits`, `${ROOT}/${workload}ProtectionUnits`],
      [`solutions/backupRestore/${workload}ProtectionUnits/{}`, `${ROOT}/${workload}ProtectionUnits/${unit}`],
      [
        `solutions/backupRestore/protectionUnits/microsoft.graph.${workload}ProtectionUnit`,
        `${ROOT}/protectionUnits/microsoft.graph.${workload}ProtectionUnit`,
      ],
      [`solutions/backupRestore/${policies}/{}/${workload}ProtectionUnits`, `${ROOT}/${policies}/${policy}/${workload}ProtectionUnits`],
    );
  }
  for (const nav of ['driveRestoreArtifacts', 'granularDriveRestoreArtifacts', 'driveRestoreArtifactsBulkAdditionRequests']) {
    urls.push([
      `solutions/backupRestore/oneDriveForBusinessRestoreSessions/{}/${nav}`,
      `${ROOT}/oneDriveForBusinessRestoreSessions/${oneDrive}/${nav}`,
    ]);
  }
  urls.push(...extra);
  return Object.fromEntries(urls.map(([pattern, url]) => [key('GET', pattern), url]));
}

/** `url` with `option` set to its value (replacing a base one of the same name). */
function withOption(url: string, option: string): string {
  const [path, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  params.set(option, OPTIONS[option]!);
  return `${path}?${params.toString()}`;
}

function expectRefused(res: EmuResponse<unknown>, option: string, clientRequestId?: string): void {
  const body = res.body as GraphErrorBody;
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(body.error.code).toBe('');
  expect(body.error.message).toBe(`The query specified in the URI is not valid. ${refusal(ODATA_NAME[option]!)}`);
  expect(body.error.innerError.message).toBe(refusal(ODATA_NAME[option]!));
  expect(body.error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  expect(body.error.innerError['request-id']).toBe(res.headers['request-id']);
  if (clientRequestId) expect(body.error.innerError['client-request-id']).toBe(clientRequestId);
}

const isRefusal = (res: EmuResponse<unknown>): boolean =>
  res.status === 400 && /is not allowed\. To allow it/.test((res.body as GraphErrorBody).error.message);

/**
 * URLs of the rows that need what the seed lacks, made through the API: browse sessions of both families, a browse
 * continuation, and a granular Exchange session with its artifact.
 */
async function granularUrls(t: TestEmulator): Promise<Array<[string, string]>> {
  const after = (url: string): string => url.slice(url.indexOf('/beta/') + '/beta'.length);
  const out: Array<[string, string]> = [['solutions/backupRestore/browseSessions', `${ROOT}/browseSessions`]];
  for (const [set, point] of [
    ['sharePointBrowseSessions', seedRestorePointId(3, 0)],
    ['oneDriveForBusinessBrowseSessions', seedDriveRestorePointId(2, 0)],
  ] as const) {
    const created = await t.graph<{ id: string }>('POST', `${ROOT}/${set}`, { body: { restorePointId: point } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const reports = seedBrowseItem(set.startsWith('share') ? seedUnitId(3) : seedDriveUnitId(2), 'Documents/Reports');
    const page = await t.graph<Page>('POST', `${ROOT}/${set}/${created.body.id}/browse`, {
      body: { browseLocationItemKey: reports.itemKey, browseResourceType: 'folder' },
    });
    out.push(
      [`solutions/backupRestore/${set}`, `${ROOT}/${set}`],
      [`solutions/backupRestore/${set}/{}`, `${ROOT}/${set}/${created.body.id}`],
      [`solutions/backupRestore/${set}/{}/browse`, after(page.body['@odata.nextLink']!)],
    );
  }
  const search = await t.graph<{ searchResponseId: string }>('POST', `${ROOT}/restorePoints/search`, {
    body: {
      protectionUnitIds: [seedMailboxUnitId(2)],
      protectionTimePeriod: { startDateTime: '2025-05-01T00:00:00Z' },
      artifactQuery: { queryExpression: "Subject -like 'Budget*'" },
    },
  });
  const session = await t.graph<{ id: string }>('POST', `${ROOT}/exchangeRestoreSessions`, {
    body: {
      granularMailboxRestoreArtifacts: [
        { restorePoint: { id: seedMailboxRestorePointId(2, 0) }, destinationType: 'new', searchResponseId: search.body.searchResponseId },
      ],
    },
  });
  const nav = `${ROOT}/exchangeRestoreSessions/${session.body.id}/granularMailboxRestoreArtifacts`;
  const artifact = (await t.graph<Page>('GET', nav)).body.value[0]!.id;
  out.push(
    ['solutions/backupRestore/exchangeRestoreSessions/{}/granularMailboxRestoreArtifacts', nav],
    ['solutions/backupRestore/exchangeRestoreSessions/{}/granularMailboxRestoreArtifacts/{}', `${nav}/${artifact}`],
    [
      'solutions/backupRestore/exchangeRestoreSessions/{}/granularMailboxRestoreArtifacts/{}/restorePoint',
      `${nav}/${artifact}/restorePoint`,
    ],
  );
  return out;
}

async function firstArtifactId(t: TestEmulator): Promise<string> {
  const res = await t.graph<Page>('GET', `${SP}/${SEED_SESSION_IDS.large}/siteRestoreArtifacts?$top=1`);
  return res.body.value[0]!.id;
}

/** What the gateway sends that no page documents: each answered 200 by the default profile, refused by the strict one. */
const UNDOCUMENTED_USES: Array<[string, string]> = [
  [`${ROOT}/restoreSessions?$count=true&$top=2&$filter=status eq 'draft'`, '$count'],
  [`${SP}?$top=2`, '$top'],
  [`${SP}?$filter=restoreJobType eq 'standard'`, '$filter'],
  [`${ROOT}/siteProtectionUnits?$top=5`, '$top'],
  [`${ROOT}/siteProtectionUnits?$count=true`, '$count'],
  [`${ROOT}/restorePoints/${seedRestorePointId(3, 1)}?$expand=protectionUnit`, '$expand'],
  [`${ROOT}/restoreSessions/${SEED_SESSION_IDS.draft}?$select=id,status`, '$select'],
  [`${ROOT}/restorePoints?${unitFilter}&$top=3`, '$top'],
];

describe('the strict table', () => {
  it('has exactly one row per route the emulator serves', () => {
    const routes = GRAPH_ROUTES.map((r) => key(r.method, r.path));
    const rows = STRICT_QUERY_OPTIONS.map((r) => key(r.method, r.path));
    expect(new Set(rows).size).toBe(rows.length);
    expect([...rows].sort()).toEqual([...routes].sort());
  });

  it('names a documentation page for each row, or lists the row among the undocumented endpoints with a reason', () => {
    const undocumented = new Set(UNDOCUMENTED_ENDPOINTS.map((e) => key(e.method, e.path)));
    for (const row of STRICT_QUERY_OPTIONS) {
      if (row.page !== null) expect(row.page, row.path).toMatch(/^[a-z]+-[a-z-]+$/);
      else expect(row.options, row.path).toEqual([]);
      if (undocumented.has(key(row.method, row.path))) expect(row.page).toBeNull();
    }
    for (const e of UNDOCUMENTED_ENDPOINTS) expect(e.reason.length, e.path).toBeGreaterThan(10);
    expect(UNDOCUMENTED_ENDPOINTS.map((e) => `${e.method} ${e.path}`)).toContain('GET solutions/backupRestore/restorePoints/{id}');
  });
});

describe('strict profile', () => {
  const t = useTestEmulator({ profile: 'strict' });

  it('accepts on each GET endpoint exactly the options its row lists, and refuses the others with Graph’s 400', async () => {
    const urls = getUrls(await firstArtifactId(t), await granularUrls(t));
    const getRows = STRICT_QUERY_OPTIONS.filter((r) => r.method === 'GET');
    let refused = 0;
    for (const row of getRows) {
      const url = urls[key('GET', row.path)];
      if (url === undefined) continue; // 501-only item routes: their lists are covered, their refusals are the same code path
      for (const option of Object.keys(OPTIONS)) {
        const res = await t.graph('GET', withOption(url, option), {
          headers: { 'client-request-id': `strict-${refused}` },
        });
        if (row.options.includes(option)) {
          expect(isRefusal(res), `${option} on ${row.path}: ${JSON.stringify(res.body)}`).toBe(false);
        } else {
          expectRefused(res, option, `strict-${refused}`);
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(150);
    // Every served GET endpoint was exercised.
    const exercised = getRows.filter((r) => urls[key('GET', r.path)] !== undefined).length;
    expect(exercised).toBeGreaterThanOrEqual(49);
  });

  it('still answers the documented options: $count, $filter and $top on artifact lists, $expand and $filter on restore points', async () => {
    const artifacts = await t.graph<Page>(
      'GET',
      `${SP}/${SEED_SESSION_IDS.completed}/siteRestoreArtifacts?$count=true&$filter=status eq 'succeeded'&$top=1`,
    );
    expect(artifacts.status).toBe(200);
    expect(artifacts.body['@odata.count']).toBeGreaterThan(0);
    const points = await t.graph<Page>('GET', `${ROOT}/restorePoints?${unitFilter}&$orderby=protectionDateTime desc`);
    expect(points.status, JSON.stringify(points.body)).toBe(200);
    expect(points.body.value.length).toBeGreaterThan(0);
  });

  it('refuses what the gateway relies on that no page documents', async () => {
    for (const [url, option] of UNDOCUMENTED_USES) expectRefused(await t.graph('GET', url), option);
  });

  it('refuses options on writes too (no write page lists any)', async () => {
    expectRefused(await t.graph('POST', `${ROOT}/restoreSessions/${SEED_SESSION_IDS.draft}/activate?$select=id`), '$select');
    expect(t.emu.context.state.session(SEED_SESSION_IDS.draft)!.activatedAt).toBeNull();
  });

  it('pages through its own nextLinks ($skiptoken) with and without documented options', async () => {
    const follow = async (first: string): Promise<{ ids: string[]; pages: number; count?: number }> => {
      const ids: string[] = [];
      let url: string | undefined = first;
      let pages = 0;
      let count: number | undefined;
      while (url) {
        const res: EmuResponse<Page> = await t.graph<Page>('GET', url);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        count ??= res.body['@odata.count'];
        ids.push(...res.body.value.map((v) => v.id));
        pages++;
        const next = res.body['@odata.nextLink'];
        url = next === undefined ? undefined : next.slice(next.indexOf('/beta/') + '/beta'.length);
      }
      return { ids, pages, ...(count === undefined ? {} : { count }) };
    };
    const units = await follow(`${ROOT}/siteProtectionUnits`);
    expect(units.pages).toBeGreaterThan(1);
    expect(new Set(units.ids).size).toBe(72);
    const artifacts = await follow(`${SP}/${SEED_SESSION_IDS.large}/siteRestoreArtifacts?$top=10&$count=true`);
    expect(artifacts.pages).toBe(7);
    expect(artifacts.count).toBe(65);
    expect(new Set(artifacts.ids).size).toBe(65);
    const sessions = await follow(`${ROOT}/restoreSessions`);
    expect(sessions.ids).toContain(SEED_SESSION_IDS.draft);
  });

  it('serves the endpoints no page documents (with no query options)', async () => {
    const urls = getUrls(await firstArtifactId(t), await granularUrls(t));
    const gets = UNDOCUMENTED_ENDPOINTS.filter((e) => e.method === 'GET');
    expect(gets.length).toBeGreaterThanOrEqual(10);
    for (const e of gets) {
      const res = await t.graph('GET', urls[key('GET', e.path)]!);
      expect(res.status, `${e.path}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    const point = await t.graph<{ id: string }>('GET', `${ROOT}/restorePoints/${seedRestorePointId(3, 1)}`);
    expect(point.body.id).toBe(seedRestorePointId(3, 1));
  });

  it('answers each $batch item on its own: refused ones 400, the others served, the envelope 200', async () => {
    const res = await t.graph<{ responses: Array<{ id: string; status: number; headers: Record<string, string>; body?: unknown }> }>(
      'POST',
      '/$batch',
      {
        body: {
          requests: [
            { id: 'sessions', method: 'GET', url: `${ROOT}/restoreSessions?$top=2`, headers: { 'client-request-id': 'item-1' } },
            { id: 'artifacts', method: 'GET', url: `${SP}/${SEED_SESSION_IDS.large}/siteRestoreArtifacts?$count=true&$top=5` },
            { id: 'point', method: 'GET', url: `${ROOT}/restorePoints/${seedRestorePointId(3, 1)}?$expand=protectionUnit` },
            // Per-item Prefer stays accepted: the header is documented on the endpoints.
            { id: 'prefer', method: 'GET', url: `${ROOT}/restoreSessions`, headers: { prefer: 'include-unknown-enum-members' } },
          ],
        },
      },
    );
    expect(res.status).toBe(200);
    const byId = new Map(res.body.responses.map((r) => [r.id, r]));
    const sessions = byId.get('sessions')!;
    expectRefused({ status: sessions.status, headers: sessions.headers, body: sessions.body }, '$top', 'item-1');
    const point = byId.get('point')!;
    expectRefused({ status: point.status, headers: point.headers, body: point.body }, '$expand');
    expect(byId.get('artifacts')!.status).toBe(200);
    expect((byId.get('artifacts')!.body as Page)['@odata.count']).toBe(65);
    expect(byId.get('prefer')!.status).toBe(200);
    expect(byId.get('prefer')!.headers['preference-applied']).toBe('include-unknown-enum-members');
  });
});

describe('default profile', () => {
  const t = useTestEmulator();

  it('still accepts everything the strict profile refuses', async () => {
    for (const [url] of UNDOCUMENTED_USES) {
      const res = await t.graph('GET', url);
      expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    expect(t.emu.context.options.profile).toBe('default');
  });
});

describe('EMULATOR_PROFILE', () => {
  it('defaults to default, takes strict, and refuses anything else naming the variable', async () => {
    expect(emulatorOptionsFromEnv({}).profile).toBe('default');
    expect(emulatorOptionsFromEnv({ EMULATOR_PROFILE: '' }).profile).toBe('default');
    expect(emulatorOptionsFromEnv({ EMULATOR_PROFILE: 'strict' }).profile).toBe('strict');
    for (const value of ['Strict', 'lenient', 'true']) {
      expect(() => emulatorOptionsFromEnv({ EMULATOR_PROFILE: value })).toThrow(`EMULATOR_PROFILE must be 'default' or 'strict'`);
    }
    await expect(startEmulator({ profile: 'lenient' as 'strict' })).rejects.toThrow(/profile must be one of default, strict/);
  });
});
