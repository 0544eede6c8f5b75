import { prepareInputs, type ScoresInput, type Shape, type TargetsInput } from './inputs.js';
import {
  averagePrecisionOptionNames,
  checkOptionNames,
  readAveragePrecisionOptions,
  readBoolean,
  type EmptyClasses,
  type Ties,
  type UnannotatedTargets,
} from './options.js';

/** Options of {@link averagePrecision} and {@link meanAveragePrecision}. */
export interface AveragePrecisionOptions {
  /**
   * How tied scores are ranked. Default `'grouped'`.
   *
   * - `'grouped'` (scikit-learn's `average_precision_score`): precision is evaluated once per
   *   distinct score, `AP = Σ_k (R_k − R_{k−1}) · P_k` over the distinct scores in decreasing
   *   order.
   * - `'ordered'` (the ASL authors' formula): samples are ranked by a stable descending sort,
   *   so tied samples keep their input order, and `AP = (1 / P) Σ_{positives t} TP(t) / rank(t)`.
   *
   * Both are equal when no positive shares its score with another sample.
   */
  ties?: Ties;
  /**
   * Classes with no positive sample: `'ignore'` gives them AP `NaN` and leaves them out of
   * the mean; `'zero'` gives them AP 0 and counts them (the authors' repository). Default
   * `'ignore'`.
   */
  emptyClasses?: EmptyClasses;
  /**
   * Added to the number of positives `P` in the denominator: AP is multiplied by
   * `P / (P + epsilon)`. Default 0. The ASL authors' code uses `1e-8`; with
   * `{ ties: 'ordered', emptyClasses: 'zero', epsilon: 1e-8 }` their numbers are reproduced
   * exactly.
   */
  epsilon?: number;
  /**
   * Targets of -1 (unannotated labels): `'error'` (default) refuses them; `'ignore'` leaves
   * them out of every count (each class's AP is over its annotated samples).
   */
  unannotated?: UnannotatedTargets;
  /**
   * Scan the values (scores not NaN, targets 0 or 1) before computing. Default `true`.
   * `false` skips this O(n c) scan; results on invalid values are then unspecified.
   * Shapes and types are always checked.
   */
  validate?: boolean;
}

/** Per-class average precision and positive counts, as computed by {@link averagePrecisionCore}. */
export interface AveragePrecisionCore {
  /** AP of each class; `NaN` for classes without positives. */
  ap: Float64Array;
  /** Number of positive samples of each class. */
  positives: Float64Array;
}

/** Upper bound on the elements of one block of classes, which bounds the scratch memory. */
const BLOCK_ELEMENTS = 1 << 24;

/**
 * Average precision of each class of a multi-label score matrix.
 *
 * Data is row-major `[n, c]`: `scores[i * c + j]` is the score of sample `i` for class `j`,
 * `targets[i * c + j]` is 1 when sample `i` has label `j` and 0 otherwise. Average precision
 * is rank-based, so scores may be probabilities or logits (any number but NaN;
 * `±Infinity` ranks first or last).
 *
 * With `P` positives in a class and the distinct scores `s_1 > s_2 > …` of that class,
 * `TP_k` and `FP_k` the positives and negatives scoring at least `s_k`,
 * precision `P_k = TP_k / (TP_k + FP_k)` and recall `R_k = TP_k / P`:
 *
 * - `ties: 'grouped'` (default): `AP = Σ_k (R_k − R_{k−1}) · P_k`, as scikit-learn's
 *   `average_precision_score`.
 * - `ties: 'ordered'`: rank the samples by a stable descending sort and average, over the
 *   positives, the precision at each positive's rank: `AP = (1/P) Σ_t TP(rank_t) / rank_t`.
 *
 * Runs in O(n c log P) time: positives are sorted per class, and each negative is placed
 * among them by binary search. Data is read row by row in blocks of classes; no per-element
 * objects are allocated.
 *
 * @param scores - `n × c` scores, flat row-major or as rows.
 * @param targets - `n × c` targets, exactly 0 or 1, same layout options as `scores`.
 * @param shape - `[n, c]`; `n` may be 0, `c` must be at least 1.
 * @param options - See {@link AveragePrecisionOptions}: `ties` (default `'grouped'`),
 *   `emptyClasses` (default `'ignore'`), `epsilon` (default 0), `validate` (default `true`).
 * @returns A `Float64Array` of length `c` with the AP of each class in `[0, 1]`; classes
 *   without positives get `NaN` (`emptyClasses: 'ignore'`) or 0 (`'zero'`).
 * @throws TypeError for arguments of the wrong type or unknown options;
 *   RangeError for bad shapes, lengths, NaN scores, targets other than 0/1 or bad option values.
 *
 * @example
 * ```ts
 * import { averagePrecision } from 'asymmetric-loss/metrics';
 *
 * const scores = [0.9, 0.2, 0.8, 0.6, 0.3, 0.1]; // 3 samples × 2 classes
 * const targets = [1, 0, 0, 1, 1, 0];
 * averagePrecision(scores, targets, [3, 2]); // Float64Array [0.8333…, 1]
 * ```
 */
