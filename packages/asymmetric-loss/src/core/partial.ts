/**
 * Partial annotations for the multi-label loss: unannotated labels (target -1), per-element
 * weights and BCE's `pos_weight` (the setting of Ben-Baruch et al., "Multi-label Classification
 * with Partial Annotations using Class-aware Selective Loss", CVPR 2022; code:
 * Alibaba-MIIL/PartialLabelingCSL, `partial_asymmetric_loss.py`).
 *
 * Everything goes through the fused kernels (float64 JavaScript, SIMD, threads): each element
 * gets a weight `w_e` (its `elementWeights` entry, times `posWeight` of its class for a
 * positive, 0 for an ignored unannotated label) that the kernels apply to its loss and gradient
 * (the SIMD kernel in its in-cache weighting pass). With
 * `unannotated: 'negative'` and a `gammaUnannotated` other than `gammaNeg`, the unannotated
 * elements go through a second kernel call with `gammaNeg = gammaUnannotated` (the same kernel,
 * the annotated elements weighted 0), and the two are added.
 *
 * Reductions: `'sum'` (the authors' loss is this sum), `'batchmean'` the sum over `n`, `'mean'`
 * the sum over the number of elements not ignored (unannotated labels under `'ignore'` and
 * elements whose `elementWeights` entry is 0 are ignored; class, sample and positive weights do
 * not change the count, as PyTorch's `weight`): the mean over the batch's annotated labels.
 * Of the authors' modes, `'ignore'` and `'negative'` are `'sum'`; their `ignore_normalize_classes`
 * weighs each row by `1 + 1 / (1 + its annotated count)` (Durand et al., CVPR 2019, α = β = 1),
 * which no reduction here is (the layers loss's `perSample: 'mean'` divides each row by its
 * annotated count).
 */
import { argumentError, argumentErrorAt, checkLength, describe, formatNumber } from './errors.js';
import { checkChoice, checkGamma } from './options.js';
import { checkUnitInterval } from './input.js';

/** What the multi-label loss does with a target of -1 (an unannotated label). */
export type Unannotated = 'error' | 'negative' | 'ignore';

/** The choices of `unannotated`, the default first. */
export const unannotatedModes: readonly Unannotated[] = ['error', 'negative', 'ignore'];

/** The partial-annotation hyperparameters of the multi-label loss. */
export interface PartialLabelOptions {
  /**
   * Targets of -1 mark unannotated labels: `'error'` (default) rejects them; `'negative'`
   * treats them as negatives with their own focusing exponent `gammaUnannotated`; `'ignore'`
   * gives them zero loss and zero gradient (and leaves them out of `'mean'`).
   */
  unannotated?: Unannotated;
  /**
   * Focusing exponent of unannotated labels treated as negatives (`gamma_unann` in the authors'
   * code). Default: `gammaNeg`.
   */
  gammaUnannotated?: number;
  /**
   * Weight of the positive term, per class (length c) or one number for all (PyTorch's
   * `pos_weight`; the authors' `alpha_pos`). Default none (1). Positives must be hard (target
   * 1) where it is not 1: a soft target's focusing weight blends both terms, so there is no
   * single factor to apply.
   */
  posWeight?: number | Float32Array | ArrayLike<number> | null;
}

/** The partial-annotation options after validation (`posWeight` checked against c later). */
export interface ResolvedPartialOptions {
  unannotated: Unannotated;
  gammaUnannotated: number;
  posWeight: number | Float32Array | ArrayLike<number> | null;
}

/** Names of {@link PartialLabelOptions}, for unknown-option checks. */
export const partialOptionNames: readonly (keyof PartialLabelOptions)[] = [
  'unannotated',
  'gammaUnannotated',
  'posWeight',
];

/** Validates the partial-annotation options; `gammaNeg` is the default of `gammaUnannotated`. */
export function resolvePartialOptions(
  fn: string,
  options: PartialLabelOptions,
  gammaNeg: number,
): ResolvedPartialOptions {
  const unannotated = checkChoice(
    fn,
    'unannotated',
    options.unannotated,
    'error',
    unannotatedModes,
  );
  const gammaUnannotated = checkGamma(fn, 'gammaUnannotated', options.gammaUnannotated, gammaNeg);
  const posWeight = options.posWeight ?? null;
  if (posWeight !== null) {
    if (typeof posWeight === 'number') checkPositiveWeight(fn, posWeight, 'posWeight');
    else if (!ArrayBuffer.isView(posWeight) && !Array.isArray(posWeight))
      throw argumentError(
        TypeError,
        fn,
        'posWeight',
        'a number, Float32Array or number[]',
        posWeight,
      );
  }
  return { unannotated, gammaUnannotated, posWeight };
}

