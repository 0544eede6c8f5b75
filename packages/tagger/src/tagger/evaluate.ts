/**
 * Evaluation of a trained tagger: mAP and the CP..OF1 metrics for the tags, top-1, top-5 and
 * macro-F1 for the sections. Browser-safe.
 */
import {
  meanAveragePrecision,
  thresholdMetrics,
  type ThresholdMetricsResult,
} from 'asymmetric-loss/metrics';
import type { EncodedSet } from './features.js';

/** Numerically safe logistic function. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Element-wise {@link sigmoid} of logits into a new Float32Array. */
export function sigmoidAll(logits: Float32Array): Float32Array {
  const out = new Float32Array(logits.length);
  for (let k = 0; k < logits.length; k++) out[k] = sigmoid(logits[k]);
  return out;
}

/** Row-wise softmax of `[n, c]` logits into a new Float32Array. */
export function softmaxRows(logits: Float32Array, c: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let start = 0; start < logits.length; start += c) {
    let max = -Infinity;
    for (let j = 0; j < c; j++) max = Math.max(max, logits[start + j]);
    let sum = 0;
    for (let j = 0; j < c; j++) sum += out[start + j] = Math.exp(logits[start + j] - max);
    for (let j = 0; j < c; j++) out[start + j] /= sum;
  }
  return out;
}

/** A tag's average precision. */
export interface TagScore {
  /** The tag. */
  tag: string;
  /** Average precision, percent. */
  ap: number;
  /** Positives of the tag in the evaluated data. */
  positives: number;
}

/** The metrics of the `tags` task, percentages (0-100). */
export interface TagEvaluation {
  /** Records evaluated. */
  samples: number;
  /** Mean average precision over the tags with at least one positive, percent. */
  map: number;
  /** Tags averaged into `map`. */
  tagsUsed: number;
  /** Tags of the model without any positive in the data (left out of `map`). */
  tagsWithoutPositives: number;
  /** CP, CR, CF1, OP, OR, OF1 with the tags of probability >= 0.5 predicted. */
  atThreshold: ThresholdMetricsResult;
  /** The same with the 3 most probable tags of each record predicted. */
  top3: ThresholdMetricsResult;
  /** The tags with the highest AP (most positives first among ties). */
  best: TagScore[];
  /** The tags with the lowest AP. */
  worst: TagScore[];
  /** Occurrences of tags of the data that the model does not know (not evaluated). */
  unknownTags: number;
  /** Those tags with their counts, most frequent first. */
  unknownTagList: { tag: string; count: number }[];
}

/** Options of {@link evaluateTags}. */
export interface EvaluateTagsOptions {
  /** Probability threshold of the threshold metrics, default 0.5. */
  threshold?: number;
  /** k of the top-k metrics, default 3. */
  topK?: number;
  /** How many best and worst tags to list, default 5. */
  list?: number;
  /**
   * `[n, c]`, 1 where a label is hidden (partial annotations): hidden labels are left out of
   * every metric (the metrics' `unannotated: 'ignore'`). Default none.
   */
  hidden?: Uint8Array | null;
}

/** The unknown labels of a set as a sorted list and a total. */
function unknownOf(set: EncodedSet): { total: number; list: { tag: string; count: number }[] } {
  const list = [...set.unknownLabels].map(([tag, count]) => ({ tag, count }));
  list.sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1));
  return { total: list.reduce((s, u) => s + u.count, 0), list };
}

/**
 * Evaluates tag probabilities against the targets of `set`.
 *
 * @param probabilities - `[n, c]` sigmoid outputs, row-major.
 * @param set - The encoded data (task `tags`).
 * @param tags - The model's tags, in output order.
 * @param options - Threshold, k, and the length of the best/worst lists.
 */
