// `npm run bench -- <suite>`: runs a benchmark suite against the infrastructure `arc-infra run` provides,
// from the build output (bench/dist), as production runs: the root script builds first (Nx caches it).
import { runBackbone } from './backbone';
import { runCollections } from './collections';
import { runCredit } from './credit';
import { runHttp } from './http';
import { runPayments } from './payments';
import { runProjections } from './projections';

const suites: Record<string, () => Promise<void>> = {
  backbone: runBackbone,
  http: runHttp,
  credit: runCredit,
  payments: runPayments,
  collections: runCollections,
  projections: runProjections,
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const chosen = names.length > 0 ? names : Object.keys(suites);
  for (const name of chosen) {
    const suite = suites[name];
    if (!suite) throw new Error(`unknown benchmark suite "${name}"; known: ${Object.keys(suites).join(', ')}`);
    await suite();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
