/**
 * `asl compare`: trains the tagger once per loss with the same seed and budget, prints a
 * table (test mAP, CF1, OF1, time) and writes the runs as JSON (the input of
 * `asl plot --compare`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { importBackend } from '../tagger/node/tfjs-packages.js';
import type { CompareRun } from '../tagger/compare.js';
import type { DataInfo } from '../tagger/tagger.js';
import { compareRunNames, defaultTrainConfig, type TrainConfig } from '../tagger/config.js';
import {
  backendNames,
  choiceOption,
  loadTrainingData,
  numberOption,
  pct,
  printJson,
} from '../tagger/node/cli-helpers.js';
import { defaultDataFile } from '../tagger/node/data-file.js';
import { checkInputFile, checkOutputPlace, PathError, pathError } from '../io/output-path.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { interruptOnSigint } from '../tagger/node/interrupt.js';
import { createProgress } from '../tagger/node/progress.js';
import {
  describePartial,
  partialFlags,
  partialFromFlags,
  type PartialFlagValues,
} from './partial-flags.js';

/** Options of `asl compare`. */
export interface CompareCommandOptions extends PartialFlagValues {
  losses: string;
  epochs?: number;
  seed?: number;
  data?: string;
  backend: string;
  out: string;
  json?: boolean;
  quiet?: boolean;
}

/** What `asl compare` writes to `--out` and prints with `--json`. */
export interface CompareReport {
  /** Always {@link compareFormat}: marks the file as a result `asl compare` may replace. */
  format: typeof compareFormat;
  /** The data file. */
  data: DataInfo;
  /** The backend used. */
  backend: string;
  /** Epochs of each run. */
  epochs: number;
  /** Seed of each run. */
  seed: number;
  /** The runs, in the order asked. */
  runs: CompareRun[];
  /** Whether Ctrl-C cut the comparison short. */
  interrupted: boolean;
}

/** The `format` of a compare result file. */
export const compareFormat = 'asl-compare';

/**
 * Checks, before any training, that `--out` may be written: a new file, or a result of an
 * earlier `asl compare` (which is replaced); never a directory or a file of the user's.
 *
 * @throws Error `<label>: what is wrong`; nothing is written.
 */
export function checkCompareTarget(file: string, label: string): void {
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) throw new PathError(`${label}: is a directory`);
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // not JSON: not ours
    }
    const result = parsed as Partial<CompareReport> | null;
    // Results written before the format marker have the same shape.
    const ours =
      result?.format === compareFormat ||
      (Array.isArray(result?.runs) && typeof result?.data === 'object' && 'backend' in result);
    if (!ours)
      throw new PathError(
        `${label}: exists and is not an asl compare result; choose another --out or remove it`,
      );
  }
  checkOutputPlace(file, label);
}

/** Parses `--losses`: comma-separated run names, each known, none repeated. */
export function parseLossList(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new RangeError('--losses is empty');
  for (const name of names)
    if (!(compareRunNames as readonly string[]).includes(name))
      throw new RangeError(
        `unknown loss '${name}' in --losses (expected some of ${compareRunNames.join(', ')})`,
      );
  if (new Set(names).size !== names.length) throw new RangeError('--losses names a loss twice');
  return names;
}

