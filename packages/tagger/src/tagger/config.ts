/**
 * The configuration of a training run and its defaults (the anchor's), and the runs of a
 * loss comparison. Browser-safe, no tfjs: the CLI reads it before loading TensorFlow.js.
 */
import { defaultAdaptiveOptions, type AdaptiveOptions } from './adaptive.js';
import type { TaskName } from './features.js';
import { resolveLoss, type LossSettings } from './loss.js';
import type { PartialSettings } from './partial.js';

/** Learning-rate schedules: constant (the anchor's) or cosine decay to 0 over the run. */
export type LearningRateSchedule = 'constant' | 'cosine';

/** The full configuration of a training run (saved with the model). */
export interface TrainConfig {
  /** `tags` (multi-label) or `section` (single-label). */
  task: TaskName;
  /** The loss and its hyperparameters. */
  loss: LossSettings;
  /** Adaptive `gamma_neg` (task `tags` only), or `null` for a fixed one. */
  adaptive: AdaptiveOptions | null;
  /** Passes over the training split, default 8. */
  epochs: number;
  /** Records per step, default 64. */
  batchSize: number;
  /** Adam's learning rate, default 2e-3 (betas 0.9, 0.999, eps 1e-8 as PyTorch). */
  learningRate: number;
  /** Learning-rate schedule, default `constant`. */
  schedule: LearningRateSchedule;
  /**
   * Initialise the output biases to the log-odds of each class' training frequency (the
   * focal-loss paper's prior initialisation) instead of PyTorch's uniform default. Default
   * `false`.
   */
  priorBias: boolean;
  /** Embedding width, default 128. */
  embeddingDim: number;
  /** Hidden ReLU units, default 256. */
  hiddenUnits: number;
  /** Cap on the tokens per package, default 400. */
  maxTokens: number;
  /** Minimum count of a training token to enter the vocabulary, default 2. */
  minCount: number;
  /** Seed of the initial weights and of the batch order, default 1. */
  seed: number;
  /**
   * Partial annotations (task `tags`): hidden labels and their treatment, or `null` (default)
   * for the full labels.
   */
  partial: PartialSettings | null;
}

/**
 * The default configuration of a task and loss: the anchor's (128-d embeddings, 256 hidden
 * units, Adam 2e-3, batch 64, 8 epochs, 400 tokens, tokens seen twice) with the loss preset.
 */
export function defaultTrainConfig(task: TaskName = 'tags', loss = 'asl'): TrainConfig {
  return {
    task,
    loss: resolveLoss(task, loss),
    adaptive: null,
    epochs: 8,
    batchSize: 64,
    learningRate: 2e-3,
    schedule: 'constant',
    priorBias: false,
    embeddingDim: 128,
    hiddenUnits: 256,
    maxTokens: 400,
    minCount: 2,
    seed: 1,
    partial: null,
  };
}

/** The runs `asl compare` knows: the three loss presets and ASL with adaptive gamma_neg. */
export const compareRunNames = ['bce', 'focal', 'asl', 'asl-adaptive'] as const;
/** A run name of {@link compareRunNames}. */
export type CompareRunName = (typeof compareRunNames)[number];

/**
 * The configuration of a comparison run: the defaults of the `tags` task with the run's loss
 * (`asl-adaptive` = `asl` with the default adaptive settings), then `base` on top.
 *
 * @throws RangeError for an unknown run name.
 */
export function compareRunConfig(name: string, base: Partial<TrainConfig> = {}): TrainConfig {
  if (!(compareRunNames as readonly string[]).includes(name))
    throw new RangeError(`unknown loss '${name}' (expected some of ${compareRunNames.join(', ')})`);
  const adaptive = name === 'asl-adaptive';
  const config = defaultTrainConfig('tags', adaptive ? 'asl' : name);
  Object.assign(config, base);
  config.task = 'tags';
  config.loss = resolveLoss('tags', adaptive ? 'asl' : name);
  config.adaptive = adaptive ? { ...defaultAdaptiveOptions } : null;
  return config;
}
