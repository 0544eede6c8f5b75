/**
 * ASL built from TensorFlow.js ops, for backends without the fused kernel (webgl, webgpu,
 * tfjs-node's `tensorflow`, custom ones). The loss and its analytic gradient are composed from
 * the same pieces in one forward pass, and `tf.customGrad` hands the gradient to backward:
 * autograd never differentiates `tf.pow` of the focusing base, so fractional gammas give the
 * finite limits of the core's kernels where PyTorch (and autograd through `pow`) give NaN.
 *
 * The formulas are the core's, term for term (see `core/multi-label-kernel.ts` and
 * `core/single-label-kernel.ts`); here in float32 tfjs ops:
 * - multi-label: `loss = -w * L`, `grad = -(dL * w + focal * L * dw)` with `L` the clamped log
 *   term blended by the target, `w = base^gamma`, and `dw = gamma * w * (dBase / base)`: the
 *   ratio is bounded (`-p` for a positive, `q` or `p q / pm` for a negative), so no power of a
 *   vanishing base is ever formed.
 * - single-label: `loss = -(s_t w_t l_t + S2)` and the gradient of the core's kernel, with
 *   `w_j = exp(gammaNeg * l_j)` and `1 - p_t` as the sum of the other probabilities when
 *   `p_t > 1/2`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MultiLabelLossOptions } from '../core/multi-label.js';
import type { SingleLabelLossOptions } from '../core/single-label.js';
import { runFusedLoss } from './gradients.js';
import { gradientRecording } from './inputs.js';

/** The divisor of a reduction: 1 (`'sum'`, `'none'`), n (`'batchmean'`, single-label `'mean'`), n c. */
function reductionDivisor(reduction: string, n: number, size: number, multiLabel: boolean): number {
  if (reduction === 'sum' || reduction === 'none') return 1;
  if (reduction === 'batchmean' || !multiLabel) return Math.max(n, 1);
  return Math.max(size, 1);
}

/**
 * Runs a composed loss: `parts(x)` gives the weighted element-wise (or per-row) losses and their
 * gradients. Returns the reduced loss; while a gradient tape records, differentiable with
 * respect to `x` as the fused kernels are (`runFusedLoss`: the gradient saved, backward scales
 * it by `dy`), and without a tape the gradient is not computed. `rowWise`: one loss per row
 * (single-label), so a `'none'` dy has one value per row.
 */
function composed(
  x: tf.Tensor,
  parts: (x: tf.Tensor) => { loss: tf.Tensor; grad: tf.Tensor },
  reduction: string,
  rowWise: boolean,
): tf.Tensor {
  const divisor = reductionDivisor(reduction, x.shape[0], x.size, !rowWise);
  const reduce = (loss: tf.Tensor) => (reduction === 'none' ? loss : tf.div(tf.sum(loss), divisor));
  if (!gradientRecording()) return tf.tidy(() => reduce(parts(x).loss));
  const run = (z: tf.Tensor) =>
    tf.tidy(() => {
      const { loss, grad } = parts(z);
      return [reduce(loss), divisor === 1 ? grad : tf.div(grad, divisor)];
    });
  return runFusedLoss(x, run, true, rowWise && reduction === 'none');
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
  const focal = focalGrad === 'full' ? 1 : 0;
  const logEps = eps > 0 ? Math.log(eps) : -Infinity;
  const parts = (z: tf.Tensor) => {
    const y = tf.cast(labels, 'float32');
    const p = tf.sigmoid(z);
    const q = tf.sigmoid(tf.neg(z));
    const pq = tf.mul(p, q);
    // The positive term: log max(p, eps), exact (log p = -softplus(-x)) above the clamp, where
    // `step` masks its derivative q.
    const logP = tf.neg(tf.softplus(tf.neg(z)));
    const logA = eps > 0 ? tf.maximum(logP, logEps) : logP;
    const dLogA = eps > 0 ? tf.mul(q, tf.step(tf.sub(logP, logEps))) : q;
    // The negative term: log max(1 - pm, eps), pm = max(p - clip, 0); dpm its derivative.
    let pm: tf.Tensor, logB: tf.Tensor, dLogB: tf.Tensor, dpm: tf.Tensor;
    if (clip > 0) {
      pm = tf.relu(tf.sub(p, clip));
      const active = tf.step(pm); // 1 above the clip, 0 below (where loss and gradient vanish)
      const s = tf.add(q, clip); // 1 - pm above the clip, exactly
      let log = tf.where(tf.less(s, 0.5), tf.log(s), tf.log1p(tf.neg(pm)));
      let dLog = tf.div(tf.neg(pq), s);
      if (clip < eps) {
        // 1 - pm >= clip: the clamp can only act when the clip is below eps.
        dLog = tf.mul(dLog, tf.step(tf.sub(log, logEps)));
        log = tf.maximum(log, logEps);
      }
      logB = tf.mul(log, active);
      dLogB = tf.mul(dLog, active);
      dpm = tf.mul(pq, active);
    } else {
      pm = p;
      const logQ = tf.neg(tf.softplus(z));
      logB = eps > 0 ? tf.maximum(logQ, logEps) : logQ;
      dLogB = tf.neg(eps > 0 ? tf.mul(p, tf.step(tf.sub(logQ, logEps))) : p);
      dpm = pq;
    }
    // Blend by the target: B + y (A - B) is A for y = 1, B for y = 0, timm's mix for soft ones.
    const blend = (a: tf.Tensor, b: tf.Tensor) => tf.add(b, tf.mul(y, tf.sub(a, b)));
    const logTerm = blend(logA, logB);
    const dLog = blend(dLogA, dLogB);
    let loss: tf.Tensor;
    let grad: tf.Tensor;
    if (gammaNeg > 0 || gammaPos > 0) {
      const base = blend(q, pm);
      const gamma = tf.add(tf.mul(y, gammaPos - gammaNeg), gammaNeg);
      const w = tf.pow(base, gamma);
      // dw = gamma w (dBase / base): the ratio is bounded (p for a positive, p q / pm for a
      // negative), so no power of a vanishing base is formed; 0 where the base is 0.
      const dBase = blend(tf.neg(pq), dpm);
      const dw = tf.mul(tf.mul(gamma, w), tf.divNoNan(dBase, base));
      loss = tf.neg(tf.mul(logTerm, w));
      grad = tf.neg(focal === 1 ? tf.add(tf.mul(dLog, w), tf.mul(logTerm, dw)) : tf.mul(dLog, w));
    } else {
      loss = tf.neg(logTerm);
      grad = tf.neg(dLog);
    }
    let weight: tf.Tensor | null = null;
    if (options.classWeights != null)
      weight = tf.tensor1d(Array.from(options.classWeights), 'float32');
    if (sampleWeights !== null) {
      const rows = tf.reshape(sampleWeights, [-1, 1]);
      weight = weight === null ? rows : tf.mul(weight, rows);
    }
    if (weight !== null) {
      loss = tf.mul(loss, weight);
      grad = tf.mul(grad, weight);
    }
    return { loss, grad };
  };
  return composed(x, parts, options.reduction ?? 'sum', false);
}

