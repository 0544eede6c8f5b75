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
 *   term, `w = base^gamma`, and `dw = gamma * w * (dBase / base)`, where `dBase / base` is taken
 *   as `-p` for positives and `q` for negatives without a clip (exact simplifications: no
 *   division by a base that underflows), `p q / pm` with a clip.
 * - single-label: `loss = -(s_t w_t l_t + S2)` and the gradient of the core's kernel, with
 *   `w_j = exp(gammaNeg * l_j)` and `1 - p_t` as the sum of the other probabilities when
 *   `p_t > 1/2`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MultiLabelLossOptions } from '../core/multi-label.js';
import type { SingleLabelLossOptions } from '../core/single-label.js';

/** The divisor of a reduction: 1 (`'sum'`, `'none'`), n (`'batchmean'`, single-label `'mean'`), n c. */
function reductionDivisor(reduction: string, n: number, size: number, multiLabel: boolean): number {
  if (reduction === 'sum' || reduction === 'none') return 1;
  if (reduction === 'batchmean' || !multiLabel) return Math.max(n, 1);
  return Math.max(size, 1);
}

/**
 * Runs a composed loss: `parts(x)` gives the weighted element-wise (or per-row) losses and their
 * gradients. Returns the reduced loss; while a gradient tape records, differentiable with
 * respect to `x` through `tf.customGrad` (backward multiplies the saved gradient by `dy`).
 * `rowWise`: one loss per row (single-label), so a `'none'` dy has one value per row.
 */
function composed(
  x: tf.Tensor,
  parts: (x: tf.Tensor) => { loss: tf.Tensor; grad: tf.Tensor },
  reduction: string,
  rowWise: boolean,
): tf.Tensor {
  const divisor = reductionDivisor(reduction, x.shape[0], x.size, !rowWise);
  const reduce = (loss: tf.Tensor) => (reduction === 'none' ? loss : tf.div(tf.sum(loss), divisor));
  if (tf.engine().state.gradientDepth === 0) return tf.tidy(() => reduce(parts(x).loss));
  const op = tf.customGrad(
    (input: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
      const { loss, grad } = parts(input as tf.Tensor);
      const scaled = divisor === 1 ? grad : tf.div(grad, divisor);
      (save as tf.GradSaveFunc)([scaled]);
      return {
        value: reduce(loss),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
          tf.mul(saved[0], rowWise && reduction === 'none' ? tf.reshape(dy, [-1, 1]) : dy),
      };
    },
  );
  return op(x);
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
    const antiY = tf.sub(1, y);
    const p = tf.sigmoid(z);
    const q = tf.sigmoid(tf.neg(z));
    const pq = tf.mul(p, q);
    // The positive term: log max(p, eps), exact (log p = -softplus(-x)) above the clamp.
    const clampedA = tf.less(p, eps);
    const logA = tf.where(clampedA, tf.fill(z.shape, logEps), tf.neg(tf.softplus(tf.neg(z))));
    const dLogA = tf.where(clampedA, tf.zerosLike(z), q);
    // The negative term: log max(1 - pm, eps), pm = max(p - clip, 0).
    let pm: tf.Tensor, logB: tf.Tensor, dLogB: tf.Tensor, ratioB: tf.Tensor;
    if (clip > 0) {
      pm = tf.relu(tf.sub(p, clip));
      const active = tf.greater(pm, 0);
      const s = tf.add(q, clip); // 1 - pm, exactly
      const clampedB = tf.less(s, eps);
      const log = tf.where(tf.less(s, 0.5), tf.log(s), tf.log1p(tf.neg(pm)));
      logB = tf.where(active, tf.where(clampedB, tf.fill(z.shape, logEps), log), tf.zerosLike(z));
      dLogB = tf.where(
        tf.logicalAnd(active, tf.logicalNot(clampedB)),
        tf.div(tf.neg(pq), s),
        tf.zerosLike(z),
      );
      ratioB = tf.where(active, tf.div(pq, tf.maximum(pm, 1e-30)), tf.zerosLike(z)); // dpm / pm
    } else {
      pm = p;
      const clampedB = tf.less(q, eps);
      logB = tf.where(clampedB, tf.fill(z.shape, logEps), tf.neg(tf.softplus(z)));
      dLogB = tf.where(clampedB, tf.zerosLike(z), tf.neg(p));
      ratioB = q; // dp / p
    }
    const logTerm = tf.add(tf.mul(y, logA), tf.mul(antiY, logB));
    const dLog = tf.add(tf.mul(y, dLogA), tf.mul(antiY, dLogB));
    let loss = tf.neg(logTerm);
    let grad = tf.neg(dLog);
    if (gammaNeg > 0 || gammaPos > 0) {
      const base = tf.add(tf.mul(y, q), tf.mul(antiY, pm));
      const gamma = tf.add(tf.mul(y, gammaPos), tf.mul(antiY, gammaNeg));
      const w = tf.pow(base, gamma);
      // dBase / base: -p for a positive, ratioB for a negative; a soft target divides.
      const dBase = tf.add(tf.mul(tf.neg(y), pq), tf.mul(antiY, tf.mul(ratioB, pm)));
      const soft = tf.div(dBase, tf.maximum(base, 1e-30));
      const ratio = tf.where(tf.equal(y, 1), tf.neg(p), tf.where(tf.equal(y, 0), ratioB, soft));
      const dw = tf.where(tf.equal(base, 0), tf.zerosLike(z), tf.mul(tf.mul(gamma, w), ratio));
      loss = tf.mul(loss, w);
      grad = tf.neg(tf.add(tf.mul(dLog, w), tf.mul(focal, tf.mul(logTerm, dw))));
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
  return composed(x, (z) => tf.tidy(() => parts(z)), options.reduction ?? 'sum', false);
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
    const target = tf.cast(tf.oneHot(tf.cast(classIndices, 'int32'), c), 'float32');
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
  return composed(x, (z) => tf.tidy(() => parts(z)), options.reduction ?? 'mean', true);
}