export function averagePrecision(
  scores: ScoresInput,
  targets: TargetsInput,
  shape: Shape,
  options?: AveragePrecisionOptions,
): Float64Array {
  const fn = 'averagePrecision';
  const record = checkOptionNames(fn, options, [...averagePrecisionOptionNames, 'validate']);
  const { ties, emptyClasses, epsilon, unannotated } = readAveragePrecisionOptions(fn, record);
  const validate = readBoolean(fn, record, 'validate', true);
  const input = prepareInputs(fn, scores, targets, shape, validate, 'real', unannotated);
  const { ap } = averagePrecisionCore(input.scores, input.targets, input.n, input.c, ties, epsilon);
  if (emptyClasses === 'zero') for (let j = 0; j < ap.length; j++) if (ap[j] !== ap[j]) ap[j] = 0;
  return ap;
}

/**
 * Compute stage shared by {@link averagePrecision}, `meanAveragePrecision` and
 * `MultiLabelMetrics`: per-class AP of valid, flat, row-major inputs (no checks). Classes
 * are processed in blocks of about `blockElements` scores (default 2^24), which bounds the
 * scratch memory while keeping reads row by row.
 *
 * @internal
 */
export function averagePrecisionCore(
  scores: ArrayLike<number>,
  targets: ArrayLike<number>,
  n: number,
  c: number,
  ties: Ties,
  epsilon: number,
  blockElements = BLOCK_ELEMENTS,
): AveragePrecisionCore {
  const ap = new Float64Array(c);
  const positives = new Float64Array(c);
  const width = Math.max(1, Math.min(c, Math.floor(blockElements / Math.max(n, 1))));
  for (let first = 0; first < c; first += width) {
    const block = new ClassBlock(scores, targets, n, c, first, Math.min(c, first + width));
    block.compute(ties, epsilon, ap, positives);
  }
  return { ap, positives };
}

/** Buckets per group in the guide table that locates a score among a class's groups. */
const GUIDE_BUCKETS_PER_GROUP = 4;

/**
 * Rows per tile when placing negatives. Measured on 40,504 × 80 and 20,000 × {1,000, 2,000,
 * 9,605}: 2,048 was 5 to 25 % faster than 512, and smaller tiles slower still.
 */
const TILE_ROWS = 2048;

/**
 * The classes `[first, end)` of a score matrix, with their positives sorted by score.
 *
 * Positives of all classes of the block are stored back to back (class `k` of the block owns
 * slots `posStart[k]` to `posStart[k + 1]`), sorted by decreasing score and, among equal
 * scores, increasing row. Runs of equal scores form groups (`groupStart[k]` to
 * `groupStart[k + 1]` for class `k`), each with its score and the slot after its last positive.
 *
 * A guide table per class speeds up locating a negative's score among the groups: the range
 * from the class's lowest to highest positive score is cut into equal buckets, and
 * `guide[guideStart[k] + b]` is the first group whose bucket is at most `b`. The bucket
 * function is monotone, so a score in bucket `b` falls between `guide[b]` and `guide[b − 1]`:
 * usually no or one comparison instead of a binary search over all groups.
 */
class ClassBlock {
  private readonly width: number;
  private readonly posStart: Uint32Array;
  private readonly posRow: Uint32Array;
  private readonly groupStart: Uint32Array;
  private readonly groupScore: Float64Array;
  private readonly groupEnd: Uint32Array;
  private readonly guideStart: Uint32Array;
  private readonly guide: Uint32Array;
  private readonly guideMin: Float64Array;
  private readonly guideScale: Float64Array;

