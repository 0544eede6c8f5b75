/**
 * Multi-label Asymmetric Loss (timm's `AsymmetricLossMultiLabel`; Ben-Baruch, Ridnik et al.,
 * "Asymmetric Loss For Multi-Label Classification", ICCV 2021, arXiv:2009.14119).
 */
import { saturateFloat32 } from './saturate.js';
import { resolveCall } from './call.js';
import { checkFinite, checkShape, checkUnitInterval, toMatrix, toWeights } from './input.js';
import type { MatrixInput } from './input.js';
import { callOptionNames } from './loss-result.js';
import type { CallOptions, GradValue, LossResult, LossValue } from './loss-result.js';
import { multiLabelKernelF64 } from './multi-label-kernel.js';
import type { MultiLabelKernelArgs } from './multi-label-kernel.js';
import { precisions, prefersSimd } from './wasm/precision.js';
import type { Precision, ResolvedPrecision } from './wasm/precision.js';
import { simdMultiLabelKernel } from './wasm/index.js';
import { checkChoice, checkGamma, checkHalfOpen, checkOptionNames } from './options.js';
import { reductionScale, reductions } from './reduction.js';
import type { Reduction } from './reduction.js';
import { argumentError } from './errors.js';
import {
  isPartial,
  partialOptionNames,
  partialWeights,
  posWeightsOf,
  resolvePartialOptions,
} from './partial.js';
import type { PartialLabelOptions, ResolvedPartialOptions } from './partial.js';

/** Hyperparameters of the multi-label loss (the constructor arguments of timm's class). */
export interface MultiLabelLossOptions extends PartialLabelOptions {
  /** Focusing exponent for negatives, `gamma_neg` in PyTorch. Default 4. Any finite value >= 0. */
  gammaNeg?: number;
  /** Focusing exponent for positives, `gamma_pos` in PyTorch. Default 1 (the paper's experiments use 0). */
  gammaPos?: number;
  /**
   * Probability margin of the asymmetric shift for negatives, `clip` in PyTorch:
   * `pm = max(p - clip, 0)`. Default 0.05; 0 or `null` disables the shift. In [0, 1).
   */
  clip?: number | null;
  /**
   * Lower clamp of the probabilities inside the logs, `eps` in PyTorch: `log(max(p, eps))`.
   * Default 1e-8. In [0, 0.5). With 0 the logs are exact log-sigmoids, so a positive with a very
   * negative logit keeps its gradient (PyTorch clamps it to zero past `eps`).
   */
  eps?: number;
  /**
   * Whether the focusing weight is differentiated. `'full'` (default, timm's
   * `disable_torch_grad_focal_loss=False`) or `'detached'` (`=True`, the setting of the paper
   * authors' training script).
   */
  focalGrad?: 'full' | 'detached';
  /**
   * `'sum'` (default, as timm: the class always returns the sum over all elements), `'mean'` over
   * all `n * c` elements (those not ignored, with partial annotations), `'batchmean'` = sum / n,
   * or `'none'` for the `[n, c]` element-wise losses.
   */
  reduction?: Reduction;
  /** Per-class weights (length c) multiplying each class's losses. Default none. */
  classWeights?: Float32Array | ArrayLike<number> | null;
  /**
   * Which kernel computes loss and gradient (no PyTorch counterpart):
   * - `'float32'`: the WebAssembly SIMD kernel (f32x4 arithmetic, sums in float64), about 9 to 13
   *   times faster than `'float64'`. Loss within about 3e-7 relative and gradient within about
   *   1e-6 of its largest element of the float64 kernel's (measured on the PyTorch reference
   *   vectors: 2.4e-7 and 5.1e-7). Inputs are checked inside the kernel, so with invalid inputs
   *   the error is thrown after `gradOut`/`lossOut` were written. Where WebAssembly SIMD is
   *   unavailable, or in a browser's main thread until it is compiled (`await wasmReady()`),
   *   the float64 kernel runs instead.
   * - `'float64'`: the exact float64 JavaScript kernel.
   *
   * Default: `'float32'` for batches of at least 64 elements (`n * c`), `'float64'` below,
   * where both take about a microsecond.
   */
  precision?: Precision;
}

