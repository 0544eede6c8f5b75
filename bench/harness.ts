/**
 * Shared bench harness. Each `bench/*.bench.ts` exports `run(report, options)`; `bench/run.ts`
 * runs them and prints one JSON object per line with `--json`, or an aligned table otherwise.
 * Benchmarks are measurements, not tests: nothing here asserts a speed.
 */

/** Options every bench module receives. */
export interface BenchOptions {
  /** Fewer repetitions and smaller sizes, for a smoke run. */
  quick: boolean;
  /** Only run cases whose name contains this string. */
  filter?: string;
}

/** One measured row; `name` identifies the case, the other fields are figures. */
export interface BenchRow {
  bench: string;
  name: string;
  [field: string]: string | number | boolean | null;
}

export type Report = (row: BenchRow) => void;

export { measure, type Timing } from '../src/cli/measure.ts';

export { normal, rng } from '../src/cli/random.ts';
