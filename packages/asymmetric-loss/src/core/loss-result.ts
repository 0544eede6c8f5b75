/**
 * Result types shared by the losses, typed from the options so that `reduction: 'none'` gives a
 * `Float32Array` loss and `grad: false` a `null` gradient at compile time.
 */
import type { Reduction } from './reduction.js';

/** The loss value for options `O`: a number, or a `Float32Array` for `reduction: 'none'`. */
export type LossValue<O> = O extends { reduction: 'none' }
  ? Float32Array
  : O extends { reduction?: infer R }
    ? unknown extends R
      ? number
      : 'none' extends R
        ? number | Float32Array
        : number
    : number;

/** The gradient for options `O`: a `Float32Array`, or `null` with `grad: false`. */
export type GradValue<O> = O extends { grad: false }
  ? null
  : O extends { grad?: infer G }
    ? unknown extends G
      ? Float32Array
      : false extends G
        ? Float32Array | null
        : Float32Array
    : Float32Array;

/** What a loss function returns. */
export interface LossResult<L = number | Float32Array, G = Float32Array | null> {
  /** The reduced loss (a number), or the unreduced losses for `reduction: 'none'`. */
  loss: L;
  /**
   * d(sum of upstream * loss) / d logits, row-major `[n, c]` (upstream = 1 by default; with a
   * reduction, the gradient of the reduced loss). `null` when called with `grad: false`.
   */
  grad: G;
}

/** Options every loss call takes besides the hyperparameters. */
export interface CallOptions {
  /**
   * Compute the gradient. Default `true`. With `false` the kernel computes the loss only and
   * `grad` is `null`.
   */
  grad?: boolean;
  /** A `Float32Array` of `n * c` to write the gradient into (no allocation per call). */
  gradOut?: Float32Array;
  /**
   * A `Float32Array` to write the unreduced losses into, for `reduction: 'none'`
   * (`n * c` for multi-label, `n` for single-label).
   */
  lossOut?: Float32Array;
  /**
   * The incoming gradient. A number scales the gradient for any reduction; with
   * `reduction: 'none'` an array gives one weight per element (`n * c`, multi-label) or per
   * sample (`n`). Default 1.
   */
  upstream?: number | Float32Array | ArrayLike<number>;
  /**
   * Scan the inputs for NaN/Inf logits and invalid targets. Default `true`; `false` skips these
   * O(n c) scans in hot loops (shapes and options are still checked).
   */
  validate?: boolean;
  /** Per-sample weights (length n), multiplying each sample's losses. Default none. */
  sampleWeights?: Float32Array | ArrayLike<number> | null;
}

/** Names of {@link CallOptions}, for unknown-option checks. */
export const callOptionNames: readonly (keyof CallOptions)[] = [
  'grad',
  'gradOut',
  'lossOut',
  'upstream',
  'validate',
  'sampleWeights',
];

export type { Reduction };
