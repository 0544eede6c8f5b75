/**
 * Reductions of the element-wise (multi-label) or per-sample (single-label) losses.
 *
 * - `'sum'`: the sum over everything (timm's multi-label class always returns this).
 * - `'mean'`: multi-label: the mean over all `n * c` elements; single-label: over the `n` samples.
 * - `'batchmean'`: the sum divided by the batch size `n` (per-sample loss summed over classes,
 *   averaged over samples); for single-label it equals `'mean'`.
 * - `'none'`: no reduction: element-wise `[n, c]` (multi-label) or per-sample `[n]` (single-label).
 *
 * Weights multiply the losses before the reduction; `'mean'` still divides by the element count,
 * as PyTorch's `binary_cross_entropy(weight=...)` does.
 */
export type Reduction = 'sum' | 'mean' | 'batchmean' | 'none';

/** All reductions, for validation and documentation. */
export const reductions: readonly Reduction[] = ['sum', 'mean', 'batchmean', 'none'];

/**
 * The factor that turns the sum of the losses into the reduced loss (1 for `'sum'` and `'none'`),
 * which is also the gradient's scale. `count` is the number of terms `'mean'` averages over.
 */
export function reductionScale(reduction: Reduction, n: number, count: number): number {
  switch (reduction) {
    case 'mean':
      return count > 0 ? 1 / count : 0;
    case 'batchmean':
      return n > 0 ? 1 / n : 0;
    default:
      return 1;
  }
}
