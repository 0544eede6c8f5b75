// The fused multi-label ASL kernel in f32x4 SIMD: loss and gradient per element, the sum of the
// losses in f64. Same formulas as the float64 JavaScript kernel (src/core/multi-label-kernel.ts),
// in float32, with these changes for accuracy and speed:
//
// - The eps clamps compare the logit with float32 thresholds that the JavaScript side computes
//   once per (clip, eps) so that they agree exactly with the float64 kernel's decisions
//   (src/core/wasm/thresholds.ts): a clamp is a jump of the gradient.
// - The clip cut is d = x - logit(clip) <= 0, with logit(clip) in two float32 parts (x - XC_HI is
//   exact near the cut, so the sign of d is exact). pm = p - clip loses its digits near the cut;
//   for 0 < d < 1/4, pm = clip * q * expm1(d) instead, exact to a few ulps, and pm = 0 when cut.
// - log(1 - pm) is log(q + clip) when q + clip < sqrt(1/2), else log1p(-pm); log p and log q
//   are -softplus through log1p(e), e = exp(-|x|). log1p(u) is the log of v = 1 + u rounded,
//   with u itself as the reduced argument v - 1 where v is in [sqrt(1/2), sqrt(2)) (vlogExactK):
//   small arguments keep their digits without a correction term.
// - Integer gammas are powers by multiplication; fractional ones b^g = b^floor(g) exp(frac(g) log b),
//   with log b exact (log q and log p from softplus, log pm from the accurate pm).
// - The negatives' gradient with a clip, -(dlog w + gamma w p q log(1 - pm) / pm), takes one
//   division: (w / pm) p q (pm - gamma s log(1 - pm)) / s, s = q + clip, w / pm = pm^(gamma - 1)
//   for gamma >= 1 (0 at the cut, no mask needed).
// - NaN and infinite logits and targets outside [0, 1] are flagged (mlRun returns NaN), so that the
//   caller's exact checks run only then: its JavaScript scans cost as much as this kernel.
//
// Speed (V8's code generation shapes it): hard targets (all 0 or 1 in a block) go through short
// passes over a block of 512 elements that stays in L1 (exp; sigmoid; pm and the log arguments;
// log; [fractional powers]; combination), several vectors per iteration; one fused loop per
// vector ran 2x slower (V8 does not reorder long dependency chains, and spills). Constants are
// hoisted into locals or loaded from static memory (V8 rebuilds a v128.const at every use);
// pmin/pmax instead of min/max (one instruction instead of eight: no NaN/-0 semantics needed);
// no branch in the loops (the common gammas and the no-clamp case are specialised loops).
// A block with soft targets is redone by the general formula, one fused pass (about 3x slower).

import { ld, vexp, vexpm1Small, vlog, vlogNormal, ONE, HALF, ZERO, MIN_NORMAL } from './vmath';
import { vexpK, vlogK, vlogExactK, K_EXP_MIN, K_LOG2E, K_ROUNDER, K_LN2_HI, K_LN2_LO } from './vmath';
import { K_E2, K_E3, K_E4, K_E5, K_E6, K_EXP_BIAS, K_TWO_M24 } from './vmath';
import { K_SQRTHALF_BITS, K_L0, K_L1, K_L2, K_L3, K_L4, K_L5, K_L6 } from './vmath';
import { powi, accumulate, sum2 } from './vmath';

/** Elements per block of the pass structure (a multiple of 4). */
const BLOCK: i32 = 512;
const SE: usize = memory.data(BLOCK * 4, 16); // e = exp(-|x|)
const SP: usize = memory.data(BLOCK * 4, 16); // p
const SQ: usize = memory.data(BLOCK * 4, 16); // q = 1 - p
const SPM: usize = memory.data(BLOCK * 4, 16); // pm = p - clip (clip variant)
const SV: usize = memory.data(BLOCK * 4, 16); // argument of the log
const SC: usize = memory.data(BLOCK * 4, 16); // exact V - 1 where V is near 1 (e, or -pm)
const SF: usize = memory.data(BLOCK * 4, 16); // exp(frac(gamma) log b), fractional gammas
const SG: usize = memory.data(BLOCK * 4, 16); // gradient when none is wanted
const SL: usize = memory.data(BLOCK * 4, 16); // losses when none are wanted

