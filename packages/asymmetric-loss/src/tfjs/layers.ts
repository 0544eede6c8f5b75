/**
 * ASL as TensorFlow.js layers losses: functions `(yTrue, yPred) => perSampleLoss` for
 * `model.compile({ loss })`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkOptionNames } from '../core/options.js';
import { checkChoice } from '../core/options.js';
import type { MultiLabelLossOptions } from '../core/multi-label.js';
import type { SingleLabelLossOptions } from '../core/single-label.js';
import { asymmetricLossMultiLabel } from './multi-label-op.js';
import { asymmetricLossSingleLabel } from './single-label-op.js';

/** Options of {@link aslLoss}. */
export interface AslLossOptions extends Omit<MultiLabelLossOptions, 'reduction'> {
  /**
   * What each sample's loss is, before layers averages over the batch:
   * `'sum'` over its classes (default: the model then minimises the batch mean of per-sample
   * sums, the core's `'batchmean'`; the gradient is the core's `'sum'` gradient divided by n), or
   * `'mean'` over its classes (Keras' binary cross-entropy convention, the core's `'mean'`).
   */
  perSample?: 'sum' | 'mean';
  /**
   * `true` (default): `yPred` are logits (a final Dense layer without activation). `false`:
   * `yPred` are probabilities from a sigmoid output layer; they are turned back into logits
   * (`log p - log(1 - p)`, p clamped to [1e-7, 1 - 1e-7]), which loses accuracy where the
   * sigmoid saturates in float32 (|logit| > ~16); prefer logits.
   */
  fromLogits?: boolean;
  /** Skip the NaN / label scans (see the op's `validate`). */
  validate?: boolean;
}

const multiNames = [
  'gammaNeg',
  'gammaPos',
  'clip',
  'eps',
  'focalGrad',
  'classWeights',
  'perSample',
  'fromLogits',
  'validate',
];

function probabilitiesToLogits(p: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const clamped = tf.clipByValue(p, 1e-7, 1 - 1e-7);
    return tf.sub(tf.log(clamped), tf.log1p(tf.neg(clamped)));
  });
}

/**
 * Multi-label ASL as a tfjs-layers loss: returns `(yTrue, yPred) => loss` giving one loss per
 * sample (shape `[n]`); layers averages it over the batch (and applies sample weights).
 * Defaults follow the core (gammaNeg 4, gammaPos 1, clip 0.05, eps 1e-8); the paper recommends
 * `gammaPos: 0`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { aslLoss } from 'asymmetric-loss/tfjs';
 * model.compile({ optimizer: 'adam', loss: aslLoss({ gammaNeg: 4, gammaPos: 0, clip: 0.05 }) });
 * await model.fit(xs, ys, { epochs: 5 });
 * ```
 */
export function aslLoss(
  options: AslLossOptions = {},
): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  const fn = 'aslLoss';
  checkOptionNames(fn, options, multiNames);
  const { perSample = 'sum', fromLogits = true, validate, ...hyper } = options;
  checkChoice(fn, 'perSample', perSample, 'sum', ['sum', 'mean']);
  // Validate the hyperparameters now, not at the first batch.
  asymmetricLossMultiLabel(tf.zeros([0, 1]), tf.zeros([0, 1]), { ...hyper, classWeights: null });
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const logits = fromLogits ? yPred : probabilitiesToLogits(yPred);
      const elementwise = asymmetricLossMultiLabel(logits, yTrue, {
        ...hyper,
        reduction: 'none',
        ...(validate === undefined ? {} : { validate }),
      });
      return perSample === 'sum' ? tf.sum(elementwise, -1) : tf.mean(elementwise, -1);
    });
}

/** Options of {@link aslSingleLabelLoss}. */
export interface AslSingleLabelLossOptions extends Omit<SingleLabelLossOptions, 'reduction'> {
  /** `true` (default): `yPred` are logits. `false`: softmax probabilities (their log is used). */
  fromLogits?: boolean;
  validate?: boolean;
}

/**
 * Single-label ASL as a tfjs-layers loss, for one-hot `yTrue` `[n, c]` (as
 * `categoricalCrossentropy`) and logits `yPred`; one loss per sample.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: 'adam', loss: aslSingleLabelLoss({ gammaNeg: 4, gammaPos: 0, eps: 0.1 }) });
 * ```
 */
export function aslSingleLabelLoss(
  options: AslSingleLabelLossOptions = {},
): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  const fn = 'aslSingleLabelLoss';
  checkOptionNames(fn, options, [
    'gammaPos',
    'gammaNeg',
    'eps',
    'focalGrad',
    'fromLogits',
    'validate',
  ]);
  const { fromLogits = true, validate, ...hyper } = options;
  asymmetricLossSingleLabel(tf.zeros([0, 1]), tf.zeros([0], 'int32'), hyper);
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const logits = fromLogits ? yPred : tf.log(tf.clipByValue(yPred, 1e-30, 1));
      return asymmetricLossSingleLabel(logits, tf.argMax(yTrue, -1), {
        ...hyper,
        reduction: 'none',
        ...(validate === undefined ? {} : { validate }),
      });
    });
}
