/**
 * `AsymmetricLossSingleLabel`: the class form of {@link asymmetricLossSingleLabel}, named as timm's.
 */
import type { IndexInput, MatrixInput } from './input.js';
import { callOptionNames } from './loss-result.js';
import type { CallOptions, GradValue, LossResult, LossValue } from './loss-result.js';
import { checkOptionNames } from './options.js';
import { resolveSingleLabelOptions, runSingleLabel } from './single-label.js';
import type { SingleLabelLossOptions, ResolvedSingleLabelOptions } from './single-label.js';

/**
 * Single-label ASL with its hyperparameters fixed at construction (validated once), as timm's
 * `AsymmetricLossSingleLabel(gamma_pos=1, gamma_neg=4, eps=0.1, reduction='mean')`. See {@link asymmetricLossSingleLabel} for the formula.
 *
 * @example
 * ```ts
 * import { AsymmetricLossSingleLabel } from 'asymmetric-loss';
 * const asl = new AsymmetricLossSingleLabel({ gammaPos: 0, gammaNeg: 4, eps: 0.1 });
 * const gradOut = new Float32Array(256 * 1000);
 * const { loss } = asl.forward(logits, classIndices, [256, 1000], { gradOut }); // no allocation
 * ```
 */
export class AsymmetricLossSingleLabel<
  const H extends SingleLabelLossOptions = Record<never, never>,
> {
  /** The validated hyperparameters. */
  readonly options: Readonly<ResolvedSingleLabelOptions>;

  constructor(options?: H) {
    this.options = Object.freeze(
      resolveSingleLabelOptions('AsymmetricLossSingleLabel', options ?? {}, false),
    );
  }

  /**
   * Loss and gradient for a batch. `call` takes the per-call options ({@link CallOptions}).
   */
  forward<const C extends CallOptions = Record<never, never>>(
    logits: MatrixInput,
    classIndices: IndexInput,
    shape: readonly [number, number] | number[],
    call?: C,
  ): LossResult<LossValue<H>, GradValue<C>> {
    const fn = 'AsymmetricLossSingleLabel.forward';
    checkOptionNames(fn, call ?? {}, callOptionNames);
    return runSingleLabel(fn, this.options, logits, classIndices, shape, call ?? {}) as LossResult<
      LossValue<H>,
      GradValue<C>
    >;
  }
}
