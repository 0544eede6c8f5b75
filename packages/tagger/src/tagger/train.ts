/**
 * The training loop: Adam on the tagger's variables, one tfjs ASL op call per step (so that
 * `gamma_neg` can change every step under the adaptive controller), validation after every
 * epoch, the best epoch kept. Async, with progress callbacks and an `AbortSignal` to stop,
 * seeded. Browser-safe: runs on any tfjs backend the caller has set.
 */
import * as tf from '@tensorflow/tfjs';
import { AdaptiveGammaController, probabilityGap } from './adaptive.js';
import type { TrainConfig } from './config.js';
import type { PreparedData } from './dataset.js';
import {
  evaluateSections,
  evaluateTags,
  sigmoidAll,
  type SectionEvaluation,
  type TagEvaluation,
} from './evaluate.js';
import type { EncodedSet, TaskName } from './features.js';
import type { LossSettings } from './loss.js';
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel } from 'asymmetric-loss/tfjs';
import { ClassAwareSelection } from 'asymmetric-loss';
import { checkPartialSettings, hiddenLabels, type PartialSettings } from './partial.js';
import {
  buildTaggerModel,
  initializeWeights,
  makeTokenBatch,
  predictLogits,
  taggerLogits,
  taggerVariables,
  type TaggerVariables,
} from './model.js';
import { Random } from './random.js';

export { defaultTrainConfig, type LearningRateSchedule, type TrainConfig } from './config.js';

/**
 * The training loss of a batch, as timm computes it: multi-label, the sum over all elements
 * (`AsymmetricLossMultiLabel`); single-label, the mean over the batch
 * (`AsymmetricLossSingleLabel`).
 *
 * @param task - `tags` (targets `[b, c]` multi-hot) or `section` (targets `[b]` class indices).
 * @param logits - `[b, c]`.
 * @param targets - The targets.
 * @param settings - Loss hyperparameters.
 * @param gammaNeg - Overrides `settings.gammaNeg` (the adaptive controller's current value).
 * @param partial - Tags with hidden labels (-1 in `targets`): their treatment, and the element
 *   weights of the selective mode.
 */
export function batchLoss(
  task: TaskName,
  logits: tf.Tensor2D,
  targets: tf.Tensor,
  settings: LossSettings,
  gammaNeg = settings.gammaNeg,
  partial: { mode: PartialSettings['mode']; elementWeights: tf.Tensor | null } | null = null,
): tf.Scalar {
  if (task === 'tags')
    return asymmetricLossMultiLabel(logits, targets, {
      gammaNeg,
      gammaPos: settings.gammaPos,
      clip: settings.clip,
      eps: settings.eps,
      focalGrad: settings.focalGrad,
      reduction: 'sum',
      ...(partial === null
        ? {}
        : {
            unannotated: partial.mode === 'ignore' ? 'ignore' : 'negative',
            elementWeights: partial.elementWeights,
          }),
    }) as tf.Scalar;
  return asymmetricLossSingleLabel(logits, targets, {
    gammaNeg,
    gammaPos: settings.gammaPos,
    eps: settings.eps,
    focalGrad: settings.focalGrad,
    reduction: 'mean',
  }) as tf.Scalar;
}

/** Progress of one training step, passed to {@link TrainCallbacks.onStep}. */
export interface StepInfo {
  /** 1-based epoch. */
  epoch: number;
  /** 1-based step within the epoch. */
  step: number;
  /** Steps per epoch. */
  stepsPerEpoch: number;
  /** Steps done in the run. */
  globalStep: number;
  /** Steps of the whole run. */
  totalSteps: number;
  /** Mean loss per record over the epoch so far. */
  loss: number;
  /** Mean loss per record of this step's batch. */
  batchLoss: number;
  /** `gamma_neg` used by this step. */
  gammaNeg: number;
  /** Probability gap of the batch (adaptive runs; `NaN` otherwise). */
  gap: number;
  /** Training records per second over the epoch so far. */
  itemsPerSecond: number;
}

