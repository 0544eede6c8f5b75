/** Limits of float32 arithmetic that decide when the SIMD kernels hand a call to float64. */

/** Whether a scale factor keeps float32 products in range with full precision. */
export function float32Safe(scale: number): boolean {
  const a = Math.abs(scale);
  return a === 0 || (a >= 1e-30 && a <= 1e30);
}