/** Per-call options of the multi-label loss besides {@link CallOptions}. */
export interface MultiLabelCallOptions {
  /**
   * Per-element weights, row-major `[n, c]`, non-negative: each multiplies its element's loss
   * and gradient (the authors' `targets_weights`; what {@link ClassAwareSelection} produces).
   * An element of weight 0 is ignored, also by `'mean'`. Default none.
   */
  elementWeights?: Float32Array | ArrayLike<number> | null;
}

/** All options of {@link asymmetricLossMultiLabel}: hyperparameters and per-call options. */
export interface MultiLabelOptions
  extends MultiLabelLossOptions, CallOptions, MultiLabelCallOptions {}

/** Hyperparameters after validation. */
export interface ResolvedMultiLabelOptions {
  gammaNeg: number;
  gammaPos: number;
  clip: number;
  eps: number;
  focalGrad: boolean;
  reduction: Reduction;
  classWeights: Float32Array | ArrayLike<number> | null;
  precision: ResolvedPrecision;
  /** Unannotated labels, `gammaUnannotated` and `posWeight`. */
  partial: ResolvedPartialOptions;
}

/** Names of {@link MultiLabelLossOptions}, for unknown-option checks (the adapters derive theirs). */
export const multiLabelLossOptionNames: readonly (keyof MultiLabelLossOptions)[] = [
  'gammaNeg',
  'gammaPos',
  'clip',
  'eps',
  'focalGrad',
  'reduction',
  'classWeights',
  'precision',
  ...partialOptionNames,
];

/** Defaults of the multi-label loss, as timm's `AsymmetricLossMultiLabel`. */
export const multiLabelDefaults = Object.freeze({
  gammaNeg: 4,
  gammaPos: 1,
  clip: 0.05,
  eps: 1e-8,
  focalGrad: 'full',
  reduction: 'sum',
} as const);

/**
 * Validates the hyperparameters (`fn` names the caller in errors). `allowCallOptions` admits
 * the per-call option names too (the function form takes both in one object).
 */
export function resolveMultiLabelOptions(
  fn: string,
  options: MultiLabelOptions,
  allowCallOptions: boolean,
): ResolvedMultiLabelOptions {
  checkOptionNames(
    fn,
    options,
    allowCallOptions
      ? [...multiLabelLossOptionNames, ...callOptionNames, ...multiLabelCallOptionNames]
      : multiLabelLossOptionNames,
  );
  const d = multiLabelDefaults;
  const clipValue = options.clip === null ? 0 : options.clip;
  const classWeights = options.classWeights ?? null;
  if (classWeights !== null && !ArrayBuffer.isView(classWeights) && !Array.isArray(classWeights))
    throw argumentError(TypeError, fn, 'classWeights', 'a Float32Array or number[]', classWeights);
  const gammaNeg = checkGamma(fn, 'gammaNeg', options.gammaNeg, d.gammaNeg);
  return {
    gammaNeg,
    gammaPos: checkGamma(fn, 'gammaPos', options.gammaPos, d.gammaPos),
    clip: checkHalfOpen(fn, 'clip', clipValue, d.clip, 0, 1),
    eps: checkHalfOpen(fn, 'eps', options.eps, d.eps, 0, 0.5),
    focalGrad:
      checkChoice(fn, 'focalGrad', options.focalGrad, d.focalGrad, ['full', 'detached']) === 'full',
    reduction: checkChoice(fn, 'reduction', options.reduction, d.reduction, reductions),
    classWeights,
    precision: checkChoice<ResolvedPrecision>(
      fn,
      'precision',
      options.precision,
      'auto',
      precisions,
    ),
    partial: resolvePartialOptions(fn, options, gammaNeg),
  };
}

/** Names of {@link MultiLabelCallOptions}. */
export const multiLabelCallOptionNames: readonly (keyof MultiLabelCallOptions)[] = [
  'elementWeights',
];

/**
 * Runs the multi-label loss with validated hyperparameters: checks the inputs, calls the kernel,
 * reduces. Shared by {@link asymmetricLossMultiLabel} and the class.
 */
