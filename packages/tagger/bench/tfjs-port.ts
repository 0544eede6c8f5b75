/**
 * timm's losses written with TensorFlow.js ops, as a user would write them today (sigmoid,
 * clipByValue, log, pow, mul, sum; differentiated by tfjs autograd): the baseline of the tfjs
 * benchmarks, in Node (`tfjs.bench.ts`) and in the browser (`browser/page.ts`). Also what a step
 * allocates, from `tf.profile`. Browser-safe.
 */
import * as tf from '@tensorflow/tfjs';

/** timm's AsymmetricLossMultiLabel.forward written with tfjs ops. */
export function timmWithTfOps(
  x: tf.Tensor,
  y: tf.Tensor,
  gammaNeg = 4,
  gammaPos = 1,
  clip = 0.05,
  eps = 1e-8,
): tf.Scalar {
  const xsPos = tf.sigmoid(x);
  const xsNeg = tf.clipByValue(tf.add(tf.sub(1, xsPos), clip), 0, 1);
  const losPos = tf.mul(y, tf.log(tf.clipByValue(xsPos, eps, 1)));
  const antiY = tf.sub(1, y);
  const losNeg = tf.mul(antiY, tf.log(tf.clipByValue(xsNeg, eps, 1)));
  let loss = tf.add(losPos, losNeg);
  const pt = tf.add(tf.mul(xsPos, y), tf.mul(xsNeg, antiY));
  const gamma = tf.add(tf.mul(y, gammaPos), tf.mul(antiY, gammaNeg));
  loss = tf.mul(loss, tf.pow(tf.sub(1, pt), gamma));
  return tf.neg(tf.sum(loss));
}

/** timm's AsymmetricLossSingleLabel.forward (reduction 'mean') written with tfjs ops. */
export function timmSingleWithTfOps(
  x: tf.Tensor,
  target: tf.Tensor,
  gammaNeg = 4,
  gammaPos = 1,
  eps = 0.1,
): tf.Scalar {
  const c = x.shape[1] as number;
  const logPreds = tf.logSoftmax(x);
  const targets = tf.oneHot(tf.cast(target, 'int32'), c).toFloat();
  const antiTargets = tf.sub(1, targets);
  const xsPos = tf.mul(tf.exp(logPreds), targets);
  const xsNeg = tf.mul(tf.sub(1, tf.exp(logPreds)), antiTargets);
  const w = tf.pow(
    tf.sub(tf.sub(1, xsPos), xsNeg),
    tf.add(tf.mul(targets, gammaPos), tf.mul(antiTargets, gammaNeg)),
  );
  const smoothed = tf.add(tf.mul(targets, 1 - eps), eps / c);
  const loss = tf.neg(tf.sum(tf.mul(smoothed, tf.mul(logPreds, w)), -1));
  return tf.mean(loss);
}

/** What one step allocates: tensors, bytes (from `tf.profile`), and the kernels it runs. */
export async function allocated(
  step: () => void,
): Promise<{ tensors: number; bytes: number; kernels: number; peakBytes: number }> {
  const info = await tf.profile(step);
  let bytes = 0;
  let tensors = 0;
  for (const k of info.kernels) {
    if (k.bytesAdded > 0) bytes += k.bytesAdded;
    if (k.tensorsAdded > 0) tensors += k.tensorsAdded;
  }
  return { tensors, bytes, kernels: info.kernels.length, peakBytes: info.peakBytes };
}
