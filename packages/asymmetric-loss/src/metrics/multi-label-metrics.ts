import { averagePrecisionCore, type AveragePrecisionOptions } from './average-precision.js';
import { argumentError, describe } from './errors.js';
import { prepareInputs, type ScoresInput, type TargetsInput } from './inputs.js';
import {
  summarizeAveragePrecision,
  type MeanAveragePrecisionResult,
} from './mean-average-precision.js';
import {
  averagePrecisionOptionNames,
  checkNumber,
  checkOptionNames,
  readAveragePrecisionOptions,
  readBoolean,
  readNumber,
  type ResolvedAveragePrecisionOptions,
} from './options.js';
import {
  metricsFromCounts,
  thresholdCounts,
  topKCounts,
  type ThresholdMetricsResult,
} from './threshold-metrics.js';

/** Options of {@link MultiLabelMetrics}. */
export interface MultiLabelMetricsOptions extends AveragePrecisionOptions {
  /**
   * Threshold of the CP/CR/CF1/OP/OR/OF1 metrics (`score >= threshold` predicts a label), a
   * number in `[0, 1]`; default 0.5. Scores must then be probabilities, checked as by
   * `thresholdMetrics` (finite and `>= 0`, so that logits are caught). `null` skips threshold
   * metrics, so that logits can be accumulated.
   */
  threshold?: number | null;
  /**
   * Also compute the metrics with the `topK` highest-scoring labels of each sample as
   * predictions, an integer in `[1, c]`; default none.
   */
  topK?: number;
  /**
   * Samples to reserve room for up front, a non-negative integer; default 0. When the total
   * number of samples is known, setting it avoids any growth, and the buffers then hold
   * exactly `5 n c` bytes (1.25 times the raw float32 scores).
   */
  capacity?: number;
}

/** Result of {@link MultiLabelMetrics.compute}: the mAP result plus the threshold metrics. */
export interface MultiLabelMetricsResult extends MeanAveragePrecisionResult {
  /** CP, CR, CF1, OP, OR, OF1 (percent) at `threshold`; `null` with `threshold: null`. */
  thresholdMetrics: ThresholdMetricsResult | null;
  /** The same metrics with top-k predictions; `null` unless `topK` is set. */
  topKMetrics: ThresholdMetricsResult | null;
}

/** Rows allocated by the first update, at least. */
const MIN_CAPACITY_ROWS = 16;

/**
 * Streaming accumulator of multi-label predictions: feed batches with {@link update}, get
 * mAP and the threshold metrics of everything seen with {@link compute}.
 *
 * Scores are stored as float32 (inputs in float64 are rounded, which can create ties) and
 * targets as bytes, in one `Float32Array` and one `Uint8Array` whose capacity doubles when a
 * batch does not fit (amortised O(1) per sample; no per-sample objects). `n` samples of `c`
 * classes take `5 n c` bytes, 1.25 times their raw float32 size, and at most twice that
 * (2.5 times) right after a growth; 100,000 × 1,000 fed in batches of 1,000 hold 655 MB, 1.6
 * times the 400 MB of raw float32. The `capacity` option reserves room up front.
 *
 * `compute` runs the same computations as `meanAveragePrecision` and `thresholdMetrics` on
 * these buffers, so its results equal theirs on the concatenated (float32) scores; `update`
 * validates each batch like they do (unless `validate: false`).
 *
 * @example
 * ```ts
 * import { MultiLabelMetrics } from 'asymmetric-loss/metrics';
 *
 * const metrics = new MultiLabelMetrics(3, { topK: 1 });
 * metrics.update([0.9, 0.2, 0.1, 0.8, 0.6, 0.4], [1, 0, 0, 0, 1, 0]); // 2 samples
 * metrics.update([[0.3, 0.1, 0.7]], [[1, 0, 0]]); // 1 more
 * const { map, classesUsed, thresholdMetrics, topKMetrics } = metrics.compute();
 * // map = 0.9166…, classesUsed = 2, thresholdMetrics.OP = 50, topKMetrics.OP = 33.33…
 * metrics.reset(); // next epoch
 * ```
 */
export class MultiLabelMetrics {
  /** Number of classes `c`. */
  readonly numClasses: number;
  readonly #averagePrecision: ResolvedAveragePrecisionOptions;
  readonly #threshold: number | null;
  readonly #topK: number | undefined;
  readonly #validate: boolean;
  #scores = new Float32Array(0);
  #targets = new Uint8Array(0);
  #rows = 0;

