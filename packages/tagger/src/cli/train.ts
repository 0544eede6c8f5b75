/**
 * `asl train`: trains the tagger on the debtags data (or any JSONL file in its format) and
 * writes a model directory. Ctrl-C stops after the current step and keeps the best model so
 * far (written after every improving epoch).
 */
import type { Command } from 'commander';
import { importBackend } from '../tagger/node/tfjs-packages.js';
import { defaultAdaptiveOptions, type AdaptiveOptions } from '../tagger/adaptive.js';
import type { TagEvaluation, SectionEvaluation } from '../tagger/evaluate.js';
import type { TaskName } from '../tagger/features.js';
import { resolveLoss, type LossOverrides } from '../tagger/loss.js';
import type { DataInfo } from '../tagger/tagger.js';
import {
  defaultTrainConfig,
  type LearningRateSchedule,
  type TrainConfig,
} from '../tagger/config.js';
import type { EpochInfo } from '../tagger/train.js';
import {
  backendNames,
  choiceOption,
  loadTrainingData,
  inFlagWords,
  numberOption,
  pct,
  printJson,
} from '../tagger/node/cli-helpers.js';
import { resolve } from 'node:path';
import { checkInputFile } from '../io/output-path.js';
import { defaultDataFile } from '../tagger/node/data-file.js';
import { checkModelDirTarget, writeModelDir } from '../tagger/node/model-dir.js';
import { interruptOnSigint } from '../tagger/node/interrupt.js';
import { createProgress } from '../tagger/node/progress.js';
import {
  describePartial,
  partialFlags,
  partialFromFlags,
  type PartialFlagValues,
} from './partial-flags.js';

/** Options of `asl train` as commander parses them. */
export interface TrainCommandOptions extends PartialFlagValues {
  data?: string;
  task: TaskName;
  loss?: string;
  gammaNeg?: number;
  gammaPos?: number;
  clip?: number;
  eps?: number;
  focalGrad?: 'full' | 'detached';
  adaptive?: boolean;
  targetGap?: number;
  adaptRate?: number;
  gammaMin?: number;
  gammaMax?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  schedule?: LearningRateSchedule;
  priorBias?: boolean;
  embeddingDim?: number;
  hiddenUnits?: number;
  maxTokens?: number;
  minCount?: number;
  seed?: number;
  backend: string;
  out: string;
  json?: boolean;
  quiet?: boolean;
}

/**
 * The training configuration of the options: the task's defaults, the loss preset, then the
 * flags that were given.
 *
 * @throws RangeError for inconsistent settings (e.g. `--adaptive` with `--task section`).
 */
export function trainConfigFromOptions(options: TrainCommandOptions): TrainConfig {
  const task = options.task;
  const lossName = options.loss ?? 'asl';
  const config = defaultTrainConfig(task, lossName);
  const overrides: LossOverrides = {
    gammaNeg: options.gammaNeg,
    gammaPos: options.gammaPos,
    clip: options.clip,
    eps: options.eps,
    focalGrad: options.focalGrad,
  };
  try {
    config.loss = resolveLoss(task, lossName, overrides);
  } catch (error) {
    throw inFlagWords(error);
  }
  const adaptiveFlags = [options.targetGap, options.adaptRate, options.gammaMin, options.gammaMax];
  if (!options.adaptive && adaptiveFlags.some((v) => v !== undefined))
    throw new RangeError('--target-gap, --adapt-rate, --gamma-min and --gamma-max need --adaptive');
  if (options.adaptive) {
    if (task !== 'tags') throw new RangeError("--adaptive applies to the 'tags' task only");
    const adaptive: AdaptiveOptions = {
      targetGap: options.targetGap ?? defaultAdaptiveOptions.targetGap,
      rate: options.adaptRate ?? defaultAdaptiveOptions.rate,
      min: options.gammaMin ?? defaultAdaptiveOptions.min,
      max: options.gammaMax ?? defaultAdaptiveOptions.max,
    };
    if (adaptive.min > adaptive.max)
      throw new RangeError(`--gamma-min ${adaptive.min} is above --gamma-max ${adaptive.max}`);
    config.adaptive = adaptive;
  }
  if (options.epochs !== undefined) config.epochs = options.epochs;
  if (options.batchSize !== undefined) config.batchSize = options.batchSize;
  if (options.lr !== undefined) config.learningRate = options.lr;
  if (options.schedule !== undefined) config.schedule = options.schedule;
  if (options.priorBias) config.priorBias = true;
  if (options.embeddingDim !== undefined) config.embeddingDim = options.embeddingDim;
  if (options.hiddenUnits !== undefined) config.hiddenUnits = options.hiddenUnits;
  if (options.maxTokens !== undefined) config.maxTokens = options.maxTokens;
  if (options.minCount !== undefined) config.minCount = options.minCount;
  if (options.seed !== undefined) config.seed = options.seed;
  config.partial = partialFromFlags(options);
  if (config.partial !== null) {
    if (task !== 'tags') throw new RangeError("--hide-labels applies to the 'tags' task only");
    if (config.adaptive !== null)
      throw new RangeError('--adaptive is not defined with --hide-labels');
  }
  return config;
}

