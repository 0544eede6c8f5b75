/**
 * What the Explore panel plots, computed with the library (no DOM): the loss and |dL/dz| curves
 * of the user's setting and of the references (cross-entropy and focal loss), the markers (clip
 * and p*), the readout at one p, and the user's point on the seed's three sweeps.
 */
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel } from 'asymmetric-loss';
import {
  defaultYMax,
  negativePeak,
  paperCurves,
  paperSettings,
  probabilityGrid,
  type CurvePoint,
  type LossSetting,
  type CurveMarker,
  seedLabels,
  seedLogits,
  seedMultiLabelTargets,
  type SweepPoint,
  yMaxSignal,
} from 'asymmetric-loss-tagger/plots';

/** The settings the sliders choose (the multi-label loss's hyperparameters). */
export interface ExploreSettings {
  gammaNeg: number;
  gammaPos: number;
  clip: number;
  /** Lower clamp of the probabilities inside the logs (the multi-label `eps`). */
  eps: number;
  focalGrad: 'full' | 'detached';
}

/** A slider's range. */
export interface SliderRange {
  min: number;
  max: number;
  step: number;
}

/**
 * The sliders' ranges (the page sets the inputs from these, and the URL's values are checked
 * against them): within the library's own ranges (gammas >= 0, clip in [0, 1)).
 */
export const sliderRanges = {
  gammaNeg: { min: 0, max: 8, step: 0.1 },
  gammaPos: { min: 0, max: 4, step: 0.1 },
  clip: { min: 0, max: 0.5, step: 0.01 },
} as const satisfies Record<string, SliderRange>;

/**
 * `value` snapped to the nearest step of `range` and rounded to the step's decimals (as the
 * slider shows it); undefined when it is not a finite number inside the range.
 */
export function snapToRange(value: number, range: SliderRange): number | undefined {
  if (!Number.isFinite(value) || value < range.min || value > range.max) return undefined;
  const steps = Math.round((value - range.min) / range.step);
  const decimals = Math.max(0, -Math.floor(Math.log10(range.step)));
  return Number(Math.min(range.max, range.min + steps * range.step).toFixed(decimals));
}

/** The choices of the focal-gradient menu. */
export const focalGradChoices = ['full', 'detached'] as const;

/** The paper's recommended setting, the page's starting point. */
export const initialSettings: ExploreSettings = {
  gammaNeg: 4,
  gammaPos: 0,
  clip: 0.05,
  eps: 1e-8,
  focalGrad: 'full',
};

/** Name of the user's curve (fixed, so that colours and dashes stay put while it moves). */
export const userCurveName = 'ASL (your settings)';

/** The references, drawn dashed: cross-entropy and focal loss (γ = 2), as in the CLI's plot. */
export const referenceSettings: readonly LossSetting[] = paperSettings.slice(0, 2);

/** The values of `eps` the eps slider steps through (0 keeps the logs exact). */
export const epsChoices: readonly number[] = [
  0, 1e-8, 1e-6, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.4,
];

/** The probabilities of the curves (0.001 to 0.999 by 0.002, the CLI's grid). */
export const grid: readonly number[] = probabilityGrid();

/** The settings of the three plotted curves: references first, the user's last. */
export function curveSettings(settings: ExploreSettings): LossSetting[] {
  return [...referenceSettings, { name: userCurveName, options: { ...settings } }];
}

/** The curves' rows (long format, as the CLI's plot 4), computed with the core. */
export function exploreCurves(settings: ExploreSettings): CurvePoint[] {
  return paperCurves(curveSettings(settings));
}

/** p* of the user's setting, or null when the negative gradient grows up to p = 1. */
export function userPeak(settings: ExploreSettings): number | null {
  return negativePeak(settings);
}

/** The clip and p* of the user's setting, for the negative panels. */
export function exploreMarkers(settings: ExploreSettings): CurveMarker[] {
  const markers: CurveMarker[] = [];
  if (settings.clip > 0)
    markers.push({ loss: userCurveName, p: settings.clip, label: `m = ${settings.clip}` });
  const peak = userPeak(settings);
  if (peak !== null)
    markers.push({ loss: userCurveName, p: peak, label: `p* = ${peak.toFixed(3)}` });
  return markers;
}

/** One row of the readout: a curve's four values at one p. */
export interface ReadoutRow {
  loss: string;
  negativeLoss: number;
  negativeGradient: number;
  positiveLoss: number;
  positiveGradient: number;
}