export function runMultiLabel(
  fn: string,
  params: ResolvedMultiLabelOptions,
  logits: MatrixInput,
  targets: MatrixInput,
  shape: readonly [number, number] | number[],
  call: CallOptions & MultiLabelCallOptions,
): LossResult {
  const [n, c] = checkShape(fn, shape);
  const size = n * c;
  const { reduction } = params;
  const resolved = resolveCall(fn, call, reduction, n, size, size, [size, n]);
  const x = toMatrix(fn, 'logits', logits, n, c);
  const y = toMatrix(fn, 'targets', targets, n, c, true);
  const classWeights = toWeights(fn, 'classWeights', params.classWeights, c);
  const simd = prefersSimd(params.precision, size) ? simdMultiLabelKernel() : null;
  const lossOut = reduction === 'none' ? (resolved.lossOut ?? new Float32Array(size)) : null;
  const gradOut = resolved.grad ? (resolved.gradOut ?? new Float32Array(size)) : null;
  const base = {
    logits: x,
    n,
    c,
    gammaNeg: params.gammaNeg,
    gammaPos: params.gammaPos,
    clip: params.clip,
    eps: params.eps,
    focalGrad: params.focalGrad,
    classWeights,
    sampleWeights: resolved.sampleWeights,
    elementWeights: null,
  };
  const weighted = classWeights !== null || resolved.sampleWeights !== null;
  if (isPartial(params.partial, call.elementWeights)) {
    const elementWeights = toWeights(fn, 'elementWeights', call.elementWeights, size);
    // The targets are checked as the weights are made (the same loop); the logits by the SIMD
    // kernel as it goes, or scanned before the float64 kernel.
    const w = partialWeights(
      fn,
      y,
      c,
      params.partial,
      params.gammaNeg,
      elementWeights,
      posWeightsOf(fn, params.partial.posWeight, c),
      resolved.validate,
    );
    const checkLogits = resolved.validate ? () => checkFinite(fn, 'logits', x, c) : null;
    if (checkLogits !== null && simd === null) checkLogits();
    const scale = reductionScale(reduction, n, w.count);
    // Each call: the kernel weighs every element's loss and gradient by its weight; a distinct
    // gammaUnannotated adds a second call over the unannotated elements.
    const parts: [Float32Array, number][] = [[w.weights, params.gammaNeg]];
    if (w.unannotatedWeights !== null)
      parts.push([w.unannotatedWeights, params.partial.gammaUnannotated]);
    let total = 0;
    parts.forEach(([weights, gammaNeg], k) => {
      const args: MultiLabelKernelArgs = {
        ...base,
        gammaNeg,
        targets: w.targets,
        elementWeights: weights,
        lossOut: lossOut === null ? null : k === 0 ? lossOut : new Float32Array(size),
        gradOut: gradOut === null ? null : k === 0 ? gradOut : new Float32Array(size),
        gradScale: scale * resolved.upstreamScale,
        upstream: resolved.upstream,
      };
      total += runKernel(args, simd, checkLogits);
      if (k > 0) {
        if (lossOut !== null) addInto(lossOut, args.lossOut!);
        if (gradOut !== null) addInto(gradOut, args.gradOut!);
      }
    });
    // Weights can take losses and gradients past the float32 maximum (see saturate.ts).
    saturateFloat32(lossOut);
    saturateFloat32(gradOut);
    return { loss: lossOut ?? total * scale, grad: gradOut };
  }
  // The SIMD kernel checks the inputs as it goes (the JavaScript scans would cost as much as
  // the kernel); the float64 kernel's caller scans them first.
  const check = () => {
    checkFinite(fn, 'logits', x, c);
    checkUnitInterval(fn, 'targets', y, c, { allowed: false });
  };
  if (resolved.validate && simd === null) check();
  const scale = reductionScale(reduction, n, size);
  const args: MultiLabelKernelArgs = {
    ...base,
    targets: y,
    lossOut,
    gradOut,
    gradScale: scale * resolved.upstreamScale,
    upstream: resolved.upstream,
  };
  const total = runKernel(args, simd, resolved.validate ? check : null);
  // Unweighted, an element's loss is at most about |x| and its gradient about 1 + gamma: only
  // weights and an upstream gradient can take them past float32 (see saturate.ts).
  if (weighted) saturateFloat32(lossOut);
  if (weighted || resolved.upstream !== null || Math.abs(args.gradScale) > 1)
    saturateFloat32(gradOut);
  return { loss: lossOut ?? total * scale, grad: gradOut };
}

/**
 * Runs the SIMD kernel when given and able, else the float64 kernel; returns the weighted sum of
 * the losses. `check` (the input scans, null when not validating) runs before the float64
 * kernel takes over from a SIMD kernel that met invalid inputs.
 */
