import { argumentError } from './errors.js';
import {
  checkShape,
  prepareInputs,
  type ScoresInput,
  type Shape,
  type TargetsInput,
} from './inputs.js';
import {
  checkOptionNames,
  readBoolean,
  readNumber,
  readUnannotated,
  type UnannotatedTargets,
} from './options.js';

/** Options of {@link thresholdMetrics}. */
export interface ThresholdMetricsOptions {
  /**
   * A label is predicted when its score is `>= threshold`. A number in `[0, 1]`, default 0.5.
   * Scores are then expected to be probabilities: finite and `>= 0` (see
   * {@link thresholdMetrics} for why scores above 1 are accepted). Cannot be combined with
   * `topK`.
   */
  threshold?: number;
  /**
   * Predict instead the `topK` highest-scoring labels of each sample (ties go to the lower
   * class index). An integer in `[1, c]`, default none (use `threshold`). Being rank-based,
   * top-k accepts any scores but NaN, logits included.
   */
  topK?: number;
  /**
   * Targets of -1 (unannotated labels): `'error'` (default) refuses them; `'ignore'` leaves
   * them out of every count (an unannotated label predicted positive is neither a true nor a
   * false positive; top-k still ranks all of a sample's labels).
   */
  unannotated?: UnannotatedTargets;
  /**
   * Scan the values (scores finite and `>= 0`, or not NaN with `topK`; targets 0 or 1) before
   * computing. Default `true`. `false` skips this O(n c) scan: any score is then simply
   * compared with the threshold, and results on invalid values are unspecified.
   */
  validate?: boolean;
}

/**
 * The per-class (C) and overall (O) precision, recall and F1 of the papers, in percent
 * (0 to 100).
 */
export interface ThresholdMetricsResult {
  /** Per-class precision: mean over all `c` classes of `TP_j / (TP_j + FP_j)`. */
  CP: number;
  /** Per-class recall: mean over all `c` classes of `TP_j / (TP_j + FN_j)`. */
  CR: number;
  /** Per-class F1: `2 · CP · CR / (CP + CR)`. */
  CF1: number;
  /** Overall precision: `Σ TP_j / Σ (TP_j + FP_j)`. */
  OP: number;
  /** Overall recall: `Σ TP_j / Σ (TP_j + FN_j)`. */
  OR: number;
  /** Overall F1: `2 · OP · OR / (OP + OR)`. */
  OF1: number;
}

/**
 * Per-class counts behind {@link ThresholdMetricsResult}.
 *
 * @internal
 */
export interface ClassCounts {
  /** True positives of each class. */
  correct: Float64Array;
  /** Predicted positives of each class. */
  predicted: Float64Array;
  /** Actual positives of each class. */
  actual: Float64Array;
}

/**
 * Multi-label precision, recall and F1 as reported in the ML-GCN and ASL papers: CP, CR,
 * CF1 (per class, then averaged) and OP, OR, OF1 (over all labels), in percent.
 *
 * A label is predicted positive when its score is `>= threshold` (default 0.5), or, with
 * `topK: k`, when it is among the `k` highest scores of its sample (ties go to the lower
 * class index). With `TP_j`, `FP_j`, `FN_j` the counts of class `j`:
 *
 * - `CP = (100 / c) Σ_j TP_j / (TP_j + FP_j)`, `CR = (100 / c) Σ_j TP_j / (TP_j + FN_j)`,
 *   both means over all `c` classes; a class with no predicted positive has precision 0 and
 *   a class with no positive has recall 0.
 * - `OP = 100 Σ TP / Σ (TP + FP)`, `OR = 100 Σ TP / Σ (TP + FN)`.
 * - `CF1 = 2 CP CR / (CP + CR)`, `OF1 = 2 OP OR / (OP + OR)`.
 *
 * Any ratio whose denominator is 0 is 0.
 *
 * Scores: with a threshold, the function expects probabilities (sigmoid outputs) and compares
 * `score >= threshold`. Validation rejects NaN, infinite and negative scores with a
 * RangeError: a negative score cannot be a probability, and the logits of a multi-label model
 * are almost all negative, so this is what catches logits passed by mistake (apply a sigmoid
 * first). Scores above 1 are accepted and compared as they are, since shifted or calibrated
 * scores slightly above 1 are thresholded the same way in practice (the public reference
 * set's scores reach 1.29). Top-k is rank-based and accepts any scores but NaN, logits
 * included.
 *
 * @param scores - `n × c` scores, flat row-major or as rows: probabilities with a threshold
 *   (finite, `>= 0`), any numbers but NaN with `topK`.
 * @param targets - `n × c` targets, exactly 0 or 1, same layout options as `scores`.
 * @param shape - `[n, c]`; `n` may be 0 (all metrics are then 0), `c` must be at least 1.
 * @param options - `threshold` (default 0.5), `topK` (default none; replaces the threshold),
 *   `unannotated` (`'error'`, default, or `'ignore'`: targets of -1 count nowhere), `validate`
 *   (default `true`).
 * @returns `{ CP, CR, CF1, OP, OR, OF1 }` in percent.
 * @throws TypeError for arguments of the wrong type, unknown options or both `threshold` and
 *   `topK`; RangeError for bad shapes, lengths, scores that are NaN, infinite or negative
 *   (threshold) or NaN (top-k), targets other than 0/1, or bad option values.
 *
 * @example
 * ```ts
 * import { thresholdMetrics } from 'asymmetric-loss/metrics';
 *
 * const probabilities = [0.9, 0.2, 0.8, 0.6, 0.3, 0.1]; // 3 samples × 2 classes
 * const targets = [1, 0, 0, 1, 1, 0];
 * thresholdMetrics(probabilities, targets, [3, 2]);
 * // { CP: 75, CR: 75, CF1: 75, OP: 66.66…, OR: 66.66…, OF1: 66.66… }
 * thresholdMetrics(probabilities, targets, [3, 2], { topK: 1 });
 * // { CP: 33.33…, CR: 50, CF1: 40, OP: 66.66…, OR: 66.66…, OF1: 66.66… }
 * ```
 */
