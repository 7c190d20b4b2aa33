import { Agent, request } from 'undici';
import { fmt, load, median, percentiles, spawnEmulator } from './lib.js';

/**
 * Emulator throughput: a simple authenticated GET over keep-alive HTTPS, and a 20-item `$batch`. The emulator runs in
 * its own process so the load generator does not share its core. Three rounds each; the median round is reported.
 */
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

export async function benchEmulator(): Promise<void> {
  const emu = await spawnEmulator({ EMULATOR_CLOCK: 'manual' });
  const agent = new Agent({ connect: { ca: emu.caCert }, connections: CONCURRENCY, keepAliveTimeout: 30_000 });
  try {
    const origin = emu.settings.AZURE_AUTHORITY_HOST!;
    const tokenRes = await request(`${origin}/${emu.settings.AZURE_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emu.settings.AZURE_CLIENT_ID!,
        client_secret: emu.settings.AZURE_CLIENT_SECRET!,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
      dispatcher: agent,
    });
    const token = ((await tokenRes.body.json()) as { access_token: string }).access_token;
    const auth = { authorization: `Bearer ${token}` };
    const base = emu.settings.GRAPH_BASE_URL!;
    const sessions = (await (
      await request(`${base}/solutions/backupRestore/restoreSessions?$top=20`, { headers: auth, dispatcher: agent })
    ).body.json()) as {
      value: Array<{ id: string }>;
    };
    const sessionId = sessions.value[0]!.id;
    const get = async (): Promise<void> => {
      const res = await request(`${base}/solutions/backupRestore/restoreSessions/${sessionId}`, { headers: auth, dispatcher: agent });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(String(res.statusCode));
    };
    const batchBody = JSON.stringify({
      requests: Array.from({ length: 20 }, (_, i) => ({
        id: String(i + 1),
        method: 'GET',
        url: `/solutions/backupRestore/restoreSessions/${sessions.value[i % sessions.value.length]!.id}`,
      })),
    });
    const batch = async (): Promise<void> => {
      const res = await request(`${base}/$batch`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: batchBody,
        dispatcher: agent,
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(String(res.statusCode));
    };
    for (const [name, op] of [
      ['GET restoreSessions/{id}', get],
      ['POST $batch (20 GET items)', batch],
    ] as const) {
      await load(op, { concurrency: CONCURRENCY, durationMs: 500 });
      const rounds = [];
      for (let r = 0; r < ROUNDS; r++) rounds.push(await load(op, { concurrency: CONCURRENCY, durationMs: DURATION_MS }));
      const perSecond = rounds.map((r) => r.perSecond);
      // Latencies of every round, pooled (with an even number of rounds no single round has the median rate).
      const p = percentiles(rounds.flatMap((r) => r.latencies));
      console.log(
        `emulator  ${name.padEnd(28)} ${fmt(median(perSecond), 0).padStart(6)} req/s  (rounds: ${perSecond.map((x) => fmt(x, 0)).join(', ')})` +
          `  p50 ${fmt(p.p50, 2)} ms  p99 ${fmt(p.p99, 2)} ms  errors ${rounds.reduce((a, r) => a + r.errors, 0)}` +
          (name.includes('batch') ? `  = ${fmt(median(perSecond) * 20, 0)} items/s` : ''),
      );
    }
    console.log(`          (${CONCURRENCY} keep-alive connections, ${ROUNDS} rounds of ${DURATION_MS} ms, emulator in its own process)`);
  } finally {
    await agent.close();
    await emu.stop();
  }
}
