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

import { Random } from '../src/tagger/random.js';

export { measure, type Timing } from '../src/cli/measure.js';

/** A seeded uniform source in `[0, 1)` (the tagger's {@link Random}): the same inputs every run. */
export function rng(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}
