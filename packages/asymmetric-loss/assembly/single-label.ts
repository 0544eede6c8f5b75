// The fused single-label ASL kernel in f32x4 SIMD, row by row, with the formulas of the float64
// JavaScript kernel (src/core/single-label-kernel.ts): four short passes over a row
// (max; exp and its sum; probabilities, focusing weights and their sums; gradient). Sums are
// accumulated in f64, and the target class's terms (one per row) are computed in f64 scalars,
// so that l_t = log p_t and 1 - p_t (the sum of the other probabilities when p_t > 1/2) keep
// their digits for confident rows.

import { ld, vexp, ONE, ZERO, powi, accumulate, sum2 } from './vmath';

const IOTA: usize = memory.data<i32>([0, 1, 2, 3], 16);
const NEG_INF: usize = memory.data<f32>([-Infinity, -Infinity, -Infinity, -Infinity], 16);
const POS_INF: usize = memory.data<f32>([Infinity, Infinity, Infinity, Infinity], 16);

let gammaPos: f64 = 1;
let gammaNeg: f64 = 4;
let smoothing: f64 = 0.1;
let focal: f64 = 1;
let gradScale: f64 = 1;
let kn: i32 = 4;
let phiN: f32 = 0;

/** Sets the parameters of the following slRun calls. */
export function slSetParams(gp: f64, gn: f64, eps: f64, focalGrad: bool, gScale: f64): void {
  gammaPos = gp;
  gammaNeg = gn;
  smoothing = eps;
  focal = focalGrad ? 1 : 0;
  gradScale = gScale;
  const fn = Math.floor(gn);
  kn = <i32>fn;
  phiN = <f32>(gn - fn);
}

/** base^gamma in f64 with small integer exponents multiplied out (as pow.ts). */
function powGamma(base: f64, gamma: f64): f64 {
  if (gamma == 0) return 1;
  if (gamma == 1) return base;
  if (gamma == 2) return base * base;
  if (gamma == 3) return base * base * base;
  if (gamma == 4) {
    const b2 = base * base;
    return b2 * b2;
  }
  return Math.pow(base, gamma);
}

/**
 * Loss and gradient of `n` rows of `c` logits `x` with target classes `t` (i32). Writes the
 * gradient into `g` and the per-row weighted losses into `l` (either 0 for none). `scratch`
 * holds 2 * (c + 4) floats; `x` must be readable 16 bytes past its end. Per-row sample weights
 * `rowW` and upstream gradients `rowUp` may be 0 for none. Returns the sum of the weighted losses,
 * or NaN if a row's logits differ by more than float32 can represent (about 3.4e38).
 */
