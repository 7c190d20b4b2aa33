import { benchEmulator } from './emulator.js';
import { benchGateway } from './gateway.js';
import { benchNeighbour } from './neighbour.js';
import { benchResilience } from './resilience.js';
import { benchSubscriptions } from './subscriptions.js';

/** `npm run bench [name...]`: runs the named benchmarks (all by default) and prints their figures. */
const benches: Record<string, () => Promise<void>> = {
  emulator: benchEmulator,
  gateway: benchGateway,
  neighbour: benchNeighbour,
  resilience: benchResilience,
  subscriptions: benchSubscriptions,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  console.log(`== ${name}`);
  await benches[name]!();
}
