/**
 * The fused multi-label ASL kernel in float64 JavaScript: one pass over `[n, c]` logits computes
 * each element's loss and its gradient. It is the single entry point the public function calls,
 * so that another implementation (a WebAssembly SIMD kernel) can take its place.
 *
 * Formulas (p = sigmoid(x), q = 1 - p = sigmoid(-x), both computed without cancellation):
 * - positive (y = 1): `loss = -q^gammaPos * log(max(p, eps))`
 * - negative (y = 0): `loss = -pm^gammaNeg * log(max(1 - pm, eps))`, `pm = max(p - clip, 0)`
 * - soft target y in (0, 1), exactly as timm: `loss = -w * (y log(max(p, eps)) + (1 - y) log(max(1 - pm, eps)))`,
 *   `w = (y q + (1 - y) pm)^(gammaPos y + gammaNeg (1 - y))`
 *
 * Gradients are written in forms without singular factors, so fractional gammas give finite
 * values where PyTorch's autograd yields `0 * Infinity = NaN`:
 * - positive: `dw/dx = -gammaPos * p * w`
 * - negative: `dw/dx = gammaNeg * w * p q / pm`, and the product `log(1 - pm) * dw/dx` is taken as
 *   `gammaNeg * w * p q * (log(1 - pm) / pm)`, whose last factor tends to -1 as pm -> 0.
 * Logs are exact: `log p = -softplus(-x)`, `log q = -softplus(x)`, `log(1 - pm) = log1p(-pm)`.
 */
import { powGamma } from './pow.js';

/** Everything the multi-label kernel reads and writes. All arrays are row-major `[n, c]` unless said. */
export interface MultiLabelKernelArgs {
  logits: Float32Array;
  targets: Float32Array;
  n: number;
  c: number;
  gammaNeg: number;
  gammaPos: number;
  /** Probability shift for negatives; 0 disables it. */
  clip: number;
  /** Lower clamp of the probabilities inside the logs; 0 keeps the logs exact. */
  eps: number;
  /** `true`: the focusing weight is differentiated (timm's default); `false`: detached. */
  focalGrad: boolean;
  /** Per-class weights (length c) or null. */
  classWeights: Float32Array | null;
  /** Per-sample weights (length n) or null. */
  sampleWeights: Float32Array | null;
  /** Per-element weights (length n * c), multiplying each element's loss and gradient, or null. */
  elementWeights: Float32Array | null;
  /** Receives each element's weighted loss, or null. */
  lossOut: Float32Array | null;
  /** Receives the gradient, or null to compute the loss only. */
  gradOut: Float32Array | null;
  /** Multiplies every gradient element (reduction scale times a scalar upstream gradient). */
  gradScale: number;
  /** Upstream gradient per element (length n * c) or per row (length n), or null. */
  upstream: Float32Array | null;
}

/** A multi-label kernel: fills the outputs and returns the weighted sum of the losses (float64). */
export type MultiLabelKernel = (args: MultiLabelKernelArgs) => number;