// Parameters, splatted once per call by mlSetParams.
const P_CLIP: usize = memory.data(16, 16);
const P_XC_HI: usize = memory.data(16, 16); // logit(clip) = XC_HI + XC_LO
const P_XC_LO: usize = memory.data(16, 16);
const P_T_POS: usize = memory.data(16, 16); // x < T_POS: a positive's p < eps (clamped log)
const P_T_NEG: usize = memory.data(16, 16); // x >= T_NEG: a negative's 1 - pm < eps (clamped log)
const P_LOG_EPS: usize = memory.data(16, 16);
const P_GP: usize = memory.data(16, 16);
const P_GN: usize = memory.data(16, 16);
const P_FGP: usize = memory.data(16, 16); // focal * gammaPos
const P_FGN: usize = memory.data(16, 16); // focal * gammaNeg
const P_FOCAL: usize = memory.data(16, 16);
const P_PHI_P: usize = memory.data(16, 16); // fractional parts of the gammas
const P_PHI_N: usize = memory.data(16, 16);
const P_GSCALE: usize = memory.data(16, 16);

// pm is computed through expm1 where the logit is within 1/4 above logit(clip).
const NEAR: usize = memory.data<f32>([0.25, 0.25, 0.25, 0.25], 16);
const NEG_NEAR: usize = memory.data<f32>([-0.25, -0.25, -0.25, -0.25], 16);
const SQRT_HALF: usize = memory.data<f32>([0.70710677, 0.70710677, 0.70710677, 0.70710677], 16);
const TWO: usize = memory.data<f32>([2.0, 2.0, 2.0, 2.0], 16);
const ALL_ONES: usize = memory.data<i32>([-1, -1, -1, -1], 16);
const MINUS_ZERO: usize = memory.data<i32>([0x80000000, 0x80000000, 0x80000000, 0x80000000], 16);
const POS_INF: usize = memory.data<f32>([Infinity, Infinity, Infinity, Infinity], 16);

let clipOn: bool = false;
let kp: i32 = 0;
let kn: i32 = 0;
let fracP: bool = false;
let fracN: bool = false;
let fracAny: bool = false;

// @ts-ignore: decorator
@inline function setv(p: usize, v: f64): void {
  v128.store(p, f32x4.splat(<f32>v));
}

/** Sets the parameters of the following mlRun calls (thresholds from the JavaScript side). */
export function mlSetParams(
  gammaNeg: f64,
  gammaPos: f64,
  clip: f64,
  xcHi: f32,
  xcLo: f32,
  tPos: f32,
  tNeg: f32,
  logEps: f64,
  focal: bool,
  gScale: f64,
): void {
  clipOn = clip > 0;
  const fp = Math.floor(gammaPos);
  const fn = Math.floor(gammaNeg);
  kp = <i32>fp;
  kn = <i32>fn;
  fracP = gammaPos != fp;
  fracN = gammaNeg != fn;
  fracAny = fracP || fracN;
  setv(P_CLIP, clip);
  v128.store(P_XC_HI, f32x4.splat(xcHi));
  v128.store(P_XC_LO, f32x4.splat(xcLo));
  v128.store(P_T_POS, f32x4.splat(tPos));
  v128.store(P_T_NEG, f32x4.splat(tNeg));
  setv(P_LOG_EPS, logEps);
  setv(P_GP, gammaPos);
  setv(P_GN, gammaNeg);
  setv(P_FGP, focal ? gammaPos : 0);
  setv(P_FGN, focal ? gammaNeg : 0);
  setv(P_FOCAL, focal ? 1 : 0);
  setv(P_PHI_P, gammaPos - fp);
  setv(P_PHI_N, gammaNeg - fn);
  setv(P_GSCALE, gScale);
}

/**
 * Loss and gradient for `len` elements (a multiple of 8) of logits `x` and targets `y`. Writes
 * the gradient times the gradient scale into `g` and the losses into `l` (either may be 0 for
 * none) and returns the sum of the losses.
 */
export function mlRun(x: usize, y: usize, g: usize, l: usize, len: i32): f64 {
  let total: f64 = 0;
  badInput = false;
  for (let start = 0; start < len; start += BLOCK) {
    const count = min(BLOCK, len - start);
    const off = <usize>start << 2;
    const xb = x + off;
    const yb = y + off;
    // Without outputs the passes write into scratch, which keeps their loops free of branches.
    const gb: usize = g == 0 ? SG : g + off;
    const lb: usize = l == 0 ? SL : l + off;
    passExp(xb, count);
    const clamps = clipOn ? passClipSigmoid(xb, yb, count) : passSigmoid(xb, yb, count);
    passLog(count);
    if (fracAny) passFrac(xb, yb, count);
    let sum = clipOn ? combineClip(xb, yb, gb, lb, count, clamps) : combine(xb, yb, gb, lb, count, clamps);
    // The combination leaves in `allHard` whether every target was 0 or 1; otherwise the block
    // is redone with the general formula (overwriting the outputs).
    if (!allHard) sum = generalBlock(xb, yb, gb, lb, count);
    total += sum;
  }
  // NaN flags invalid inputs (NaN or infinite logits, targets outside [0, 1]) to the caller,
  // which then runs its exact checks (and their error messages). The outputs are complete.
  return badInput ? NaN : total;
}

