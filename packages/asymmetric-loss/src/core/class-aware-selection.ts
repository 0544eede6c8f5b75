/**
 * The selective treatment of unannotated labels of Ben-Baruch et al., "Multi-label
 * Classification with Partial Annotations using Class-aware Selective Loss" (CVPR 2022; code:
 * Alibaba-MIIL/PartialLabelingCSL, `edit_targets_parital_labels` and `ComputePrior`), as a small
 * stateful helper beside the loss: it turns a batch's targets (with -1 for unannotated labels)
 * into the `elementWeights` of {@link asymmetricLossMultiLabel} with `unannotated: 'negative'`.
 */
import { argumentError, argumentErrorAt } from './errors.js';
import { checkFinite, checkShape, checkUnitInterval, toMatrix } from './input.js';
import type { MatrixInput } from './input.js';
import { checkOptionNames } from './options.js';

/** Options of {@link ClassAwareSelection}. */
export interface ClassAwareSelectionOptions {
  /**
   * Classes whose prior exceeds this have all their unannotated labels ignored (the authors'
   * `prior_threshold`; their published runs use 0.5). Default 0.5. In [0, 1].
   */
  priorThreshold?: number;
  /**
   * Per batch, `likelihoodTopK * n` unannotated labels, those most likely positive (highest
   * logit), are ignored (the authors' `likelihood_topk`: a count per sample, not a fraction).
   * Default 5. A non-negative integer.
   */
  likelihoodTopK?: number;
  /**
   * Class priors (length c, in [0, 1]) to use instead of estimating them. Default: estimated,
   * as the mean predicted probability of each class over what {@link ClassAwareSelection.observe}
   * saw (the authors' `ComputePrior`); until then no class is ignored by its prior.
   */
  priors?: Float32Array | ArrayLike<number> | null;
}

const optionNames = ['priorThreshold', 'likelihoodTopK', 'priors'];

/** Defaults of {@link ClassAwareSelection} (the authors' published settings). */
export const classAwareSelectionDefaults = Object.freeze({
  priorThreshold: 0.5,
  likelihoodTopK: 5,
} as const);

/**
 * Class-aware selection of unannotated labels. For a batch of `n` samples, each unannotated
 * label (target -1) gets the weight
 * - 0 if its class's prior exceeds `priorThreshold` (a frequent class: a missing label is as
 *   likely positive as not);
 * - else 0 if it is among the `likelihoodTopK * n` unannotated labels of the batch with the
 *   highest logits (the model thinks them positive), ranked over all unannotated labels as
 *   the authors do (some of those may already be ignored by their class);
 * - else 1: treated as a negative (with `gammaUnannotated`).
 * Annotated labels get 1. The priors are the mean sigmoid of the logits passed to
 * {@link ClassAwareSelection.observe}, or given.
 *
 * @example
 * ```ts
 * import { ClassAwareSelection, asymmetricLossMultiLabel } from 'asymmetric-loss';
 * const selection = new ClassAwareSelection(c, { priorThreshold: 0.5, likelihoodTopK: 5 });
 * // each training step, targets with -1 where a label is unknown:
 * selection.observe(logits, [n, c]);
 * const elementWeights = selection.elementWeights(logits, targets, [n, c]);
 * const { loss, grad } = asymmetricLossMultiLabel(logits, targets, [n, c], {
 *   unannotated: 'negative', gammaUnannotated: 4, elementWeights,
 * });
 * ```
 */
export class ClassAwareSelection {
  /** The number of classes. */
  readonly c: number;
  /** The prior threshold. */
  readonly priorThreshold: number;
  /** Unannotated labels ignored per sample, by likelihood. */
  readonly likelihoodTopK: number;
  private readonly given: Float32Array | null;
  private readonly sums: Float64Array;
  private seen = 0;

  constructor(c: number, options: ClassAwareSelectionOptions = {}) {
    const fn = 'ClassAwareSelection';
    if (!Number.isInteger(c) || c < 1)
      throw argumentError(RangeError, fn, 'c', 'a positive integer (the number of classes)', c);
    checkOptionNames(fn, options, optionNames);
    const {
      priorThreshold = classAwareSelectionDefaults.priorThreshold,
      likelihoodTopK = classAwareSelectionDefaults.likelihoodTopK,
      priors = null,
    } = options;
    if (typeof priorThreshold !== 'number' || !(priorThreshold >= 0 && priorThreshold <= 1))
      throw argumentError(RangeError, fn, 'priorThreshold', 'a number in [0, 1]', priorThreshold);
    if (!Number.isInteger(likelihoodTopK) || likelihoodTopK < 0)
      throw argumentError(
        RangeError,
        fn,
        'likelihoodTopK',
        'a non-negative integer (unannotated labels ignored per sample)',
        likelihoodTopK,
      );
    this.c = c;
    this.priorThreshold = priorThreshold;
    this.likelihoodTopK = likelihoodTopK;
    this.sums = new Float64Array(c);
    if (priors === null) this.given = null;
    else {
      if (!ArrayBuffer.isView(priors) && !Array.isArray(priors))
        throw argumentError(TypeError, fn, 'priors', `a Float32Array or number[] of ${c}`, priors);
      const p = toMatrix(fn, 'priors', priors, 1, c);
      checkUnitInterval(fn, 'priors', p, c);
      this.given = Float32Array.from(p);
    }
  }

