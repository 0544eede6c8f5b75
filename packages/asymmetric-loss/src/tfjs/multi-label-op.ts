/**
 * `asymmetricLossMultiLabel` as a TensorFlow.js op with a gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkLength } from '../core/errors.js';
import { checkFinite, checkUnitInterval, toWeights } from '../core/input.js';
import { checkOptionNames } from '../core/options.js';
import {
  multiLabelDefaults,
  multiLabelLossOptionNames,
  resolveMultiLabelOptions,
} from '../core/multi-label.js';
import type { MultiLabelLossOptions } from '../core/multi-label.js';
import { isPartial, partialWeights, posWeightsOf } from '../core/partial.js';
import { partialComposed } from './partial-op.js';
import { multiLabelFallback } from './fallback.js';
import {
  checkDtype,
  checkRank,
  checkShapeEquals,
  dataInMemory,
  gradientRecording,
  hasFusedKernel,
  hostValidation,
  renameArgument,
  renameCaller,
  toTensor,
  type TensorInput,
} from './inputs.js';
import { runFusedLoss } from './gradients.js';
import { AsymmetricLossMultiLabelKernel, kernelAttrs, registerAslKernels } from './kernels.js';

/** Options of the tfjs multi-label op: the core's hyperparameters plus tfjs-specific ones. */
export interface TfMultiLabelOptions extends MultiLabelLossOptions {
  /** Per-sample weights, shape `[n]`. */
  sampleWeights?: TensorInput | null;
  /**
   * Per-element weights, shape `[n, c]`, non-negative (the core's `elementWeights`: what
   * `ClassAwareSelection` produces). An element of weight 0 is ignored, also by `'mean'`.
   */
  elementWeights?: TensorInput | null;
  /**
   * Scan logits for NaN/Inf and labels for values outside [0, 1]. On `cpu` and `wasm` the
   * data is in memory and the scan is cheap: default `true`. On other backends (webgl, webgpu)
   * it needs a data download: default `false` there, `true` downloads and checks (webgl; refused
   * on webgpu, which has no reliable synchronous read).
   */
  validate?: boolean;
}

const optionNames = [
  ...multiLabelLossOptionNames.filter((name) => name !== 'precision'),
  'sampleWeights',
  'elementWeights',
  'validate',
];

/**
 * Multi-label Asymmetric Loss as a TensorFlow.js op (timm's `AsymmetricLossMultiLabel`),
 * differentiable with respect to the logits (`tf.grad`, `tf.variableGrads`,
 * `optimizer.minimize`). Per element, with `p = sigmoid(x)`, `pm = max(p - clip, 0)`:
 * positives `-(1 - p)^gammaPos * log(max(p, eps))`, negatives
 * `-pm^gammaNeg * log(max(1 - pm, eps))`; reduced by `reduction` (default `'sum'`, as timm).
 *
 * On the `cpu`, `wasm`, `webgl` and `webgpu` backends a fused kernel computes the loss and the
 * gradient in one pass (over the tensors' memory on cpu and wasm, in GLSL or WGSL shaders on the
 * GPU backends, nothing downloaded); backward only multiplies the saved gradient by `dy`. On any
 * other backend (tfjs-node, custom ones) the loss and its analytic gradient are composed from
 * tfjs ops (finite with fractional gammas too; `tf.customGrad`, not autograd through `tf.pow`).
 *
 * Partial annotations (`unannotated`, `gammaUnannotated`, `posWeight`, `elementWeights`) follow
 * the core's rule: on cpu and wasm the fused kernel hands them to the core; on the other
 * backends the element-wise kernel's losses are weighted and reduced in tfjs ops (a second
 * kernel call for a distinct `gammaUnannotated`); `'mean'` divides by the elements not ignored.
 *
 * @param logits - `[n, c]` float32 logits.
 * @param labels - `[n, c]` targets in [0, 1] (float32, int32 or bool), or -1 for unannotated
 *   labels where `unannotated` accepts it.
 * @param options - Hyperparameters as the core (defaults: gammaNeg 4, gammaPos 1, clip 0.05,
 *   eps 1e-8, focalGrad 'full', reduction 'sum', unannotated 'error'), `sampleWeights`,
 *   `elementWeights`, `validate`.
 * @returns A scalar, or the `[n, c]` element-wise losses for `reduction: 'none'`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { asymmetricLossMultiLabel } from 'asymmetric-loss/tfjs';
 * const logits = tf.variable(tf.randomNormal([8, 5]));
 * const labels = tf.tensor2d([...], [8, 5]);
 * const grad = tf.grad((x) => asymmetricLossMultiLabel(x, labels, { gammaPos: 0 }))(logits);
 * ```
 */
export function asymmetricLossMultiLabel(
  logits: TensorInput,
  labels: TensorInput,
  options: TfMultiLabelOptions = {},
): tf.Tensor {
  return multiLabelOp(logits, labels, options, 'asymmetricLossMultiLabel');
}

/**
 * The op for a caller named `fn` (its errors name it: the layers loss is `aslLoss`). It runs in
 * a tfjs op scope, as tfjs's own ops do: the tensors it makes from array inputs and every
 * intermediate are disposed when it returns or throws; only the result survives.
 */
