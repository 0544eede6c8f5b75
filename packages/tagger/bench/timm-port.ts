/**
 * The baseline the core is measured against: timm's `AsymmetricLossMultiLabel` and
 * `AsymmetricLossSingleLabel` ported operation by operation, as PyTorch's eager mode runs them.
 * Every tensor operation is one loop writing a new `Float32Array` (what eager PyTorch allocates),
 * `Math.pow` for the focusing weight, and a backward pass that replays autograd's chain rule
 * through the saved intermediates.
 *
 * It was written to stand in for "timm on PyTorch's CPU with one thread" when PyTorch could not
 * be installed here (no PyPI). PyTorch now comes from Debian (`python3-torch`), and
 * bench/core.bench.ts times the real thing too (bench/pytorch/timm_asl.py) when it is found;
 * this port stays as a baseline that needs no Python. It is about ten times slower than PyTorch
 * (scalar loops and a new array per operation, where PyTorch runs vectorised loops), so quote
 * the speed-ups against PyTorch, not against this port.
 */

function map(a: Float32Array, f: (v: number, k: number) => number): Float32Array {
  const out = new Float32Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = f(a[k], k);
  return out;
}

/** Forward and backward of timm's multi-label loss (reduction sum); returns the loss. */
export function timmMultiLabel(
  x: Float32Array,
  y: Float32Array,
  gammaNeg: number,
  gammaPos: number,
  clip: number,
  eps: number,
  gradOut: Float32Array,
): number {
  // Forward, one tensor per operation.
  const xsPos = map(x, (v) => 1 / (1 + Math.exp(-v)));
  const oneMinus = map(xsPos, (v) => 1 - v);
  const xsNeg = clip > 0 ? map(oneMinus, (v) => Math.min(v + clip, 1)) : oneMinus;
  const clampPos = map(xsPos, (v) => Math.max(v, eps));
  const clampNeg = map(xsNeg, (v) => Math.max(v, eps));
  const logPos = map(clampPos, Math.log);
  const logNeg = map(clampNeg, Math.log);
  const losPos = map(logPos, (v, k) => y[k] * v);
  const antiY = map(y, (v) => 1 - v);
  const losNeg = map(logNeg, (v, k) => antiY[k] * v);
  const los = map(losPos, (v, k) => v + losNeg[k]);
  const pt0 = map(xsPos, (v, k) => v * y[k]);
  const pt1 = map(xsNeg, (v, k) => v * antiY[k]);
  const pt = map(pt0, (v, k) => v + pt1[k]);
  const gamma = map(y, (v, k) => gammaPos * v + gammaNeg * antiY[k]);
  const base = map(pt, (v) => 1 - v);
  const w = map(base, (v, k) => Math.pow(v, gamma[k]));
  const weighted = map(los, (v, k) => v * w[k]);
  let total = 0;
  for (let k = 0; k < weighted.length; k++) total += weighted[k];
  // Backward: d(-sum)/d weighted = -1, then the chain rule through each saved tensor.
  const gW = map(los, (v) => -v);
  const gLos = map(w, (v) => -v);
  // PyTorch's pow backward is 0 where the exponent is 0.
  const gBase = map(gW, (v, k) =>
    gamma[k] === 0 ? 0 : v * gamma[k] * Math.pow(base[k], gamma[k] - 1),
  );
  const gPt = map(gBase, (v) => -v);
  const gXsNegFromPt = map(gPt, (v, k) => v * antiY[k]);
  const gXsPosFromPt = map(gPt, (v, k) => v * y[k]);
  const gLogNeg = map(gLos, (v, k) => v * antiY[k]);
  const gLogPos = map(gLos, (v, k) => v * y[k]);
  const gClampNeg = map(gLogNeg, (v, k) => v / clampNeg[k]);
  const gClampPos = map(gLogPos, (v, k) => v / clampPos[k]);
  const gXsNeg = map(gClampNeg, (v, k) => (xsNeg[k] >= eps ? v : 0) + gXsNegFromPt[k]);
  const gOneMinus = clip > 0 ? map(gXsNeg, (v, k) => (oneMinus[k] + clip <= 1 ? v : 0)) : gXsNeg;
  const gXsPos = map(
    gClampPos,
    (v, k) => (xsPos[k] >= eps ? v : 0) + gXsPosFromPt[k] - gOneMinus[k],
  );
  for (let k = 0; k < x.length; k++) gradOut[k] = gXsPos[k] * xsPos[k] * (1 - xsPos[k]);
  return -total;
}

/** Forward and backward of timm's single-label loss (reduction mean); returns the loss. */
export function timmSingleLabel(
  x: Float32Array,
  target: Int32Array,
  n: number,
  c: number,
  gammaPos: number,
  gammaNeg: number,
  eps: number,
  gradOut: Float32Array,
): number {
  const logPreds = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < c; j++) max = Math.max(max, x[i * c + j]);
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp(x[i * c + j] - max);
    const lse = max + Math.log(sum);
    for (let j = 0; j < c; j++) logPreds[i * c + j] = x[i * c + j] - lse;
  }
  const targets = new Float32Array(n * c);
  for (let i = 0; i < n; i++) targets[i * c + target[i]] = 1;
  const anti = map(targets, (v) => 1 - v);
  const xsPosAll = map(logPreds, Math.exp);
  const xsNegAll = map(xsPosAll, (v) => 1 - v);
  const xsPos = map(xsPosAll, (v, k) => v * targets[k]);
  const xsNeg = map(xsNegAll, (v, k) => v * anti[k]);
  const base = map(xsPos, (v, k) => 1 - v - xsNeg[k]);
  const gamma = map(targets, (v, k) => gammaPos * v + gammaNeg * anti[k]);
  const w = map(base, (v, k) => Math.pow(v, gamma[k]));
  const weighted = map(logPreds, (v, k) => v * w[k]);
  const smooth = map(targets, (v) => v * (1 - eps) + eps / c);
  const loss = map(weighted, (v, k) => -smooth[k] * v);
  let total = 0;
  for (let k = 0; k < loss.length; k++) total += loss[k];
  // Backward of the mean over rows.
  const gWeighted = map(smooth, (v) => -v / n);
  const gW = map(gWeighted, (v, k) => v * logPreds[k]);
  // PyTorch's pow backward is 0 where the exponent is 0.
  const gBase = map(gW, (v, k) =>
    gamma[k] === 0 ? 0 : v * gamma[k] * Math.pow(base[k], gamma[k] - 1),
  );
  const gXsPos = map(gBase, (v, k) => -v * targets[k]);
  const gXsNeg = map(gBase, (v, k) => -v * anti[k]);
  const gXsPosAll = map(gXsPos, (v, k) => v - gXsNeg[k]);
  const gLogPreds = map(gWeighted, (v, k) => v * w[k] + gXsPosAll[k] * xsPosAll[k]);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < c; j++) sum += gLogPreds[i * c + j];
    for (let j = 0; j < c; j++)
      gradOut[i * c + j] = gLogPreds[i * c + j] - xsPosAll[i * c + j] * sum;
  }
  return total / n;
}
