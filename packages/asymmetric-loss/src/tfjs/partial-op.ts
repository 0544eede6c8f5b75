/**
 * Partial annotations (unannotated labels, `elementWeights`, `posWeight`) on backends whose
 * tensors the core cannot read in place (webgl, webgpu, and those without the fused kernel).
 *
 * The rule is the core's (`core/partial.ts`), stated in tfjs ops around the element-wise op:
 * each element gets the weight `w_e` = its `elementWeights` entry, times `posWeight` of its
 * class for a positive, 0 for an unannotated label under `'ignore'`; the op's `'none'` losses
 * (fused kernel or composed fallback, with targets -1 replaced by 0) are multiplied by it and
 * reduced, `'mean'` dividing by the elements not ignored. With `'negative'` and a
 * `gammaUnannotated` other than `gammaNeg` the unannotated elements come from a second call
 * with `gammaNeg = gammaUnannotated`. The gradient follows by the chain rule through the
 * element-wise op's own (the weights are constants).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MultiLabelLossOptions } from '../core/multi-label.js';

/**
 * The partial-annotation loss from the element-wise loss `elementLoss(gammaNeg, targets)` (the
 * op with `reduction: 'none'`, given the targets with -1 replaced by 0). `labels` hold -1 for
 * unannotated labels; `options` are validated, `posWeight` already one weight per class.
 */
export function partialComposed(
  labels: tf.Tensor,
  elementWeights: tf.Tensor | null,
  options: MultiLabelLossOptions & { posWeight: number[] | null },
  elementLoss: (gammaNeg: number, targets: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const { unannotated = 'error', posWeight, reduction = 'sum' } = options;
  const gammaNeg = options.gammaNeg as number;
  const gammaUnannotated = options.gammaUnannotated ?? gammaNeg;
  const [n] = labels.shape;
  const y = tf.cast(labels, 'float32');
  const isUnannotated = unannotated === 'error' ? null : tf.equal(y, -1);
  const targets = isUnannotated === null ? y : tf.where(isUnannotated, tf.zerosLike(y), y);
  const given = elementWeights ?? tf.onesLike(y);
  let weights = given;
  if (posWeight !== null) weights = tf.where(tf.equal(y, 1), tf.mul(weights, posWeight), weights);
  if (isUnannotated !== null && unannotated === 'ignore')
    weights = tf.where(isUnannotated, tf.zerosLike(weights), weights);
  let loss: tf.Tensor;
  if (isUnannotated !== null && unannotated === 'negative' && gammaUnannotated !== gammaNeg) {
    const zero = tf.zerosLike(weights);
    loss = tf.add(
      tf.mul(elementLoss(gammaNeg, targets), tf.where(isUnannotated, zero, weights)),
      tf.mul(elementLoss(gammaUnannotated, targets), tf.where(isUnannotated, weights, zero)),
    );
  } else loss = tf.mul(elementLoss(gammaNeg, targets), weights);
  if (reduction === 'none') return loss;
  const total = tf.sum(loss);
  if (reduction === 'sum') return total;
  if (reduction === 'batchmean') return tf.div(total, Math.max(n, 1));
  // 'mean': over the elements not ignored (an ignored unannotated label, or weight 0).
  let counted = tf.notEqual(given, 0);
  if (isUnannotated !== null && unannotated === 'ignore')
    counted = tf.logicalAnd(counted, tf.logicalNot(isUnannotated));
  return tf.div(total, tf.maximum(tf.sum(tf.cast(counted, 'float32')), 1));
}
