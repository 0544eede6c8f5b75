/**
 * What the Try panel shows of a model while it trains, the paper's argument on real data: the
 * distribution of the predicted probabilities of the validation set's negatives and positives,
 * and which elements the gradient comes from (easy negatives below the clip m, the other
 * negatives, the positives). Computed with the library's core from the validation logits; no
 * DOM, no tfjs (it runs in the training workers, and the tests recompute it in Node).
 */
import { asymmetricLossMultiLabel } from 'asymmetric-loss';
import type { LossSettings } from 'asymmetric-loss-tagger';

/** The histograms' bins: `count` log-spaced bins from `min` to 1 (p below `min` go in the first). */
export const probabilityBins = { min: 1e-4, count: 24 } as const;

/** The bins' edges, `count + 1` of them, from `min` to 1. */
export function binEdges(): number[] {
  const { min, count } = probabilityBins;
  const decades = -Math.log10(min);
  return Array.from({ length: count + 1 }, (_, k) =>
    k === 0 ? min : k === count ? 1 : 10 ** (-decades + (decades * k) / count),
  );
}

/** Where the gradient of a set comes from, as shares of the sum of |dL/dz| (they add to 1). */
export interface GradientShares {
  /** Negatives with p < m (ASL discards them: 0 there). */
  easyNegatives: number;
  /** The other negatives. */
  otherNegatives: number;
  positives: number;
}

/** The statistics of one run after one epoch, on the validation set. */
export interface InsightStats {
  epoch: number;
  /** The clip m that defines the easy negatives (the ASL run's, for both runs). */
  clip: number;
  /** Counts per bin (see {@link binEdges}) of the negatives' and of the positives' p. */
  histogram: { negative: number[]; positive: number[] };
  negatives: number;
  positives: number;
  /** How many negatives are easy (p < m). */
  easyNegatives: number;
  shares: GradientShares;
  /** The sum of |dL/dz| over the set (each run's own loss, reduction 'sum'). */
  gradientSum: number;
}

/** The bin of `p` among `edges` (binary search; p below the first edge goes in bin 0). */
function binOf(p: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (p >= edges[mid]) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The statistics of `logits` (n × c, row-major) against `targets` (0/1, same layout), with the
 * gradient of `loss` (the run's own loss, computed by the core) and the easy negatives defined
 * by `clip`.
 *
 * @example
 * ```ts
 * const stats = insightOf(1, logits, set.tagTargets, [set.n, c], lossPreset('tags', 'bce'), 0.05);
 * stats.shares.easyNegatives; // the share of BCE's gradient from negatives with p < 0.05
 * ```
 */
export function insightOf(
  epoch: number,
  logits: Float32Array,
  targets: Uint8Array,
  shape: readonly [number, number],
  loss: LossSettings,
  clip: number,
): InsightStats {
  const { grad } = asymmetricLossMultiLabel(logits, Float32Array.from(targets), shape, {
    gammaNeg: loss.gammaNeg,
    gammaPos: loss.gammaPos,
    clip: loss.clip,
    eps: loss.eps,
    focalGrad: loss.focalGrad,
    reduction: 'sum',
  });
  const edges = binEdges();
  const negative = new Array<number>(probabilityBins.count).fill(0);
  const positive = new Array<number>(probabilityBins.count).fill(0);
  let easy = 0;
  let positives = 0;
  const sums = { easy: 0, other: 0, positive: 0 };
  for (let k = 0; k < logits.length; k++) {
    const p = 1 / (1 + Math.exp(-logits[k]));
    const g = Math.abs(grad[k]);
    if (targets[k] === 1) {
      positives++;
      positive[binOf(p, edges)]++;
      sums.positive += g;
    } else {
      negative[binOf(p, edges)]++;
      if (p < clip) {
        easy++;
        sums.easy += g;
      } else sums.other += g;
    }
  }
  const total = sums.easy + sums.other + sums.positive;
  const share = (x: number) => (total > 0 ? x / total : 0);
  return {
    epoch,
    clip,
    histogram: { negative, positive },
    negatives: logits.length - positives,
    positives,
    easyNegatives: easy,
    shares: {
      easyNegatives: share(sums.easy),
      otherNegatives: share(sums.other),
      positives: share(sums.positive),
    },
    gradientSum: total,
  };
}

/** Bytes as base64 (for exporting the logits from the page). */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
