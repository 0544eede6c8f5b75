/**
 * The training losses of the tagger, by name, with the PyTorch parameters' meaning (computed
 * by the library's tfjs ops in `train.ts`). Browser-safe, no tfjs.
 */
import { AsymmetricLossMultiLabel, AsymmetricLossSingleLabel } from 'asymmetric-loss';
import type { TaskName } from './features.js';

/** Loss names of the `tags` task (multi-label). */
export const tagLossNames = ['asl', 'bce', 'focal'] as const;
/** Loss names of the `section` task (single-label). */
export const sectionLossNames = ['asl', 'ce'] as const;
/** A loss name of either task. */
export type LossName = (typeof tagLossNames)[number] | (typeof sectionLossNames)[number];

/** The hyperparameters of a loss, with the meaning of the PyTorch (timm) classes' arguments. */
export interface LossSettings {
  /** The preset the settings started from. */
  name: LossName;
  /** `gamma_neg`: focusing exponent of the negatives. */
  gammaNeg: number;
  /** `gamma_pos`: focusing exponent of the positives (the target class, single-label). */
  gammaPos: number;
  /** `clip`: probability margin of the negatives (multi-label only; 0 for none). */
  clip: number;
  /**
   * `eps`: multi-label, the floor of the probabilities in the logs (1e-8); single-label, the
   * label smoothing (0.1).
   */
  eps: number;
  /** `disable_torch_grad_focal_loss`: `'detached'` when true, `'full'` (default) otherwise. */
  focalGrad: 'full' | 'detached';
}

/**
 * The preset of a loss name:
 * - `tags`: `asl` = the paper's recommendation (gamma_neg 4, gamma_pos 0, clip 0.05);
 *   `bce` = gammas 0, clip 0 (binary cross-entropy); `focal` = gammas 2, clip 0. eps 1e-8.
 * - `section`: `asl` = timm's single-label defaults (gamma_neg 4, gamma_pos 1, label smoothing
 *   0.1); `ce` = gammas 0 with label smoothing 0.1 (cross-entropy with label smoothing).
 *
 * @throws RangeError for a name the task does not have.
 */
export function lossPreset(task: TaskName, name: string): LossSettings {
  const full = 'full' as const;
  if (task === 'tags') {
    if (name === 'asl')
      return { name, gammaNeg: 4, gammaPos: 0, clip: 0.05, eps: 1e-8, focalGrad: full };
    if (name === 'bce')
      return { name, gammaNeg: 0, gammaPos: 0, clip: 0, eps: 1e-8, focalGrad: full };
    if (name === 'focal')
      return { name, gammaNeg: 2, gammaPos: 2, clip: 0, eps: 1e-8, focalGrad: full };
    throw new RangeError(
      `unknown loss '${name}' for task 'tags' (expected one of ${tagLossNames.join(', ')})`,
    );
  }
  if (name === 'asl') return { name, gammaNeg: 4, gammaPos: 1, clip: 0, eps: 0.1, focalGrad: full };
  if (name === 'ce') return { name, gammaNeg: 0, gammaPos: 0, clip: 0, eps: 0.1, focalGrad: full };
  throw new RangeError(
    `unknown loss '${name}' for task 'section' (expected one of ${sectionLossNames.join(', ')})`,
  );
}

/** Overrides of a preset's hyperparameters (unset fields keep the preset's value). */
export type LossOverrides = Partial<Omit<LossSettings, 'name'>>;

/**
 * A preset with overrides, validated by the library itself (the hyperparameters' ranges are
 * declared once, in `asymmetric-loss`: gammas >= 0, clip in [0, 1), eps in [0, 0.5) for tags and
 * [0, 1) for section), and clip 0 for `section`.
 *
 * @throws RangeError or TypeError naming the bad setting, in the library's words
 *   (`Argument 'eps' passed to 'AsymmetricLossMultiLabel' must be in [0, 0.5), but got 0.5`).
 */
export function resolveLoss(
  task: TaskName,
  name: string,
  overrides: LossOverrides = {},
): LossSettings {
  const settings = { ...lossPreset(task, name) };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    (settings as Record<string, unknown>)[key] = value;
  }
  const { gammaNeg, gammaPos, clip, eps, focalGrad } = settings;
  if (task === 'tags') new AsymmetricLossMultiLabel({ gammaNeg, gammaPos, clip, eps, focalGrad });
  else {
    if (clip !== 0) throw new RangeError("clip applies to the 'tags' task only");
    new AsymmetricLossSingleLabel({ gammaNeg, gammaPos, eps, focalGrad });
  }
  return settings;
}
