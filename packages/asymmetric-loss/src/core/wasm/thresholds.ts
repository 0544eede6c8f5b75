/**
 * Float32 logit thresholds for the SIMD multi-label kernel's branch decisions (eps clamps and the
 * clip cut), found so that they agree exactly with the float64 kernel's decisions on every float32
 * logit. The decisions are discontinuities of the gradient (a clamped log has a zero derivative;
 * with gammaNeg 0 the gradient jumps at the cut), so computing them from float32 probabilities
 * would make the two kernels differ by O(1) for logits within an ulp of a boundary.
 */

/** The float64 kernel's sigmoid pair, computed exactly as it does (multi-label-kernel.ts). */
function sigmoid(x: number): { p: number; q: number } {
  const e = Math.exp(-Math.abs(x));
  const r = 1 / (1 + e);
  return x >= 0 ? { p: r, q: e * r } : { p: e * r, q: r };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const MAX_ORDER = 0x7f7fffff; // the order of the largest finite float32

/** The float32 with order `k` (its bits for k >= 0, minus the bits of -x for negatives). */
function floatOfOrder(k: number): number {
  u32[0] = k >= 0 ? k : (0x80000000 | -k) >>> 0;
  return f32[0];
}

/**
 * The smallest finite float32 x with `holds(x)` false, for a predicate that is true below some
 * point and false above it; -Infinity if it is false everywhere, +Infinity if true everywhere.
 */
export function firstFalse(holds: (x: number) => boolean): number {
  let lo = -MAX_ORDER;
  let hi = MAX_ORDER;
  if (!holds(floatOfOrder(lo))) return -Infinity;
  if (holds(floatOfOrder(hi))) return Infinity;
  // Invariant: holds at lo, fails at hi.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (holds(floatOfOrder(mid))) lo = mid;
    else hi = mid;
  }
  return floatOfOrder(hi);
}

/** Parameters of the SIMD kernel derived from `clip` and `eps`. */
export interface MultiLabelThresholds {
  /** logit(clip) = xcHi + xcLo, both float32 (0 without a clip). */
  xcHi: number;
  xcLo: number;
  /** A positive's log is clamped (p < eps) where x < tPos. */
  tPos: number;
  /** A negative's log is clamped (q + clip < eps, or q < eps without a clip) where x >= tNeg. */
  tNeg: number;
  /** log(eps), -Infinity for eps 0. */
  logEps: number;
}

let cacheKey = { clip: NaN, eps: NaN };
let cached: MultiLabelThresholds | null = null;

/** The thresholds for `clip` and `eps` (the last pair is cached: training loops repeat it). */
export function multiLabelThresholds(clip: number, eps: number): MultiLabelThresholds {
  if (cached !== null && cacheKey.clip === clip && cacheKey.eps === eps) return cached;
  const xc = clip > 0 ? Math.log(clip) - Math.log1p(-clip) : 0;
  const xcHi = Math.fround(xc);
  const negClamped =
    clip > 0 ? (x: number) => sigmoid(x).q + clip < eps : (x: number) => sigmoid(x).q < eps;
  cached = {
    xcHi,
    xcLo: Math.fround(xc - xcHi),
    tPos: firstFalse((x) => sigmoid(x).p < eps),
    tNeg: firstFalse((x) => !negClamped(x)),
    logEps: eps > 0 ? Math.log(eps) : -Infinity,
  };
  cacheKey = { clip, eps };
  return cached;
}