/** The exact float64 JavaScript kernel. */
export const multiLabelKernelF64: MultiLabelKernel = (args) => {
  const { logits, targets, n, c, gammaNeg, gammaPos, clip, eps, focalGrad } = args;
  const { classWeights, sampleWeights, elementWeights, lossOut, gradOut, gradScale, upstream } =
    args;
  const logEps = eps > 0 ? Math.log(eps) : -Infinity;
  const upstreamPerRow = upstream !== null && upstream.length === n && n * c !== n;
  const focal = focalGrad ? 1 : 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const rowWeight = sampleWeights === null ? 1 : sampleWeights[i];
    const rowOffset = i * c;
    for (let j = 0; j < c; j++) {
      const k = rowOffset + j;
      const x = logits[k];
      const y = targets[k];
      // Stable sigmoid: e = exp(-|x|) never overflows; p and q are both accurate.
      // log p = -softplus(-x) and log q = -softplus(x) are computed only where they are used
      // (a negative with a clip needs neither), saving a transcendental per element.
      const e = Math.exp(-Math.abs(x));
      const r = 1 / (1 + e);
      const p = x >= 0 ? r : e * r;
      const q = x >= 0 ? e * r : r;
      let loss: number, grad: number;
      if (y === 1) {
        // Positive: w = q^gammaPos, dw/dx = -gammaPos p w.
        const w = powGamma(q, gammaPos);
        let logTerm = (x >= 0 ? 0 : x) - Math.log1p(e);
        let dLog = q;
        if (p < eps) {
          logTerm = logEps;
          dLog = 0;
        }
        loss = -logTerm * w;
        grad = -(dLog * w - focal * logTerm * gammaPos * p * w);
      } else if (y === 0) {
        if (clip > 0) {
          const pm = p - clip;
          if (pm <= 0) {
            // Easy negative below the clip: zero loss and zero gradient (the clamp cuts it).
            loss = 0;
            grad = 0;
          } else {
            const w = powGamma(pm, gammaNeg);
            let logTerm: number, dLog: number;
            if (q + clip < eps) {
              logTerm = logEps;
              dLog = 0;
            } else {
              // 1 - pm = q + clip exactly: log of the sum where it is small, log1p near 1.
              const s = q + clip;
              logTerm = s < 0.5 ? Math.log(s) : Math.log1p(-pm);
              dLog = (-p * q) / s;
            }
            loss = -logTerm * w;
            grad = -(dLog * w + focal * gammaNeg * w * p * q * (logTerm / pm));
          }
        } else {
          const w = powGamma(p, gammaNeg);
          let logTerm = (x >= 0 ? -x : 0) - Math.log1p(e);
          let dLog = -p;
          if (q < eps) {
            logTerm = logEps;
            dLog = 0;
          }
          loss = -logTerm * w;
          grad = -(dLog * w + focal * logTerm * gammaNeg * w * q);
        }
      } else {
        // Soft target: timm's formula for any y in (0, 1).
        const l1pe = Math.log1p(e);
        const logP = (x >= 0 ? 0 : x) - l1pe;
        const logQ = (x >= 0 ? -x : 0) - l1pe;
        let logA = logP;
        let dLogA = q;
        if (p < eps) {
          logA = logEps;
          dLogA = 0;
        }
        let pm: number, dpm: number, logB: number, dLogB: number;
        if (clip > 0) {
          pm = p > clip ? p - clip : 0;
          dpm = pm > 0 ? p * q : 0;
          if (pm === 0) {
            logB = 0;
            dLogB = 0;
          } else if (q + clip < eps) {
            logB = logEps;
            dLogB = 0;
          } else {
            const s = q + clip;
            logB = s < 0.5 ? Math.log(s) : Math.log1p(-pm);
            dLogB = (-p * q) / s;
          }
        } else {
          pm = p;
          dpm = p * q;
          logB = logQ;
          dLogB = -p;
          if (q < eps) {
            logB = logEps;
            dLogB = 0;
          }
        }
        const logTerm = y * logA + (1 - y) * logB;
        const dLog = y * dLogA + (1 - y) * dLogB;
        const base = y * q + (1 - y) * pm;
        const gamma = gammaPos * y + gammaNeg * (1 - y);
        const w = Math.pow(base, gamma);
        const dBase = -y * p * q + (1 - y) * dpm;
        const dw = gamma === 0 || base === 0 ? 0 : ((gamma * w) / base) * dBase;
        loss = -logTerm * w;
        grad = -(dLog * w + focal * logTerm * dw);
      }
      const weight =
        (classWeights === null ? rowWeight : rowWeight * classWeights[j]) *
        (elementWeights === null ? 1 : elementWeights[k]);
      loss *= weight;
      total += loss;
      if (lossOut !== null) lossOut[k] = loss;
      if (gradOut !== null) {
        const up = upstream === null ? 1 : upstream[upstreamPerRow ? i : k];
        gradOut[k] = grad * weight * gradScale * up;
      }
    }
  }
  return total;
};
