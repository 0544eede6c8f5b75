/**
 * ASL as TensorFlow.js layers losses: functions `(yTrue, yPred) => perSampleLoss` for
 * `model.compile({ loss })`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentErrorAt, formatNumber } from '../core/errors.js';
import { checkUnitInterval } from '../core/input.js';
import { checkBoolean, checkChoice, checkOptionNames } from '../core/options.js';
import {
  multiLabelLossOptionNames,
  resolveMultiLabelOptions,
  type MultiLabelLossOptions,
} from '../core/multi-label.js';
import { resolveSingleLabelOptions, type SingleLabelLossOptions } from '../core/single-label.js';
import { hostValidation, renameArgument } from './inputs.js';
import { multiLabelOp } from './multi-label-op.js';
import { singleLabelOp } from './single-label-op.js';

/** Options of {@link aslLoss}. */
export interface AslLossOptions extends Omit<MultiLabelLossOptions, 'reduction'> {
  /**
   * What each sample's loss is, before layers averages over the batch:
   * `'sum'` over its classes (default: the model then minimises the batch mean of per-sample
   * sums, the core's `'batchmean'`; the gradient is the core's `'sum'` gradient divided by n), or
   * `'mean'` over its classes (Keras' binary cross-entropy convention, the core's `'mean'`;
   * with `unannotated: 'ignore'`, over the row's annotated labels).
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
  ...multiLabelLossOptionNames.filter((name) => name !== 'reduction' && name !== 'precision'),
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
 * `gammaPos: 0`. With `unannotated: 'negative'` or `'ignore'`, `yTrue` may hold -1 for
 * unannotated labels; `posWeight` weights the positive term per class.
 *
 * Saving and loading: tfjs stores a function loss as `{}` in `model.json` (a list or map of
 * function losses makes `model.save()` throw "Serialization of non-string loss is not
 * supported"), so a model loaded with `tf.loadLayersModel` has no loss: its `fit` fails with
 * "lossFunction is not a function" (after `includeOptimizer: true`) or "You must compile a model
 * before training" (without). Compile it again with the same options; with
 * `includeOptimizer: true` pass the loaded optimizer, and training continues where it stopped
 * (Adam's moments and step count included):
 *
 * ```ts
 * await model.save('indexeddb://tagger', { includeOptimizer: true });
 * const loaded = await tf.loadLayersModel('indexeddb://tagger');
 * loaded.compile({ optimizer: loaded.optimizer, loss: aslLoss(options) });
 * ```
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
  const { perSample = 'sum', fromLogits, validate, ...hyper } = options;
  checkChoice(fn, 'perSample', perSample, 'sum', ['sum', 'mean']);
  const logitsIn = checkBoolean(fn, 'fromLogits', fromLogits, true);
  checkBoolean(fn, 'validate', validate, true);
  // The hyperparameters are checked now, not at the first batch (and no tensor is made).
  resolveMultiLabelOptions(fn, { ...hyper, classWeights: null }, false);
  return (yTrue, yPred) =>
    layersLoss(() => {
      if (!logitsIn) checkProbabilities(fn, yPred, validate);
      const logits = logitsIn ? yPred : probabilitiesToLogits(yPred);
      const elementwise = multiLabelOp(
        logits,
        yTrue,
        { ...hyper, reduction: 'none', ...(validate === undefined ? {} : { validate }) },
        fn,
      );
      if (perSample === 'sum') return tf.sum(elementwise, -1);
      if (hyper.unannotated !== 'ignore') return tf.mean(elementwise, -1);
      // The mean over what is not ignored: the row's annotated labels.
      const annotated = tf.sum(tf.cast(tf.notEqual(tf.cast(yTrue, 'float32'), -1), 'float32'), -1);
      return tf.div(tf.sum(elementwise, -1), tf.maximum(annotated, 1));
    });
}

/**
 * Runs a layers loss in a tidy scope, with the op's argument names replaced by the loss's
 * (`yTrue`, `yPred`) in its errors.
 */
function layersLoss(f: () => tf.Tensor): tf.Tensor {
  try {
    return tf.tidy(f);
  } catch (error) {
    throw renameArgument(renameArgument(error, 'logits', 'yPred'), 'labels', 'yTrue');
  }
}

/**
 * With `fromLogits: false`, `yPred` must hold probabilities: checked where the data is in memory
 * (`cpu`, `wasm`) unless `validate` is false, and on other backends only when it is true.
 */
function checkProbabilities(fn: string, yPred: tf.Tensor, validate: boolean | undefined): void {
  if (hostValidation(fn, validate))
    checkUnitInterval(fn, 'yPred', Float32Array.from(yPred.dataSync()), yPred.shape.at(-1) ?? 1);
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
  const { fromLogits, validate, ...hyper } = options;
  const logitsIn = checkBoolean(fn, 'fromLogits', fromLogits, true);
  checkBoolean(fn, 'validate', validate, true);
  resolveSingleLabelOptions(fn, hyper, false);
  return (yTrue, yPred) =>
    layersLoss(() => {
      if (hostValidation(fn, validate)) checkOneHot(fn, yTrue);
      const logits = logitsIn ? yPred : tf.log(tf.clipByValue(yPred, 1e-30, 1));
      return singleLabelOp(
        logits,
        tf.argMax(yTrue, -1),
        { ...hyper, reduction: 'none', ...(validate === undefined ? {} : { validate }) },
        fn,
      );
    });
}

/**
 * Each row of `yTrue` is one-hot: a single 1 and zeros (the class index is its position). Soft
 * or multi-hot rows would be silently read as their largest entry; label smoothing is `eps`.
 */
function checkOneHot(fn: string, yTrue: tf.Tensor): void {
  const data = yTrue.dataSync();
  const c = yTrue.shape.at(-1) ?? 1;
  for (let row = 0; row * c < data.length; row++) {
    let ones = 0;
    for (let j = 0; j < c; j++) {
      const v = data[row * c + j];
      if (v === 1) ones++;
      else if (v !== 0)
        throw argumentErrorAt(
          RangeError,
          fn,
          'yTrue',
          'one-hot rows (for label smoothing use eps)',
          `yTrue[${row}][${j}] is ${formatNumber(v)}`,
        );
    }
    if (ones !== 1)
      throw argumentErrorAt(
        RangeError,
        fn,
        'yTrue',
        'one-hot rows (for label smoothing use eps)',
        `row ${row} has ${ones} ones`,
      );
  }
}