let allHard: bool = true;
let badInput: bool = false;

/** Pass 1: e = exp(-|x|). */
function passExp(x: usize, count: i32): void {
  const bytes = <usize>count << 2;
  const mz = ld(MINUS_ZERO);
  const c0 = ld(K_EXP_MIN);
  const c1 = ld(K_LOG2E);
  const c2 = ld(K_ROUNDER);
  const c3 = ld(K_LN2_HI);
  const c4 = ld(K_LN2_LO);
  const c5 = ld(K_E2);
  const c6 = ld(K_E3);
  const c7 = ld(K_E4);
  const c8 = ld(K_E5);
  const c9 = ld(K_E6);
  const c10 = ld(ONE);
  const c11 = ld(K_EXP_BIAS);
  const c12 = ld(K_TWO_M24);
  for (let o: usize = 0; o < bytes; o += 32) {
    const x0 = v128.or(v128.load(x + o), mz);
    const x1 = v128.or(v128.load(x + o, 16), mz);
    v128.store(SE + o, vexpK(x0, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12));
    v128.store(SE + o, vexpK(x1, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12), 16);
  }
}

/**
 * Pass 2 without a clip: p, q, 1 + e and e, for log1p(e) = log(1 + e). Returns whether
 * some logit is beyond an eps clamp threshold.
 */
function passSigmoid(x: usize, y: usize, count: i32): bool {
  const bytes = <usize>count << 2;
  const one = ld(ONE);
  const zero = ld(ZERO);
  let lo = ld(P_T_NEG);
  let hi = ld(P_T_POS);
  let nan = v128.splat<i32>(0);
  for (let o: usize = 0; o < bytes; o += 16) {
    const xv = v128.load(x + o);
    const e = v128.load(SE + o);
    const v1 = f32x4.add(one, e);
    const r = f32x4.div(one, v1);
    const er = f32x4.mul(e, r);
    const p = v128.bitselect(r, er, f32x4.ge(xv, zero));
    lo = f32x4.pmin(lo, xv);
    hi = f32x4.pmax(hi, xv);
    nan = v128.or(nan, f32x4.ne(xv, xv));
    v128.store(SP + o, p);
    v128.store(SQ + o, v128.xor(v128.xor(p, r), er));
    v128.store(SV + o, v1);
    v128.store(SC + o, e);
  }
  return clampsBeyond(lo, hi, nan);
}

/**
 * Pass 2 with a clip: p, q, pm, and the argument of the one log per element with its exact
 * reduced argument (log1p(e) for positives, log(1 - pm) for negatives). Returns whether some
 * logit is beyond an eps clamp threshold.
 */
function passClipSigmoid(x: usize, y: usize, count: i32): bool {
  const bytes = <usize>count << 2;
  const clip = ld(P_CLIP);
  const one = ld(ONE);
  const zero = ld(ZERO);
  let lo = ld(P_T_NEG);
  let hi = ld(P_T_POS);
  let nan = v128.splat<i32>(0);
  for (let o: usize = 0; o < bytes; o += 16) {
    const xv = v128.load(x + o);
    const e = v128.load(SE + o);
    const v1 = f32x4.add(one, e);
    const r = f32x4.div(one, v1);
    const er = f32x4.mul(e, r);
    const p = v128.bitselect(r, er, f32x4.ge(xv, zero));
    const q = v128.xor(v128.xor(p, r), er); // the other one of r and er
    lo = f32x4.pmin(lo, xv);
    hi = f32x4.pmax(hi, xv);
    nan = v128.or(nan, f32x4.ne(xv, xv));
    v128.store(SP + o, p);
    v128.store(SQ + o, q);
    // positives: log1p(e), the log of 1 + e with e as its exact reduced argument
    v128.store(SV + o, v1);
    v128.store(SC + o, e);
  }
  // Second loop (shorter loops schedule better in V8): pm and the negatives' log argument.
  const nearLimit = ld(NEAR);
  const xcHi = ld(P_XC_HI);
  const xcLo = ld(P_XC_LO);
  const sqrtHalf = ld(SQRT_HALF);
  const minusZero = ld(MINUS_ZERO);
  for (let o: usize = 0; o < bytes; o += 16) {
    const xv = v128.load(x + o);
    const pos = f32x4.eq(v128.load(y + o), one);
    const p = v128.load(SP + o);
    const q = v128.load(SQ + o);
    const s = f32x4.add(q, clip);
    // d = x - logit(clip): the cut is d <= 0 (x - XC_HI is exact there, so the sign is right),
    // where pm is set to 0; within 1/4 above it pm = clip q expm1(d), where p - clip would cancel.
    const d = f32x4.sub(f32x4.sub(xv, xcHi), xcLo);
    let pm = f32x4.sub(p, clip);
    const near = v128.and(f32x4.lt(d, nearLimit), f32x4.gt(d, zero));
    if (v128.any_true(near)) {
      const em1 = vexpm1Small(f32x4.pmin(d, nearLimit));
      pm = v128.bitselect(f32x4.mul(f32x4.mul(clip, q), em1), pm, near);
    }
    pm = v128.andnot(pm, f32x4.le(d, zero));
    // log(1 - pm): log(s) where s = q + clip < sqrt(1/2) (s is accurate, 1 - pm is not);
    // elsewhere log1p(-pm), the log of v = 1 - pm in [sqrt(1/2), 1] with -pm as its exact
    // reduced argument (the rounded v - 1 would lose pm's low digits). At the cut v = 1, -pm = -0.
    const small = f32x4.lt(s, sqrtHalf);
    const vn = v128.bitselect(s, f32x4.sub(one, pm), small);
    const cn = v128.xor(pm, minusZero);
    v128.store(SPM + o, pm);
    v128.store(SV + o, v128.bitselect(v128.load(SV + o), vn, pos));
    v128.store(SC + o, v128.bitselect(v128.load(SC + o), cn, pos));
  }
  return clampsBeyond(lo, hi, nan);
}

