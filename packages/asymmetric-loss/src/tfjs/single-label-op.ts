/**
 * `asymmetricLossSingleLabel` as a TensorFlow.js op with a gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkFinite, toClassIndices } from '../core/input.js';
import { checkOptionNames } from '../core/options.js';
import { resolveSingleLabelOptions } from '../core/single-label.js';
import type { SingleLabelLossOptions } from '../core/single-label.js';
import { singleLabelFallback } from './fallback.js';
import {
  checkDtype,
  checkRank,
  checkShapeEquals,
  dataInMemory,
  gradientRecording,
  hasFusedKernel,
  hostValidation,
  renameCaller,
  toTensor,
  type TensorInput,
} from './inputs.js';
import { runFusedLoss } from './gradients.js';
import { AsymmetricLossSingleLabelKernel, kernelAttrs, registerAslKernels } from './kernels.js';

/** Options of the tfjs single-label op: the core's hyperparameters plus tfjs-specific ones. */
export interface TfSingleLabelOptions extends SingleLabelLossOptions {
  /** Per-sample weights, shape `[n]`. */
  sampleWeights?: TensorInput | null;
  /**
   * Scan logits for NaN/Inf and class indices for values out of range: default `true` on
   * `cpu` and `wasm` (in memory), `false` on other backends, where `true` downloads the data
   * (refused on webgpu, which has no reliable synchronous read).
   */
  validate?: boolean;
}

const optionNames = [
  'gammaPos',
  'gammaNeg',
  'eps',
  'focalGrad',
  'reduction',
  'sampleWeights',
  'validate',
];

/**
 * Single-label Asymmetric Loss as a TensorFlow.js op (timm's `AsymmetricLossSingleLabel`):
 * for a row with target t, `l = logSoftmax(x)`, `p = exp(l)`,
 * `loss = -sum_j s_j w_j l_j` with `w_t = (1 - p_t)^gammaPos`, `w_j = p_j^gammaNeg` and
 * label smoothing `s = onehot(t) (1 - eps) + eps / C`. Defaults as timm: gammaPos 1,
 * gammaNeg 4, eps 0.1, reduction 'mean' ('sum' is the batch sum, 'none' per sample).
 * Fused kernels on `cpu`, `wasm`, `webgl` and `webgpu`, tfjs ops elsewhere (see
 * {@link asymmetricLossMultiLabel}).
 *
 * @param logits - `[n, c]` float32 logits.
 * @param classIndices - `[n]` class indices in [0, c) (int32, or float32 holding integers).
 * @returns A scalar, or the `[n]` per-sample losses for `reduction: 'none'`.
 *
 * @example
 * ```ts
 * import { asymmetricLossSingleLabel } from 'asymmetric-loss/tfjs';
 * const loss = asymmetricLossSingleLabel(tf.randomNormal([4, 10]), tf.tensor1d([0, 3, 9, 1], 'int32'));
 * ```
 */
export function asymmetricLossSingleLabel(
  logits: TensorInput,
  classIndices: TensorInput,
  options: TfSingleLabelOptions = {},
): tf.Tensor {
  return singleLabelOp(logits, classIndices, options, 'asymmetricLossSingleLabel');
}

/** The op for a caller named `fn`, in a tfjs op scope (see `multiLabelOp`). */
export const singleLabelOp = tf.op({ asymmetricLossSingleLabel_: singleLabelLoss });

function singleLabelLoss(
  logits: TensorInput,
  classIndices: TensorInput,
  options: TfSingleLabelOptions,
  fn: string,
): tf.Tensor {
  checkOptionNames(fn, options, optionNames);
  const { sampleWeights, validate, ...hyper } = options;
  const params = resolveSingleLabelOptions(fn, hyper, false);
  const x = toTensor(logits, 'logits', fn, 'float32');
  checkRank(x, 2, 'logits', fn);
  checkDtype(x, 'logits', fn, ['float32']);
  const [n, c] = x.shape;
  const t = toTensor(classIndices, 'classIndices', fn, 'int32');
  checkShapeEquals(t, [n], 'classIndices', fn);
  checkDtype(t, 'classIndices', fn, ['int32', 'float32']);
  const w = sampleWeights == null ? null : toTensor(sampleWeights, 'sampleWeights', fn, 'float32');
  if (w !== null) {
    checkShapeEquals(w, [n], 'sampleWeights', fn);
    checkDtype(w, 'sampleWeights', fn, ['float32']);
  }
  const resolved: SingleLabelLossOptions = {
    gammaPos: params.gammaPos,
    gammaNeg: params.gammaNeg,
    eps: params.eps,
    focalGrad: params.focalGrad ? 'full' : 'detached',
    reduction: params.reduction,
  };
  registerAslKernels();
  const scan = hostValidation(fn, validate);
  const inMemory = dataInMemory();
  const fused = hasFusedKernel(AsymmetricLossSingleLabelKernel);
  // The kernels on cpu and wasm scan in place; elsewhere the scan reads the data back (opt-in).
  if (scan && !(fused && inMemory)) validateOnHost(fn, x, t, c);
  if (!fused) return singleLabelFallback(x, t, w, resolved);
  const computeGrad = gradientRecording();
  const attrs = kernelAttrs({ options: resolved, computeGrad, validate: inMemory && scan });
  const inputs: tf.NamedTensorMap = { logits: x, classIndices: t };
  if (w !== null) inputs.sampleWeights = w;
  const run = (logits: tf.Tensor): tf.Tensor[] => {
    try {
      return tf
        .engine()
        .runKernel(AsymmetricLossSingleLabelKernel, { ...inputs, logits }, attrs) as tf.Tensor[];
    } catch (error) {
      throw renameCaller(error, 'asymmetricLossSingleLabel', fn);
    }
  };
  return runFusedLoss(x, run, computeGrad, resolved.reduction === 'none');
}

/** The core's checks, on data downloaded from a backend without the fused kernel. */
function validateOnHost(fn: string, x: tf.Tensor, t: tf.Tensor, c: number): void {
  checkFinite(fn, 'logits', x.dataSync() as Float32Array, c);
  toClassIndices(fn, 'classIndices', t.dataSync(), t.size, c);
}