/** One line describing a loss configuration. */
export function describeLoss(config: TrainConfig): string {
  const l = config.loss;
  const parts = [`gamma_neg ${l.gammaNeg}`, `gamma_pos ${l.gammaPos}`];
  if (config.task === 'tags') parts.push(`clip ${l.clip}`, `eps ${l.eps}`);
  else parts.push(`label smoothing ${l.eps}`);
  parts.push(`focal grad ${l.focalGrad}`);
  let line = `${l.name} (${parts.join(', ')})`;
  const a = config.adaptive;
  if (a !== null)
    line += `, adaptive gamma_neg: target gap ${a.targetGap}, rate ${a.rate}, range [${a.min}, ${a.max}]`;
  if (config.partial) line += `; ${describePartial(config.partial)}`;
  return line;
}

/** The metrics written to `metrics.json` and printed with `--json`. */
export interface TrainReport {
  /** The model directory. */
  model: string;
  /** `complete`, `interrupted` (Ctrl-C; best epoch so far) or `training` (written mid-run). */
  status: 'complete' | 'interrupted' | 'training';
  /** The training configuration. */
  config: TrainConfig;
  /** The data file. */
  data: DataInfo;
  /** Records per split. */
  splits: { train: number; val: number; test: number };
  /** Vocabulary size (tokens, without padding). */
  vocabulary: number;
  /** Epoch history. */
  history: EpochInfo[];
  /** The epoch kept. */
  bestEpoch: number;
  /** Validation metrics of the kept epoch. */
  val: TagEvaluation | SectionEvaluation | null;
  /** Test metrics of the kept epoch. */
  test: TagEvaluation | SectionEvaluation | null;
  /** Training wall time, seconds. */
  seconds: number;
  /** Mean step time, milliseconds. */
  msPerStep: number;
  /** The backend. */
  backend: string;
}

/** Prints the evaluation of a split as text lines. */
export function evaluationLines(name: string, e: TagEvaluation | SectionEvaluation): string[] {
  if ('map' in e)
    return [
      `${name}: mAP ${pct(e.map)} over ${e.tagsUsed} tags (${e.tagsWithoutPositives} without positives ignored), ${e.samples} records`,
      `  at 0.5: CP ${pct(e.atThreshold.CP)} CR ${pct(e.atThreshold.CR)} CF1 ${pct(e.atThreshold.CF1)} OP ${pct(e.atThreshold.OP)} OR ${pct(e.atThreshold.OR)} OF1 ${pct(e.atThreshold.OF1)}`,
      `  top-3:  CP ${pct(e.top3.CP)} CR ${pct(e.top3.CR)} CF1 ${pct(e.top3.CF1)} OP ${pct(e.top3.OP)} OR ${pct(e.top3.OR)} OF1 ${pct(e.top3.OF1)}`,
    ];
  return [
    `${name}: top-1 ${pct(e.top1)}, top-5 ${pct(e.top5)}, macro-F1 ${pct(e.macroF1)} over ${e.sectionsUsed} sections, ${e.samples} records`,
  ];
}