  /**
   * @param numClasses - Number of classes `c`, a positive integer.
   * @param options - `ties` (default `'grouped'`), `emptyClasses` (default `'ignore'`),
   *   `epsilon` (default 0), `unannotated` (default `'error'`; `'ignore'` leaves targets of -1
   *   out of every count): as in `meanAveragePrecision`; `threshold` (default 0.5, `null`
   *   for none), `topK` (default none); `capacity` (default 0) samples to reserve;
   *   `validate` (default `true`) for each update.
   * @throws TypeError / RangeError for a bad class count or bad options.
   */
  constructor(numClasses: number, options?: MultiLabelMetricsOptions) {
    const fn = 'MultiLabelMetrics';
    checkNumber(fn, 'numClasses', numClasses, {
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      integer: true,
    });
    const record = checkOptionNames(fn, options, [
      ...averagePrecisionOptionNames,
      'threshold',
      'topK',
      'capacity',
      'validate',
    ]);
    this.numClasses = numClasses;
    this.#averagePrecision = readAveragePrecisionOptions(fn, record);
    this.#threshold =
      record.threshold === null
        ? null
        : readNumber(fn, record, 'threshold', { min: 0, max: 1 }, 0.5);
    this.#topK = readNumber(
      fn,
      record,
      'topK',
      { min: 1, max: numClasses, integer: true },
      undefined,
    );
    this.#validate = readBoolean(fn, record, 'validate', true);
    const capacity = readNumber(
      fn,
      record,
      'capacity',
      { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true },
      0,
    );
    if (capacity > 0) this.#reserve(capacity, capacity);
  }

  /** Number of samples accumulated since construction or the last {@link reset}. */
  get count(): number {
    return this.#rows;
  }

  /** Bytes held by the score and target buffers (their capacity, not just what is used). */
  get byteLength(): number {
    return this.#scores.byteLength + this.#targets.byteLength;
  }

  /**
   * Appends a batch of `n` samples.
   *
   * @param scores - `n × c` scores, flat row-major or as rows. Probabilities (finite,
   *   `>= 0`) unless `threshold: null`, in which case any number but NaN (logits).
   * @param targets - `n × c` targets, exactly 0 or 1.
   * @param n - Number of samples in the batch; default: the number of rows, or
   *   `scores.length / c` for flat scores.
   * @returns `this`, for chaining.
   * @throws TypeError / RangeError for bad inputs, as `meanAveragePrecision`; nothing is
   *   appended then.
   */
  update(scores: ScoresInput, targets: TargetsInput, n?: number): this {
    const fn = 'MultiLabelMetrics.update';
    const c = this.numClasses;
    if (n !== undefined)
      checkNumber(fn, 'n', n, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
    const rows = n ?? inferRows(fn, scores, c);
    const domain = this.#threshold === null ? 'real' : 'probability';
    const input = prepareInputs(
      fn,
      scores,
      targets,
      [rows, c],
      this.#validate,
      domain,
      this.#averagePrecision.unannotated,
    );
    this.#reserve(this.#rows + rows);
    const offset = this.#rows * c;
    const length = rows * c;
    this.#scores.subarray(offset, offset + length).set(input.scores);
    // A target of -1 (unannotated) is stored as 255: counted nowhere, as -1 is.
    this.#targets.subarray(offset, offset + length).set(input.targets);
    this.#rows += rows;
    return this;
  }

  /**
   * Computes the metrics of all accumulated samples (see `meanAveragePrecision` and
   * `thresholdMetrics` for the formulas). With no samples, `map` and every metric are 0.
   *
   * @returns `{ map, perClass, classesUsed, emptyClasses, thresholdMetrics, topKMetrics }`.
   */
  compute(): MultiLabelMetricsResult {
    const c = this.numClasses;
    const n = this.#rows;
    const scores = this.#scores.subarray(0, n * c);
    const targets = this.#targets.subarray(0, n * c);
    const { ties, emptyClasses, epsilon } = this.#averagePrecision;
    const core = averagePrecisionCore(scores, targets, n, c, ties, epsilon);
    const threshold = this.#threshold;
    const topK = this.#topK;
    return {
      ...summarizeAveragePrecision(core, n, emptyClasses),
      thresholdMetrics:
        threshold === null
          ? null
          : metricsFromCounts(thresholdCounts(scores, targets, n, c, threshold)),
      topKMetrics:
        topK === undefined ? null : metricsFromCounts(topKCounts(scores, targets, n, c, topK)),
    };
  }

  /**
   * Forgets all samples, e.g. between epochs. The options are kept.
   *
   * @param release - Also free the buffers (default `false`: keep them for reuse, so the
   *   next epoch does not grow them again).
   * @returns `this`, for chaining.
   */
  reset(release = false): this {
    this.#rows = 0;
    if (release) {
      this.#scores = new Float32Array(0);
      this.#targets = new Uint8Array(0);
    }
    return this;
  }

  /**
   * Grows the buffers to hold at least `rows` samples: to `exact` rows when given, otherwise
   * to the larger of `rows`, twice the current capacity and 16.
   */
  #reserve(rows: number, exact?: number): void {
    const c = this.numClasses;
    const capacity = this.#scores.length / c;
    if (rows <= capacity) return;
    const grown = exact ?? Math.max(rows, 2 * capacity, MIN_CAPACITY_ROWS);
    const used = this.#rows * c;
    const scores = new Float32Array(grown * c);
    scores.set(this.#scores.subarray(0, used));
    this.#scores = scores;
    const targets = new Uint8Array(grown * c);
    targets.set(this.#targets.subarray(0, used));
    this.#targets = targets;
  }
}

/** Number of rows of a batch whose row count was not given. */
function inferRows(fn: string, scores: unknown, c: number): number {
  if (Array.isArray(scores) && scores.length > 0 && Array.isArray(scores[0])) return scores.length;
  const length = (scores as { length?: unknown } | null)?.length;
  if (typeof length === 'number' && length % c === 0) return length / c;
  if (typeof length === 'number') {
    throw argumentError(
      RangeError,
      fn,
      'scores',
      `have a length divisible by c = ${c} when n is not given`,
      `it has length ${length}`,
    );
  }
  throw argumentError(
    TypeError,
    fn,
    'scores',
    'be a Float32Array, Float64Array, number[] or number[][]',
    `it is ${describe(scores)}`,
  );
}