/** The values of every curve at grid index `index`, looked up in the plotted rows. */
export function readoutAt(rows: readonly CurvePoint[], index: number): ReadoutRow[] {
  const p = grid[index];
  const byLoss = new Map<string, ReadoutRow>();
  for (const r of rows) {
    if (r.p !== p) continue;
    let row = byLoss.get(r.loss);
    if (row === undefined) {
      row = {
        loss: r.loss,
        negativeLoss: NaN,
        negativeGradient: NaN,
        positiveLoss: NaN,
        positiveGradient: NaN,
      };
      byLoss.set(r.loss, row);
    }
    const key =
      r.target === 'negative'
        ? r.quantity === 'loss'
          ? 'negativeLoss'
          : 'negativeGradient'
        : r.quantity === 'loss'
          ? 'positiveLoss'
          : 'positiveGradient';
    row[key] = r.value;
  }
  return [...byLoss.values()];
}

/** The grid index nearest to `p`. */
export function gridIndex(p: number): number {
  return Math.max(0, Math.min(grid.length - 1, Math.round((p - grid[0]) / (grid[1] - grid[0]))));
}

/**
 * The user's point on the seed's sweeps: the same losses and inputs as `gammaNegSweep` and
 * `clipSweep` (src/seed/walkthrough.ts), at the slider's gamma_neg and clip.
 */
export function sweepHighlights(settings: ExploreSettings): {
  smoothed: SweepPoint;
  flat: SweepPoint;
  clip: SweepPoint;
} {
  const logits = seedLogits();
  const single = (eps: number): SweepPoint => ({
    x: settings.gammaNeg,
    loss: asymmetricLossSingleLabel(logits, seedLabels, [3, 10], {
      gammaNeg: settings.gammaNeg,
      eps,
      grad: false,
    }).loss,
  });
  const clipLoss = asymmetricLossMultiLabel(logits, seedMultiLabelTargets(), [3, 10], {
    clip: settings.clip,
    grad: false,
  }).loss;
  return { smoothed: single(0.1), flat: single(0), clip: { x: settings.clip, loss: clipLoss } };
}

/**
 * The tops of the curves' y axes: the defaults of the spec (fixed for the losses, the largest
 * curve for the gradients), or, with `fit`, 8% above the user's curve in each panel.
 */
export function yAxisTops(rows: readonly CurvePoint[], fit: boolean): Record<string, number> {
  const tops = defaultYMax(rows);
  if (!fit) return tops;
  for (const target of ['negative', 'positive'] as const)
    for (const quantity of ['loss', 'gradient'] as const) {
      let max = 0;
      for (const r of rows)
        if (r.loss === userCurveName && r.target === target && r.quantity === quantity)
          max = Math.max(max, r.value);
      tops[yMaxSignal(target, quantity)] = max > 0 ? 1.08 * max : 1;
    }
  return tops;
}

/** The eps of a sentence: 1e-8, 0.01. */
export function formatEps(eps: number): string {
  return eps === 0 ? '0' : eps < 1e-3 ? eps.toExponential(0) : String(eps);
}

/**
 * The plain-language summary of a setting: what the clip, p*, eps and γ+ do to the curves.
 * eps is mentioned from 0.001 on (below, the clamped region is beyond the plotted p).
 */
export function summaryOf(settings: ExploreSettings): string {
  const { gammaNeg, gammaPos, clip, eps, focalGrad } = settings;
  const sentences: string[] = [];
  const clipText =
    clip > 0
      ? `negatives with p below the clip m = ${clip.toFixed(2)} are discarded (zero loss and gradient)`
      : 'no clip: every negative counts';
  const peak = userPeak(settings);
  const peakText =
    peak === null
      ? 'the negative gradient grows all the way to p = 1 (no p*: confident negatives, possibly mislabeled, get the largest gradient)'
      : `the negative gradient peaks at p* = ${peak.toFixed(3)}; beyond it, very confident negatives (likely mislabeled) are attenuated`;
  sentences.push(`γ− = ${gammaNeg.toFixed(1)}: ${clipText}; ${peakText}.`);
  sentences.push(
    gammaPos === 0
      ? 'γ+ = 0: on positives ASL is cross-entropy, so the dashed CE line lies under the solid one there.'
      : `γ+ = ${gammaPos.toFixed(1)} also fades easy positives (the paper keeps γ+ = 0 so that the rare positives keep their gradient).`,
  );
  if (eps >= 1e-3) {
    // Below eps the log is constant: only a differentiated focal weight still has a gradient.
    const positivesKeep = gammaPos > 0 && focalGrad === 'full';
    const negativesKeep = gammaNeg > 0 && focalGrad === 'full';
    const edge = 1 - eps + clip;
    let text =
      `eps = ${formatEps(eps)} clamps the logs: positives with p < ${formatEps(eps)} get ` +
      (positivesKeep ? 'only the focal weight’s gradient' : 'no gradient at all');
    if (edge < 1)
      text +=
        `, and so do negatives with p > 1 − eps + m = ${edge.toFixed(3)}` +
        (positivesKeep !== negativesKeep
          ? negativesKeep
            ? ' (only the focal weight’s gradient)'
            : ' (no gradient at all)'
          : '');
    sentences.push(`${text}.`);
  }
  return sentences.join(' ');
}