function runKernel(
  args: MultiLabelKernelArgs,
  simd: ReturnType<typeof simdMultiLabelKernel>,
  check: (() => void) | null,
): number {
  const total = simd === null ? null : simd(args);
  // null: parameters float32 cannot carry; NaN: the SIMD kernel met invalid inputs.
  if (total !== null && !(check !== null && Number.isNaN(total))) return total;
  if (check !== null && simd !== null) check();
  return multiLabelKernelF64(args);
}

/** Adds `part` into `into`, element by element. */
function addInto(into: Float32Array, part: Float32Array): void {
  for (let e = 0; e < into.length; e++) into[e] += part[e];
}

/**
 * Multi-label Asymmetric Loss with its gradient, in one fused pass (timm's
 * `AsymmetricLossMultiLabel`). For each element, with `p = sigmoid(x)`:
 *
 * - positive (target 1): `L+ = -(1 - p)^gammaPos * log(max(p, eps))`
 * - negative (target 0): `L- = -pm^gammaNeg * log(max(1 - pm, eps))`, `pm = max(p - clip, 0)`
 * - soft target y in [0, 1] (as the reference): `L = -(y q + (1 - y) pm)^(y gammaPos + (1 - y) gammaNeg)
 *   * (y log(max(p, eps)) + (1 - y) log(max(1 - pm, eps)))`, `q = 1 - p`
 *
 * then reduced (`'sum'` by default, as timm). Special cases: gammas 0 and clip 0 give binary
 * cross-entropy; `gammaPos = gammaNeg = g`, clip 0 give the sigmoid focal loss (without alpha).
 *
 * Partial annotations (see `PartialLabelOptions`): with `unannotated: 'negative'` or
 * `'ignore'`, a target of -1 is an unannotated label, a negative with the exponent
 * `gammaUnannotated` or ignored; `elementWeights` and `posWeight` multiply an element's loss
 * (its positive term, for `posWeight`) and gradient; `'mean'` then divides by the elements not
 * ignored.
 *
 * Where we differ from the reference: probabilities and logs are computed without cancellation
 * in float64, and gradients in forms without singular factors, so fractional gammas and saturated
 * logits give finite gradients where PyTorch gives NaN; with `eps: 0` the logs are exact.
 *
 * @param logits - Row-major `[n, c]` logits: `Float32Array` (used without copying), `Float64Array`,
 *   `number[]` or `number[][]`. Must be finite.
 * @param targets - Row-major `[n, c]` targets in [0, 1] (0/1, or soft), in the same forms or an
 *   integer typed array; -1 for an unannotated label where `unannotated` accepts it.
 * @param shape - `[n, c]`: batch size and number of classes.
 * @param options - Hyperparameters ({@link MultiLabelLossOptions}) and per-call options
 *   ({@link CallOptions}).
 * @returns `{ loss, grad }`: the loss (a number, or the `[n, c]` element-wise losses for
 *   `reduction: 'none'`) and d(upstream * loss)/d logits as a `Float32Array` `[n, c]`.
 * @throws TypeError / RangeError naming the argument for wrong shapes, lengths, NaN/Inf logits,
 *   targets outside [0, 1], invalid or unknown options.
 *
 * @example
 * ```ts
 * import { asymmetricLossMultiLabel } from 'asymmetric-loss';
 * const logits = new Float32Array([2.0, -1.0, 0.5, -3.0]);
 * const targets = new Float32Array([1, 0, 0, 1]);
 * const { loss, grad } = asymmetricLossMultiLabel(logits, targets, [2, 2], { gammaPos: 0 });
 * ```
 */
export function asymmetricLossMultiLabel<const O extends MultiLabelOptions = Record<never, never>>(
  logits: MatrixInput,
  targets: MatrixInput,
  shape: readonly [number, number] | number[],
  options?: O,
): LossResult<LossValue<O>, GradValue<O>> {
  const fn = 'asymmetricLossMultiLabel';
  const opts: MultiLabelOptions = options ?? {};
  const params = resolveMultiLabelOptions(fn, opts, true);
  return runMultiLabel(fn, params, logits, targets, shape, opts) as LossResult<
    LossValue<O>,
    GradValue<O>
  >;
}
