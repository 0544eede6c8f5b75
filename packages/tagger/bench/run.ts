/**
 * Runs the benchmarks: `npm run bench -- [--json] [--quick] [--filter text] [module ...]`.
 * Each module is a `bench/<name>.bench.ts` exporting `run(report, options)`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchOptions, BenchRow, Report } from './harness.js';

const { values, positionals } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    filter: { type: 'string' },
  },
  allowPositionals: true,
});

const here = dirname(fileURLToPath(import.meta.url));
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => positionals.length === 0 || positionals.some((p) => f.startsWith(p)))
  .sort();

const rows: BenchRow[] = [];
const report: Report = (row) => {
  rows.push(row);
  if (values.json) console.log(JSON.stringify(row));
  else
    console.log(
      Object.entries(row)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? +v.toPrecision(4) : v}`)
        .join('  '),
    );
};
const options: BenchOptions = { quick: values.quick, filter: values.filter };
for (const file of modules) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as {
    run: (report: Report, options: BenchOptions) => Promise<void> | void;
  };
  await mod.run(report, options);
}