/**
 * Whether the smallest logit is below T_POS or the largest at or above T_NEG (then the combine
 * pass checks the eps clamps lane by lane). Also flags NaN and infinite logits in `badInput`.
 */
// @ts-ignore: decorator
@inline function clampsBeyond(lo: v128, hi: v128, nan: v128): bool {
  const inf = f32x4.eq(f32x4.sub(hi, lo), ld(POS_INF));
  if (v128.any_true(v128.or(nan, inf))) badInput = true;
  return v128.any_true(v128.or(f32x4.lt(lo, ld(P_T_POS)), f32x4.ge(hi, ld(P_T_NEG))));
}

/** Pass 3: the log, log(V) with C as the reduced argument where it is exact, in place of V. */
function passLog(count: i32): void {
  const bytes = <usize>count << 2;
  const c0 = ld(K_SQRTHALF_BITS);
  const c1 = ld(ONE);
  const c2 = ld(HALF);
  const c3 = ld(K_LN2_HI);
  const c4 = ld(K_LN2_LO);
  const c5 = ld(K_L0);
  const c6 = ld(K_L1);
  const c7 = ld(K_L2);
  const c8 = ld(K_L3);
  const c9 = ld(K_L4);
  const c10 = ld(K_L5);
  const c11 = ld(K_L6);
  for (let o: usize = 0; o < bytes; o += 32) {
    const l0 = vlogExactK(v128.load(SV + o), v128.load(SC + o), c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11);
    const l1 = vlogExactK(v128.load(SV + o, 16), v128.load(SC + o, 16), c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11);
    v128.store(SV + o, l0);
    v128.store(SV + o, l1, 16);
  }
}

/**
 * Pass 4, fractional gammas only: exp(frac(gamma) log b) for b = q (positives), and b = pm or p
 * (negatives, with or without a clip), into SF. First the exponents, then their exp.
 */
function passFrac(x: usize, y: usize, count: i32): void {
  const bytes = <usize>count << 2;
  const one = ld(ONE);
  const zero = ld(ZERO);
  const phiP = ld(P_PHI_P);
  const phiN = ld(P_PHI_N);
  if (clipOn && fracN) {
    const c0 = ld(K_SQRTHALF_BITS);
    const c2 = ld(HALF);
    const c3 = ld(K_LN2_HI);
    const c4 = ld(K_LN2_LO);
    const c5 = ld(K_L0);
    const c6 = ld(K_L1);
    const c7 = ld(K_L2);
    const c8 = ld(K_L3);
    const c9 = ld(K_L4);
    const c10 = ld(K_L5);
    const c11 = ld(K_L6);
    const tiny = ld(MIN_NORMAL);
    for (let o: usize = 0; o < bytes; o += 16) {
      const xv = v128.load(x + o);
      const pos = f32x4.eq(v128.load(y + o), one);
      // log q = -log1p(e) - max(x, 0) for the positives, log pm for the negatives
      const logQ = f32x4.sub(f32x4.sub(zero, v128.load(SV + o)), f32x4.pmax(xv, zero));
      const pm = f32x4.pmax(v128.load(SPM + o), tiny);
      const logPm = vlogK(pm, c0, one, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11);
      v128.store(SF + o, v128.bitselect(f32x4.mul(phiP, logQ), f32x4.mul(phiN, logPm), pos));
    }
  } else {
    for (let o: usize = 0; o < bytes; o += 16) {
      const xv = v128.load(x + o);
      const pos = f32x4.eq(v128.load(y + o), one);
      const lg = v128.load(SV + o);
      // log q = -log1p(e) - max(x, 0); log p = min(x, 0) - log1p(e) (negatives without a clip)
      const logQ = f32x4.sub(f32x4.sub(zero, lg), f32x4.pmax(xv, zero));
      const logP = f32x4.sub(f32x4.pmin(xv, zero), lg);
      v128.store(SF + o, v128.bitselect(f32x4.mul(phiP, logQ), f32x4.mul(phiN, logP), pos));
    }
  }
  const c0 = ld(K_EXP_MIN);
  const c1 = ld(K_LOG2E);
  const c2 = ld(K_ROUNDER);
  const c3 = ld(K_LN2_HI);
  const c4 = ld(K_LN2_LO);
  const c5 = ld(K_E2);
  const c6 = ld(K_E3);
  const c7 = ld(K_E4);
  const c8 = ld(K_E5);
  const c9 = ld(K_E6);
  const c11 = ld(K_EXP_BIAS);
  const c12 = ld(K_TWO_M24);
  for (let o: usize = 0; o < bytes; o += 32) {
    const a0 = v128.load(SF + o);
    const a1 = v128.load(SF + o, 16);
    v128.store(SF + o, vexpK(a0, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, one, c11, c12));
    v128.store(SF + o, vexpK(a1, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, one, c11, c12), 16);
  }
}

