/**
 * The partial-annotation experiment on debtags: `asl compare --losses asl,bce` for every hidden
 * fraction, mode and seed of the grid, then a table of the test mAP (full labels), mean and
 * standard deviation over the seeds.
 *
 *   npm run experiment:partial -w asymmetric-loss-tagger -- [--jobs 2] [--epochs 4]
 *     [--out docs/partial-experiment]
 *
 * Each run writes `<out>/hide-<f>-<mode>-seed-<s>.json` (an `asl compare` result); runs whose
 * file exists are not run again, so an interrupted experiment continues where it stopped.
 * The table is written to `<out>/summary.md` and `<out>/summary.json`, and printed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CompareReport } from '../src/cli/compare.js';
import { partialModes } from '../src/tagger/partial.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2' },
    epochs: { type: 'string', default: '4' },
    out: { type: 'string', default: 'docs/partial-experiment' },
    seeds: { type: 'string', default: '1,2,3' },
    hide: { type: 'string', default: '0,0.5,0.8' },
  },
});
const root = new URL('../../..', import.meta.url).pathname;
const out = resolve(root, values.out!);
const jobs = Number(values.jobs);
const epochs = Number(values.epochs);
const seeds = values.seeds!.split(',').map(Number);
const fractions = values.hide!.split(',').map(Number);
for (const [name, v] of [
  ['--jobs', jobs],
  ['--epochs', epochs],
  ...seeds.map((s) => ['--seeds', s] as const),
] as const)
  if (!Number.isInteger(v) || (name !== '--seeds' && v < 1))
    throw new RangeError(`${name}: expected positive integers, got ${v}`);
if (!fractions.every((f) => f >= 0 && f < 1))
  throw new RangeError(`--hide: expected fractions in [0, 1), got ${values.hide}`);
const asl = join(root, 'packages/tagger/dist/cli/asl.js');
if (!existsSync(asl)) throw new Error(`${asl} is missing: run npm run build first`);
mkdirSync(out, { recursive: true });

/** One run of the grid: a hidden fraction (0: full labels, no mode), a mode, a seed. */
interface Run {
  hide: number;
  mode: string | null;
  seed: number;
  file: string;
}
const runs: Run[] = [];
for (const hide of fractions)
  for (const mode of hide === 0 ? [null] : partialModes)
    for (const seed of seeds)
      runs.push({
        hide,
        mode,
        seed,
        file: join(out, `hide-${hide}-${mode ?? 'full'}-seed-${seed}.json`),
      });

function args(run: Run): string[] {
  const partial =
    run.mode === null ? [] : ['--hide-labels', String(run.hide), '--partial', run.mode];
  // asl compare writes its result atomically (a temporary name, then a rename).
  return [
    asl,
    'compare',
    '--losses',
    'asl,bce',
    '--epochs',
    String(epochs),
    '--seed',
    String(run.seed),
    ...partial,
    '--quiet',
    '-o',
    run.file,
  ];
}

function execute(run: Run): Promise<void> {
  return new Promise((done, fail) => {
    const started = Date.now();
    const child = spawn(process.execPath, args(run), { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code !== 0) fail(new Error(`asl ${args(run).slice(1).join(' ')} exited with ${code}`));
      else {
        console.error(`done ${run.file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
        done();
      }
    });
  });
}

const todo = runs.filter((r) => !existsSync(r.file));
console.error(`${runs.length} runs, ${todo.length} to do, ${jobs} at a time, ${epochs} epochs`);
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(jobs, todo.length) }, async () => {
    while (next < todo.length) await execute(todo[next++]);
  }),
);

/** Mean and sample standard deviation. */
function stats(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd =
    xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : NaN;
  return { mean, sd };
}

const rows: {
  hide: number;
  mode: string;
  loss: string;
  mean: number;
  sd: number;
  maps: number[];
}[] = [];
for (const hide of fractions)
  for (const mode of hide === 0 ? [null] : partialModes)
    for (const loss of ['asl', 'bce']) {
      const maps = runs
        .filter((r) => r.hide === hide && r.mode === mode)
        .map((r) => {
          const report = JSON.parse(readFileSync(r.file, 'utf8')) as CompareReport;
          const run = report.runs.find((x) => x.loss === loss);
          if (!run || report.interrupted) throw new Error(`${r.file}: no complete ${loss} run`);
          return run.test.map;
        });
      rows.push({ hide, mode: mode ?? 'full labels', loss, ...stats(maps), maps });
    }
const fmt = (x: number) => x.toFixed(2);
const table = ['| hidden | treatment | ASL test mAP | BCE test mAP |', '| --- | --- | --- | --- |'];
for (let k = 0; k < rows.length; k += 2) {
  const [a, b] = [rows[k], rows[k + 1]];
  table.push(
    `| ${a.hide * 100} % | ${a.mode} | ${fmt(a.mean)} ± ${fmt(a.sd)} | ${fmt(b.mean)} ± ${fmt(b.sd)} |`,
  );
}
const text = `${table.join('\n')}\n`;
const write = (file: string, data: string) => {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
};
write(join(out, 'summary.md'), text);
write(join(out, 'summary.json'), `${JSON.stringify({ epochs, seeds, rows }, null, 2)}\n`);
console.log(text);
