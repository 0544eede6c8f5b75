/**
 * `asl eval`: evaluates a model directory on a split of the debtags data or on any JSONL file
 * in the same format: mAP (tags without positives ignored, and counted), CP..OF1 at 0.5 and
 * top-3, the best and worst tags by AP; top-1, top-5 and macro-F1 for a section model.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { importBackend } from '../tagger/node/tfjs-packages.js';
import {
  evaluateSections,
  evaluateTags,
  sigmoidAll,
  type SectionEvaluation,
  type TagEvaluation,
} from '../tagger/evaluate.js';
import { encodeRecords } from '../tagger/features.js';
import { splitOf, type SplitName } from '../tagger/split.js';
import type { DataInfo } from '../tagger/tagger.js';
import {
  backendNames,
  choiceOption,
  displayPath,
  numberOption,
  pct,
  printJson,
} from '../tagger/node/cli-helpers.js';
import {
  defaultDataFile,
  readDataFile,
  readDataFileIf,
  type DataFile,
} from '../tagger/node/data-file.js';
import { loadModelDir, readModelConfig } from '../tagger/node/model-dir.js';
import { evaluationLines } from './train.js';

/** Options of `asl eval`. */
export interface EvalCommandOptions {
  model: string;
  data?: string;
  split?: SplitName | 'all';
  list: number;
  backend: string;
  json?: boolean;
}

/** What `asl eval --json` prints. */
export interface EvalReport {
  /** The model directory. */
  model: string;
  /** `tags` or `section`. */
  task: string;
  /** The evaluation data. */
  data: { file: string; sha256: string; records: number; sameAsTraining: boolean };
  /** The split evaluated. */
  split: SplitName | 'all';
  /** The metrics. */
  metrics: TagEvaluation | SectionEvaluation;
}

/**
 * The data an evaluation uses without `--data`: the model's training file, found by its SHA-256
 * (at the path recorded at training, which older models stored relative to the directory of
 * training, or as the data shipped with this package), so that another file that happens to
 * have that name is never evaluated in its place. Each candidate is read once, and parsed only
 * when its SHA-256 matches.
 *
 * @throws Error when neither holds the training data: the user names it with `--data`.
 */
function trainingData(trainedOn: DataInfo | null): DataFile {
  if (trainedOn === null) return readDataFile(defaultDataFile);
  for (const file of [trainedOn.file, defaultDataFile]) {
    const data = existsSync(file) ? readDataFileIf(file, (sha) => sha === trainedOn.sha256) : null;
    if (data !== null) return data;
  }
  throw new Error(
    `the model's training data (${trainedOn.file}, sha256 ${trainedOn.sha256.slice(0, 12)}…) is ` +
      'not found or has changed; give the data to evaluate on with --data',
  );
}

/** Runs `asl eval`. */
export async function runEval(options: EvalCommandOptions): Promise<EvalReport> {
  const { useBackend } = await importBackend('eval');
  const { predictLogits, taggerVariables } = await import('../tagger/model.js');
  await useBackend(options.backend);
  const trainedOn = readModelConfig(options.model).data;
  const tagger = await loadModelDir(options.model);
  try {
    const dataFile =
      options.data !== undefined ? readDataFile(options.data) : trainingData(trainedOn);
    const file = dataFile.file;
    const split = options.split ?? (options.data !== undefined ? 'all' : 'test');
    const records =
      split === 'all'
        ? dataFile.records
        : dataFile.records.filter((r) => splitOf(r.package) === split);
    if (records.length === 0) throw new Error(`${file}: no records in the ${split} split`);
    const config = tagger.config;
    const set = encodeRecords(
      records,
      tagger.vocabulary,
      tagger.labels,
      config.task,
      config.maxTokens,
    );
    const logits = predictLogits(taggerVariables(tagger.model), set);
    const metrics =
      config.task === 'tags'
        ? evaluateTags(sigmoidAll(logits), set, tagger.labels, { list: options.list })
        : evaluateSections(logits, set, tagger.labels.length);
    const report: EvalReport = {
      model: options.model,
      task: config.task,
      data: {
        file,
        sha256: dataFile.sha256,
        records: records.length,
        sameAsTraining: trainedOn?.sha256 === dataFile.sha256,
      },
      split,
      metrics,
    };
    if (options.json) printJson(report);
    else printEvalReport(report);
    if (!report.data.sameAsTraining && split !== 'all')
      console.error(
        `asl: note: ${file} is not the model's training data; its ${split} split may overlap what the model was trained on`,
      );
    return report;
  } finally {
    tagger.dispose();
  }
}

/** Prints an evaluation report as text. */
export function printEvalReport(report: EvalReport): void {
  const m = report.metrics;
  console.log(
    `Model ${report.model} (${report.task}) on ${displayPath(report.data.file)}, split ${report.split}`,
  );
  for (const line of evaluationLines('Metrics', m)) console.log(line);
  if ('map' in m) {
    const row = (s: { tag: string; ap: number; positives: number }) =>
      `  ${pct(s.ap).padStart(6)}  ${s.tag} (${s.positives} positive${s.positives === 1 ? '' : 's'})`;
    console.log('Best tags by AP:');
    for (const s of m.best) console.log(row(s));
    console.log('Worst tags by AP:');
    for (const s of m.worst) console.log(row(s));
    if (m.unknownTags > 0)
      console.log(
        `Unknown tags (not in the model, not evaluated): ${m.unknownTags} occurrences of ${m.unknownTagList.length} tags: ${m.unknownTagList
          .slice(0, 10)
          .map((u) => `${u.tag} (${u.count})`)
          .join(', ')}${m.unknownTagList.length > 10 ? ', ...' : ''}`,
      );
  } else if (m.unknownSections > 0) {
    console.log(
      `Unknown sections (not evaluated): ${m.unknownSections} records: ${m.unknownSectionList
        .map((u) => `${u.tag} (${u.count})`)
        .join(', ')}`,
    );
  }
}

/** Registers `asl eval` on the program. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a model directory on a split of the data or on any JSONL file')
    .requiredOption('-m, --model <dir>', 'model directory (from asl train)')
    .option('--data <file>', "JSONL data, plain or gzip (default: the model's training data)")
    .option(
      '--split <split>',
      'train, val, test or all (default: test; all with --data)',
      choiceOption(['train', 'val', 'test', 'all'] as const),
    )
    .option('--list <n>', 'best and worst tags to list', numberOption({ min: 0, integer: true }), 5)
    .option(
      '--backend <name>',
      'TensorFlow.js backend: wasm or cpu',
      choiceOption(backendNames),
      'wasm',
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: EvalCommandOptions) => {
      await runEval(options);
    });
}