/** Summary of an epoch, passed to {@link TrainCallbacks.onEpochEnd} and kept in the history. */
export interface EpochInfo {
  /** 1-based epoch. */
  epoch: number;
  /** Mean training loss per record. */
  trainLoss: number;
  /**
   * The validation score: mAP (task `tags`) or top-1 accuracy (task `section`), percent.
   */
  valScore: number;
  /** `gamma_neg` at the end of the epoch. */
  gammaNeg: number;
  /** Mean probability gap over the epoch's batches (adaptive runs; `NaN` otherwise). */
  gap: number;
  /** Whether this epoch is the best so far. */
  best: boolean;
  /** Seconds spent on the epoch (training and validation). */
  seconds: number;
  /** Whether the epoch was cut short by the stop signal (then it is not validated). */
  partial: boolean;
}

/** Callbacks and stop signal of {@link trainTagger}. */
export interface TrainCallbacks {
  /** After every step. */
  onStep?: (info: StepInfo) => void;
  /**
   * Before every step (1-based `step` of `stepsPerEpoch` in `epoch`), awaited: a caller pauses
   * training by returning a promise it resolves later (the stop signal is read after it, so
   * aborting while paused stops the run).
   */
  beforeStep?: (epoch: number, step: number, stepsPerEpoch: number) => void | Promise<void>;
  /**
   * After every validated epoch, with the model holding that epoch's weights and the
   * validation logits the score came from (`[n, classes]` row-major, the caller's to keep);
   * awaited (e.g. to save the model when `info.best`).
   */
  onEpochEnd?: (
    info: EpochInfo,
    model: tf.LayersModel,
    valLogits: Float32Array,
  ) => void | Promise<void>;
  /** Stops training after the current step; the best epoch so far is kept. */
  signal?: AbortSignal;
}

/** Result of {@link trainTagger}. */
export interface TrainResult {
  /** The model, holding the weights of the best epoch (or the initial ones if none ended). */
  model: tf.LayersModel;
  /** One entry per epoch run (the last may be partial). */
  history: EpochInfo[];
  /** The best epoch (1-based), 0 when no epoch was completed. */
  bestEpoch: number;
  /** Its validation score (percent), `NaN` when none. */
  bestScore: number;
  /** Whether the signal stopped the run early. */
  stopped: boolean;
  /** Steps run. */
  steps: number;
  /** Wall time of the run, seconds. */
  seconds: number;
  /** Mean time of a training step, milliseconds (validation excluded). */
  msPerStep: number;
}

/**
 * Log-odds (tags) or log (sections) of each class' training frequency, Laplace-smoothed; with
 * `hidden` (tags), the frequency among the labels that are not hidden.
 */
export function priorBiases(set: EncodedSet, hidden: Uint8Array | null = null): Float32Array {
  const c = set.numClasses;
  const counts = new Float64Array(c);
  const annotated = new Float64Array(c).fill(set.n);
  if (set.tagTargets !== null)
    for (let k = 0; k < set.tagTargets.length; k++) {
      if (hidden !== null && hidden[k] === 1) annotated[k % c]--;
      else counts[k % c] += set.tagTargets[k];
    }
  else for (const t of set.classTargets!) if (t >= 0) counts[t]++;
  return Float32Array.from(counts, (count, j) => {
    const p = (count + 1) / (annotated[j] + 2);
    return set.tagTargets !== null ? Math.log(p / (1 - p)) : Math.log(p);
  });
}

/**
 * The validation score of a set: mAP or top-1, percent. With `hidden` (tags), the mAP over the
 * labels that are not hidden (the metrics' `unannotated: 'ignore'`).
 */
export function validationScore(
  variables: TaggerVariables,
  set: EncodedSet,
  classes: readonly string[],
  hidden: Uint8Array | null = null,
): number {
  return logitsScore(predictLogits(variables, set), set, classes, hidden);
}