/** Single-label ASL from tfjs ops; `options` are already validated. */
export function singleLabelFallback(
  x: tf.Tensor,
  classIndices: tf.Tensor,
  sampleWeights: tf.Tensor | null,
  options: SingleLabelLossOptions,
): tf.Tensor {
  const { gammaNeg = 4, gammaPos = 1, eps = 0.1, focalGrad = 'full' } = options;
  const c = x.shape[1] as number;
  const focal = focalGrad === 'full' ? 1 : 0;
  const sOther = eps / c;
  const sTarget = 1 - eps + sOther;
  const parts = (z: tf.Tensor) => {
    const l = tf.logSoftmax(z);
    const p = tf.exp(l);
    // The one-hot mask by comparison (tf.oneHot refuses a depth of 1: one class).
    const columns = tf.reshape(tf.range(0, c, 1, 'int32'), [1, c]);
    const rows = tf.reshape(tf.cast(classIndices, 'int32'), [-1, 1]);
    const target = tf.cast(tf.equal(columns, rows), 'float32');
    const anti = tf.sub(1, target);
    const rowSum = (t: tf.Tensor) => tf.sum(t, 1, true);
    const pt = rowSum(tf.mul(p, target));
    const lt = rowSum(tf.mul(l, target));
    const otherP = rowSum(tf.mul(p, anti));
    const oneMinusPt = tf.where(tf.greater(pt, 0.5), otherP, tf.sub(1, pt));
    const wt = tf.pow(oneMinusPt, gammaPos);
    // p_j^gammaNeg as exp(gammaNeg l_j): exact where p_j underflows.
    const wOther = tf.mul(anti, tf.exp(tf.mul(gammaNeg, l)));
    const sumOtherW = rowSum(wOther);
    const s2 = tf.mul(sOther, rowSum(tf.mul(wOther, l)));
    const s1 = tf.add(tf.mul(sTarget, wt), tf.mul(sOther, sumOtherW));
    let loss = tf.reshape(tf.neg(tf.add(tf.mul(sTarget, tf.mul(wt, lt)), s2)), [-1]);
    const a = tf.mul(focal * sTarget * gammaPos, tf.mul(tf.mul(lt, wt), pt));
    const gn = focal * gammaNeg;
    // p_k / (1 - p_t) <= 1; 0 where 1 - p_t is 0 (then a is 0 too).
    const ratio = tf.where(
      tf.greater(oneMinusPt, 0),
      tf.div(p, tf.maximum(oneMinusPt, 1e-30)),
      tf.zerosLike(p),
    );
    const gOther = tf.sub(
      tf.sub(
        tf.add(tf.mul(-sOther, wOther), tf.mul(p, s1)),
        tf.mul(gn, tf.sub(tf.mul(sOther, tf.mul(wOther, l)), tf.mul(p, s2))),
      ),
      tf.mul(a, ratio),
    );
    const gTarget = tf.add(
      tf.add(tf.mul(-sTarget, tf.mul(wt, oneMinusPt)), tf.mul(pt, tf.mul(sOther, sumOtherW))),
      tf.add(tf.mul(gn, tf.mul(pt, s2)), a),
    );
    let grad = tf.add(tf.mul(target, gTarget), tf.mul(anti, gOther));
    if (sampleWeights !== null) {
      loss = tf.mul(loss, sampleWeights);
      grad = tf.mul(grad, tf.reshape(sampleWeights, [-1, 1]));
    }
    return { loss, grad };
  };
  return composed(x, parts, options.reduction ?? 'mean', true);
}
