/**
 * The paper's view of ASL, computed with the core: loss and gradient magnitude |dL/dz| against
 * the probability p for a negative and for a positive, under cross-entropy, focal loss and two
 * ASL settings, and p*, the probability at which a negative's gradient peaks (beyond it ASL
 * attenuates the gradient of likely mislabeled negatives). Browser-safe.
 */
import { asymmetricLossMultiLabel, type MultiLabelLossOptions } from 'asymmetric-loss';

/**
 * A named loss setting of the paper's comparison (`eps` and `focalGrad` default to the core's
 * 1e-8 and 'full').
 */
export interface LossSetting {
  name: string;
  options: {
    gammaNeg: number;
    gammaPos: number;
    clip: number;
    eps?: number;
    focalGrad?: 'full' | 'detached';
  };
}

/** Cross-entropy, focal loss (gamma 2) and ASL (gamma_neg 4, clip 0.05; gamma_neg 2, clip 0.2). */
export const paperSettings: readonly LossSetting[] = [
  { name: 'CE', options: { gammaNeg: 0, gammaPos: 0, clip: 0 } },
  { name: 'Focal (γ = 2)', options: { gammaNeg: 2, gammaPos: 2, clip: 0 } },
  { name: 'ASL (γ− = 4, m = 0.05)', options: { gammaNeg: 4, gammaPos: 0, clip: 0.05 } },
  { name: 'ASL (γ− = 2, m = 0.2)', options: { gammaNeg: 2, gammaPos: 0, clip: 0.2 } },
];

/** One point of a curve. */
export interface CurvePoint {
  loss: string;
  target: 'negative' | 'positive';
  p: number;
  value: number;
  quantity: 'loss' | 'gradient';
}

/** The logit of p. */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

/**
 * Loss and |dL/dz| of one element with target `y` (0 or 1) at each probability of `ps`,
 * with the core's fused kernel (`eps` 1e-8, as the reference).
 */
export function lossAndGradient(
  ps: readonly number[],
  y: 0 | 1,
  options: MultiLabelLossOptions,
): { loss: Float32Array; gradient: Float32Array } {
  const logits = Float64Array.from(ps, logit);
  const targets = new Float32Array(ps.length).fill(y);
  const { loss, grad } = asymmetricLossMultiLabel(logits, targets, [1, ps.length], {
    ...options,
    reduction: 'none',
  });
  return { loss, gradient: grad.map(Math.abs) };
}

/** The probability grid of the curves: 0.001 to 0.999 in steps of 0.002. */
export function probabilityGrid(): number[] {
  return Array.from({ length: 500 }, (_, i) => 0.001 + 0.002 * i);
}

/** All curves of the paper's view, as long-format rows for vega-lite. */
export function paperCurves(settings: readonly LossSetting[] = paperSettings): CurvePoint[] {
  const ps = probabilityGrid();
  const rows: CurvePoint[] = [];
  for (const setting of settings)
    for (const [y, target] of [
      [0, 'negative'],
      [1, 'positive'],
    ] as const) {
      const { loss, gradient } = lossAndGradient(ps, y, setting.options);
      ps.forEach((p, i) => {
        rows.push({ loss: setting.name, target, p, value: loss[i], quantity: 'loss' });
        rows.push({ loss: setting.name, target, p, value: gradient[i], quantity: 'gradient' });
      });
    }
  return rows;
}

/**
 * |dL/dz| of a negative at probability p, in float64: with `pm = p - m > 0`,
 * `dL/dz = p (1 - p) [pm^γ / (1 - pm) - γ pm^(γ - 1) log(1 - pm)]` (0 for p <= m).
 * The same value the core's kernel gives (a test checks it), without float32 rounding, so that
 * the peak can be located precisely.
 *
 * `focalGrad` 'detached' drops the second term (the focusing weight is not differentiated);
 * `eps` > 0 clamps the log as the core does: where `1 - pm < eps` the log is the constant
 * `log(eps)`, so only the second term remains. The defaults (full, 0) give the formula above.
 */
export function negativeGradient(
  p: number,
  gammaNeg: number,
  clip: number,
  focalGrad: 'full' | 'detached' = 'full',
  eps = 0,
): number {
  const pm = p - clip;
  if (pm <= 0) return 0;
  const clamped = 1 - pm < eps;
  const logTerm = clamped ? Math.log(eps) : Math.log1p(-pm);
  const direct = clamped ? 0 : Math.pow(pm, gammaNeg) / (1 - pm);
  const focus =
    gammaNeg === 0 || focalGrad === 'detached'
      ? 0
      : gammaNeg * Math.pow(pm, gammaNeg - 1) * logTerm;
  return p * (1 - p) * (direct - focus);
}

/** The maximum of `f` on (lo, 1): a grid scan, then golden-section search to `tolerance`. */
function maximise(
  f: (p: number) => number,
  lo: number,
  tolerance: number,
): { p: number; atEdge: boolean } {
  const steps = 4000;
  let best = 1;
  let bestStep = 0;
  let bestValue = -Infinity;
  for (let i = 1; i < steps; i++) {
    const p = lo + ((1 - lo) * i) / steps;
    const v = f(p);
    if (v > bestValue) [best, bestValue, bestStep] = [p, v, i];
  }
  const h = (1 - lo) / steps;
  let [a, b] = [best - h, Math.min(1, best + h)];
  const ratio = (Math.sqrt(5) - 1) / 2;
  while (b - a > tolerance) {
    const c = b - ratio * (b - a);
    const d = a + ratio * (b - a);
    if (f(c) > f(d)) b = d;
    else a = c;
  }
  return { p: (a + b) / 2, atEdge: bestStep === steps - 1 };
}

/**
 * p*: the probability in (clip, 1) where a negative's gradient magnitude peaks (for gammaNeg > 0;
 * cross-entropy's grows to p = 1). A grid scan brackets the maximum, then golden-section search
 * narrows it to `tolerance`.
 */
export function peakNegativeProbability(gammaNeg: number, clip: number, tolerance = 1e-10): number {
  return maximise((p) => negativeGradient(p, gammaNeg, clip), clip, tolerance).p;
}

/**
 * p* for any setting (with its `focalGrad` and `eps`), or null when the negative gradient has no
 * peak inside (clip, 1) and grows all the way to p = 1 (cross-entropy, or a detached focusing
 * weight without clip): then no likely-mislabeled negative is attenuated.
 */
export function negativePeak(options: LossSetting['options'], tolerance = 1e-10): number | null {
  const { gammaNeg, clip, focalGrad = 'full', eps = 1e-8 } = options;
  const f = (p: number) => negativeGradient(p, gammaNeg, clip, focalGrad, eps);
  const { p, atEdge } = maximise(f, clip, tolerance);
  return atEdge ? null : p;
}