/** {@link validationScore} of logits already computed for `set`. */
function logitsScore(
  logits: Float32Array,
  set: EncodedSet,
  classes: readonly string[],
  hidden: Uint8Array | null,
): number {
  return set.tagTargets !== null
    ? evaluateTags(sigmoidAll(logits), set, classes, { hidden }).map
    : evaluateSections(logits, set, classes.length).top1;
}

/** Evaluation of a model on a set (the metrics of its task). */
export function evaluateModel(
  model: tf.LayersModel,
  set: EncodedSet,
  classes: readonly string[],
): TagEvaluation | SectionEvaluation {
  const logits = predictLogits(taggerVariables(model), set);
  return set.tagTargets !== null
    ? evaluateTags(sigmoidAll(logits), set, classes)
    : evaluateSections(logits, set, classes.length);
}

/**
 * The targets of the documents `rows`: a `[b, c]` multi-hot matrix and its number of ones
 * (tags; -1 where `hidden` marks a hidden label), or `[b]` class indices (sections).
 */
function batchTargets(
  set: EncodedSet,
  rows: ArrayLike<number>,
  hidden: Uint8Array | null,
): { values: Float32Array | Int32Array; positives: number } {
  if (set.tagTargets === null)
    return { values: Int32Array.from(rows, (i) => set.classTargets![i]), positives: rows.length };
  const c = set.numClasses;
  const values = new Float32Array(rows.length * c);
  let positives = 0;
  for (let r = 0; r < rows.length; r++) {
    const source = set.tagTargets.subarray(rows[r] * c, (rows[r] + 1) * c);
    const mask = hidden?.subarray(rows[r] * c, (rows[r] + 1) * c);
    for (let j = 0; j < c; j++)
      if (mask !== undefined && mask[j] === 1) values[r * c + j] = -1;
      else if (source[j] !== 0) {
        values[r * c + j] = 1;
        positives++;
      }
  }
  return { values, positives };
}

/** Lets the event loop run (signals, timers, rendering) between steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Validates the numeric settings of a configuration. */
function checkConfig(config: TrainConfig): void {
  const positiveInt = (name: keyof TrainConfig) => {
    const value = config[name] as number;
    if (!(Number.isInteger(value) && value >= 1))
      throw new RangeError(`${name} must be an integer >= 1, got ${value}`);
  };
  for (const name of [
    'epochs',
    'batchSize',
    'embeddingDim',
    'hiddenUnits',
    'maxTokens',
    'minCount',
  ] as const)
    positiveInt(name);
  if (!(config.learningRate > 0 && Number.isFinite(config.learningRate)))
    throw new RangeError(`learningRate must be a finite number > 0, got ${config.learningRate}`);
  if (config.adaptive !== null && config.task !== 'tags')
    throw new RangeError("adaptive gamma_neg applies to the 'tags' task only");
  if (config.partial !== null) {
    if (config.task !== 'tags')
      throw new RangeError("partial annotations apply to the 'tags' task only");
    if (config.adaptive !== null)
      throw new RangeError('adaptive gamma_neg is not defined with hidden labels');
    checkPartialSettings(config.partial);
  }
  if (!Number.isInteger(config.seed))
    throw new RangeError(`seed must be an integer, got ${config.seed}`);
}

/**
 * Trains a tagger on prepared data.
 *
 * Each step draws a batch from a seeded shuffle of the training split, computes the logits
 * through the fast embedding-bag path and the loss with this library's tfjs op, and applies
 * Adam (`optimizer.minimize`) inside `tf.tidy` (no tensor outlives a step but the variables
 * and the optimizer's moments). With `config.adaptive`, the probability gap of each batch
 * moves `gamma_neg` (see {@link AdaptiveGammaController}). After each epoch the validation
 * split is scored; the best epoch's weights are kept and restored at the end.
 *
 * @param data - From `prepareData` (same task as `config`).
 * @param config - The run's configuration; see {@link defaultTrainConfig}.
 * @param callbacks - Progress callbacks and a stop signal.
 * @returns The model (best epoch) and the history. The caller owns the model (`dispose()`).
 */