/**
 * Pass 5 without a clip, for one vector: the focusing weight, loss and gradient. `kpos`, `kneg`
 * (integer parts of the gammas), `frac` and `clamps` are constants in the specialised loops.
 */
// @ts-ignore: decorator
@inline function combineVec(
  x: usize,
  y: usize,
  g: usize,
  l: usize,
  o: usize,
  kpos: i32,
  kneg: i32,
  frac: bool,
  clamps: bool,
  pos: v128,
): v128 {
  const xv = v128.load(x + o);
  const p = v128.load(SP + o);
  const q = v128.load(SQ + o);
  const lg = v128.load(SV + o);
  // positives: log p = min(x, 0) - log1p(e); negatives: log q = -log1p(e) - max(x, 0)
  let lt = v128.bitselect(
    f32x4.sub(f32x4.pmin(xv, ld(ZERO)), lg),
    f32x4.sub(f32x4.sub(ld(ZERO), lg), f32x4.pmax(xv, ld(ZERO))),
    pos,
  );
  let dq = q;
  let dp = p;
  if (clamps) {
    const clamp = v128.bitselect(f32x4.lt(xv, ld(P_T_POS)), f32x4.ge(xv, ld(P_T_NEG)), pos);
    lt = v128.bitselect(ld(P_LOG_EPS), lt, clamp);
    dq = v128.andnot(q, clamp);
    dp = v128.andnot(p, clamp);
  }
  let w = v128.bitselect(powi(q, kpos), powi(p, kneg), pos);
  if (frac) w = f32x4.mul(w, v128.load(SF + o));
  const loss = f32x4.mul(lt, f32x4.sub(ld(ZERO), w));
  v128.store(l + o, loss);
  // positive: w (gp p lt - dq); negative: w (dp - gn q lt); dq, dp are 0 where clamped.
  const gradPos = f32x4.sub(f32x4.mul(f32x4.mul(ld(P_FGP), p), lt), dq);
  const gradNeg = f32x4.sub(dp, f32x4.mul(f32x4.mul(ld(P_FGN), q), lt));
  const grad = f32x4.mul(v128.bitselect(gradPos, gradNeg, pos), f32x4.mul(w, ld(P_GSCALE)));
  v128.store(g + o, grad);
  return loss;
}

/** Pass 5 over a block, two vectors per iteration, with or without a clip (`clip`). */
// @ts-ignore: decorator
@inline function combineLoop(
  x: usize,
  y: usize,
  g: usize,
  l: usize,
  count: i32,
  kpos: i32,
  kneg: i32,
  frac: bool,
  clamps: bool,
  clip: bool,
): f64 {
  const bytes = <usize>count << 2;
  let acc = v128.splat<f64>(0);
  let hard = v128.splat<i32>(-1);
  for (let o: usize = 0; o < bytes; o += 32) {
    const y0 = v128.load(y + o);
    const y1 = v128.load(y + o, 16);
    const pos0 = f32x4.eq(y0, ld(ONE));
    const pos1 = f32x4.eq(y1, ld(ONE));
    // Targets other than 0 and 1 send the block to the general formula.
    hard = v128.and(hard, v128.and(v128.or(pos0, f32x4.eq(y0, ld(ZERO))), v128.or(pos1, f32x4.eq(y1, ld(ZERO)))));
    const l0 = clip
      ? combineClipVec(x, y, g, l, o, kpos, kneg, frac, clamps, pos0)
      : combineVec(x, y, g, l, o, kpos, kneg, frac, clamps, pos0);
    const l1 = clip
      ? combineClipVec(x, y, g, l, o + 16, kpos, kneg, frac, clamps, pos1)
      : combineVec(x, y, g, l, o + 16, kpos, kneg, frac, clamps, pos1);
    acc = accumulate(acc, f32x4.add(l0, l1));
  }
  allHard = v128.all_true<i32>(hard);
  return sum2(acc);
}

