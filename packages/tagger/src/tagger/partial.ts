/**
 * The partial-annotation setting of a training run (task `tags`): a seeded fraction of the
 * labels of each training and validation record is hidden (made unannotated), and the loss
 * treats hidden labels as negatives, ignores them, or selects per class and element (the
 * library's `ClassAwareSelection`, Ben-Baruch et al., CVPR 2022). Browser-safe, no tfjs.
 */
import { classAwareSelectionDefaults } from 'asymmetric-loss';
import { Random } from './random.js';

/** How hidden labels are treated. */
export const partialModes = ['negative', 'ignore', 'selective'] as const;
/** A mode of {@link partialModes}. */
export type PartialMode = (typeof partialModes)[number];

/** The partial-annotation settings of a run (saved with the model). */
export interface PartialSettings {
  /**
   * The fraction of each training and validation record's labels hidden, in [0, 1): of its
   * `c` labels, positives and negatives alike, `round(hideLabels * c)` chosen uniformly
   * without replacement are made unannotated (-1). The test split keeps every label.
   */
  hideLabels: number;
  /**
   * `negative`: hidden labels are negatives (the loss's `unannotated: 'negative'`, with
   * `gammaUnannotated` = the loss's `gammaNeg`); `ignore`: they give no loss
   * (`unannotated: 'ignore'`); `selective`: `'negative'` with the element weights of the
   * library's `ClassAwareSelection` (priors estimated from the model's predictions during
   * training).
   */
  mode: PartialMode;
  /** `selective`: classes with a prior above it have their hidden labels ignored. */
  priorThreshold: number;
  /** `selective`: per record, this many hidden labels most likely positive are ignored. */
  likelihoodTopK: number;
}

/** The settings of `hideLabels` and `mode`, the selection's defaults for the rest. */
export function partialSettings(hideLabels: number, mode: PartialMode): PartialSettings {
  return { hideLabels, mode, ...classAwareSelectionDefaults };
}

/**
 * Checks partial settings.
 *
 * @throws RangeError for a fraction outside [0, 1) or an unknown mode.
 */
export function checkPartialSettings(settings: PartialSettings): void {
  const { hideLabels, mode } = settings;
  if (typeof hideLabels !== 'number' || !(hideLabels >= 0 && hideLabels < 1))
    throw new RangeError(`hideLabels must be a fraction in [0, 1), got ${hideLabels}`);
  if (!(partialModes as readonly string[]).includes(mode))
    throw new RangeError(`unknown partial mode '${mode}' (expected ${partialModes.join(', ')})`);
}

/** The offset of the hiding generator's seed from the run's seed (so they differ). */
const hideSeedOffset = 0x5eed1;

/**
 * Which labels of an `[n, c]` set are hidden: `round(fraction * c)` per row, uniformly
 * without replacement (a partial Fisher-Yates shuffle of the row's columns), from a generator
 * seeded by `seed` and `stream` (0 for the training split, 1 for validation). 1 marks a
 * hidden label.
 */
export function hiddenLabels(
  n: number,
  c: number,
  fraction: number,
  seed: number,
  stream: number,
): Uint8Array {
  const hidden = new Uint8Array(n * c);
  const k = Math.round(fraction * c);
  if (k === 0) return hidden;
  const random = new Random((seed + hideSeedOffset + 0x9e3779b9 * stream) | 0);
  const columns = Int32Array.from({ length: c }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const pick = t + random.int(c - t);
      const j = columns[pick];
      columns[pick] = columns[t];
      columns[t] = j;
      hidden[i * c + j] = 1;
    }
  }
  return hidden;
}
