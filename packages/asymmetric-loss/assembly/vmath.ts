// Vectorised float32 math for the SIMD kernels (f32x4 lanes): exp, expm1 near 0 and log, by range
// reduction and minimax polynomials in Estrin form. No fused multiply-add (relaxed SIMD needs a
// flag on Node 20), so every product and sum rounds; the polynomials leave well under one ulp of
// approximation error, and the measured errors (src/core/wasm/simd.test.ts) are at most 1.3
// float32 ulps over the whole domain, denormal results and arguments included.
//
// Constants live in memory as splatted vectors and are loaded with one `v128.load` each: V8
// rebuilds a `v128.const` at every use (an exp loop ran at 19 cycles per vector with constants,
// 11 with loads, 9.7 with the loads hoisted before the loop: see vexpK).

// Each constant is a vector of four equal lanes (memory.data takes literal arrays only).

export const ONE: usize = memory.data<f32>([1.0, 1.0, 1.0, 1.0], 16);
export const HALF: usize = memory.data<f32>([0.5, 0.5, 0.5, 0.5], 16);
export const ZERO: usize = memory.data<f32>([0.0, 0.0, 0.0, 0.0], 16);
export const QUARTER: usize = memory.data<f32>([0.25, 0.25, 0.25, 0.25], 16);
export const MIN_NORMAL: usize = memory.data<f32>(
  [1.17549435e-38, 1.17549435e-38, 1.17549435e-38, 1.17549435e-38],
  16,
);

// exp(x) = 2^n * exp(r), n = round(x / ln 2), r = x - n ln2 in [-ln2/2, ln2/2] (Cody-Waite: ln2 in
// two parts, n * LN2_HI exact for |n| < 2^15); exp(r) = 1 + r + r^2 P(r), P of degree 4 (minimax,
// relative error 3.1e-9). n is rounded by adding and subtracting 1.5 * 2^23, which also leaves n
// in the low bits of the sum. The scale 2^n is applied as 2^(n+24) (exact, a normal number for
// every n >= -150) times 2^-24, which rounds once into the denormal range.
const EXP_MIN: usize = memory.data<f32>([-104.0, -104.0, -104.0, -104.0], 16);
const LOG2E: usize = memory.data<f32>([1.44269504, 1.44269504, 1.44269504, 1.44269504], 16);
const ROUNDER: usize = memory.data<f32>([12582912.0, 12582912.0, 12582912.0, 12582912.0], 16);
const LN2_HI: usize = memory.data<f32>([0.693359375, 0.693359375, 0.693359375, 0.693359375], 16);
const LN2_LO: usize = memory.data<f32>(
  [-2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4],
  16,
);
const E2: usize = memory.data<f32>([0.49999993452, 0.49999993452, 0.49999993452, 0.49999993452], 16);
const E3: usize = memory.data<f32>([0.1666652069, 0.1666652069, 0.1666652069, 0.1666652069], 16);
const E4: usize = memory.data<f32>([0.04166838736, 0.04166838736, 0.04166838736, 0.04166838736], 16);
const E5: usize = memory.data<f32>(
  [0.008368709829, 0.008368709829, 0.008368709829, 0.008368709829],
  16,
);
const E6: usize = memory.data<f32>(
  [0.001381461349, 0.001381461349, 0.001381461349, 0.001381461349],
  16,
);
const EXP_BIAS: usize = memory.data<i32>([151, 151, 151, 151], 16); // 127 + 24
const TWO_M24: usize = memory.data<f32>(
  [5.9604644775390625e-8, 5.9604644775390625e-8, 5.9604644775390625e-8, 5.9604644775390625e-8],
  16,
);

/** A constant vector from static memory. */
// @ts-ignore: decorator
@inline export function ld(p: usize): v128 {
  return v128.load(p);
}

/**
 * exp(x) for x <= 71 (the kernels only need x <= 0): a few ulps, including denormal results;
 * 0 below -103.97 (where exp underflows).
 */
// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  x = f32x4.pmax(x, ld(EXP_MIN));
  const t = f32x4.add(f32x4.mul(x, ld(LOG2E)), ld(ROUNDER));
  const n = f32x4.sub(t, ld(ROUNDER));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, ld(LN2_HI))), f32x4.mul(n, ld(LN2_LO)));
  const r2 = f32x4.mul(r, r);
  const a = f32x4.add(ld(E2), f32x4.mul(ld(E3), r));
  const b = f32x4.add(ld(E4), f32x4.mul(ld(E5), r));
  const r4 = f32x4.mul(r2, r2);
  const poly = f32x4.add(f32x4.add(a, f32x4.mul(b, r2)), f32x4.mul(ld(E6), r4));
  const y = f32x4.add(ld(ONE), f32x4.add(r, f32x4.mul(r2, poly)));
  // The low bits of t hold n (two's complement), so (t + 151) << 23 is the exponent of 2^(n+24).
  const scale = i32x4.shl(i32x4.add(t, ld(EXP_BIAS)), 23);
  return f32x4.mul(f32x4.mul(y, scale), ld(TWO_M24));
}

// expm1(d) for 0 <= d <= 1/4 by its Taylor series to d^7 (truncation error below 2e-9 relative).
const T3: usize = memory.data<f32>([0.16666667, 0.16666667, 0.16666667, 0.16666667], 16);
const T4: usize = memory.data<f32>([0.041666668, 0.041666668, 0.041666668, 0.041666668], 16);
const T5: usize = memory.data<f32>([0.008333334, 0.008333334, 0.008333334, 0.008333334], 16);
const T6: usize = memory.data<f32>([0.0013888889, 0.0013888889, 0.0013888889, 0.0013888889], 16);
const T7: usize = memory.data<f32>(
  [1.984127e-4, 1.984127e-4, 1.984127e-4, 1.984127e-4],
  16,
);

/** expm1(d) for |d| <= 1/4, to an ulp or two (relative, also for tiny d). */
// @ts-ignore: decorator
@inline export function vexpm1Small(d: v128): v128 {
  const d2 = f32x4.mul(d, d);
  const d4 = f32x4.mul(d2, d2);
  const a = f32x4.add(ld(HALF), f32x4.mul(ld(T3), d));
  const b = f32x4.add(ld(T4), f32x4.mul(ld(T5), d));
  const c = f32x4.add(ld(T6), f32x4.mul(ld(T7), d));
  const poly = f32x4.add(f32x4.add(a, f32x4.mul(b, d2)), f32x4.mul(c, d4));
  return f32x4.add(d, f32x4.mul(d2, poly));
}

// log(v) = k ln2 + log1p(f), v = 2^k m, m in [sqrt(1/2), sqrt(2)), f = m - 1 exact;
// log1p(f) = f - f^2/2 + f^3 Q(f), Q of degree 6 (minimax, relative error 3.5e-8).
// Denormal arguments are scaled by 2^23 first.
const SQRTHALF_BITS: usize = memory.data<i32>([0x3f3504f3, 0x3f3504f3, 0x3f3504f3, 0x3f3504f3], 16);
const TWO_23: usize = memory.data<f32>([8388608.0, 8388608.0, 8388608.0, 8388608.0], 16);
const F23: usize = memory.data<f32>([23.0, 23.0, 23.0, 23.0], 16);
const L0: usize = memory.data<f32>([0.33334039624, 0.33334039624, 0.33334039624, 0.33334039624], 16);
const L1: usize = memory.data<f32>(
  [-0.25000770096, -0.25000770096, -0.25000770096, -0.25000770096],
  16,
);
const L2: usize = memory.data<f32>([0.19957139785, 0.19957139785, 0.19957139785, 0.19957139785], 16);
const L3: usize = memory.data<f32>(
  [-0.16594789778, -0.16594789778, -0.16594789778, -0.16594789778],
  16,
);
const L4: usize = memory.data<f32>([0.15002525346, 0.15002525346, 0.15002525346, 0.15002525346], 16);
const L5: usize = memory.data<f32>(
  [-0.14146496483, -0.14146496483, -0.14146496483, -0.14146496483],
  16,
);
const L6: usize = memory.data<f32>(
  [0.082621333047, 0.082621333047, 0.082621333047, 0.082621333047],
  16,
);

/**
 * log(v) for v > 0 (normal or denormal): a few ulps relative. log(0) is a large negative finite
 * number and log(+Infinity) is meaningless: callers mask those lanes.
 */
