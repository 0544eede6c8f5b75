/**
 * ASL built from TensorFlow.js ops, for backends without the fused kernel (webgl, webgpu, ...).
 * Differentiated by tfjs autograd. Logs are taken stably (softplus, `logSoftmax`, the clamp
 * applied to the log: `log(max(p, eps)) = max(log p, log eps)`, `log p = -softplus(-x)`). The focusing weight uses
 * `tf.pow` as the reference does, so with fractional gammas below 1 its gradient can be NaN
 * where the base is exactly 0, as PyTorch's is; the fused cpu/wasm kernels give the finite limit.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MultiLabelLossOptions } from '../core/multi-label.js';
import type { SingleLabelLossOptions } from '../core/single-label.js';

/** Identity in forward, zero gradient in backward (PyTorch's `detach`). */
const stopGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: (args[0] as tf.Tensor).clone(),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

function reduce(
  perElement: tf.Tensor,
  reduction: string,
  n: number,
  multiLabel: boolean,
): tf.Tensor {
  if (reduction === 'none') return perElement;
  const total = tf.sum(perElement);
  if (reduction === 'sum') return total;
  if (reduction === 'batchmean' || !multiLabel) return tf.div(total, Math.max(n, 1));
  return tf.div(total, Math.max(perElement.size, 1));
}

/** Multi-label ASL from tfjs ops; `options` are already validated. */
export function multiLabelFallback(
  x: tf.Tensor,
  labels: tf.Tensor,
  sampleWeights: tf.Tensor | null,
  options: MultiLabelLossOptions,
): tf.Tensor {
  const { gammaNeg = 4, gammaPos = 1, eps = 1e-8, focalGrad = 'full' } = options;
  const clip = options.clip ?? 0;
  const reduction = options.reduction ?? 'sum';
  return tf.tidy(() => {
    const y = tf.cast(labels, 'float32');
    const antiY = tf.sub(1, y);
    const logEps = eps > 0 ? Math.log(eps) : -Infinity;
    const p = tf.sigmoid(x);
    const q = tf.sigmoid(tf.neg(x));
    // log p = -softplus(-x), log q = -softplus(x). (tf.logSigmoid's gradient closes over its
    // input, which tidy would dispose before backward; softplus saves what it needs.)
    const logA = tf.maximum(tf.neg(tf.softplus(tf.neg(x))), logEps);
    let pm: tf.Tensor;
    let logB: tf.Tensor;
    if (clip > 0) {
      pm = tf.relu(tf.sub(p, clip));
      logB = tf.maximum(tf.log(tf.minimum(tf.add(q, clip), 1)), logEps);
    } else {
      pm = p;
      logB = tf.maximum(tf.neg(tf.softplus(x)), logEps);
    }
    const logTerm = tf.add(tf.mul(y, logA), tf.mul(antiY, logB));
    let loss: tf.Tensor = tf.neg(logTerm);
    if (gammaNeg > 0 || gammaPos > 0) {
      const base = tf.add(tf.mul(y, q), tf.mul(antiY, pm));
      const gamma = tf.add(tf.mul(y, gammaPos), tf.mul(antiY, gammaNeg));
      let w = tf.pow(base, gamma);
      if (focalGrad === 'detached') w = stopGradient(w);
      loss = tf.mul(loss, w);
    }
    if (options.classWeights != null)
      loss = tf.mul(loss, tf.tensor1d(Array.from(options.classWeights), 'float32'));
    if (sampleWeights !== null) loss = tf.mul(loss, tf.reshape(sampleWeights, [-1, 1]));
    return reduce(loss, reduction, x.shape[0], true);
  });
}

/** Single-label ASL from tfjs ops; `options` are already validated. */
export function singleLabelFallback(
  x: tf.Tensor,
  classIndices: tf.Tensor,
  sampleWeights: tf.Tensor | null,
  options: SingleLabelLossOptions,
): tf.Tensor {
  const { gammaNeg = 4, gammaPos = 1, eps = 0.1, focalGrad = 'full' } = options;
  const reduction = options.reduction ?? 'mean';
  const c = x.shape[1] as number;
  return tf.tidy(() => {
    const logp = tf.logSoftmax(x);
    const p = tf.exp(logp);
    const target = tf.cast(tf.oneHot(tf.cast(classIndices, 'int32'), c), 'float32');
    const anti = tf.sub(1, target);
    let weighted = logp;
    if (gammaNeg > 0 || gammaPos > 0) {
      const base = tf.add(tf.mul(target, tf.sub(1, p)), tf.mul(anti, p));
      const gamma = tf.add(tf.mul(target, gammaPos), tf.mul(anti, gammaNeg));
      let w = tf.pow(base, gamma);
      if (focalGrad === 'detached') w = stopGradient(w);
      weighted = tf.mul(logp, w);
    }
    const smooth = eps > 0 ? tf.add(tf.mul(target, 1 - eps), eps / c) : target;
    let perSample = tf.neg(tf.sum(tf.mul(smooth, weighted), 1));
    if (sampleWeights !== null) perSample = tf.mul(perSample, sampleWeights);
    return reduce(perSample, reduction, x.shape[0], false);
  });
}
