/**
 * The math of the GPU kernels, written once for GLSL (webgl) and WGSL (webgpu), and the layout
 * of their parameters (uniforms and per-row statistics), declared once for both backends.
 *
 * How each formula maps to the core's (in float32; names as in the core):
 * - multi-label, `core/multi-label-kernel.ts`: `p`, `q` from `e = exp(-|x|)` without
 *   cancellation; `log p = min(x, 0) - log1p(e)`; the clipped negative's `log(1 - pm)` as
 *   `log(q + clip)` below 1/2, else `log1p(-pm)`; the clamp `max(., eps)` with a zero
 *   derivative below it; soft targets blended as timm (`B + y (A - B)`); `w = base^gamma`,
 *   `dw = gamma w (dBase / base)` with the bounded ratio (`-p` for a positive, `q` or
 *   `p q / pm` for a negative), so no power of a vanishing base is formed and fractional gammas
 *   stay finite; `loss = -w L`, `grad = -(dL w + focal L dw)`.
 * - single-label, `core/single-label-kernel.ts`: per row `max`, `rest = sum_{j != argmax}
 *   exp(x_j - max)`, `logSum = log1p(rest)`; `l_j = x_j - max - logSum`, `p_j = exp(l_j)`,
 *   `w_j = exp(gammaNeg l_j)` (the core's fractional-gamma form, used for every gamma here:
 *   exact where `p_j` underflows), `1 - p_t` without cancellation (the core sums the other
 *   probabilities when `p_t > 1/2`; here `rest / (1 + rest)` when the target holds the maximum,
 *   the same sum), and the gradient of the core regrouped (the `A r_k` term per element,
 *   `r_k = p_k / (1 - p_t) <= 1`). The row statistics come from one pass (see
 *   {@link singleLabelStats}).
 * GLSL's `log1p` is missing: `log1p(u)` is `u (1 - u / 2)` for `|u| < 1e-4` (error below 4e-9
 * relative, under float32's resolution) and `log(1 + u)` elsewhere. Row statistics are merged
 * from segments of about 150 classes (GLSL) or from a workgroup's threads (WGSL, a tree), never
 * one sequential float32 sum over a long row.
 */
import type { MultiLabelLossOptions } from '../core/multi-label.js';
import type { SingleLabelLossOptions } from '../core/single-label.js';

/** The shading language of a backend. */
export type Dialect = 'glsl' | 'wgsl';

/** The few constructs whose syntax differs between GLSL and WGSL. */
interface Syntax {
  /** A float constant binding. */
  let(name: string, value: string): string;
  /** A mutable float variable. */
  var(name: string, value: string): string;
  /** `cond ? a : b` (WGSL evaluates both). */
  select(cond: string, a: string, b: string): string;
}

const syntax: Record<Dialect, Syntax> = {
  glsl: {
    let: (name, value) => `float ${name} = ${value};`,
    var: (name, value) => `float ${name} = ${value};`,
    select: (cond, a, b) => `((${cond}) ? (${a}) : (${b}))`,
  },
  wgsl: {
    let: (name, value) => `let ${name} = ${value};`,
    var: (name, value) => `var ${name} = ${value};`,
    select: (cond, a, b) => `select(${b}, ${a}, ${cond})`,
  },
};

/** `log1p(u)` as an expression (GLSL and WGSL have no log1p). */
function log1p(d: Dialect, u: string): string {
  return syntax[d].select(`abs(${u}) < 1e-4`, `${u} * (1.0 - 0.5 * ${u})`, `log(1.0 + ${u})`);
}

/** A uniform: its name in the shaders and its value for given options. */
interface Uniform<O> {
  name: string;
  value: (options: O, scale: number) => number;
}

/** The largest finite float32 magnitude, for `log(eps)` when eps is 0 (no clamp). */
const float32Max = 3.4028234663852886e38;