export const multiLabelOp = tf.op({ asymmetricLossMultiLabel_: multiLabelLoss });

function multiLabelLoss(
  logits: TensorInput,
  labels: TensorInput,
  options: TfMultiLabelOptions,
  fn: string,
): tf.Tensor {
  checkOptionNames(fn, options, optionNames);
  const { sampleWeights, elementWeights, validate, ...hyper } = options;
  const params = resolveMultiLabelOptions(fn, hyper, false);
  const x = toTensor(logits, 'logits', fn, 'float32');
  checkRank(x, 2, 'logits', fn);
  checkDtype(x, 'logits', fn, ['float32']);
  const [n, c] = x.shape;
  if (params.classWeights !== null)
    checkLength(fn, 'classWeights', params.classWeights.length, c, `c = ${c}`);
  const y = toTensor(labels, 'labels', fn, 'float32');
  checkShapeEquals(y, [n, c], 'labels', fn);
  checkDtype(y, 'labels', fn, ['float32', 'int32', 'bool']);
  const w = sampleWeights == null ? null : toTensor(sampleWeights, 'sampleWeights', fn, 'float32');
  if (w !== null) {
    checkShapeEquals(w, [n], 'sampleWeights', fn);
    checkDtype(w, 'sampleWeights', fn, ['float32']);
  }
  const ew =
    elementWeights == null ? null : toTensor(elementWeights, 'elementWeights', fn, 'float32');
  if (ew !== null) {
    checkShapeEquals(ew, [n, c], 'elementWeights', fn);
    checkDtype(ew, 'elementWeights', fn, ['float32']);
  }
  const partial = isPartial(params.partial, ew);
  const posWeight = posWeightsOf(fn, params.partial.posWeight, c);
  const plain: MultiLabelLossOptions = {
    gammaNeg: params.gammaNeg,
    gammaPos: params.gammaPos,
    clip: params.clip,
    eps: params.eps,
    focalGrad: params.focalGrad ? 'full' : 'detached',
    reduction: params.reduction,
    classWeights: params.classWeights === null ? null : Array.from(params.classWeights),
  };
  const partialOptions = {
    unannotated: params.partial.unannotated,
    gammaUnannotated: params.partial.gammaUnannotated,
    posWeight: posWeight === null ? null : Array.from(posWeight),
  };
  const resolved: MultiLabelLossOptions = partial ? { ...plain, ...partialOptions } : plain;
  registerAslKernels();
  // Where tensors live on a GPU the scans need a download: opt-in there (fused kernel or not).
  const scan = hostValidation(fn, validate);
  const inMemory = dataInMemory();
  if (!inMemory && scan) validateOnHost(fn, x, y, ew, params, posWeight);
  const fused = hasFusedKernel(AsymmetricLossMultiLabelKernel);
  if (partial && !(fused && inMemory)) {
    // The core's partial rule in tfjs ops around the element-wise loss (see partial-op.ts).
    return partialComposed(y, ew, { ...plain, ...partialOptions }, (gammaNeg, targets) =>
      multiLabelOp(
        x,
        targets,
        { ...plain, gammaNeg, reduction: 'none', sampleWeights: w, validate: false },
        fn,
      ),
    );
  }
  if (!fused) return multiLabelFallback(x, y, w, resolved);
  const computeGrad = gradientRecording();
  const attrs = kernelAttrs({ options: resolved, computeGrad, validate: inMemory && scan });
  const inputs: tf.NamedTensorMap = { logits: x, labels: y };
  if (w !== null) inputs.sampleWeights = w;
  if (ew !== null) inputs.elementWeights = ew;
  const run = (logits: tf.Tensor): tf.Tensor[] => {
    try {
      return tf
        .engine()
        .runKernel(AsymmetricLossMultiLabelKernel, { ...inputs, logits }, attrs) as tf.Tensor[];
    } catch (error) {
      throw renameArgument(
        renameCaller(error, 'asymmetricLossMultiLabel', fn),
        'targets',
        'labels',
      );
    }
  };
  return runFusedLoss(x, run, computeGrad, false);
}

/** The core's scans, on data downloaded from a backend whose tensors are not in memory. */
function validateOnHost(
  fn: string,
  x: tf.Tensor,
  y: tf.Tensor,
  elementWeights: tf.Tensor | null,
  params: ReturnType<typeof resolveMultiLabelOptions>,
  posWeight: Float32Array | null,
): void {
  const c = x.shape[1] as number;
  checkFinite(fn, 'logits', x.dataSync() as Float32Array, c);
  const labels = Float32Array.from(y.dataSync());
  checkUnitInterval(fn, 'labels', labels, c, { allowed: params.partial.unannotated !== 'error' });
  if (!isPartial(params.partial, elementWeights)) return;
  const weights =
    elementWeights === null
      ? null
      : toWeights(fn, 'elementWeights', elementWeights.dataSync() as Float32Array, y.size);
  // Positive weights on soft targets are refused by the same rule as the core's.
  try {
    partialWeights(fn, labels, c, params.partial, params.gammaNeg, weights, posWeight);
  } catch (error) {
    throw renameArgument(error, 'targets', 'labels');
  }
}

export { multiLabelDefaults };