export async function trainTagger(
  data: PreparedData,
  config: TrainConfig,
  callbacks: TrainCallbacks = {},
): Promise<TrainResult> {
  checkConfig(config);
  if (data.task !== config.task)
    throw new RangeError(`data prepared for task '${data.task}', config for '${config.task}'`);
  if (data.maxTokens !== config.maxTokens || data.minCount !== config.minCount)
    throw new RangeError(
      `data prepared with maxTokens ${data.maxTokens} and minCount ${data.minCount}, config has ${config.maxTokens} and ${config.minCount}`,
    );
  const started = performance.now();
  const { train, val, classes } = data;
  const task = config.task;
  const c = classes.length;
  const model = buildTaggerModel({
    vocabularySize: data.vocabulary.size,
    embeddingDim: config.embeddingDim,
    hiddenUnits: config.hiddenUnits,
    numClasses: c,
  });
  const partial = config.partial;
  const hiddenTrain =
    partial === null ? null : hiddenLabels(train.n, c, partial.hideLabels, config.seed, 0);
  const hiddenVal =
    partial === null ? null : hiddenLabels(val.n, c, partial.hideLabels, config.seed, 1);
  const selection =
    partial?.mode === 'selective'
      ? new ClassAwareSelection(c, {
          priorThreshold: partial.priorThreshold,
          likelihoodTopK: partial.likelihoodTopK,
        })
      : null;
  initializeWeights(model, {
    seed: config.seed,
    outputBias: config.priorBias ? priorBiases(train, hiddenTrain) : null,
  });
  const variables = taggerVariables(model);
  const varList = Object.values(variables) as tf.Variable[];
  const optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, 1e-8);
  // The schedule sets Adam's learning rate, a protected field in tfjs' typings.
  const setLearningRate = (lr: number) => {
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };
  const controller =
    config.adaptive !== null
      ? new AdaptiveGammaController(config.loss.gammaNeg, config.adaptive)
      : null;
  const random = new Random(config.seed + 0x9e37);
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  const stepsPerEpoch = Math.ceil(train.n / config.batchSize);
  const totalSteps = stepsPerEpoch * config.epochs;
  const history: EpochInfo[] = [];
  let best: tf.Tensor[] | null = null;
  let bestEpoch = 0;
  let bestScore = NaN;
  let globalStep = 0;
  let stopped = false;
  let stepMs = 0;
  let lastYield = performance.now();

  try {
    for (let epoch = 1; epoch <= config.epochs && !stopped; epoch++) {
      const epochStart = performance.now();
      random.shuffle(order);
      let lossSum = 0;
      let seen = 0;
      let gapSum = 0;
      let gapCount = 0;
      for (let step = 1; step <= stepsPerEpoch; step++) {
        if (callbacks.beforeStep !== undefined) {
          await callbacks.beforeStep(epoch, step, stepsPerEpoch);
          lastYield = performance.now();
        }
        if (callbacks.signal?.aborted) {
          stopped = true;
          break;
        }
        const stepStart = performance.now();
        if (config.schedule === 'cosine')
          setLearningRate(
            0.5 * config.learningRate * (1 + Math.cos((Math.PI * globalStep) / totalSteps)),
          );
        const rows = order.subarray((step - 1) * config.batchSize, step * config.batchSize);
        const b = rows.length;
        const gammaNeg = controller?.gammaNeg ?? config.loss.gammaNeg;
        const targets = batchTargets(train, rows, hiddenTrain);
        let gapSums: tf.Tensor | null = null;
        const lossValue = tf.tidy(() => {
          const batch = makeTokenBatch(train, rows);
          const y =
            task === 'tags'
              ? tf.tensor2d(targets.values as Float32Array, [b, c])
              : tf.tensor1d(targets.values as Int32Array, 'int32');
          return optimizer.minimize(
            () => {
              const logits = taggerLogits(variables, batch);
              if (controller !== null) {
                // Sums of p over the positives and of 1 - p over the negatives, kept out of
                // the tidy scopes and read after the step.
                const p = tf.sigmoid(logits);
                const positive = tf.sum(tf.mul(p, y));
                const negative = tf.sum(tf.mul(tf.sub(1, p), tf.sub(1, y)));
                gapSums = tf.keep(tf.stack([positive, negative]));
              }
              if (partial === null) return batchLoss(task, logits, y, config.loss, gammaNeg);
              // The selective mode weighs each hidden label by the model's current predictions
              // (the authors' likelihood and class priors), read back once per step.
              let elementWeights: tf.Tensor | null = null;
              if (selection !== null) {
                const values = logits.dataSync() as Float32Array;
                selection.observe(values, [b, c]);
                const weights = selection.elementWeights(values, targets.values, [b, c]);
                elementWeights = tf.tensor2d(weights, [b, c]);
              }
              return batchLoss(task, logits, y, config.loss, gammaNeg, {
                mode: partial.mode,
                elementWeights,
              });
            },
            true,
            varList,
          )!;
        });
        const value = (await lossValue.data())[0];
        lossValue.dispose();
        let gap = NaN;
        if (gapSums !== null) {
          const sums = await (gapSums as tf.Tensor).data();
          (gapSums as tf.Tensor).dispose();
          gap = probabilityGap(sums[0], targets.positives, sums[1], b * c - targets.positives);
          controller!.update(gap);
          if (!Number.isNaN(gap)) {
            gapSum += gap;
            gapCount++;
          }
        }
        if (!Number.isFinite(value))
          throw new Error(`training diverged: loss ${value} at epoch ${epoch}, step ${step}`);
        // Per record: the multi-label loss is a sum over the batch, the single-label one a mean.
        lossSum += task === 'tags' ? value : value * b;
        const recordLoss = task === 'tags' ? value / b : value;
        seen += b;
        globalStep++;
        const now = performance.now();
        stepMs += now - stepStart;
        callbacks.onStep?.({
          epoch,
          step,
          stepsPerEpoch,
          globalStep,
          totalSteps,
          loss: lossSum / seen,
          batchLoss: recordLoss,
          gammaNeg,
          gap,
          itemsPerSecond: (1000 * seen) / (now - epochStart),
        });
        if (now - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const cut = stopped;
      const valLogits = cut ? null : predictLogits(variables, val);
      const valScore = valLogits === null ? NaN : logitsScore(valLogits, val, classes, hiddenVal);
      const isBest = !cut && (bestEpoch === 0 || valScore > bestScore);
      if (isBest) {
        tf.dispose(best ?? []);
        best = model.getWeights().map((w) => w.clone());
        bestEpoch = epoch;
        bestScore = valScore;
      }
      const info: EpochInfo = {
        epoch,
        trainLoss: seen > 0 ? lossSum / seen : NaN,
        valScore,
        gammaNeg: controller?.gammaNeg ?? config.loss.gammaNeg,
        gap: gapCount > 0 ? gapSum / gapCount : NaN,
        best: isBest,
        seconds: (performance.now() - epochStart) / 1000,
        partial: cut,
      };
      if (seen > 0) history.push(info);
      if (valLogits !== null) await callbacks.onEpochEnd?.(info, model, valLogits);
    }
    if (best !== null) model.setWeights(best);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose(best ?? []);
    optimizer.dispose();
  }
  return {
    model,
    history,
    bestEpoch,
    bestScore,
    stopped,
    steps: globalStep,
    seconds: (performance.now() - started) / 1000,
    msPerStep: globalStep > 0 ? stepMs / globalStep : NaN,
  };
}