function checkPositiveWeight(fn: string, v: unknown, at: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v < Infinity))
    throw argumentErrorAt(
      RangeError,
      fn,
      'posWeight',
      'finite and non-negative',
      `${at} is ${typeof v === 'number' ? formatNumber(v) : describe(v)}`,
    );
  return v;
}

/** Whether the options ask for the partial-annotation path. */
export function isPartial(p: ResolvedPartialOptions, elementWeights: unknown): boolean {
  return p.unannotated !== 'error' || p.posWeight !== null || elementWeights != null;
}

/** `posWeight` as one weight per class, or null. */
export function posWeightsOf(
  fn: string,
  posWeight: ResolvedPartialOptions['posWeight'],
  c: number,
): Float32Array | null {
  if (posWeight === null) return null;
  if (typeof posWeight === 'number') return new Float32Array(c).fill(posWeight);
  checkLength(fn, 'posWeight', posWeight.length, c, `c = ${c}`);
  const out = new Float32Array(c);
  for (let j = 0; j < c; j++) out[j] = checkPositiveWeight(fn, posWeight[j], `posWeight[${j}]`);
  return out;
}

/** The per-element weights of the kernel calls and the count `'mean'` divides by. */
export interface PartialWeights {
  /** Targets for the kernels: -1 replaced by 0. */
  targets: Float32Array;
  /** Weight of each element in the main call. */
  weights: Float32Array;
  /** Weight of each element in the unannotated call (`gammaUnannotated`), or null if none. */
  unannotatedWeights: Float32Array | null;
  /** Elements not ignored. */
  count: number;
}

/**
 * The weights of {@link PartialWeights} from targets, `elementWeights` (validated) and
 * per-class `posWeights`. With `validate`, the targets are checked in the same loop: values in
 * [0, 1], or -1 where `unannotated` accepts it (`checkUnitInterval`'s message).
 */
export function partialWeights(
  fn: string,
  targets: Float32Array,
  c: number,
  p: ResolvedPartialOptions,
  gammaNeg: number,
  elementWeights: Float32Array | null,
  posWeights: Float32Array | null,
  validate = true,
): PartialWeights {
  const size = targets.length;
  const accept = p.unannotated !== 'error';
  const ignore = p.unannotated === 'ignore';
  const split = p.unannotated === 'negative' && p.gammaUnannotated !== gammaNeg;
  // Without unannotated labels the targets go to the kernel as they are.
  const kernelTargets = accept ? new Float32Array(size) : targets;
  const weights = new Float32Array(size);
  const unannotatedWeights = split ? new Float32Array(size) : null;
  let ignored = 0;
  for (let e = 0; e < size; e++) {
    const y = targets[e];
    const given = elementWeights === null ? 1 : elementWeights[e];
    let w = given;
    if (accept && y === -1) {
      // kernelTargets[e] stays 0
      if (ignore) w = 0;
      else if (unannotatedWeights !== null) {
        unannotatedWeights[e] = w;
        w = 0;
      }
      if (ignore || given === 0) ignored++;
    } else {
      if (validate && !(y >= 0 && y <= 1))
        checkUnitInterval(fn, 'targets', targets, c, { allowed: accept });
      if (accept) kernelTargets[e] = y;
      if (given === 0) ignored++;
      if (posWeights !== null && y > 0) {
        const j = e % c;
        if (y === 1) w *= posWeights[j];
        else if (posWeights[j] !== 1)
          throw argumentErrorAt(
            RangeError,
            fn,
            'targets',
            `0 or 1 where posWeight is not 1 (posWeight[${j}] = ${formatNumber(posWeights[j])})`,
            `targets[${e}] (row ${Math.floor(e / c)}, column ${j}) is ${formatNumber(y)}`,
          );
      }
    }
    weights[e] = w;
  }
  return { targets: kernelTargets, weights, unannotatedWeights, count: size - ignored };
}
