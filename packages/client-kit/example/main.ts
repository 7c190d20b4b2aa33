// The client kit's example, by hand against a running gateway (`npm start` in another terminal):
//
//   npm run example -w packages/client-kit -- --token <the token npm start prints>
//
// Options (or environment): --url (GATEWAY_URL, default http://localhost:4000/graphql), --token (GATEWAY_TOKEN),
// --transport http|ws|both (default both), --sites N (how many sites to restore, default 3). It shows the restore
// dashboard, creates and activates a SharePoint restore of the newest restore point of the first N sites, and follows
// it to its end over the chosen subscription transports at once.
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { errorCode } from '../src/index.js';
import { createExampleClient, type SubscriptionTransport } from './client.js';
import { createAndActivate, followRestore, loadDashboard, pickRestorePoints } from './restore-flow.js';

export interface ExampleOptions {
  url: string;
  token: string;
  transports: SubscriptionTransport[];
  sites: number;
}

export function parseExampleArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ExampleOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { url: { type: 'string' }, token: { type: 'string' }, transport: { type: 'string' }, sites: { type: 'string' } },
  });
  const token = values.token ?? env['GATEWAY_TOKEN'];
  if (!token) throw new Error('pass --token <jwt> or set GATEWAY_TOKEN (npm start prints a token for development)');
  const transport = values.transport ?? 'both';
  if (transport !== 'http' && transport !== 'ws' && transport !== 'both') throw new Error('--transport is http, ws or both');
  const sites = Number(values.sites ?? '3');
  if (!Number.isInteger(sites) || sites < 1 || sites > 20) throw new Error('--sites is a whole number from 1 to 20');
  return {
    url: values.url ?? env['GATEWAY_URL'] ?? 'http://localhost:4000/graphql',
    token: token.replace(/^Bearer\s+/i, ''),
    transports: transport === 'both' ? ['http', 'ws'] : [transport],
    sites,
  };
}

const percent = (p: { percentComplete: number }): string => `${Math.round(p.percentComplete)}%`;

export async function runExample(options: ExampleOptions, print: (line: string) => void): Promise<void> {
  const clients = options.transports.map((transport) => ({ transport, ...createExampleClient({ ...options, transport }) }));
  try {
    const { client } = clients[0]!;
    const dashboard = await loadDashboard(client);
    print(`Restore dashboard: ${dashboard.totalCount ?? '?'} sessions`);
    for (const s of dashboard.nodes) print(`  ${s.__typename} ${s.id} ${s.status} ${percent(s.progress)}`);

    const points = await pickRestorePoints(client, options.sites);
    print(`Restoring in place: ${points.map((p) => p.siteName ?? p.protectionUnitId).join(', ')}`);
    const { created, activated } = await createAndActivate(
      client,
      points.map((p) => p.restorePointId),
    );
    print(`Created ${created.id} (${created.status}, ${created.artifacts ?? '?'} sites), activated: ${activated.status}`);

    await Promise.all(
      clients.map(({ transport, client: c }) =>
        followRestore(c, created.id, {
          onEvent: (s) =>
            print(`  [${transport}] ${s.status} ${s.progress.completed} done, ${s.progress.failed} failed, ${percent(s.progress)}`),
        }),
      ),
    );
    print('The restore has ended.');
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await runExample(parseExampleArgs(process.argv.slice(2), process.env), (line) => console.log(line));
  } catch (error) {
    const code = errorCode(error);
    console.error(`${error instanceof Error ? error.message : String(error)}${code ? ` (${code})` : ''}`);
    process.exitCode = 1;
  }
}