/** The uniforms of the multi-label kernels, in the order their values are passed. */
export const multiLabelUniforms: readonly Uniform<MultiLabelLossOptions>[] = [
  { name: 'gammaNeg', value: (o) => o.gammaNeg ?? 4 },
  { name: 'gammaPos', value: (o) => o.gammaPos ?? 1 },
  { name: 'clip', value: (o) => o.clip ?? 0 },
  { name: 'logEps', value: (o) => ((o.eps ?? 1e-8) > 0 ? Math.log(o.eps ?? 1e-8) : -float32Max) },
  { name: 'epsValue', value: (o) => o.eps ?? 1e-8 },
  { name: 'focal', value: (o) => ((o.focalGrad ?? 'full') === 'full' ? 1 : 0) },
  { name: 'scale', value: (_o, scale) => scale },
];

/** The uniforms of the single-label kernels, in the order their values are passed. */
export const singleLabelUniforms: readonly Uniform<SingleLabelLossOptions & { c: number }>[] = [
  { name: 'gammaNeg', value: (o) => o.gammaNeg ?? 4 },
  { name: 'gammaPos', value: (o) => o.gammaPos ?? 1 },
  { name: 'sTarget', value: (o) => 1 - (o.eps ?? 0.1) + (o.eps ?? 0.1) / o.c },
  { name: 'sOther', value: (o) => (o.eps ?? 0.1) / o.c },
  { name: 'focal', value: (o) => ((o.focalGrad ?? 'full') === 'full' ? 1 : 0) },
  { name: 'scale', value: (_o, scale) => scale },
];

/** The values of `uniforms` for `options`, in order. */
export function uniformValues<O>(
  uniforms: readonly Uniform<O>[],
  options: O,
  scale: number,
): number[] {
  return uniforms.map((u) => u.value(options, scale));
}

/** The divisor of a reduction: 1 (`'sum'`, `'none'`), n (`'batchmean'`, single-label `'mean'`), n c. */
export function reductionDivisor(
  reduction: string,
  n: number,
  c: number,
  multiLabel: boolean,
): number {
  if (reduction === 'sum' || reduction === 'none') return 1;
  if (reduction === 'batchmean' || !multiLabel) return Math.max(n, 1);
  return Math.max(n * c, 1);
}

/**
 * How the kernels cut a row of `c` classes for the reductions: into `k` segments of `length`
 * classes (at least 128 each, at most 64 segments, none empty), each reduced by one pixel or
 * thread (float32 sums of at most about 150 terms for rows up to 10,000 classes), then across
 * segments.
 */
export function rowSegments(c: number): { k: number; length: number } {
  const k = Math.max(1, Math.min(64, Math.floor(c / 128)));
  return { k, length: Math.ceil(c / k) };
}

/**
 * The multi-label element: from float `x` (logit) and `y` (target) in scope and the uniforms,
 * defines `loss` and `grad` (unweighted, unscaled).
 */
export function multiLabelElement(d: Dialect): string {
  const { let: l, var: v, select } = syntax[d];
  return `
    ${l('e', 'exp(-abs(x))')}
    ${l('r', '1.0 / (1.0 + e)')}
    ${l('p', select('x >= 0.0', 'r', 'e * r'))}
    ${l('q', select('x >= 0.0', 'e * r', 'r'))}
    ${l('l1pe', log1p(d, 'e'))}
    ${l('pq', 'p * q')}
    // The positive term: log max(p, eps) and its derivative.
    ${v('logA', 'min(x, 0.0) - l1pe')}
    ${v('dLogA', 'q')}
    if (p < epsValue) { logA = logEps; dLogA = 0.0; }
    // The negative term: log max(1 - pm, eps), pm = max(p - clip, 0); dpm its derivative.
    ${v('pm', 'p')}
    ${v('oneMinusPm', 'q')}
    ${v('logB', 'min(-x, 0.0) - l1pe')}
    ${v('dLogB', '-p')}
    ${v('dpm', 'pq')}
    if (clip > 0.0) {
      pm = max(p - clip, 0.0);
      oneMinusPm = q + clip;
      logB = ${select('oneMinusPm < 0.5', 'log(oneMinusPm)', log1p(d, '-pm'))};
      dLogB = -pq / oneMinusPm;
    }
    if (oneMinusPm < epsValue) { logB = logEps; dLogB = 0.0; }
    // Below the clip the negative's loss and gradient vanish.
    if (clip > 0.0 && pm <= 0.0) { logB = 0.0; dLogB = 0.0; dpm = 0.0; }
    ${l('logTerm', 'logB + y * (logA - logB)')}
    ${l('dLog', 'dLogB + y * (dLogA - dLogB)')}
    ${l('base', 'pm + y * (q - pm)')}
    ${l('gamma', 'gammaNeg + y * (gammaPos - gammaNeg)')}
    ${v('w', '1.0')}
    ${v('dw', '0.0')}
    if (gamma > 0.0 && base > 0.0) {
      w = exp2(gamma * log2(base));
      dw = gamma * w * ((dpm + y * (-pq - dpm)) / base);
    }
    if (gamma > 0.0 && base <= 0.0) { w = 0.0; }
    ${l('loss', '-logTerm * w')}
    ${l('grad', '-(dLog * w + focal * logTerm * dw)')}
  `;
}

