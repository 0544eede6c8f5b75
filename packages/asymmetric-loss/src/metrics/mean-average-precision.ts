import {
  averagePrecisionCore,
  type AveragePrecisionCore,
  type AveragePrecisionOptions,
} from './average-precision.js';
import { prepareInputs, type ScoresInput, type Shape, type TargetsInput } from './inputs.js';
import {
  averagePrecisionOptionNames,
  checkOptionNames,
  readAveragePrecisionOptions,
  readBoolean,
  type EmptyClasses,
} from './options.js';

/** Options of {@link meanAveragePrecision}: the same as those of `averagePrecision`. */
export type MeanAveragePrecisionOptions = AveragePrecisionOptions;

/** Result of {@link meanAveragePrecision}. */
export interface MeanAveragePrecisionResult {
  /**
   * Mean of the per-class AP over the classes used, as a fraction in `[0, 1]` (papers
   * usually print `100 * map`). 0 when no class is used, e.g. when there are no samples.
   */
  map: number;
  /**
   * AP of each class. Classes without positives are `NaN` with `emptyClasses: 'ignore'`
   * and 0 with `emptyClasses: 'zero'`.
   */
  perClass: Float64Array;
  /**
   * Number of classes averaged into `map`: the classes with at least one positive with
   * `emptyClasses: 'ignore'`, all `c` with `'zero'`; 0 when there are no samples.
   */
  classesUsed: number;
  /** Number of classes without any positive sample. */
  emptyClasses: number;
}

/**
 * Mean average precision (mAP) of a multi-label score matrix: the mean over classes of the
 * per-class average precision computed by `averagePrecision`,
 * `map = (1 / |K|) Σ_{j ∈ K} AP_j`, where `K` is the set of classes with at least one
 * positive (`emptyClasses: 'ignore'`, default) or all classes, empty ones counting as 0
 * (`emptyClasses: 'zero'`, the ASL authors' repository).
 *
 * Data is row-major `[n, c]` (`scores[i * c + j]`); scores may be logits or probabilities.
 * With no samples (`n = 0`) the result is `map = 0` and `classesUsed = 0`, not an error.
 *
 * @param scores - `n × c` scores, flat row-major or as rows; any number but NaN.
 * @param targets - `n × c` targets, exactly 0 or 1.
 * @param shape - `[n, c]`; `n` may be 0, `c` must be at least 1.
 * @param options - `ties` (`'grouped'` as scikit-learn, default, or `'ordered'` as the ASL
 *   authors), `emptyClasses` (`'ignore'`, default, or `'zero'`), `epsilon` (added to the
 *   positive count in each AP denominator, default 0; the authors use `1e-8`), `unannotated`
 *   (`'error'`, default, or `'ignore'`: targets of -1 are left out of every count) and
 *   `validate` (scan values for NaN scores and non-binary targets, default `true`).
 * @returns `{ map, perClass, classesUsed, emptyClasses }`, `map` as a fraction in `[0, 1]`.
 * @throws TypeError for arguments of the wrong type or unknown options;
 *   RangeError for bad shapes, lengths, NaN scores, targets other than 0/1 or bad option values.
 *
 * @example
 * ```ts
 * import { meanAveragePrecision } from 'asymmetric-loss/metrics';
 *
 * const scores = [
 *   [0.9, 0.2, 0.1],
 *   [0.8, 0.6, 0.4],
 *   [0.3, 0.1, 0.7],
 * ];
 * const targets = [
 *   [1, 0, 0],
 *   [0, 1, 0],
 *   [1, 0, 0],
 * ];
 * const { map, perClass, classesUsed, emptyClasses } = meanAveragePrecision(scores, targets, [3, 3]);
 * // map = (0.8333… + 1) / 2 = 0.9166…, perClass = [0.8333…, 1, NaN], classesUsed = 2, emptyClasses = 1
 * ```
 */
export function meanAveragePrecision(
  scores: ScoresInput,
  targets: TargetsInput,
  shape: Shape,
  options?: MeanAveragePrecisionOptions,
): MeanAveragePrecisionResult {
  const fn = 'meanAveragePrecision';
  const record = checkOptionNames(fn, options, [...averagePrecisionOptionNames, 'validate']);
  const { ties, emptyClasses, epsilon, unannotated } = readAveragePrecisionOptions(fn, record);
  const validate = readBoolean(fn, record, 'validate', true);
  const input = prepareInputs(fn, scores, targets, shape, validate, 'real', unannotated);
  const core = averagePrecisionCore(input.scores, input.targets, input.n, input.c, ties, epsilon);
  return summarizeAveragePrecision(core, input.n, emptyClasses);
}

/**
 * Compute stage shared by {@link meanAveragePrecision} and `MultiLabelMetrics`: turns
 * per-class AP into the mAP result according to `emptyClasses`. Takes ownership of `core.ap`.
 *
 * @internal
 */
export function summarizeAveragePrecision(
  core: AveragePrecisionCore,
  n: number,
  emptyClasses: EmptyClasses,
): MeanAveragePrecisionResult {
  const perClass = core.ap;
  let empty = 0;
  let used = 0;
  let sum = 0;
  for (let j = 0; j < perClass.length; j++) {
    if (core.positives[j] === 0) {
      empty++;
      if (emptyClasses === 'ignore') continue;
      perClass[j] = 0;
    }
    sum += perClass[j];
    used++;
  }
  if (n === 0) used = 0;
  return { map: used > 0 ? sum / used : 0, perClass, classesUsed: used, emptyClasses: empty };
}
