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
 *   exp(x_j - max)`, `logSum = log1p(rest)`; `l_j = x_j - max - logSum`,
 *   `p_j = exp(x_j - max) / (1 + rest)`, `w_j = exp(gammaNeg l_j)` (the core's fractional-gamma
 *   form, used for every gamma here: exact where `p_j` underflows), `1 - p_t` as the sum of the
 *   other probabilities when `p_t > 1/2`, and the gradient of the core term for term (the `A r_k`
 *   term per element, `r_k = p_k / (1 - p_t) <= 1`).
 * GLSL's `log1p` is missing: `log1p(u)` is `u (1 - u / 2)` for `|u| < 1e-4` (error below 1e-12
 * relative) and `log(1 + u)` elsewhere. Row sums are blocked (chunks of 32 in GLSL's loops, a
 * tree in WGSL's workgroups), never one sequential float32 sum over a long row.
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
 * The per-row statistics of the single-label kernels, as stored (one float each): the row's
 * maximum, `rest = sum_{j != argmax} exp(x_j - max)`, and the sums over the non-target classes of
 * `p_j`, `w_j` and `w_j l_j`.
 */
export const singleLabelStats = ['rowMax', 'rest', 'sumOtherP', 'sumOtherW', 'sumOtherWL'] as const;

/**
 * One term of each non-target sum for logit `v` (not the target class), from `rowMax`, `logSum`
 * and `sumExp` in scope: defines `tp`, `tw` and `twl`.
 */
export function singleLabelSumTerms(d: Dialect, v: string): string {
  const { let: l } = syntax[d];
  return `
    ${l('tl', `${v} - rowMax - logSum`)}
    ${l('tp', `exp(${v} - rowMax) / sumExp`)}
    ${l('tw', 'exp(gammaNeg * tl)')}
    ${l('twl', 'tw * tl')}
  `;
}

/** From `rowMax` and `rest` in scope: defines `logSum` and `sumExp`. */
export function singleLabelRowNormaliser(d: Dialect): string {
  const { let: l } = syntax[d];
  return `
    ${l('logSum', log1p(d, 'rest'))}
    ${l('sumExp', '1.0 + rest')}
  `;
}

/**
 * The row's target terms, from the statistics, `logSum`, `sumExp` and the target logit `xt` in
 * scope: defines `lt`, `pt`, `oneMinusPt`, `wt`, `s1`, `s2`, `a`, `gn` and `rowLoss` (unweighted).
 */
export function singleLabelRowTerms(d: Dialect): string {
  const { let: l, var: v, select } = syntax[d];
  return `
    ${l('lt', 'xt - rowMax - logSum')}
    ${l('pt', 'exp(xt - rowMax) / sumExp')}
    ${l('oneMinusPt', select('pt > 0.5', 'sumOtherP', '1.0 - pt'))}
    ${v('wt', '1.0')}
    if (gammaPos > 0.0) { wt = ${select('oneMinusPt > 0.0', 'exp2(gammaPos * log2(oneMinusPt))', '0.0')}; }
    ${l('s2', 'sOther * sumOtherWL')}
    ${l('s1', 'sTarget * wt + sOther * sumOtherW')}
    ${l('a', 'focal * sTarget * lt * gammaPos * wt * pt')}
    ${l('gn', 'focal * gammaNeg')}
    ${l('rowLoss', '-(sTarget * wt * lt + s2)')}
  `;
}

/**
 * The gradient of one element with logit `x`, from the row terms in scope and the boolean
 * expression `isTarget`: defines `grad` (unweighted, unscaled).
 */
export function singleLabelElementGrad(d: Dialect, isTarget: string): string {
  const { let: l, select } = syntax[d];
  return `
    ${l('el', 'x - rowMax - logSum')}
    ${l('ep', 'exp(x - rowMax) / sumExp')}
    ${l('ew', 'exp(gammaNeg * el)')}
    ${l('ratio', select('oneMinusPt > 0.0', 'ep / oneMinusPt', '0.0'))}
    ${l('gTarget', '-sTarget * wt * oneMinusPt + ep * sOther * sumOtherW + gn * ep * s2 + a')}
    ${l('gOther', '-sOther * ew + ep * s1 - gn * (sOther * ew * el - ep * s2) - a * ratio')}
    ${l('grad', select(isTarget, 'gTarget', 'gOther'))}
  `;
}
