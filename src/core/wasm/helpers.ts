/**
 * Helper threads for the multi-label SIMD kernel, as the core sees them: an interface and a slot.
 * `asymmetric-loss/threads` (src/threads/, Node) starts the threads and fills the slot; the core
 * itself starts none and imports nothing platform-specific. Each helper runs the same kernel on
 * its own shared WebAssembly memory over one range of a batch while the calling thread computes
 * the rest.
 */
import type { KernelExports } from './loader.ts';

/** The arguments of the kernel's `mlSetParams`, in order. */
export type MultiLabelParams = Readonly<Parameters<KernelExports['mlSetParams']>>;

/** Elements `[start, start + length)` of an unweighted multi-label batch. */
export interface MultiLabelJob {
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

/** One helper thread. */
export interface SimdHelper {
  /**
   * Copies the job's inputs into the helper's memory and starts it. Returns false when the
   * helper cannot take the job (then the caller computes the range itself).
   */
  start(job: MultiLabelJob): boolean;
  /**
   * Waits for the job started last, copies its outputs into the job's arrays and returns the sum
   * of its losses (NaN when it met invalid inputs, as the kernel), or null if the helper failed
   * (then the caller computes the range itself).
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
