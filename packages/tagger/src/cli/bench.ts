/**
 * `asl bench`: times the fused losses on this machine, forward + backward in ns per element, for
 * each kernel: the exact float64 JavaScript kernel, the WebAssembly SIMD kernel on one thread,
 * and the SIMD kernel with helper threads (`asymmetric-loss/threads`). Inputs as in
 * the project's benchmarks: logits 2 x standard normal, about one positive per 20 negatives
 * (multi-label) or uniform class indices (single-label). Prints a table, or JSON with `--json`.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import {
  AsymmetricLossMultiLabel,
  AsymmetricLossSingleLabel,
  asymmetricLossMultiLabel,
  asymmetricLossSingleLabel,
  wasmReady,
  type Precision,
} from 'asymmetric-loss';
import { choiceOption, inFlagWords, numberOption, printJson } from '../tagger/node/cli-helpers.js';
import { startSimdThreads, stopSimdThreads } from 'asymmetric-loss/threads';
import { measure } from './measure.js';
import { multiLabelBatch, singleLabelBatch } from './bench-inputs.js';

/** Options of `asl bench`. */
export interface BenchCommandOptions {
  size: [number, number][];
  loss: 'multi' | 'single';
  gammaNeg: number;
  gammaPos: number;
  clip: number;
  /** Threads in all for the threaded row; 1 for none. */
  threads: number;
  /** Time per measurement, in ms. */
  time: number;
  json?: boolean;
}

/** One measured size. */
export interface BenchResult {
  n: number;
  c: number;
  /** ns per element of the float64 kernel, the SIMD kernel, and the SIMD kernel on `threads`. */
  float64: number;
  simd: number | null;
  simdThreads: number | null;
  threads: number;
}

/** Parses `NxC` (e.g. `256x9605`). */
function sizeOption(value: string, previous: [number, number][] | undefined): [number, number][] {
  const match = /^(\d+)x(\d+)$/.exec(value.trim());
  if (match === null || Number(match[1]) < 1 || Number(match[2]) < 1)
    throw new InvalidArgumentError(`expected NxC with positive integers, got '${value}'.`);
  const elements = Number(match[1]) * Number(match[2]);
  if (elements > maxBenchElements)
    throw new InvalidArgumentError(
      `${value} is ${elements.toExponential(2)} elements; at most ${maxBenchElements} (2^26: ` +
        'three float32 arrays of n * c and their copies must fit in memory).',
    );
  return [...(previous ?? []), [Number(match[1]), Number(match[2])]];
}

/** The largest batch `asl bench` times, in elements. */
const maxBenchElements = 2 ** 26;

/** Runs `asl bench`; returns one result per size. */
export async function runBench(options: BenchCommandOptions): Promise<BenchResult[]> {
  // The hyperparameters' ranges are the library's: checked before anything is timed.
  try {
    const { gammaNeg, gammaPos, clip } = options;
    if (options.loss === 'multi') new AsymmetricLossMultiLabel({ gammaNeg, gammaPos, clip });
    else new AsymmetricLossSingleLabel({ gammaNeg, gammaPos });
  } catch (error) {
    throw inFlagWords(error);
  }
  const simd = await wasmReady();
  const settings = { minTimeMs: options.time, warmupMs: Math.min(300, options.time), minRuns: 3 };
  const results: BenchResult[] = [];
  for (const [n, c] of options.size) {
    const size = n * c;
    const gradOut = new Float32Array(size);
    let call: (precision: Precision) => unknown;
    if (options.loss === 'multi') {
      const { logits, targets } = multiLabelBatch(n, c);
      const { gammaNeg, gammaPos, clip } = options;
      call = (precision) =>
        asymmetricLossMultiLabel(logits, targets, [n, c], {
          gammaNeg,
          gammaPos,
          clip,
          gradOut,
          precision,
        });
    } else {
      const { logits, classes } = singleLabelBatch(n, c);
      const { gammaNeg, gammaPos } = options;
      call = (precision) =>
        asymmetricLossSingleLabel(logits, classes, [n, c], {
          gammaNeg,
          gammaPos,
          gradOut,
          precision,
        });
    }
    const nsPerElement = (precision: Precision) =>
      measure(() => call(precision), settings).medianNs / size;
    const result: BenchResult = {
      n,
      c,
      float64: nsPerElement('float64'),
      simd: simd ? nsPerElement('float32') : null,
      simdThreads: null,
      threads: options.threads,
    };
    if (simd && options.threads > 1) {
      await startSimdThreads({ threads: options.threads, minElements: 0 });
      try {
        result.simdThreads = nsPerElement('float32');
      } finally {
        await stopSimdThreads();
      }
    }
    results.push(result);
    if (!options.json) printRow(result, results.length === 1);
  }
  if (options.json) printJson(results);
  return results;
}

function printRow(r: BenchResult, header: boolean): void {
  const cell = (v: number | null) => (v === null ? '-' : v.toFixed(2)).padStart(10);
  if (header)
    console.log(
      `${'size'.padEnd(14)}${'float64'.padStart(10)}${'simd'.padStart(10)}` +
        `${`simd x${r.threads}`.padStart(10)}  (ns per element, forward + backward)`,
    );
  console.log(
    `${`${r.n}x${r.c}`.padEnd(14)}${cell(r.float64)}${cell(r.simd)}${cell(r.simdThreads)}`,
  );
}

/** Registers `asl bench`. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(
      'time the fused losses on this machine (float64, SIMD, SIMD with helper threads), ns per element',
    )
    .option(
      '--size <NxC>',
      'batch size, repeatable (default 64x80, 256x9605, 1024x1000)',
      sizeOption,
    )
    .option('--loss <kind>', 'multi or single', choiceOption(['multi', 'single'] as const), 'multi')
    .option('--gamma-neg <g>', 'gamma_neg', numberOption(), 4)
    .option('--gamma-pos <g>', 'gamma_pos', numberOption(), 1)
    .option('--clip <c>', 'clip (multi-label)', numberOption(), 0.05)
    .option(
      '--threads <n>',
      'threads in all for the threaded row (1: none; default: the cores)',
      numberOption({ min: 1, max: 64, integer: true }),
      Math.max(2, availableParallelism()),
    )
    .option('--time <ms>', 'time per measurement', numberOption({ above: 0 }), 500)
    .option('--json', 'print JSON')
    .action(async (options: Omit<BenchCommandOptions, 'size'> & { size?: [number, number][] }) => {
      await runBench({
        ...options,
        size: options.size ?? [
          [64, 80],
          [256, 9605],
          [1024, 1000],
        ],
      });
    });
}
