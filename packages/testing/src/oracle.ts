/**
 * An independent float64 oracle for the tests: the reference formulas transcribed directly
 * (element by element, as timm writes them, with logs of sigmoids taken stably), and central
 * finite differences. It shares no code with the kernels it checks.
 */

export interface MultiLabelParams {
  gammaNeg: number;
  gammaPos: number;
  clip: number;
  eps: number;
}

function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

/** timm's multi-label element loss, in float64 with exact logs. */
export function multiLabelElementLoss(x: number, y: number, o: MultiLabelParams): number {
  const p = Math.exp(logSigmoid(x));
  const q = Math.exp(logSigmoid(-x));
  const logPos = p < o.eps ? Math.log(o.eps) : logSigmoid(x);
  let xsNeg: number;
  let logNeg: number;
  if (o.clip > 0) {
    xsNeg = Math.min(q + o.clip, 1);
    logNeg = Math.log(Math.max(xsNeg, o.eps));
  } else {
    xsNeg = q;
    logNeg = q < o.eps ? Math.log(o.eps) : logSigmoid(-x);
  }
  const loss = y * logPos + (1 - y) * logNeg;
  const oneMinusPt = y * q + (1 - y) * (1 - xsNeg);
  const gamma = o.gammaPos * y + o.gammaNeg * (1 - y);
  return -loss * Math.pow(oneMinusPt, gamma);
}

export interface SingleLabelParams {
  gammaNeg: number;
  gammaPos: number;
  eps: number;
}

/** timm's single-label loss of one row, in float64. */
export function singleLabelRowLoss(
  row: ArrayLike<number>,
  target: number,
  o: SingleLabelParams,
): number {
  const c = row.length;
  let max = -Infinity;
  for (let j = 0; j < c; j++) max = Math.max(max, row[j]);
  let sum = 0;
  for (let j = 0; j < c; j++) sum += Math.exp(row[j] - max);
  const lse = max + Math.log(sum);
  let loss = 0;
  let otherP = 0;
  for (let j = 0; j < c; j++) if (j !== target) otherP += Math.exp(row[j] - lse);
  for (let j = 0; j < c; j++) {
    const l = row[j] - lse;
    const s = (j === target ? 1 - o.eps : 0) + o.eps / c;
    const w = j === target ? Math.pow(otherP, o.gammaPos) : Math.pow(Math.exp(l), o.gammaNeg);
    loss -= s * w * l;
  }
  return loss;
}

/** Central finite difference of `f` at `x` with step `h`. */
export function centralDifference(f: (x: number) => number, x: number, h: number): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/** Largest absolute value of an array (ignoring nulls). */
export function maxAbs(values: ArrayLike<number | null>): number {
  let m = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v !== null) m = Math.max(m, Math.abs(v));
  }
  return m;
}