export function thresholdMetrics(
  scores: ScoresInput,
  targets: TargetsInput,
  shape: Shape,
  options?: ThresholdMetricsOptions,
): ThresholdMetricsResult {
  const fn = 'thresholdMetrics';
  const record = checkOptionNames(fn, options, ['threshold', 'topK', 'unannotated', 'validate']);
  if (record.threshold !== undefined && record.topK !== undefined) {
    throw argumentError(
      TypeError,
      fn,
      'options',
      "set either 'threshold' or 'topK'",
      'it sets both',
    );
  }
  const threshold = readNumber(fn, record, 'threshold', { min: 0, max: 1 }, 0.5);
  const [, classes] = checkShape(fn, shape);
  const topK = readNumber(fn, record, 'topK', { min: 1, max: classes, integer: true }, undefined);
  const validate = readBoolean(fn, record, 'validate', true);
  const unannotated = readUnannotated(fn, record);
  const domain = topK === undefined ? 'probability' : 'real';
  const input = prepareInputs(fn, scores, targets, shape, validate, domain, unannotated);
  const { n, c } = input;
  const counts =
    topK === undefined
      ? thresholdCounts(input.scores, input.targets, n, c, threshold)
      : topKCounts(input.scores, input.targets, n, c, topK);
  return metricsFromCounts(counts);
}

/**
 * Counts with predictions `score >= threshold`, on valid flat row-major inputs. Only targets
 * 1 (positive) and 0 (negative) count; any other (-1, unannotated) counts nowhere.
 *
 * @internal
 */
export function thresholdCounts(
  scores: ArrayLike<number>,
  targets: ArrayLike<number>,
  n: number,
  c: number,
  threshold: number,
): ClassCounts {
  const correct = new Float64Array(c);
  const predicted = new Float64Array(c);
  const actual = new Float64Array(c);
  for (let i = 0, base = 0; i < n; i++, base += c) {
    for (let j = 0; j < c; j++) {
      const target = targets[base + j];
      if (target !== 0 && target !== 1) continue;
      const positive = target === 1;
      if (positive) actual[j]++;
      if (scores[base + j] >= threshold) {
        predicted[j]++;
        if (positive) correct[j]++;
      }
    }
  }
  return { correct, predicted, actual };
}

/** Above this `k`, top-k selection sorts the row instead of insertion into a short list. */
const INSERTION_TOP_K = 16;

/**
 * Counts with predictions the `k` highest scores of each row (ties to the lower class
 * index), on valid flat row-major inputs with `1 <= k <= c`; targets other than 0 and 1
 * (unannotated) count nowhere.
 *
 * @internal
 */
export function topKCounts(
  scores: ArrayLike<number>,
  targets: ArrayLike<number>,
  n: number,
  c: number,
  k: number,
): ClassCounts {
  const correct = new Float64Array(c);
  const predicted = new Float64Array(c);
  const actual = new Float64Array(c);
  const chosen = new Uint32Array(Math.max(k, k > INSERTION_TOP_K ? c : 0));
  const chosenScore = new Float64Array(k);
  for (let i = 0, base = 0; i < n; i++, base += c) {
    for (let j = 0; j < c; j++) if (targets[base + j] === 1) actual[j]++;
    if (k <= INSERTION_TOP_K) {
      // Keep the best k seen so far in decreasing order; a later equal score does not enter.
      let filled = 0;
      for (let j = 0; j < c; j++) {
        const score = scores[base + j];
        if (filled === k && !(score > chosenScore[k - 1])) continue;
        let at = filled < k ? filled++ : k - 1;
        while (at > 0 && score > chosenScore[at - 1]) {
          chosenScore[at] = chosenScore[at - 1];
          chosen[at] = chosen[at - 1];
          at--;
        }
        chosenScore[at] = score;
        chosen[at] = j;
      }
    } else {
      for (let j = 0; j < c; j++) chosen[j] = j;
      chosen.sort((a, b) => scores[base + b] - scores[base + a] || a - b);
    }
    for (let t = 0; t < k; t++) {
      const j = chosen[t];
      const target = targets[base + j];
      if (target !== 0 && target !== 1) continue; // unannotated: counted nowhere
      predicted[j]++;
      if (target === 1) correct[j]++;
    }
  }
  return { correct, predicted, actual };
}

/**
 * CP, CR, CF1, OP, OR, OF1 in percent from per-class counts.
 *
 * @internal
 */
export function metricsFromCounts({
  correct,
  predicted,
  actual,
}: ClassCounts): ThresholdMetricsResult {
  const c = correct.length;
  let precisionSum = 0;
  let recallSum = 0;
  let correctTotal = 0;
  let predictedTotal = 0;
  let actualTotal = 0;
  for (let j = 0; j < c; j++) {
    precisionSum += ratio(correct[j], predicted[j]);
    recallSum += ratio(correct[j], actual[j]);
    correctTotal += correct[j];
    predictedTotal += predicted[j];
    actualTotal += actual[j];
  }
  const CP = (100 * precisionSum) / c;
  const CR = (100 * recallSum) / c;
  const OP = 100 * ratio(correctTotal, predictedTotal);
  const OR = 100 * ratio(correctTotal, actualTotal);
  return { CP, CR, CF1: f1(CP, CR), OP, OR, OF1: f1(OP, OR) };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}
