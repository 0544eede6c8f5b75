/**
 * Training the same model with several losses, same seed and budget, and comparing them on
 * the test split: what `asl compare`, the demo and the web page run. Browser-safe.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PreparedData } from './dataset.js';
import type { TagEvaluation } from './evaluate.js';
import { compareRunConfig } from './config.js';
import type { TrainConfig } from './config.js';
import { evaluateModel, trainTagger, type TrainCallbacks } from './train.js';

export { compareRunConfig, compareRunNames, type CompareRunName } from './config.js';

/** One run of a comparison. */
export interface CompareRun {
  /** The run name (`bce`, `focal`, `asl`, `asl-adaptive`). */
  loss: string;
  /** Its full configuration. */
  config: TrainConfig;
  /** Validation mAP (percent) and more, per epoch. */
  history: { epoch: number; valMap: number; trainLoss: number; gammaNeg: number; gap: number }[];
  /** The epoch kept. */
  bestEpoch: number;
  /** Test metrics of the kept epoch (percent). */
  test: Pick<TagEvaluation, 'map' | 'tagsUsed' | 'samples'> & {
    CF1: number;
    OF1: number;
    CP: number;
    CR: number;
    OP: number;
    OR: number;
  };
  /** Wall time of training and validation, seconds. */
  seconds: number;
  /** Mean time per training step, milliseconds. */
  msPerStep: number;
  /** Whether the run was stopped early. */
  stopped: boolean;
}

/** Options of {@link compareLosses}. */
export interface CompareOptions {
  /** Settings shared by all runs (epochs, seed, batch size, ...). */
  base?: Partial<TrainConfig>;
  /** Callbacks of each run (progress, stop signal). */
  callbacks?: (name: string, config: TrainConfig) => TrainCallbacks;
  /** Called with each finished run and its model (disposed right after). */
  onRunEnd?: (run: CompareRun, model: tf.LayersModel) => void | Promise<void>;
}

/**
 * Trains one model per run name on `data` (task `tags`) and evaluates each on the test split.
 * A run stopped by its signal is still evaluated (best epoch so far) and ends the comparison.
 *
 * @returns The runs, in the order given.
 */
export async function compareLosses(
  data: PreparedData,
  names: readonly string[],
  options: CompareOptions = {},
): Promise<CompareRun[]> {
  if (data.task !== 'tags') throw new RangeError("compare needs data prepared for the 'tags' task");
  const configs = names.map((name) => compareRunConfig(name, options.base));
  const runs: CompareRun[] = [];
  for (let r = 0; r < names.length; r++) {
    const config = configs[r];
    const result = await trainTagger(data, config, options.callbacks?.(names[r], config) ?? {});
    try {
      const test = evaluateModel(result.model, data.test, data.classes) as TagEvaluation;
      const run: CompareRun = {
        loss: names[r],
        config,
        history: result.history
          .filter((h) => !h.partial)
          .map((h) => ({
            epoch: h.epoch,
            valMap: h.valScore,
            trainLoss: h.trainLoss,
            gammaNeg: h.gammaNeg,
            gap: h.gap,
          })),
        bestEpoch: result.bestEpoch,
        test: {
          map: test.map,
          tagsUsed: test.tagsUsed,
          samples: test.samples,
          ...test.atThreshold,
        },
        seconds: result.seconds,
        msPerStep: result.msPerStep,
        stopped: result.stopped,
      };
      runs.push(run);
      await options.onRunEnd?.(run, result.model);
      if (result.stopped) break;
    } finally {
      result.model.dispose();
    }
  }
  return runs;
}