/**
 * The per-row statistics of the single-label kernels, gathered in one pass over the row (an
 * online softmax, as in FlashAttention): the row's maximum `m`, `rest = sum_{j != argmax}
 * exp(x_j - m)` (one occurrence of the maximum left out, so that `log1p(rest)` is exact for
 * confident rows), and over the non-target classes `sumB = sum exp(gammaNeg (x_j - m))` and
 * `sumA = sum exp(gammaNeg (x_j - m)) (x_j - m)`. Partial statistics (of segments, of threads)
 * merge exactly, rescaled to the larger maximum; every term added has one sign (`rest`, `sumB`
 * >= 0, `sumA` <= 0), so nothing cancels.
 */
export const singleLabelStats = ['rowMax', 'rest', 'sumB', 'sumA'] as const;

/**
 * Declares the running statistics `statM`, `statR`, `statB`, `statA` (see
 * {@link singleLabelStats}) from a
 * first logit `v`; `excluded` (a boolean expression) when it is the target class.
 */
export function singleLabelStatsStart(d: Dialect, v: string, excluded: string): string {
  const { var: vr, select } = syntax[d];
  return `
    ${vr('statM', v)}
    ${vr('statR', '0.0')}
    ${vr('statB', select(excluded, '0.0', '1.0'))}
    ${vr('statA', '0.0')}
  `;
}

/** Adds logit `v` to the running statistics; `excluded` when it is the target class. */
export function singleLabelStatsAdd(d: Dialect, v: string, excluded: string): string {
  const { let: l } = syntax[d];
  return `
    if (${v} > statM) {
      ${l('shift', `statM - ${v}`)}
      ${l('g', 'exp(gammaNeg * shift)')}
      statR = (statR + 1.0) * exp(shift);
      statA = g * (statA + shift * statB);
      statB = g * statB;
      statM = ${v};
    } else {
      statR += exp(${v} - statM);
    }
    if (!(${excluded})) {
      ${l('u', `${v} - statM`)}
      ${l('e', 'exp(gammaNeg * u)')}
      statB += e;
      statA += e * u;
    }
  `;
}

/**
 * Merges the partial statistics `m2`, `r2`, `b2`, `a2` (expressions) into the running ones.
 * `empty`: the maximum of a partial with no elements (WGSL's threads past the row's end), or
 * null where partials are never empty.
 */
export function singleLabelStatsMerge(
  d: Dialect,
  [m2, r2, b2, a2]: readonly [string, string, string, string],
  empty: string | null,
): string {
  const { let: l } = syntax[d];
  const merge = `
    if (${m2} > statM) {
      ${l('shift', `statM - ${m2}`)}
      ${l('g', 'exp(gammaNeg * shift)')}
      statR = ${r2} + (statR + 1.0) * exp(shift);
      statA = ${a2} + g * (statA + shift * statB);
      statB = ${b2} + g * statB;
      statM = ${m2};
    } else {
      ${l('shift', `${m2} - statM`)}
      ${l('g', 'exp(gammaNeg * shift)')}
      statR += (${r2} + 1.0) * exp(shift);
      statA += g * (${a2} + shift * ${b2});
      statB += g * ${b2};
    }
  `;
  if (empty === null) return merge;
  return `
    if (${m2} > ${empty}) {
      if (statM == ${empty}) {
        statM = ${m2};
        statR = ${r2};
        statB = ${b2};
        statA = ${a2};
      } else {
        ${merge}
      }
    }
  `;
}

