/**
 * `npm run bench [name...]`: runs the named benchmarks (all by default) and prints their figures.
 *
 * The benchmarks measure the gateway as it runs in production, so this process runs with NODE_ENV=production (unless
 * told otherwise) before anything is loaded: graphql-js, for one, checks its objects more slowly outside production.
 */
process.env.NODE_ENV ??= 'production';

const benches: Record<string, () => Promise<() => Promise<void>>> = {
  emulator: async () => (await import('./emulator.js')).benchEmulator,
  gateway: async () => (await import('./gateway.js')).benchGateway,
  neighbour: async () => (await import('./neighbour.js')).benchNeighbour,
  resilience: async () => (await import('./resilience.js')).benchResilience,
  subscriptions: async () => (await import('./subscriptions.js')).benchSubscriptions,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  console.log(`== ${name}`);
  await (
    await benches[name]!()
  )();
}
