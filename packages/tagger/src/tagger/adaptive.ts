/**
 * Adaptive asymmetry, the paper's method: measure the probability gap between positives and
 * negatives during training and move `gamma_neg` toward a target gap. Browser-safe.
 */

/** Settings of the {@link AdaptiveGammaController}. */
export interface AdaptiveOptions {
  /**
   * The gap to reach, `mean p over positives - mean (1 - p) over negatives`, in `[-1, 1]`.
   * Default -0.2: about where the paper's `gamma_neg` 4 puts the gap early in training on the
   * debtags data (BCE sits near -0.8), so the controller starts near its target and then
   * corrects the drift of the gap as the model fits.
   */
  targetGap: number;
  /** Step size lambda of the update, `>= 0`. Default 0.01 per training step. */
  rate: number;
  /** Lower bound of `gamma_neg`, default 0. */
  min: number;
  /** Upper bound of `gamma_neg`, default 8. */
  max: number;
}

/** Default {@link AdaptiveOptions}. */
export const defaultAdaptiveOptions: Readonly<AdaptiveOptions> = Object.freeze({
  targetGap: -0.2,
  rate: 0.01,
  min: 0,
  max: 8,
});

/**
 * The probability gap of a batch: `mean of p over the positives - mean of (1 - p) over the
 * negatives`, with `p = sigmoid(logit)`. Negative when the model is more sure of the
 * negatives than of the positives, as with cross-entropy on imbalanced data.
 *
 * @param positiveProbabilitySum - Sum of `p` over the positives.
 * @param positives - Number of positives.
 * @param negativeComplementSum - Sum of `1 - p` over the negatives.
 * @param negatives - Number of negatives.
 * @returns The gap, or `NaN` when the batch has no positive or no negative.
 */
export function probabilityGap(
  positiveProbabilitySum: number,
  positives: number,
  negativeComplementSum: number,
  negatives: number,
): number {
  if (positives === 0 || negatives === 0) return NaN;
  return positiveProbabilitySum / positives - negativeComplementSum / negatives;
}

/**
 * Moves `gamma_neg` toward a target probability gap, once per training step:
 * `gamma_neg <- clamp(gamma_neg + rate * (targetGap - gap), min, max)`.
 *
 * Sign: a larger `gamma_neg` weighs the (easy) negatives less, so the model pushes their
 * probabilities down less and the positives' up relatively more; the gap grows with
 * `gamma_neg` (checked by a test that trains with two values). So a gap below the target
 * raises `gamma_neg`, a gap above it lowers `gamma_neg`. (The paper writes the update with
 * the opposite sign convention for the gap.)
 */
export class AdaptiveGammaController {
  /** The current `gamma_neg`. */
  gammaNeg: number;
  /** The last gap measured (NaN before the first). */
  lastGap = NaN;
  /** The settings. */
  readonly options: Readonly<AdaptiveOptions>;

  /**
   * @param initialGammaNeg - Starting value (the loss' `gamma_neg`).
   * @param options - Target, rate and bounds; defaults {@link defaultAdaptiveOptions}.
   * @throws RangeError for bad settings.
   */
  constructor(initialGammaNeg: number, options: Partial<AdaptiveOptions> = {}) {
    const resolved = { ...defaultAdaptiveOptions, ...options };
    if (!(resolved.targetGap >= -1 && resolved.targetGap <= 1))
      throw new RangeError(`targetGap must be in [-1, 1], got ${resolved.targetGap}`);
    if (!(resolved.rate >= 0 && Number.isFinite(resolved.rate)))
      throw new RangeError(`rate must be a finite number >= 0, got ${resolved.rate}`);
    if (!(resolved.min >= 0 && resolved.max >= resolved.min && Number.isFinite(resolved.max)))
      throw new RangeError(
        `need 0 <= min <= max < Infinity, got [${resolved.min}, ${resolved.max}]`,
      );
    this.options = Object.freeze(resolved);
    this.gammaNeg = Math.min(resolved.max, Math.max(resolved.min, initialGammaNeg));
  }

  /**
   * One update from the gap of the last batch; a `NaN` gap (no positive or no negative)
   * leaves `gamma_neg` unchanged.
   *
   * @returns The new `gamma_neg`.
   */
  update(gap: number): number {
    if (Number.isNaN(gap)) return this.gammaNeg;
    this.lastGap = gap;
    const { targetGap, rate, min, max } = this.options;
    this.gammaNeg = Math.min(max, Math.max(min, this.gammaNeg + rate * (targetGap - gap)));
    return this.gammaNeg;
  }
}