/** Runs `asl train`; returns the report (also written to the model's `metrics.json`). */
export async function runTrain(options: TrainCommandOptions): Promise<TrainReport> {
  const config = trainConfigFromOptions(options);
  const outLabel = `--out ${options.out}`;
  checkModelDirTarget(options.out, outLabel);
  const dataPath = resolve(options.data ?? defaultDataFile);
  checkInputFile(dataPath, `--data ${options.data ?? defaultDataFile}`);
  // TensorFlow.js is loaded only by the commands that need it.
  const { useBackend } = await importBackend('train');
  const { evaluateModel, trainTagger } = await import('../tagger/train.js');
  const { Tagger } = await import('../tagger/tagger.js');
  const backend = await useBackend(options.backend);
  const say = (line: string) => {
    if (!options.json) console.log(line);
  };
  const loaded = loadTrainingData(dataPath, config.task, config.maxTokens, config.minCount);
  const { data } = loaded;
  say(`Data: ${loaded.summary}`);
  say(`Loss: ${describeLoss(config)}`);
  say(
    `Model: ${config.embeddingDim}-d embedding bag, ${config.hiddenUnits} ReLU units; Adam ${config.learningRate} (${config.schedule}), batch ${config.batchSize}, ${config.epochs} epochs, seed ${config.seed}, ${backend} backend`,
  );
  const dataInfo: DataInfo = {
    file: dataPath,
    sha256: loaded.file.sha256,
    records: loaded.file.records.length,
  };
  const report: TrainReport = {
    model: options.out,
    status: 'training',
    config,
    data: dataInfo,
    splits: { train: data.train.n, val: data.val.n, test: data.test.n },
    vocabulary: data.vocabulary.size - 1,
    history: [],
    bestEpoch: 0,
    val: null,
    test: null,
    seconds: 0,
    msPerStep: NaN,
    backend,
  };
  const scoreName = config.task === 'tags' ? 'val mAP' : 'val top-1';
  const progress = createProgress({
    label: '',
    epochs: config.epochs,
    scoreName,
    quiet: options.quiet ?? false,
  });
  const stop = interruptOnSigint(() =>
    progress.note(
      'Interrupted: stopping after this step and keeping the best model so far (Ctrl-C again to quit now).',
    ),
  );
  const save = async (model: import('@tensorflow/tfjs').LayersModel) => {
    const tagger = new Tagger(model, data.vocabulary, data.classes, config);
    writeModelDir(options.out, await tagger.toFiles({ data: dataInfo, metrics: report }), outLabel);
  };
  let result;
  try {
    result = await trainTagger(data, config, {
      signal: stop.signal,
      onStep: (info) => progress.step(info),
      onEpochEnd: async (info, model) => {
        progress.epoch(info);
        report.history.push(info);
        if (info.best) {
          report.bestEpoch = info.epoch;
          await save(model);
        }
      },
    });
  } finally {
    stop.dispose();
    progress.stop();
  }
  for (const info of result.history) if (info.partial) progress.epoch(info);
  report.history = result.history;
  report.seconds = result.seconds;
  report.msPerStep = result.msPerStep;
  try {
    if (result.bestEpoch === 0) {
      // Stopped (Ctrl-C) before one epoch was complete: nothing to keep, and not a success.
      report.status = 'interrupted';
      console.error(
        `asl: interrupted before the end of the first epoch: no model written to ${options.out}`,
      );
      process.exitCode = 130;
      return report;
    }
    report.bestEpoch = result.bestEpoch;
    report.val = evaluateModel(result.model, data.val, data.classes);
    report.test = evaluateModel(result.model, data.test, data.classes);
    report.status = result.stopped ? 'interrupted' : 'complete';
    await save(result.model);
  } finally {
    result.model.dispose();
  }
  if (options.json) printJson(report);
  else {
    say(`Best epoch ${report.bestEpoch} of ${result.history.length}`);
    for (const line of evaluationLines('Validation', report.val)) say(line);
    for (const line of evaluationLines('Test', report.test)) say(line);
    say(
      `Model written to ${options.out} (${result.seconds.toFixed(1)} s, ${result.msPerStep.toFixed(1)} ms per step)`,
    );
  }
  if (result.stopped) {
    console.error(`asl: interrupted; the model of epoch ${report.bestEpoch} is in ${options.out}`);
    process.exitCode = 130;
  }
  return report;
}

