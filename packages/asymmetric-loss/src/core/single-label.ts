/**
 * Single-label Asymmetric Loss (timm's `AsymmetricLossSingleLabel`): softmax cross-entropy with
 * asymmetric focusing and label smoothing.
 */
import { saturateFloat32 } from './saturate.js';
import { resolveCall } from './call.js';
import { checkFinite, checkShape, toClassIndices, toMatrix } from './input.js';
import type { IndexInput, MatrixInput } from './input.js';
import { callOptionNames } from './loss-result.js';
import type { CallOptions, GradValue, LossResult, LossValue } from './loss-result.js';
import { checkChoice, checkGamma, checkHalfOpen, checkOptionNames } from './options.js';
import { reductionScale, reductions } from './reduction.js';
import type { Reduction } from './reduction.js';
import { singleLabelKernelF64 } from './single-label-kernel.js';
import type { SingleLabelKernelArgs } from './single-label-kernel.js';
import { precisions, prefersSimd } from './wasm/precision.js';
import type { Precision, ResolvedPrecision } from './wasm/precision.js';
import { simdSingleLabelKernel } from './wasm/index.js';

/** Hyperparameters of the single-label loss (the constructor arguments of timm's class). */
export interface SingleLabelLossOptions {
  /** Focusing exponent of the target class, `gamma_pos` in PyTorch. Default 1. Finite, >= 0. */
  gammaPos?: number;
  /** Focusing exponent of the other classes, `gamma_neg` in PyTorch. Default 4. Finite, >= 0. */
  gammaNeg?: number;
  /**
   * Label smoothing, `eps` in PyTorch: targets become `onehot * (1 - eps) + eps / C`.
   * Default 0.1. In [0, 1).
   */
  eps?: number;
  /**
   * Whether the focusing weights are differentiated: `'full'` (default, as timm) or `'detached'`.
   */
  focalGrad?: 'full' | 'detached';
  /**
   * `'mean'` over the batch (default, as timm), `'sum'` over the batch, `'batchmean'` (the same
   * as `'mean'` here) or `'none'` for the `n` per-sample losses. Note: timm's
   * `reduction='sum'` returns the per-sample losses (summed over classes only, not over the
   * batch); ours sums over the batch, and `'none'` gives what timm's `'sum'` gives.
   */
  reduction?: Reduction;
  /**
   * Which kernel computes loss and gradient (no PyTorch counterpart):
   * - `'float32'`: the WebAssembly SIMD kernel (f32x4 arithmetic; sums, the log-sum-exp and the
   *   target class's terms in float64), about 9 times faster than `'float64'`. Loss within
   *   about 1e-7 relative and gradient within about 1e-6 of its largest element of the float64
   *   kernel's. Logits are checked inside the kernel, so with a NaN or infinite logit the error
   *   is thrown after `gradOut` was partly written. Where WebAssembly SIMD is unavailable, or
   *   in a browser's main thread until it is compiled (`await wasmReady()`), the float64 kernel
   *   runs instead.
   * - `'float64'`: the exact float64 JavaScript kernel.
   *
   * Default: `'float32'` for batches of at least 64 elements (`n * c`), `'float64'` below,
   * where both take about a microsecond.
   */
  precision?: Precision;
}

/** All options of {@link asymmetricLossSingleLabel}: hyperparameters and per-call options. */
export interface SingleLabelOptions extends SingleLabelLossOptions, CallOptions {}

/** Hyperparameters after validation. */
export interface ResolvedSingleLabelOptions {
  gammaPos: number;
  gammaNeg: number;
  eps: number;
  focalGrad: boolean;
  reduction: Reduction;
  precision: ResolvedPrecision;
}

const lossOptionNames: readonly (keyof SingleLabelLossOptions)[] = [
  'gammaPos',
  'gammaNeg',
  'eps',
  'focalGrad',
  'reduction',
  'precision',
];

/** Defaults of the single-label loss, as timm's `AsymmetricLossSingleLabel`. */
export const singleLabelDefaults = Object.freeze({
  gammaPos: 1,
  gammaNeg: 4,
  eps: 0.1,
  focalGrad: 'full',
  reduction: 'mean',
} as const);

/** Validates the hyperparameters; `allowCallOptions` admits the per-call option names too. */
export function resolveSingleLabelOptions(
  fn: string,
  options: SingleLabelOptions,
  allowCallOptions: boolean,
): ResolvedSingleLabelOptions {
  checkOptionNames(
    fn,
    options,
    allowCallOptions ? [...lossOptionNames, ...callOptionNames] : lossOptionNames,
  );
  const d = singleLabelDefaults;
  return {
    gammaPos: checkGamma(fn, 'gammaPos', options.gammaPos, d.gammaPos),
    gammaNeg: checkGamma(fn, 'gammaNeg', options.gammaNeg, d.gammaNeg),
    eps: checkHalfOpen(fn, 'eps', options.eps, d.eps, 0, 1),
    focalGrad:
      checkChoice(fn, 'focalGrad', options.focalGrad, d.focalGrad, ['full', 'detached']) === 'full',
    reduction: checkChoice(fn, 'reduction', options.reduction, d.reduction, reductions),
    precision: checkChoice<ResolvedPrecision>(
      fn,
      'precision',
      options.precision,
      'auto',
      precisions,
    ),
  };
}