export function evaluateTags(
  probabilities: Float32Array,
  set: EncodedSet,
  tags: readonly string[],
  options: EvaluateTagsOptions = {},
): TagEvaluation {
  const { threshold = 0.5, topK = 3, list = 5, hidden = null } = options;
  const n = set.n;
  const c = tags.length;
  if (set.tagTargets === null) throw new TypeError('evaluateTags: the set has no tag targets');
  const targets =
    hidden === null
      ? set.tagTargets
      : Int32Array.from(set.tagTargets, (v, k) => (hidden[k] === 1 ? -1 : v));
  const shape: [number, number] = [n, c];
  const common = { validate: false, unannotated: 'ignore' } as const;
  const ap = meanAveragePrecision(probabilities, targets, shape, common);
  const positives = new Int32Array(c);
  for (let k = 0; k < targets.length; k++) if (targets[k] === 1) positives[k % c]++;
  const scored: TagScore[] = [];
  for (let j = 0; j < c; j++)
    if (positives[j] > 0)
      scored.push({ tag: tags[j], ap: 100 * ap.perClass[j], positives: positives[j] });
  scored.sort((a, b) => b.ap - a.ap || b.positives - a.positives || (a.tag < b.tag ? -1 : 1));
  const unknown = unknownOf(set);
  const k = Math.min(topK, c);
  return {
    samples: n,
    map: 100 * ap.map,
    tagsUsed: ap.classesUsed,
    tagsWithoutPositives: ap.emptyClasses,
    atThreshold: thresholdMetrics(probabilities, targets, shape, { threshold, ...common }),
    top3: thresholdMetrics(probabilities, targets, shape, { topK: k, ...common }),
    best: scored.slice(0, list),
    worst: scored.slice(-list).reverse(),
    unknownTags: unknown.total,
    unknownTagList: unknown.list,
  };
}

/** The metrics of the `section` task, percentages (0-100). */
export interface SectionEvaluation {
  /** Records evaluated (those whose section the model knows). */
  samples: number;
  /** Accuracy of the most probable section. */
  top1: number;
  /** Share of records whose section is among the 5 most probable. */
  top5: number;
  /**
   * Macro-averaged F1 over the sections that occur in the data or in the predictions
   * (scikit-learn's `f1_score(average='macro')`).
   */
  macroF1: number;
  /** Sections counted in `macroF1`. */
  sectionsUsed: number;
  /** Records with a section the model does not know (not evaluated). */
  unknownSections: number;
  /** Those sections with their counts. */
  unknownSectionList: { tag: string; count: number }[];
}

/**
 * Evaluates section scores (logits or probabilities) against the classes of `set`.
 *
 * @param scores - `[n, c]` scores, row-major.
 * @param set - The encoded data (task `section`).
 * @param c - Number of sections of the model.
 */
export function evaluateSections(
  scores: Float32Array,
  set: EncodedSet,
  c: number,
): SectionEvaluation {
  const targets = set.classTargets;
  if (targets === null) throw new TypeError('evaluateSections: the set has no class targets');
  const truePositive = new Float64Array(c);
  const predicted = new Float64Array(c);
  const actual = new Float64Array(c);
  let samples = 0;
  let top1 = 0;
  let top5 = 0;
  for (let i = 0; i < set.n; i++) {
    const t = targets[i];
    if (t < 0) continue;
    samples++;
    const row = scores.subarray(i * c, (i + 1) * c);
    let best = 0;
    let rank = 0; // classes scoring strictly higher than the target, or equal with a lower index
    for (let j = 0; j < c; j++) {
      if (row[j] > row[best]) best = j;
      if (row[j] > row[t] || (row[j] === row[t] && j < t)) rank++;
    }
    predicted[best]++;
    actual[t]++;
    if (best === t) {
      top1++;
      truePositive[t]++;
    }
    if (rank < 5) top5++;
  }
  let f1Sum = 0;
  let used = 0;
  for (let j = 0; j < c; j++) {
    if (actual[j] === 0 && predicted[j] === 0) continue;
    used++;
    const denominator = actual[j] + predicted[j];
    f1Sum += denominator > 0 ? (2 * truePositive[j]) / denominator : 0;
  }
  const unknown = unknownOf(set);
  return {
    samples,
    top1: samples > 0 ? (100 * top1) / samples : 0,
    top5: samples > 0 ? (100 * top5) / samples : 0,
    macroF1: used > 0 ? (100 * f1Sum) / used : 0,
    sectionsUsed: used,
    unknownSections: unknown.total,
    unknownSectionList: unknown.list,
  };
}