/** Adds the loss flags shared by `asl train` (and documented together). */
function lossFlags(command: Command): Command {
  return command
    .option('--loss <name>', 'loss: asl, bce or focal (--task tags); asl or ce (--task section)')
    .option('--gamma-neg <n>', 'gamma_neg (default 4 for asl)', numberOption())
    .option(
      '--gamma-pos <n>',
      'gamma_pos (default 0 for asl tags, 1 for asl section)',
      numberOption(),
    )
    .option(
      '--clip <n>',
      'probability margin of the negatives, tags only (default 0.05 for asl)',
      numberOption(),
    )
    .option(
      '--eps <n>',
      'tags: log floor (default 1e-8); section: label smoothing (default 0.1)',
      numberOption(),
    )
    .option(
      '--focal-grad <mode>',
      'full or detached (disable_torch_grad_focal_loss)',
      choiceOption(['full', 'detached'] as const),
    )
    .option('--adaptive', 'adapt gamma_neg during training toward a target probability gap')
    .option(
      '--target-gap <dp>',
      `target gap: mean p of positives - mean 1-p of negatives (default ${defaultAdaptiveOptions.targetGap})`,
      numberOption({ min: -1, max: 1 }),
    )
    .option(
      '--adapt-rate <lambda>',
      `gamma_neg change per step and unit of gap error (default ${defaultAdaptiveOptions.rate})`,
      numberOption({ min: 0 }),
    )
    .option(
      '--gamma-min <n>',
      `lower bound of the adaptive gamma_neg (default ${defaultAdaptiveOptions.min})`,
      numberOption({ min: 0 }),
    )
    .option(
      '--gamma-max <n>',
      `upper bound of the adaptive gamma_neg (default ${defaultAdaptiveOptions.max})`,
      numberOption({ min: 0 }),
    );
}

/** Adds the training budget and model flags. */
export function budgetFlags(command: Command): Command {
  return command
    .option('--epochs <n>', 'epochs (default 8)', numberOption({ min: 1, integer: true }))
    .option('--batch-size <n>', 'batch size (default 64)', numberOption({ min: 1, integer: true }))
    .option('--lr <rate>', 'Adam learning rate (default 0.002)', numberOption({ above: 0 }))
    .option(
      '--schedule <name>',
      'learning-rate schedule: constant (default) or cosine',
      choiceOption(['constant', 'cosine'] as const),
    )
    .option('--prior-bias', 'initialise the output biases to the log-odds of the tag frequencies')
    .option(
      '--embedding-dim <n>',
      'embedding width (default 128)',
      numberOption({ min: 1, integer: true }),
    )
    .option(
      '--hidden-units <n>',
      'hidden ReLU units (default 256)',
      numberOption({ min: 1, integer: true }),
    )
    .option(
      '--max-tokens <n>',
      'tokens kept per package (default 400)',
      numberOption({ min: 1, integer: true }),
    )
    .option(
      '--min-count <n>',
      'training occurrences for a token to enter the vocabulary (default 2)',
      numberOption({ min: 1, integer: true }),
    )
    .option(
      '--seed <n>',
      'seed of the initial weights and batch order (default 1)',
      numberOption({ integer: true }),
    )
    .option(
      '--backend <name>',
      'TensorFlow.js backend: wasm or cpu',
      choiceOption(backendNames),
      'wasm',
    );
}

/** Registers `asl train` on the program. */
export function registerTrain(program: Command): void {
  const command = program
    .command('train')
    .description(
      'train the tagger (tags or section) on the debtags data and write a model directory',
    )
    .option(
      '--data <file>',
      'JSONL data, plain or gzip (default: the shipped data/debtags-bookworm.jsonl.gz)',
    )
    .option(
      '--task <task>',
      'tags (multi-label) or section (single-label)',
      choiceOption(['tags', 'section'] as const),
      'tags',
    );
  lossFlags(command);
  partialFlags(command);
  budgetFlags(command);
  command
    .requiredOption('-o, --out <dir>', 'model directory to write')
    .option('--json', 'print the report as JSON')
    .option('-q, --quiet', 'no progress output')
    .action(async (options: TrainCommandOptions) => {
      await runTrain(options);
    });
}