// @ts-ignore: decorator
@inline export function vlog(v: v128): v128 {
  const den = f32x4.lt(v, ld(MIN_NORMAL));
  v = v128.bitselect(f32x4.mul(v, ld(TWO_23)), v, den);
  const k = i32x4.shr_s(i32x4.sub(v, ld(SQRTHALF_BITS)), 23);
  return logReduced(v, k, f32x4.sub(f32x4.convert_i32x4_s(k), v128.and(den, ld(F23))));
}

/** log(v) for normal v > 0 (one compare and select cheaper than vlog). */
// @ts-ignore: decorator
@inline export function vlogNormal(v: v128): v128 {
  const k = i32x4.shr_s(i32x4.sub(v, ld(SQRTHALF_BITS)), 23);
  return logReduced(v, k, f32x4.convert_i32x4_s(k));
}

// @ts-ignore: decorator
@inline function logReduced(v: v128, k: v128, kf: v128): v128 {
  const m = i32x4.sub(v, i32x4.shl(k, 23));
  const f = f32x4.sub(m, ld(ONE));
  const f2 = f32x4.mul(f, f);
  const f4 = f32x4.mul(f2, f2);
  const a = f32x4.add(ld(L0), f32x4.mul(ld(L1), f));
  const b = f32x4.add(ld(L2), f32x4.mul(ld(L3), f));
  const c = f32x4.add(ld(L4), f32x4.mul(ld(L5), f));
  const c2 = f32x4.add(c, f32x4.mul(ld(L6), f2));
  const q = f32x4.add(f32x4.add(a, f32x4.mul(b, f2)), f32x4.mul(c2, f4));
  // f + f^2 (f Q - 1/2) + k ln2, the small parts summed first.
  const lo = f32x4.add(
    f32x4.mul(f2, f32x4.sub(f32x4.mul(f, q), ld(HALF))),
    f32x4.mul(kf, ld(LN2_LO)),
  );
  return f32x4.add(f32x4.mul(kf, ld(LN2_HI)), f32x4.add(f, lo));
}

// The same exp and log with their constants passed in: a loop that computes one exp or log per
// vector loads the constants once, before the loop, into locals (V8 keeps what fits in registers
// and reloads the rest from its stack, which is no slower than from static memory). Measured:
// 15% faster than loading each constant at its use, twice as fast as `v128.const`, which V8
// rebuilds at every use.

/** {@link vexp} with its constants as arguments (see `EXP_K` for their order). */
// @ts-ignore: decorator
@inline export function vexpK(
  x: v128,
  emin: v128,
  log2e: v128,
  rounder: v128,
  hi: v128,
  lo: v128,
  e2: v128,
  e3: v128,
  e4: v128,
  e5: v128,
  e6: v128,
  one: v128,
  bias: v128,
  m24: v128,
): v128 {
  x = f32x4.pmax(x, emin);
  const t = f32x4.add(f32x4.mul(x, log2e), rounder);
  const n = f32x4.sub(t, rounder);
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, hi)), f32x4.mul(n, lo));
  const r2 = f32x4.mul(r, r);
  const a = f32x4.add(e2, f32x4.mul(e3, r));
  const b = f32x4.add(e4, f32x4.mul(e5, r));
  const r4 = f32x4.mul(r2, r2);
  const poly = f32x4.add(f32x4.add(a, f32x4.mul(b, r2)), f32x4.mul(e6, r4));
  const y = f32x4.add(one, f32x4.add(r, f32x4.mul(r2, poly)));
  const scale = i32x4.shl(i32x4.add(t, bias), 23);
  return f32x4.mul(f32x4.mul(y, scale), m24);
}

/** {@link vlogNormal} with its constants as arguments. */
// @ts-ignore: decorator
@inline export function vlogK(
  v: v128,
  sqrtHalf: v128,
  one: v128,
  half: v128,
  hi: v128,
  lo: v128,
  l0: v128,
  l1: v128,
  l2: v128,
  l3: v128,
  l4: v128,
  l5: v128,
  l6: v128,
): v128 {
  const k = i32x4.shr_s(i32x4.sub(v, sqrtHalf), 23);
  const f = f32x4.sub(i32x4.sub(v, i32x4.shl(k, 23)), one);
  return log1pReducedK(f, f32x4.convert_i32x4_s(k), half, hi, lo, l0, l1, l2, l3, l4, l5, l6);
}