/**
 * Pass 5 with a clip, for one vector: the focusing weight, loss and gradient. With
 * gammaNeg >= 1 the negatives' gradient w p q u / (s pm) is formed as (w / pm) p q u / s with
 * w / pm = pm^(gammaNeg - 1), which is 0 at the cut (pm = 0): no mask, no division by pm.
 */
// @ts-ignore: decorator
@inline function combineClipVec(
  x: usize,
  y: usize,
  g: usize,
  l: usize,
  o: usize,
  kpos: i32,
  kneg: i32,
  frac: bool,
  clamps: bool,
  pos: v128,
): v128 {
  const xv = v128.load(x + o);
  const p = v128.load(SP + o);
  const q = v128.load(SQ + o);
  const pm = v128.load(SPM + o);
  const lg = v128.load(SV + o);
  const s = f32x4.add(q, ld(P_CLIP));
  // Positive: log p = min(x, 0) - log1p(e); negative: log(1 - pm).
  let lt = v128.bitselect(f32x4.sub(f32x4.pmin(xv, ld(ZERO)), lg), lg, pos);
  let dq = q;
  let dpm = pm;
  if (clamps) {
    const clamp = v128.bitselect(f32x4.lt(xv, ld(P_T_POS)), f32x4.ge(xv, ld(P_T_NEG)), pos);
    lt = v128.bitselect(ld(P_LOG_EPS), lt, clamp);
    dq = v128.andnot(q, clamp);
    dpm = v128.andnot(pm, clamp);
  }
  let wp = powi(q, kpos);
  // wOver = w / pm for gammaNeg >= 1; w itself for gammaNeg < 1.
  let wOver = powi(pm, kneg == 0 ? 0 : kneg - 1);
  if (frac) {
    const ef = v128.load(SF + o);
    wp = f32x4.mul(wp, ef);
    wOver = f32x4.mul(wOver, ef);
  }
  const w = v128.bitselect(wp, kneg == 0 ? wOver : f32x4.mul(wOver, pm), pos);
  let loss = f32x4.mul(lt, f32x4.sub(ld(ZERO), w));
  // gammaNeg < 1: w does not vanish at the cut, so the cut lanes are masked.
  const keep = v128.or(pos, f32x4.gt(pm, ld(ZERO)));
  if (kneg == 0) loss = v128.and(loss, keep);
  v128.store(l + o, loss);
  // positive: w (gp p lt - dq); negative: (w / pm) p q (dpm - gn s lt) / s.
  const gradPos = f32x4.mul(wp, f32x4.sub(f32x4.mul(f32x4.mul(ld(P_FGP), p), lt), dq));
  const u = f32x4.sub(dpm, f32x4.mul(f32x4.mul(ld(P_FGN), s), lt));
  const den = kneg == 0 ? f32x4.mul(s, pm) : s;
  const gradNeg = f32x4.mul(f32x4.mul(wOver, f32x4.div(f32x4.mul(p, q), den)), u);
  let grad = f32x4.mul(v128.bitselect(gradPos, gradNeg, pos), ld(P_GSCALE));
  if (kneg == 0) grad = v128.and(grad, keep);
  v128.store(g + o, grad);
  return loss;
}

/**
 * Pass 5, specialised for the common gammas: the loop with the gammas' integer parts, `frac` and
 * `clamps` as constants. `clip` chooses the per-vector formula (a constant too).
 */
// @ts-ignore: decorator
@inline function combineSpecialised(
  x: usize,
  y: usize,
  g: usize,
  l: usize,
  count: i32,
  clamps: bool,
  clip: bool,
): f64 {
  if (!clamps && !fracAny) {
    if (kp == 1 && kn == 4) return combineLoop(x, y, g, l, count, 1, 4, false, false, clip);
    if (kp == 0 && kn == 4) return combineLoop(x, y, g, l, count, 0, 4, false, false, clip);
  }
  if (!clamps && fracAny && kp == 0 && kn == 3)
    return combineLoop(x, y, g, l, count, 0, 3, true, false, clip);
  return combineLoop(x, y, g, l, count, kp, kn, fracAny, true, clip);
}

