/**
 * `AsymmetricLossMultiLabel`: the class form of {@link asymmetricLossMultiLabel}, named as timm's.
 */
import type { MatrixInput } from './input.js';
import { callOptionNames } from './loss-result.js';
import type { CallOptions, GradValue, LossResult, LossValue } from './loss-result.js';
import { checkOptionNames } from './options.js';
import {
  multiLabelCallOptionNames,
  resolveMultiLabelOptions,
  runMultiLabel,
} from './multi-label.js';
import type {
  MultiLabelCallOptions,
  MultiLabelLossOptions,
  ResolvedMultiLabelOptions,
} from './multi-label.js';

/**
 * Multi-label ASL with its hyperparameters fixed at construction (validated once), as timm's
 * `AsymmetricLossMultiLabel(gamma_neg=4, gamma_pos=1, clip=0.05, eps=1e-8,
 * disable_torch_grad_focal_loss=False)`. See {@link asymmetricLossMultiLabel} for the formula.
 *
 * @example
 * ```ts
 * import { AsymmetricLossMultiLabel } from 'asymmetric-loss';
 * const asl = new AsymmetricLossMultiLabel({ gammaNeg: 4, gammaPos: 0, clip: 0.05 });
 * const gradOut = new Float32Array(64 * 80);
 * const { loss } = asl.forward(logits, targets, [64, 80], { gradOut }); // no allocation
 * ```
 */
export class AsymmetricLossMultiLabel<
  const H extends MultiLabelLossOptions = Record<never, never>,
> {
  /** The validated hyperparameters. */
  readonly options: Readonly<ResolvedMultiLabelOptions>;

  constructor(options?: H) {
    this.options = Object.freeze(
      resolveMultiLabelOptions('AsymmetricLossMultiLabel', options ?? {}, false),
    );
  }

  /**
   * Loss and gradient for a batch. `call` takes the per-call options ({@link CallOptions}, and
   * `elementWeights`).
   */
  forward<const C extends CallOptions & MultiLabelCallOptions = Record<never, never>>(
    logits: MatrixInput,
    targets: MatrixInput,
    shape: readonly [number, number] | number[],
    call?: C,
  ): LossResult<LossValue<H>, GradValue<C>> {
    const fn = 'AsymmetricLossMultiLabel.forward';
    checkOptionNames(fn, call ?? {}, [...callOptionNames, ...multiLabelCallOptionNames]);
    return runMultiLabel(fn, this.options, logits, targets, shape, call ?? {}) as LossResult<
      LossValue<H>,
      GradValue<C>
    >;
  }
}
