/**
 * What the Explore panel plots, computed with the library (no DOM): the loss and |dL/dz| curves
 * of the user's setting and of the references (cross-entropy and focal loss), the markers (clip
 * and p*), the readout at one p, and the user's point on the seed's three sweeps.
 */
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel } from 'asymmetric-loss';
import {
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