/** Pass 5 without a clip. */
function combine(x: usize, y: usize, g: usize, l: usize, count: i32, clamps: bool): f64 {
  return combineSpecialised(x, y, g, l, count, clamps, false);
}

/** Pass 5 with a clip. */
function combineClip(x: usize, y: usize, g: usize, l: usize, count: i32, clamps: bool): f64 {
  return combineSpecialised(x, y, g, l, count, clamps, true);
}

/** Any targets in [0, 1]: timm's formula, one fused pass per vector (three logs, two divisions). */
function generalBlock(x: usize, y: usize, g: usize, l: usize, count: i32): f64 {
  const bytes = <usize>count << 2;
  let acc = v128.splat<f64>(0);
  const clip = ld(P_CLIP);
  const xcHi = ld(P_XC_HI);
  const xcLo = ld(P_XC_LO);
  const logEps = ld(P_LOG_EPS);
  const zero = ld(ZERO);
  const one = ld(ONE);
  let valid = v128.splat<i32>(-1);
  for (let o: usize = 0; o < bytes; o += 16) {
    const xv = v128.load(x + o);
    const yv = v128.load(y + o);
    valid = v128.and(valid, v128.and(f32x4.ge(yv, zero), f32x4.le(yv, one)));
    const ny = f32x4.sub(one, yv);
    const e = vexp(v128.or(xv, ld(MINUS_ZERO)));
    const v1 = f32x4.add(one, e);
    const r = f32x4.div(one, v1);
    const er = f32x4.mul(e, r);
    const xpos = f32x4.ge(xv, zero);
    const p = v128.bitselect(r, er, xpos);
    const q = v128.bitselect(er, r, xpos);
    const pq = f32x4.mul(p, q);
    const l1pe = f32x4.add(vlog(v1), f32x4.mul(f32x4.sub(e, f32x4.sub(v1, one)), r));
    const logP = f32x4.sub(f32x4.pmin(xv, zero), l1pe);
    const logQ = f32x4.sub(f32x4.sub(zero, l1pe), f32x4.pmax(xv, zero));
    const clampA = f32x4.lt(xv, ld(P_T_POS));
    const logA = v128.bitselect(logEps, logP, clampA);
    const dLogA = v128.andnot(q, clampA);
    const clampB = f32x4.ge(xv, ld(P_T_NEG));
    let pm: v128, dpm: v128, logB: v128, dLogB: v128;
    if (clipOn) {
      const d = f32x4.sub(f32x4.sub(xv, xcHi), xcLo);
      const cut = f32x4.le(d, zero);
      const near = f32x4.lt(d, ld(NEAR));
      const dn = f32x4.pmax(f32x4.pmin(d, ld(NEAR)), ld(NEG_NEAR));
      const pmNear = f32x4.mul(f32x4.mul(clip, q), vexpm1Small(dn));
      pm = f32x4.pmax(v128.bitselect(pmNear, f32x4.sub(p, clip), near), ld(MIN_NORMAL));
      pm = v128.andnot(pm, cut);
      dpm = v128.andnot(pq, cut);
      const s = f32x4.add(q, clip);
      const small = f32x4.lt(s, ld(HALF));
      const vn = v128.bitselect(s, f32x4.sub(one, pm), small);
      const cn = v128.andnot(
        f32x4.mul(f32x4.sub(f32x4.sub(one, vn), pm), f32x4.add(one, pm)),
        small,
      );
      const lb = f32x4.add(vlog(vn), cn);
      logB = v128.andnot(v128.bitselect(logEps, lb, clampB), cut);
      dLogB = v128.andnot(f32x4.div(pq, f32x4.sub(zero, s)), v128.or(cut, clampB));
    } else {
      pm = p;
      dpm = pq;
      logB = v128.bitselect(logEps, logQ, clampB);
      dLogB = v128.andnot(f32x4.sub(zero, p), clampB);
    }
    const lt = f32x4.add(f32x4.mul(yv, logA), f32x4.mul(ny, logB));
    const dLog = f32x4.add(f32x4.mul(yv, dLogA), f32x4.mul(ny, dLogB));
    const base = f32x4.add(f32x4.mul(yv, q), f32x4.mul(ny, pm));
    const gamma = f32x4.add(f32x4.mul(ld(P_GP), yv), f32x4.mul(ld(P_GN), ny));
    const gammaZero = f32x4.eq(gamma, zero);
    const baseZero = f32x4.eq(base, zero);
    // w = base^gamma = exp(gamma log base); 0^0 = 1, 0^gamma = 0.
    const wRaw = vexp(f32x4.mul(gamma, vlog(base)));
    const w = v128.bitselect(one, v128.andnot(wRaw, baseZero), gammaZero);
    const loss = f32x4.mul(lt, f32x4.sub(zero, w));
    acc = accumulate(acc, loss);
    if (l != 0) v128.store(l + o, loss);
    if (g != 0) {
      // dw = gamma w dBase / base, dBase = -y p q + (1 - y) dpm (0 where gamma or base is 0)
      const dBase = f32x4.sub(f32x4.mul(ny, dpm), f32x4.mul(yv, pq));
      const dw = v128.andnot(
        f32x4.mul(f32x4.mul(gamma, w), f32x4.div(dBase, base)),
        v128.or(gammaZero, baseZero),
      );
      const grad = f32x4.sub(
        zero,
        f32x4.add(f32x4.mul(dLog, w), f32x4.mul(f32x4.mul(ld(P_FOCAL), lt), dw)),
      );
      v128.store(g + o, f32x4.mul(grad, ld(P_GSCALE)));
    }
  }
  if (!v128.all_true<i32>(valid)) badInput = true;
  return sum2(acc);
}