/**
 * The per-row values the single-label gradient and loss read (stored one float each, in this
 * order), made from the statistics by {@link singleLabelRowTerms}: the core's row quantities
 * folded so that an element needs two exponentials.
 */
export const singleLabelRowValues = [
  'rowMax',
  'logSum',
  'oneMinusPt',
  'a',
  'rowA0',
  'rowBt',
  'rowBo',
  'rowLoss',
] as const;

/**
 * The row's values ({@link singleLabelRowValues}), from the statistics (`rowMax`, `rest`,
 * `sumB`, `sumA`) and the target logit `xt` in scope. With `logSum = log1p(rest)`,
 * `sum_{j != t} w_j = exp(-gammaNeg logSum) sumB`,
 * `sum_{j != t} w_j l_j = exp(-gammaNeg logSum) (sumA - logSum sumB)` (both terms <= 0),
 * `1 - p_t = rest / (1 + rest)` when the target holds the maximum (no cancellation: only then can
 * p_t exceed 1/2) and `1 - p_t` otherwise; `wt = (1 - p_t)^gammaPos`, `s1`, `s2` and
 * `a = focal s_t l_t gammaPos w_t p_t` as in the core; `rowA0 = -s_t w_t (1 - p_t) + a`,
 * `rowBt = sOther sum(w) + gn s2`, `rowBo = s1 + gn s2` (`gn = focal gammaNeg`) and
 * `rowLoss = -(s_t w_t l_t + s2)` (unweighted).
 */
export function singleLabelRowTerms(d: Dialect): string {
  const { let: l, var: v, select } = syntax[d];
  return `
    ${l('logSum', log1p(d, 'rest'))}
    ${l('scaleW', 'exp(-gammaNeg * logSum)')}
    ${l('sumOtherW', 'scaleW * sumB')}
    ${l('sumOtherWL', 'scaleW * (sumA - logSum * sumB)')}
    ${l('lt', 'xt - rowMax - logSum')}
    ${l('pt', 'exp(lt)')}
    ${l('oneMinusPt', select('xt == rowMax', 'rest / (1.0 + rest)', '1.0 - pt'))}
    ${v('wt', '1.0')}
    if (gammaPos > 0.0) { wt = ${select('oneMinusPt > 0.0', 'exp2(gammaPos * log2(oneMinusPt))', '0.0')}; }
    ${l('s2', 'sOther * sumOtherWL')}
    ${l('s1', 'sTarget * wt + sOther * sumOtherW')}
    ${l('a', 'focal * sTarget * lt * gammaPos * wt * pt')}
    ${l('rowGn', 'focal * gammaNeg')}
    ${l('rowA0', '-sTarget * wt * oneMinusPt + a')}
    ${l('rowBt', 'sOther * sumOtherW + rowGn * s2')}
    ${l('rowBo', 's1 + rowGn * s2')}
    ${l('rowLoss', '-(sTarget * wt * lt + s2)')}
  `;
}

/**
 * The gradient of one element with logit `x`, given `rowMax` and `logSum` in scope, the boolean
 * expression `isTarget` and `read(name)`, an expression for one of the row's values (read only
 * by the branch that needs it): defines `grad` (unweighted, unscaled). With
 * `l = x - max - logSum`, `p = exp(l)`, `w = exp(gammaNeg l)`: the target's `rowA0 + p rowBt`,
 * another class's `-sOther w (1 + gn l) + p rowBo - a p / (1 - p_t)` (the core's formulas,
 * regrouped).
 */
export function singleLabelElementGrad(
  d: Dialect,
  isTarget: string,
  read: (name: (typeof singleLabelRowValues)[number]) => string,
): string {
  const { let: l, var: v, select } = syntax[d];
  return `
    ${l('el', 'x - rowMax - logSum')}
    ${l('ep', 'exp(el)')}
    ${v('grad', '0.0')}
    if (${isTarget}) {
      grad = ${read('rowA0')} + ep * ${read('rowBt')};
    } else {
      ${l('oneMinusPt', read('oneMinusPt'))}
      ${l('ratio', select('oneMinusPt > 0.0', 'ep / oneMinusPt', '0.0'))}
      grad = -sOther * exp(gammaNeg * el) * (1.0 + focal * gammaNeg * el) + ep * ${read('rowBo')} -
        ${read('a')} * ratio;
    }
  `;
}