  /** The priors in use: given, or estimated from what was observed (null before anything). */
  get priors(): Float32Array | null {
    if (this.given !== null) return Float32Array.from(this.given);
    if (this.seen === 0) return null;
    return Float32Array.from(this.sums, (s) => s / this.seen);
  }

  /** Adds a batch's predictions (`[n, c]` logits) to the prior estimate. */
  observe(logits: MatrixInput, shape: readonly [number, number] | number[]): void {
    const fn = 'ClassAwareSelection.observe';
    const [n, c] = this.checkShape(fn, shape);
    const x = toMatrix(fn, 'logits', logits, n, c);
    checkFinite(fn, 'logits', x, c);
    for (let e = 0; e < x.length; e++) this.sums[e % c] += 1 / (1 + Math.exp(-x[e]));
    this.seen += n;
  }

  /**
   * The `[n, c]` element weights of a batch (see the class): 1 for annotated labels, 0 or 1 for
   * unannotated ones (targets -1).
   */
  elementWeights(
    logits: MatrixInput,
    targets: MatrixInput,
    shape: readonly [number, number] | number[],
  ): Float32Array {
    const fn = 'ClassAwareSelection.elementWeights';
    const [n, c] = this.checkShape(fn, shape);
    const x = toMatrix(fn, 'logits', logits, n, c);
    const y = toMatrix(fn, 'targets', targets, n, c, true);
    checkUnitInterval(fn, 'targets', y, c, { allowed: true });
    const priors = this.priors;
    const weights = new Float32Array(n * c).fill(1);
    let count = 0;
    for (let e = 0; e < y.length; e++) if (y[e] === -1) count++;
    const unannotated = new Int32Array(count);
    for (let e = 0, m = 0; e < y.length; e++) {
      if (y[e] !== -1) continue;
      unannotated[m++] = e;
      if (priors !== null && priors[e % c] > this.priorThreshold) weights[e] = 0;
    }
    const k = Math.min(this.likelihoodTopK * n, count);
    // Most likely positive first: the highest logit (the authors' lowest clipped 1 - p); ties
    // by position, for a result that does not depend on the order of the search.
    if (k > 0) for (const e of topByLogit(x, unannotated, k)) weights[e] = 0;
    return weights;
  }

  private checkShape(fn: string, shape: readonly [number, number] | number[]): [number, number] {
    const [n, c] = checkShape(fn, shape);
    if (c !== this.c)
      throw argumentErrorAt(
        RangeError,
        fn,
        'shape',
        `[n, ${this.c}] (the selection was made for c = ${this.c})`,
        `it is [${n}, ${c}]`,
      );
    return [n, c];
  }
}

/**
 * The `k` of `indices` with the highest `x[index]` (ties: the lower index first), by
 * quickselect: O(m) on average instead of a sort's O(m log m). Reorders `indices`; returns its
 * first `k` entries.
 */
export function topByLogit(x: ArrayLike<number>, indices: Int32Array, k: number): Int32Array {
  // a ranks before b: a higher logit, or the same and a lower index.
  if (k >= indices.length) return indices;
  const before = (a: number, b: number) => x[a] > x[b] || (x[a] === x[b] && a < b);
  let lo = 0;
  let hi = indices.length - 1;
  let state = 0x9e3779b9;
  while (lo < hi) {
    // A pseudo-random pivot (deterministic), moved to the end; Lomuto partition.
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const p = lo + (state % (hi - lo + 1));
    const pivot = indices[p];
    indices[p] = indices[hi];
    indices[hi] = pivot;
    let store = lo;
    for (let i = lo; i < hi; i++) {
      const v = indices[i];
      if (before(v, pivot)) {
        indices[i] = indices[store];
        indices[store++] = v;
      }
    }
    indices[hi] = indices[store];
    indices[store] = pivot;
    // indices[lo, store) rank before the pivot, now at store.
    if (store === k - 1 || store === k) break;
    if (store < k) lo = store + 1;
    else hi = store - 1;
  }
  return indices.subarray(0, k);
}