/**
 * Applies weights to `len` unweighted losses `l` and gradients `g` of a chunk that starts at the
 * flat element index `k0` of an `[n, c]` batch: loss *= rowL[i] cw[j] ew[k], grad *= rowG[i] cw[j]
 * ew[k] up[k] (`ew` and `up` indexed within the chunk; each pointer may be 0 for none; without
 * rowG the gradient scale is `gScale`). Returns the sum of the weighted losses.
 */
export function mlWeight(
  g: usize,
  l: usize,
  k0: i32,
  len: i32,
  c: i32,
  cw: usize,
  rowL: usize,
  rowG: usize,
  up: usize,
  ew: usize,
  gScale: f32,
): f64 {
  let acc = v128.splat<f64>(0);
  let tail: f64 = 0;
  let i = k0 / c;
  let j = k0 - i * c;
  let k = 0;
  while (k < len) {
    const segment = min(c - j, len - k);
    const wl: f32 = rowL == 0 ? 1 : load<f32>(rowL + (<usize>i << 2));
    const wg: f32 = rowG == 0 ? gScale : load<f32>(rowG + (<usize>i << 2));
    const wlv = f32x4.splat(wl);
    const wgv = f32x4.splat(wg);
    let t = 0;
    for (; t + 4 <= segment; t += 4) {
      const ko = <usize>(k + t) << 2;
      const jo = <usize>(j + t) << 2;
      const cwv = cw == 0 ? ld(ONE) : v128.load(cw + jo);
      const ewv = ew == 0 ? ld(ONE) : v128.load(ew + ko);
      // loss * (row weight * class weight * element weight) in f64, as the float64 kernel:
      // float32 products could overflow (a loss near 3e38 times a weight > 1) or underflow.
      const lv = v128.load(l + ko);
      const wlo = f64x2.mul(
        f64x2.mul(f64x2.promote_low_f32x4(wlv), f64x2.promote_low_f32x4(cwv)),
        f64x2.promote_low_f32x4(ewv),
      );
      const whi = f64x2.mul(
        f64x2.mul(
          f64x2.promote_low_f32x4(wlv),
          f64x2.promote_low_f32x4(f32x4.shuffle(cwv, cwv, 2, 3, 0, 1)),
        ),
        f64x2.promote_low_f32x4(f32x4.shuffle(ewv, ewv, 2, 3, 0, 1)),
      );
      const lo = f64x2.mul(f64x2.promote_low_f32x4(lv), wlo);
      const hi = f64x2.mul(f64x2.promote_low_f32x4(f32x4.shuffle(lv, lv, 2, 3, 0, 1)), whi);
      v128.store(
        l + ko,
        f32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5),
      );
      acc = f64x2.add(acc, f64x2.add(lo, hi));
      if (g != 0) {
        let gw = f32x4.mul(v128.load(g + ko), f32x4.mul(f32x4.mul(wgv, cwv), ewv));
        if (up != 0) gw = f32x4.mul(gw, v128.load(up + ko));
        v128.store(g + ko, gw);
      }
    }
    for (; t < segment; t++) {
      const ko = <usize>(k + t) << 2;
      const cwj: f32 = cw == 0 ? 1 : load<f32>(cw + (<usize>(j + t) << 2));
      const ewk: f32 = ew == 0 ? 1 : load<f32>(ew + ko);
      const lossW = <f64>load<f32>(l + ko) * (<f64>wl * <f64>cwj * <f64>ewk);
      store<f32>(l + ko, <f32>lossW);
      tail += lossW;
      if (g != 0) {
        let gw = load<f32>(g + ko) * (wg * cwj * ewk);
        if (up != 0) gw *= load<f32>(up + ko);
        store<f32>(g + ko, gw);
      }
    }
    k += segment;
    i++;
    j = 0;
  }
  return sum2(acc) + tail;
}
