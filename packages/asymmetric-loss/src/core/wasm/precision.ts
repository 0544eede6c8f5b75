/**
 * The `precision` option of the losses: which kernel computes them.
 *
 * - `'float32'`: the WebAssembly SIMD kernel (f32x4 arithmetic, sums and per-row terms in
 *   float64), where WebAssembly SIMD is available and compiled; the float64 kernel otherwise.
 * - `'float64'`: the exact float64 JavaScript kernel.
 * - not given: `'float32'` for batches of at least {@link SIMD_MIN_ELEMENTS} elements, `'float64'`
 *   for smaller ones (there the per-call cost dominates and both kernels take about a
 *   microsecond, so the exact one is used).
 */
export type Precision = 'float32' | 'float64';

/** All precisions, for validation and documentation. */
export const precisions: readonly Precision[] = ['float32', 'float64'];

/** A validated precision option: `'auto'` when it was not given. */
export type ResolvedPrecision = Precision | 'auto';

/** Batches of fewer elements (`n * c`) use the float64 kernel unless `'float32'` is asked for. */
export const SIMD_MIN_ELEMENTS = 64;

/** Whether a batch of `size` elements takes the SIMD kernel. */
export function prefersSimd(precision: ResolvedPrecision, size: number): boolean {
  return precision === 'float32' || (precision === 'auto' && size >= SIMD_MIN_ELEMENTS);
}
