/**
 * The fused single-label ASL kernel in float64 JavaScript: per row, one log-softmax and one
 * pass that computes the loss and its gradient. Single entry point, swappable like the
 * multi-label kernel.
 *
 * For a row with logits x, target class t, `l_j = log_softmax(x)_j`, `p_j = exp(l_j)`:
 * - focusing weights: `w_t = (1 - p_t)^gammaPos`, `w_j = p_j^gammaNeg` (j != t)
 * - smoothed targets (timm's label smoothing): `s_t = 1 - eps + eps / C`, `s_j = eps / C`
 * - `loss = -sum_j s_j w_j l_j`
 *
 * The gradient, with `S1 = sum_j s_j w_j`, `S2 = sum_{j != t} s_j w_j l_j`,
 * `A = s_t l_t gammaPos w_t p_t` and `r_k = p_k / (1 - p_t)`:
 * - `dL/dx_k = -s_k w_k + p_k S1 - gammaNeg (s_k w_k l_k - p_k S2) - A r_k` (k != t)
 * - `dL/dx_t = -s_t w_t + p_t S1 + gammaNeg p_t S2 + A`
 * (the gammaNeg and A terms are dropped when the focusing weight is detached). No factor is
 * singular: `p_j^(gammaNeg - 1)` and `(1 - p_t)^(gammaPos - 1)` of the naive chain rule never
 * appear, so fractional gammas give finite gradients where PyTorch's autograd gives NaN.
 * `1 - p_t` is computed as the sum of the other probabilities when p_t > 1/2 (no cancellation).
 */
import { powGamma } from './pow.js';

/** Everything the single-label kernel reads and writes. */
export interface SingleLabelKernelArgs {
  /** Row-major `[n, c]` logits. */
  logits: Float32Array;
  /** `n` class indices in `[0, c)`. */
  targets: Int32Array;
  n: number;
  c: number;
  gammaPos: number;
  gammaNeg: number;
  /** Label smoothing. */
  eps: number;
  /** `true`: the focusing weights are differentiated (timm); `false`: detached. */
  focalGrad: boolean;
  /** Per-sample weights (length n) or null. */
  sampleWeights: Float32Array | null;
  /** Receives each sample's weighted loss (length n), or null. */
  lossOut: Float32Array | null;
  /** Receives the `[n, c]` gradient, or null. */
  gradOut: Float32Array | null;
  /** Multiplies every gradient element. */
  gradScale: number;
  /** Upstream gradient per sample (length n), or null. */
  upstream: Float32Array | null;
}

/** A single-label kernel: fills the outputs and returns the weighted sum of the losses (float64). */
export type SingleLabelKernel = (args: SingleLabelKernelArgs) => number;

// Per-row scratch (probabilities and weights), grown when a wider row arrives, never per call.
let scratch = new Float64Array(0);

/** The exact float64 JavaScript kernel. */
export const singleLabelKernelF64: SingleLabelKernel = (args) => {
  const { logits, targets, n, c, gammaPos, gammaNeg, eps, focalGrad } = args;
  const { sampleWeights, lossOut, gradOut, gradScale, upstream } = args;
  if (scratch.length < 2 * c) scratch = new Float64Array(2 * c);
  const prob = scratch;
  const weightOffset = c;
  const focal = focalGrad ? 1 : 0;
  const integerGammaNeg = Number.isInteger(gammaNeg);
  const sOther = eps / c;
  const sTarget = 1 - eps + sOther;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const offset = i * c;
    const t = targets[i];
    let argmax = 0;
    for (let j = 1; j < c; j++) if (logits[offset + j] > logits[offset + argmax]) argmax = j;
    const max = logits[offset + argmax];
    // log-sum-exp as max + log1p(sum of the others): exact for confident rows, where
    // log(1 + tiny) would drop the digits the loss of the target class consists of.
    let rest = 0;
    for (let j = 0; j < c; j++) if (j !== argmax) rest += Math.exp(logits[offset + j] - max);
    const logSum = Math.log1p(rest);
    const sumExp = 1 + rest;

    // Probabilities, negative weights and the sums over the non-target classes.
    let sumOtherP = 0;
    let sumOtherW = 0;
    let sumOtherWL = 0;
    for (let j = 0; j < c; j++) {
      const shifted = logits[offset + j] - max;
      const l = shifted - logSum;
      // exp(x - max) / sum rather than exp(x - lse): no tied maxima of p = 1 at huge logits.
      const p = Math.exp(shifted) / sumExp;
      prob[j] = p;
      if (j === t) continue;
      // p^gammaNeg as exp(gammaNeg * l) for fractional gammas: exact even where p underflows.
      const w = integerGammaNeg ? powGamma(p, gammaNeg) : Math.exp(gammaNeg * l);
      prob[weightOffset + j] = w;
      sumOtherP += p;
      sumOtherW += w;
      sumOtherWL += w * l;
    }
    const lt = logits[offset + t] - max - logSum;
    const pt = prob[t];
    const oneMinusPt = pt > 0.5 ? sumOtherP : 1 - pt;
    const wt = powGamma(oneMinusPt, gammaPos);
    let rowLoss = -(sTarget * wt * lt + sOther * sumOtherWL);
    const rowWeight = sampleWeights === null ? 1 : sampleWeights[i];
    rowLoss *= rowWeight;
    total += rowLoss;
    if (lossOut !== null) lossOut[i] = rowLoss;
    if (gradOut === null) continue;

    const scale = gradScale * rowWeight * (upstream === null ? 1 : upstream[i]);
    const s1 = sTarget * wt + sOther * sumOtherW;
    const s2 = sOther * sumOtherWL;
    const a = focal * sTarget * lt * gammaPos * wt * pt;
    const gn = focal * gammaNeg;
    // a / (1 - p_t) can overflow for denormal 1 - p_t with gammaPos < 1; then divide per element
    // (p_k / (1 - p_t) <= 1 always).
    const aOverOneMinusPt = oneMinusPt > 0 ? a / oneMinusPt : 0;
    const perElementRatio = !Number.isFinite(aOverOneMinusPt);
    for (let j = 0; j < c; j++) {
      const p = prob[j];
      let g: number;
      if (j === t) {
        // -s_t w_t + p_t s1 with s1 = s_t w_t + sOther sum(w), without the cancellation of a
        // confident row: -s_t w_t (1 - p_t) + p_t sOther sum(w).
        g = -sTarget * wt * oneMinusPt + p * sOther * sumOtherW + gn * p * s2 + a;
      } else {
        const w = prob[weightOffset + j];
        const l = logits[offset + j] - max - logSum;
        g =
          -sOther * w +
          p * s1 -
          gn * (sOther * w * l - p * s2) -
          (perElementRatio ? a * (p / oneMinusPt) : aOverOneMinusPt * p);
      }
      gradOut[offset + j] = g * scale;
    }
  }
  return total;
};
