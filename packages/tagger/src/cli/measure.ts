/**
 * Wall-clock timing of a synchronous call, shared by `asl bench` and the benchmarks in `bench/`.
 */

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