  constructor(
    private readonly scores: ArrayLike<number>,
    private readonly targets: ArrayLike<number>,
    private readonly n: number,
    private readonly c: number,
    private readonly first: number,
    end: number,
  ) {
    const width = end - first;
    this.width = width;

    // Count the positives of each class, then lay them out by class.
    const posStart = new Uint32Array(width + 1);
    for (let i = 0, base = first; i < n; i++, base += c) {
      for (let k = 0; k < width; k++) if (targets[base + k] === 1) posStart[k + 1]++;
    }
    for (let k = 0; k < width; k++) posStart[k + 1] += posStart[k];
    const total = posStart[width];
    const posScore = new Float64Array(total);
    const posRow = new Uint32Array(total);
    const next = posStart.slice(0, width);
    for (let i = 0, base = first; i < n; i++, base += c) {
      for (let k = 0; k < width; k++) {
        if (targets[base + k] === 1) {
          const slot = next[k]++;
          posScore[slot] = scores[base + k];
          posRow[slot] = i;
        }
      }
    }

    // Sort each class's positives and group equal scores.
    const groupStart = new Uint32Array(width + 1);
    const groupScore = new Float64Array(total);
    const groupEnd = new Uint32Array(total);
    const order = new Uint32Array(total);
    const scratchScore = new Float64Array(total);
    const scratchRow = new Uint32Array(total);
    let groups = 0;
    for (let k = 0; k < width; k++) {
      const start = posStart[k];
      const stop = posStart[k + 1];
      sortByScoreThenRow(posScore, posRow, start, stop, order, scratchScore, scratchRow);
      groupStart[k] = groups;
      for (let slot = start; slot < stop; slot++) {
        if (slot === start || posScore[slot] !== posScore[slot - 1]) {
          groupScore[groups++] = posScore[slot];
        }
        groupEnd[groups - 1] = slot + 1;
      }
    }
    groupStart[width] = groups;

    // Guide tables: one bucket for classes whose score range is empty or not finite.
    const guideStart = new Uint32Array(width + 1);
    const guideMin = new Float64Array(width);
    const guideScale = new Float64Array(width);
    for (let k = 0; k < width; k++) {
      const count = groupStart[k + 1] - groupStart[k];
      let buckets = 1;
      if (count > 1) {
        const min = groupScore[groupStart[k + 1] - 1];
        const scale = (GUIDE_BUCKETS_PER_GROUP * count) / (groupScore[groupStart[k]] - min);
        if (Number.isFinite(scale) && scale > 0) {
          buckets = GUIDE_BUCKETS_PER_GROUP * count;
          guideMin[k] = min;
          guideScale[k] = scale;
        }
      }
      guideStart[k + 1] = guideStart[k] + buckets;
    }
    const guide = new Uint32Array(guideStart[width]);
    for (let k = 0; k < width; k++) {
      const min = guideMin[k];
      const scale = guideScale[k];
      const last = guideStart[k + 1] - guideStart[k] - 1;
      let g = groupStart[k];
      for (let b = last; b >= 0; b--) {
        while (g < groupStart[k + 1] && bucketOf(groupScore[g], min, scale, last) > b) g++;
        guide[guideStart[k] + b] = g;
      }
    }

    this.posStart = posStart;
    this.posRow = posRow;
    this.groupStart = groupStart;
    this.groupScore = groupScore;
    this.groupEnd = groupEnd;
    this.guideStart = guideStart;
    this.guide = guide;
    this.guideMin = guideMin;
    this.guideScale = guideScale;
  }

  /** Writes the AP and positive count of each class of the block into `ap` and `positives`. */
  compute(ties: Ties, epsilon: number, ap: Float64Array, positives: Float64Array): void {
    const ordered = ties === 'ordered';
    const { negativesAbove, tiesBefore } = this.placeNegatives(ordered);
    const { posStart, groupStart, groupEnd } = this;
    for (let k = 0; k < this.width; k++) {
      const start = posStart[k];
      const count = posStart[k + 1] - start;
      positives[this.first + k] = count;
      if (count === 0) {
        ap[this.first + k] = NaN;
        continue;
      }
      let negatives = 0;
      let sum = 0;
      let slot = start;
      for (let g = groupStart[k]; g < groupStart[k + 1]; g++) {
        negatives += negativesAbove[g];
        const end = groupEnd[g];
        if (ordered) {
          // Precision at each positive's own rank; tied negatives earlier in the input
          // (counted in tiesBefore) rank before it.
          let tied = 0;
          for (; slot < end; slot++) {
            tied += tiesBefore[slot];
            const truePositives = slot - start + 1;
            sum += truePositives / (truePositives + negatives + tied);
          }
        } else {
          // One precision for the whole group, weighted by the recall it adds.
          const truePositives = end - start;
          sum += ((end - slot) * truePositives) / (truePositives + negatives);
          slot = end;
        }
      }
      ap[this.first + k] = sum / (count + epsilon);
    }
  }

