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

/** Timing result of {@link measure}. */
export interface Timing {
  /** Median wall time of one call, in nanoseconds. */
  medianNs: number;
  /** Fastest call, in nanoseconds. */
  minNs: number;
  /** Number of timed calls. */
  runs: number;
}

/**
 * Times `fn`: warms it up, then calls it repeatedly (batches of `inner` calls) for at least
 * `minTimeMs`, and returns the median and minimum time per call.
 */
export function measure(
  fn: () => unknown,
  { minTimeMs = 300, warmupMs = 100, minRuns = 5 } = {},
): Timing {
  let sink: unknown;
  let inner = 1;
  // Warm-up also sizes the batch so that each timed sample lasts at least ~2 ms.
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) sink = fn();
    if (performance.now() - t0 < 2) inner *= 2;
  }
  const samples: number[] = [];
  const end = performance.now() + minTimeMs;
  while (performance.now() < end || samples.length < minRuns) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < inner; i++) sink = fn();
    samples.push(Number(process.hrtime.bigint() - t0) / inner);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  samples.sort((a, b) => a - b);
  return {
    medianNs: samples[samples.length >> 1],
    minNs: samples[0],
    runs: samples.length * inner,
  };
}

/** A deterministic pseudo-random generator (mulberry32) so bench inputs are identical per run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples from a uniform generator (Box-Muller). */
export function normal(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