export function slRun(
  x: usize,
  t: usize,
  g: usize,
  l: usize,
  n: i32,
  c: i32,
  scratch: usize,
  rowW: usize,
  rowUp: usize,
): f64 {
  const probs = scratch;
  const weights = scratch + ((<usize>c + 4) << 2);
  const sOther = smoothing / <f64>c;
  const sTarget = 1 - smoothing + sOther;
  const sOtherV = f32x4.splat(<f32>sOther);
  const full = c & ~3;
  const rem = c - full;
  const fullBytes = <usize>full << 2;
  const tailMask = i32x4.lt_s(ld(IOTA), i32x4.splat(rem));
  const frac = phiN != 0;
  const phiV = f32x4.splat(phiN);
  const k = kn;
  const gnFocal = focal * gammaNeg;
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xr = x + ((<usize>i * <usize>c) << 2);
    const target = load<i32>(t + (<usize>i << 2));

    // Pass 1: the row's maximum (and minimum: x - max must not overflow).
    let mv = ld(NEG_INF);
    let nv = ld(POS_INF);
    for (let o: usize = 0; o < fullBytes; o += 16) {
      const xv = v128.load(xr + o);
      mv = f32x4.pmax(mv, xv);
      nv = f32x4.pmin(nv, xv);
    }
    if (rem > 0) {
      const xv = v128.load(xr + fullBytes);
      mv = f32x4.pmax(mv, v128.bitselect(xv, ld(NEG_INF), tailMask));
      nv = f32x4.pmin(nv, v128.bitselect(xv, ld(POS_INF), tailMask));
    }
    const rowMax = max(
      max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
      max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)),
    );
    const rowMin = min(
      min(f32x4.extract_lane(nv, 0), f32x4.extract_lane(nv, 1)),
      min(f32x4.extract_lane(nv, 2), f32x4.extract_lane(nv, 3)),
    );
    // NaN or infinite logits, or a range beyond float32's: the caller checks its inputs and
    // redoes the batch in float64.
    if (!isFinite<f32>(rowMin - rowMax)) return NaN;
    const maxV = f32x4.splat(rowMax);

    // Pass 2: e_j = exp(x_j - max) and their sum, kept as (number of maxima) + (the others' sum)
    // so that log(sum) = log(count) + log1p(others / count) keeps its digits for a confident row.
    let accE = v128.splat<f64>(0);
    let maxCount = v128.splat<i32>(0);
    for (let o: usize = 0; o < fullBytes; o += 16) {
      const xv = v128.load(xr + o);
      const e = vexp(f32x4.sub(xv, maxV));
      const isMax = f32x4.eq(xv, maxV);
      v128.store(probs + o, e);
      accE = accumulate(accE, v128.andnot(e, isMax));
      maxCount = i32x4.sub(maxCount, isMax);
    }
    if (rem > 0) {
      const xv = v128.load(xr + fullBytes);
      const e = v128.and(vexp(f32x4.sub(xv, maxV)), tailMask);
      const isMax = v128.and(f32x4.eq(xv, maxV), tailMask);
      v128.store(probs + fullBytes, e);
      accE = accumulate(accE, v128.andnot(e, isMax));
      maxCount = i32x4.sub(maxCount, isMax);
    }
    const count = <f64>(
      i32x4.extract_lane(maxCount, 0) +
      i32x4.extract_lane(maxCount, 1) +
      i32x4.extract_lane(maxCount, 2) +
      i32x4.extract_lane(maxCount, 3)
    );
    const others = sum2(accE);
    if (isNaN(others)) return NaN; // a NaN logit (min and max skip NaN)
    const sumExp = count + others;
    const logS = Math.log(count) + Math.log1p(others / count);
    const logSV = f32x4.splat(<f32>logS);
    const invSV = f32x4.splat(<f32>(1 / sumExp));

    // Pass 3: p_j, w_j = p_j^gammaNeg, and the sums over the other classes.
    let accP = v128.splat<f64>(0);
    let accW = v128.splat<f64>(0);
    let accWL = v128.splat<f64>(0);
    const targetV = i32x4.splat(target);
    const limit = (<usize>c + 3) & ~(<usize>3);
    for (let j = 0; <usize>j < limit; j += 4) {
      const o = <usize>j << 2;
      const p = f32x4.mul(v128.load(probs + o), invSV);
      const lj = f32x4.sub(f32x4.sub(v128.load(xr + o), maxV), logSV);
      let w = powi(p, k);
      if (frac) w = f32x4.mul(w, vexp(f32x4.mul(phiV, lj)));
      const idx = i32x4.add(ld(IOTA), i32x4.splat(j));
      const other = v128.and(i32x4.ne(idx, targetV), i32x4.lt_s(idx, i32x4.splat(c)));
      const wm = v128.and(w, other);
      v128.store(probs + o, p);
      v128.store(weights + o, wm);
      accP = accumulate(accP, v128.and(p, other));
      accW = accumulate(accW, wm);
      accWL = accumulate(accWL, f32x4.mul(wm, v128.and(lj, other)));
    }
    const sumOtherP = sum2(accP);
    const sumOtherW = sum2(accW);
    const sumOtherWL = sum2(accWL);

    // The target class, in f64.
    const lt = (<f64>load<f32>(xr + (<usize>target << 2)) - <f64>rowMax) - logS;
    const pt = Math.exp(lt);
    const oneMinusPt = pt > 0.5 ? sumOtherP : 1 - pt;
    const wt = powGamma(oneMinusPt, gammaPos);
    const rowWeight: f64 = rowW == 0 ? 1 : <f64>load<f32>(rowW + (<usize>i << 2));
    const rowLoss = -(sTarget * wt * lt + sOther * sumOtherWL) * rowWeight;
    total += rowLoss;
    if (l != 0) store<f32>(l + (<usize>i << 2), <f32>rowLoss);
    if (g == 0) continue;

    // Pass 4: the gradient.
    const gr = g + ((<usize>i * <usize>c) << 2);
    const scale = gradScale * rowWeight * (rowUp == 0 ? 1 : <f64>load<f32>(rowUp + (<usize>i << 2)));
    const s1 = sTarget * wt + sOther * sumOtherW;
    const s2 = sOther * sumOtherWL;
    const a = focal * sTarget * lt * gammaPos * wt * pt;
    let coefA = oneMinusPt > 0 ? a / oneMinusPt : 0;
    // a / (1 - p_t) may leave the float32 range for denormal 1 - p_t with gammaPos < 1; the
    // products p_k / (1 - p_t) <= 1 are then formed per element.
    const perElement = !(Math.abs(coefA * scale) < 1e30);
    if (perElement) coefA = 0;
    const s1V = f32x4.splat(<f32>(s1 * scale));
    const s2V = f32x4.splat(<f32>(s2 * scale));
    const gnV = f32x4.splat(<f32>gnFocal);
    const sOtherScaleV = f32x4.splat(<f32>(sOther * scale));
    const caV = f32x4.splat(<f32>(coefA * scale));
    for (let o: usize = 0; o < fullBytes; o += 16) {
      const p = v128.load(probs + o);
      const wS = f32x4.mul(v128.load(weights + o), sOtherScaleV);
      const lj = f32x4.sub(f32x4.sub(v128.load(xr + o), maxV), logSV);
      // (-sO w + p S1 - gn (sO w l - p S2) - A' p) * scale
      const gv = f32x4.sub(
        f32x4.sub(f32x4.mul(p, f32x4.sub(s1V, caV)), wS),
        f32x4.mul(gnV, f32x4.sub(f32x4.mul(wS, lj), f32x4.mul(p, s2V))),
      );
      v128.store(gr + o, gv);
    }
    if (rem > 0) {
      const o = fullBytes;
      const p = v128.load(probs + o);
      const wS = f32x4.mul(v128.load(weights + o), sOtherScaleV);
      const lj = f32x4.sub(f32x4.sub(v128.load(xr + o), maxV), logSV);
      const gv = f32x4.sub(
        f32x4.sub(f32x4.mul(p, f32x4.sub(s1V, caV)), wS),
        f32x4.mul(gnV, f32x4.sub(f32x4.mul(wS, lj), f32x4.mul(p, s2V))),
      );
      v128.store_lane<f32>(gr + o, gv, 0);
      if (rem > 1) v128.store_lane<f32>(gr + o, gv, 1, 4);
      if (rem > 2) v128.store_lane<f32>(gr + o, gv, 2, 8);
    }
    if (perElement) {
      for (let j = 0; j < c; j++) {
        const gj = gr + (<usize>j << 2);
        const p = <f64>load<f32>(probs + (<usize>j << 2));
        store<f32>(gj, <f32>(<f64>load<f32>(gj) - a * (p / oneMinusPt) * scale));
      }
    }
    // -s_t w_t + p_t S1 = -s_t w_t (1 - p_t) + p_t sO sum(w): no cancellation when p_t ~ 1.
    const gt = (-sTarget * wt * oneMinusPt + pt * sOther * sumOtherW + gnFocal * pt * s2 + a) * scale;
    store<f32>(gr + (<usize>target << 2), <f32>gt);
  }
  return total;
}
