/**
 * Helper threads for the SIMD kernels, as the core sees them: an interface and a slot.
 * `asymmetric-loss/threads` (src/threads/, Node) starts the threads and fills the slot; the core
 * itself starts none and imports nothing platform-specific. Each helper runs the same kernels on
 * its own shared WebAssembly memory over one range of a batch while the calling thread computes
 * the rest.
 */
import type { KernelExports } from './loader.js';

/** The arguments of the kernel's `mlSetParams`, in order. */
export type MultiLabelParams = Readonly<Parameters<KernelExports['mlSetParams']>>;

/** The arguments of the kernel's `slSetParams`, in order. */
export type SingleLabelParams = Readonly<Parameters<KernelExports['slSetParams']>>;

/** Elements `[start, start + length)` of an unweighted multi-label batch. */
export interface MultiLabelJob {
  kind: 'multi';
  logits: Float32Array;
  targets: Float32Array;
  start: number;
  length: number;
  /** Where the gradient of the range goes (at the same indices), or null for none. */
  gradOut: Float32Array | null;
  /** Where the element-wise losses of the range go, or null for none. */
  lossOut: Float32Array | null;
  params: MultiLabelParams;
}

/** Rows `[row, row + rows)` of a single-label batch of `c` classes. */
export interface SingleLabelJob {
  kind: 'single';
  logits: Float32Array;
  targets: Int32Array;
  row: number;
  rows: number;
  c: number;
  /** Where the gradient of the rows goes (at the same indices), or null for none. */
  gradOut: Float32Array | null;
  /** Where the per-row losses go (at the same rows), or null for none. */
  lossOut: Float32Array | null;
  /** Per-row weights and upstream gradients of the whole batch, or null. */
  sampleWeights: Float32Array | null;
  upstream: Float32Array | null;
  params: SingleLabelParams;
}

export type HelperJob = MultiLabelJob | SingleLabelJob;

/** One helper thread. */
export interface SimdHelper {
  /**
   * Copies the job's inputs into the helper's memory and starts it. Returns false when the
   * helper cannot take the job (then the caller computes the range itself).
   */
  start(job: HelperJob): boolean;
  /**
   * Waits for the job started last, copies its outputs into the job's arrays and returns the sum
   * of its losses (NaN when the kernel returned NaN), or null if the helper failed (then the
   * caller computes the range itself).
   */
  finish(): number | null;
}

/** The installed helpers. */
export interface SimdThreads {
  helpers: readonly SimdHelper[];
  /** Batches of fewer elements stay on the calling thread. */
  minElements: number;
}

let installed: SimdThreads | null = null;

/** Installs helper threads (null: none, every batch on the calling thread). */
export function setSimdThreads(threads: SimdThreads | null): void {
  installed = threads;
}

/** The installed helper threads, or null. */
export function simdThreads(): SimdThreads | null {
  return installed;
}

/**
 * With helper threads, the calling thread takes this fraction of an equal share: it also copies
 * the helpers' inputs and outputs (0.9 measured best with one helper on 2 cores).
 */
export const CALLER_SHARE = 0.9;

/**
 * Splits `units` (elements or rows) between the calling thread and `helpers` helpers: the
 * caller's head, rounded up to a multiple of `quantum`, then equal parts. Returns the head's
 * length and each helper's `[start, length)` (empty when nothing is left).
 */
export function splitWork(
  units: number,
  helpers: number,
  quantum: number,
): { head: number; parts: [start: number, length: number][] } {
  const head = Math.min(
    units,
    Math.ceil((units * CALLER_SHARE) / (helpers + 1) / quantum) * quantum,
  );
  const part = Math.ceil((units - head) / helpers);
  const parts = Array.from({ length: helpers }, (_, i): [number, number] => {
    const start = Math.min(units, head + i * part);
    return [start, Math.min(part, units - start)];
  });
  return { head, parts };
}

/**
 * Runs `jobs` on the helpers while `computeHead()` runs here; a job a helper refused or failed
 * is computed here by `computeJob`; a helper's result goes through `finishJob` when given (the
 * weighting of a weighted batch). Returns the sum of every partial result.
 */
export function runWithHelpers<J extends HelperJob>(
  helpers: readonly SimdHelper[],
  jobs: (J | null)[],
  computeHead: () => number,
  computeJob: (job: J) => number,
  finishJob?: (job: J, partial: number) => number,
): number {
  const started = jobs.map((job, i) => job !== null && helpers[i].start(job));
  let total = 0;
  let partials: (number | null)[] = [];
  try {
    total = computeHead();
  } finally {
    // Always collect the helpers, so that none is left running into the next call.
    partials = started.map((s, i) => (s ? helpers[i].finish() : null));
  }
  jobs.forEach((job, i) => {
    if (job === null) return;
    const partial = partials[i];
    total +=
      partial === null
        ? computeJob(job)
        : finishJob === undefined
          ? partial
          : finishJob(job, partial);
  });
  return total;
}