/** Runs the single-label loss with validated hyperparameters (shared by the function and class). */
export function runSingleLabel(
  fn: string,
  params: ResolvedSingleLabelOptions,
  logits: MatrixInput,
  classIndices: IndexInput,
  shape: readonly [number, number] | number[],
  call: CallOptions,
): LossResult {
  const [n, c] = checkShape(fn, shape);
  const { reduction } = params;
  const resolved = resolveCall(fn, call, reduction, n, n * c, n, [n]);
  const x = toMatrix(fn, 'logits', logits, n, c);
  const targets = toClassIndices(fn, 'classIndices', classIndices, n, c, resolved.validate);
  // The SIMD kernel detects NaN and infinite logits itself (then returns null, and the scan
  // below names the first); the float64 kernel's caller scans them first.
  const simd = prefersSimd(params.precision, n * c) ? simdSingleLabelKernel() : null;
  if (resolved.validate && simd === null) checkFinite(fn, 'logits', x, c);
  const scale = reductionScale(reduction, n, n);
  const lossOut = reduction === 'none' ? (resolved.lossOut ?? new Float32Array(n)) : null;
  const gradOut = resolved.grad ? (resolved.gradOut ?? new Float32Array(n * c)) : null;
  const args: SingleLabelKernelArgs = {
    logits: x,
    targets,
    n,
    c,
    gammaPos: params.gammaPos,
    gammaNeg: params.gammaNeg,
    eps: params.eps,
    focalGrad: params.focalGrad,
    sampleWeights: resolved.sampleWeights,
    lossOut,
    gradOut,
    gradScale: scale * resolved.upstreamScale,
    upstream: resolved.upstream,
  };
  let total = simd === null ? null : simd(args);
  // null: invalid logits, or values float32 cannot carry: the float64 kernel.
  if (total === null) {
    if (resolved.validate && simd !== null) checkFinite(fn, 'logits', x, c);
    total = singleLabelKernelF64(args);
  }
  // A row's loss grows with the spread of its logits (up to twice the float32 maximum): n
  // values, always saturated; the gradient only past weights or an upstream (saturate.ts).
  saturateFloat32(lossOut);
  if (resolved.sampleWeights !== null || resolved.upstream !== null || Math.abs(args.gradScale) > 1)
    saturateFloat32(gradOut);
  return { loss: lossOut ?? total * scale, grad: gradOut };
}

/**
 * Single-label Asymmetric Loss with its gradient, in one fused pass (timm's
 * `AsymmetricLossSingleLabel`). Per sample with logits x and target class t,
 * `l = log_softmax(x)`, `p = exp(l)`:
 *
 * `loss = -[s_t (1 - p_t)^gammaPos l_t + sum_{j != t} s_j p_j^gammaNeg l_j]`,
 * with smoothed targets `s_t = 1 - eps + eps / C`, `s_j = eps / C`; then reduced (`'mean'` over
 * the batch by default). With gammas 0 and eps 0 it is softmax cross-entropy; with eps > 0 and
 * gammas 0, cross-entropy with label smoothing.
 *
 * Where we differ from the reference: the gradient is computed in a form without singular
 * factors (finite for fractional gammas, where PyTorch gives NaN), and `'sum'` sums over the
 * batch (timm's `'sum'` returns per-sample losses: use `'none'` for that).
 *
 * @param logits - Row-major `[n, c]` logits (`Float32Array`, `Float64Array`, `number[]`, `number[][]`).
 * @param classIndices - `n` target class indices, integers in `[0, c)`.
 * @param shape - `[n, c]`.
 * @param options - Hyperparameters ({@link SingleLabelLossOptions}) and per-call options ({@link CallOptions}).
 * @returns `{ loss, grad }`: the loss (a number, or the `n` per-sample losses for
 *   `reduction: 'none'`) and d(upstream * loss)/d logits as a `Float32Array` `[n, c]`.
 * @throws TypeError / RangeError naming the argument for wrong shapes, NaN/Inf logits, class
 *   indices out of range or not integers, invalid or unknown options.
 *
 * @example
 * ```ts
 * import { asymmetricLossSingleLabel } from 'asymmetric-loss';
 * // The seed's example: with gammas 0 and eps 0 the loss is softmax cross-entropy.
 * const logits = [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]];
 * const { loss } = asymmetricLossSingleLabel(logits, [0, 0, 0], [3, 10], { gammaPos: 0, gammaNeg: 0, eps: 0 });
 * // loss = 1.7944835
 * ```
 */
export function asymmetricLossSingleLabel<
  const O extends SingleLabelOptions = Record<never, never>,
>(
  logits: MatrixInput,
  classIndices: IndexInput,
  shape: readonly [number, number] | number[],
  options?: O,
): LossResult<LossValue<O>, GradValue<O>> {
  const fn = 'asymmetricLossSingleLabel';
  const opts: SingleLabelOptions = options ?? {};
  const params = resolveSingleLabelOptions(fn, opts, true);
  return runSingleLabel(fn, params, logits, classIndices, shape, opts) as LossResult<
    LossValue<O>,
    GradValue<O>
  >;
}