  /**
   * Places every negative among its class's groups. `negativesAbove[g]` counts the
   * negatives that rank before group `g` but not before group `g − 1`: with
   * `ordered = false` those scoring at least the group's score (ties count as above), with
   * `ordered = true` those scoring strictly more. In the ordered case a negative tied with
   * group `g` ranks before the group's positives with a larger row, so it is added to
   * `tiesBefore` at the first such positive (a difference array over the group's slots).
   */
  private placeNegatives(ordered: boolean): {
    negativesAbove: Float64Array;
    tiesBefore: Float64Array;
  } {
    const { scores, targets, n, c, first, width, groupStart, groupScore, groupEnd, posRow } = this;
    const { guideStart, guide, guideMin, guideScale } = this;
    const negativesAbove = new Float64Array(groupScore.length);
    const tiesBefore = new Float64Array(ordered ? posRow.length : 0);
    // Tiles of rows, class by class within a tile: the class's constants stay in registers
    // and the tile's rows stay in cache from one class to the next.
    for (let top = 0; top < n; top += TILE_ROWS) {
      const bottom = Math.min(n, top + TILE_ROWS);
      for (let k = 0; k < width; k++) {
        const lowest = groupStart[k];
        const end = groupStart[k + 1];
        if (lowest === end) continue;
        const floor = groupScore[end - 1];
        const guideBase = guideStart[k];
        const last = guideStart[k + 1] - guideBase - 1;
        const min = guideMin[k];
        const scale = guideScale[k];
        for (let i = top, at = top * c + first + k; i < bottom; i++, at += c) {
          if (targets[at] !== 0) continue; // a positive, or unannotated (counted nowhere)
          const score = scores[at];
          if (score < floor) continue; // below every positive
          // First group whose score is <= score (groups are in decreasing score order),
          // searched between the guide entries of the score's bucket.
          const b = bucketOf(score, min, scale, last);
          let lo = guide[guideBase + b];
          let hi = b === 0 ? end : guide[guideBase + b - 1];
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (groupScore[mid] > score) lo = mid + 1;
            else hi = mid;
          }
          if (!ordered || groupScore[lo] !== score) {
            negativesAbove[lo]++;
            continue;
          }
          if (lo + 1 < end) negativesAbove[lo + 1]++;
          // First positive of the tied group with a row after i.
          let left = lo === lowest ? this.posStart[k] : groupEnd[lo - 1];
          let right = groupEnd[lo];
          while (left < right) {
            const mid = (left + right) >>> 1;
            if (posRow[mid] < i) left = mid + 1;
            else right = mid;
          }
          if (left < groupEnd[lo]) tiesBefore[left]++;
        }
      }
    }
    return { negativesAbove, tiesBefore };
  }
}

/**
 * Guide-table bucket of `score`: `floor((score − min) · scale)` clamped to `[0, last]`, a
 * non-decreasing function of `score` (NaN from infinite inputs maps to `last`).
 */
function bucketOf(score: number, min: number, scale: number, last: number): number {
  const b = Math.floor((score - min) * scale);
  if (b >= 0 && b < last) return b;
  return b < 0 ? 0 : last;
}

/**
 * Sorts slots `[start, stop)` of `score` and `row` together by decreasing score, then
 * increasing row. Rows arrive in increasing order, so slot order breaks ties.
 */
function sortByScoreThenRow(
  score: Float64Array,
  row: Uint32Array,
  start: number,
  stop: number,
  order: Uint32Array,
  scratchScore: Float64Array,
  scratchRow: Uint32Array,
): void {
  if (stop - start < 2) return;
  let sorted = true;
  for (let slot = start + 1; slot < stop && sorted; slot++) sorted = score[slot - 1] >= score[slot];
  if (sorted) return;
  const slots = order.subarray(start, stop);
  for (let slot = start; slot < stop; slot++) slots[slot - start] = slot;
  // `||` also breaks ties between equal infinities, whose difference is NaN.
  slots.sort((a, b) => score[b] - score[a] || a - b);
  for (let t = 0; t < slots.length; t++) {
    scratchScore[start + t] = score[slots[t]];
    scratchRow[start + t] = row[slots[t]];
  }
  score.set(scratchScore.subarray(start, stop), start);
  row.set(scratchRow.subarray(start, stop), start);
}