/** The comparison table as text lines. */
export function compareTable(runs: readonly CompareRun[]): string[] {
  const header = ['loss', 'test mAP', 'CF1', 'OF1', 'best epoch', 'time'];
  const rows = runs.map((r) => [
    r.loss,
    pct(r.test.map),
    pct(r.test.CF1),
    pct(r.test.OF1),
    `${r.bestEpoch}/${r.config.epochs}`,
    `${r.seconds.toFixed(0)} s`,
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j])))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** Runs `asl compare`. */
export async function runCompare(options: CompareCommandOptions): Promise<CompareReport> {
  const names = parseLossList(options.losses);
  const partial = partialFromFlags(options);
  if (partial !== null && names.includes('asl-adaptive'))
    throw new RangeError(
      'asl-adaptive is not defined with --hide-labels: leave it out of --losses',
    );
  const outLabel = `--out ${options.out}`;
  checkCompareTarget(options.out, outLabel);
  const dataPath = resolve(options.data ?? defaultDataFile);
  checkInputFile(dataPath, `--data ${options.data ?? defaultDataFile}`);
  const { useBackend } = await importBackend('compare');
  const { compareLosses } = await import('../tagger/compare.js');
  const backend = await useBackend(options.backend);
  const base: Partial<TrainConfig> = {};
  if (options.epochs !== undefined) base.epochs = options.epochs;
  if (options.seed !== undefined) base.seed = options.seed;
  base.partial = partial;
  const { maxTokens, minCount } = defaultTrainConfig('tags');
  const loaded = loadTrainingData(dataPath, 'tags', maxTokens, minCount);
  const say = (line: string) => {
    if (!options.json) console.log(line);
  };
  say(`Data: ${loaded.summary}`);
  if (partial !== null) say(`Labels: ${describePartial(partial)}`);
  let progress = createProgress({ label: '', epochs: 1, scoreName: 'val mAP', quiet: true });
  const stop = interruptOnSigint(() =>
    progress.note(
      'Interrupted: finishing this run with its best epoch so far (Ctrl-C again to quit now).',
    ),
  );
  let runs: CompareRun[];
  try {
    runs = await compareLosses(loaded.data, names, {
      base,
      callbacks: (name, config) => {
        progress.stop();
        progress = createProgress({
          label: name,
          epochs: config.epochs,
          scoreName: 'val mAP',
          quiet: options.quiet ?? false,
        });
        return {
          signal: stop.signal,
          onStep: (info) => progress.step(info),
          onEpochEnd: (info) => progress.epoch(info),
        };
      },
      onRunEnd: (run) => {
        progress.stop();
        if (!options.quiet)
          console.error(
            `${run.loss}: test mAP ${pct(run.test.map)} (best epoch ${run.bestEpoch}, ${run.seconds.toFixed(0)} s)`,
          );
      },
    });
  } finally {
    stop.dispose();
    progress.stop();
  }
  const report: CompareReport = {
    format: compareFormat,
    data: { file: dataPath, sha256: loaded.file.sha256, records: loaded.file.records.length },
    backend,
    epochs: runs[0]?.config.epochs ?? options.epochs ?? 8,
    seed: runs[0]?.config.seed ?? options.seed ?? 1,
    runs,
    interrupted: stop.signal.aborted,
  };
  try {
    checkCompareTarget(options.out, outLabel); // again: the place may have changed meanwhile
    writeFileAtomic(options.out, `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    throw pathError(error, outLabel);
  }
  if (options.json) printJson(report);
  else {
    say('');
    for (const line of compareTable(runs)) say(line);
    say('');
    say(
      `Test split: ${runs[0]?.test.samples ?? 0} records, mAP over the ${runs[0]?.test.tagsUsed ?? 0} tags with positives; CF1 and OF1 at threshold 0.5.`,
    );
    say(`Written to ${options.out}`);
  }
  if (report.interrupted) {
    console.error('asl: interrupted; the table holds the runs done so far');
    process.exitCode = 130;
  }
  return report;
}

/** Registers `asl compare` on the program. */
export function registerCompare(program: Command): void {
  const command = program
    .command('compare')
    .description(
      'train the tagger with several losses (same seed and budget) and compare them on the test split',
    )
    .option(
      '--losses <list>',
      `comma-separated, among ${compareRunNames.join(', ')}`,
      compareRunNames.join(','),
    )
    .option('--epochs <n>', 'epochs per run (default 8)', numberOption({ min: 1, integer: true }))
    .option('--seed <n>', 'seed of every run (default 1)', numberOption({ integer: true }));
  partialFlags(command);
  command
    .option(
      '--data <file>',
      'JSONL data, plain or gzip (default: the shipped data/debtags-bookworm.jsonl.gz)',
    )
    .option(
      '--backend <name>',
      'TensorFlow.js backend: wasm or cpu',
      choiceOption(backendNames),
      'wasm',
    )
    .option('-o, --out <file>', 'where to write the runs as JSON', 'asl-compare.json')
    .option('--json', 'print the report as JSON')
    .option('-q, --quiet', 'no progress output')
    .action(async (options: CompareCommandOptions) => {
      await runCompare(options);
    });
}