/**
 * log(v) for normal v > 0, where `fx` is v - 1 exactly whenever v is in [sqrt(1/2), sqrt(2))
 * (the caller knows it without rounding: e for v = 1 + e, -pm for v = 1 - pm): it replaces the
 * rounded v - 1 there, so log1p of a small argument keeps its digits.
 */
// @ts-ignore: decorator
@inline export function vlogExactK(
  v: v128,
  fx: v128,
  sqrtHalf: v128,
  one: v128,
  half: v128,
  hi: v128,
  lo: v128,
  l0: v128,
  l1: v128,
  l2: v128,
  l3: v128,
  l4: v128,
  l5: v128,
  l6: v128,
): v128 {
  const k = i32x4.shr_s(i32x4.sub(v, sqrtHalf), 23);
  const rounded = f32x4.sub(i32x4.sub(v, i32x4.shl(k, 23)), one);
  const f = v128.bitselect(fx, rounded, i32x4.eq(k, i32x4.splat(0)));
  return log1pReducedK(f, f32x4.convert_i32x4_s(k), half, hi, lo, l0, l1, l2, l3, l4, l5, l6);
}

/** k ln2 + log1p(f) for the reduced argument f (as logReduced, constants as arguments). */
// @ts-ignore: decorator
@inline function log1pReducedK(
  f: v128,
  kf: v128,
  half: v128,
  hi: v128,
  lo: v128,
  l0: v128,
  l1: v128,
  l2: v128,
  l3: v128,
  l4: v128,
  l5: v128,
  l6: v128,
): v128 {
  const f2 = f32x4.mul(f, f);
  const f4 = f32x4.mul(f2, f2);
  const a = f32x4.add(l0, f32x4.mul(l1, f));
  const b = f32x4.add(l2, f32x4.mul(l3, f));
  const c = f32x4.add(l4, f32x4.mul(l5, f));
  const c2 = f32x4.add(c, f32x4.mul(l6, f2));
  const q = f32x4.add(f32x4.add(a, f32x4.mul(b, f2)), f32x4.mul(c2, f4));
  const small = f32x4.add(f32x4.mul(f2, f32x4.sub(f32x4.mul(f, q), half)), f32x4.mul(kf, lo));
  return f32x4.add(f32x4.mul(kf, hi), f32x4.add(f, small));
}

// Powers and sums shared by the kernels.

/** b^k for an integer k >= 0 (the same k in every lane), by multiplication. */
// @ts-ignore: decorator
@inline export function powi(b: v128, k: i32): v128 {
  if (k == 1) return b;
  if (k == 0) return ld(ONE);
  const b2 = f32x4.mul(b, b);
  if (k == 2) return b2;
  if (k == 3) return f32x4.mul(b2, b);
  if (k == 4) return f32x4.mul(b2, b2);
  return powiLoop(b, k);
}

function powiLoop(b: v128, k: i32): v128 {
  let r = ld(ONE);
  while (true) {
    if (k & 1) r = f32x4.mul(r, b);
    k >>= 1;
    if (k == 0) return r;
    b = f32x4.mul(b, b);
  }
}

/** Adds the four lanes of v to the two f64 lanes of acc. */
// @ts-ignore: decorator
@inline export function accumulate(acc: v128, v: v128): v128 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 0, 1));
  return f64x2.add(acc, f64x2.add(lo, hi));
}

/** The sum of the two f64 lanes. */
// @ts-ignore: decorator
@inline export function sum2(acc: v128): f64 {
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

// Addresses of the constants, for callers that hoist them.
export const K_EXP_MIN = EXP_MIN;
export const K_LOG2E = LOG2E;
export const K_ROUNDER = ROUNDER;
export const K_LN2_HI = LN2_HI;
export const K_LN2_LO = LN2_LO;
export const K_E2 = E2;
export const K_E3 = E3;
export const K_E4 = E4;
export const K_E5 = E5;
export const K_E6 = E6;
export const K_EXP_BIAS = EXP_BIAS;
export const K_TWO_M24 = TWO_M24;
export const K_SQRTHALF_BITS = SQRTHALF_BITS;
export const K_L0 = L0;
export const K_L1 = L1;
export const K_L2 = L2;
export const K_L3 = L3;
export const K_L4 = L4;
export const K_L5 = L5;
export const K_L6 = L6;
