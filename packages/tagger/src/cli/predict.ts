/**
 * `asl predict`: the most probable tags (or sections) of a text, or of each JSONL record read
 * from stdin, with their probabilities.
 */
import type { Command } from 'commander';
import { importBackend } from '../tagger/node/tfjs-packages.js';
import { parseRecords, type DebtagsRecord } from '../tagger/records.js';
import type { Prediction } from '../tagger/tagger.js';
import { backendNames, choiceOption, numberOption, printJson } from '../tagger/node/cli-helpers.js';
import { loadModelDir } from '../tagger/node/model-dir.js';

/** Options of `asl predict`. */
export interface PredictCommandOptions {
  model: string;
  top: number;
  backend: string;
  json?: boolean;
}

/** One input and its predictions. */
export interface PredictResult {
  /** The package name (stdin records), or `null` for a text. */
  package: string | null;
  /** The text (for a text argument), or `null`. */
  text: string | null;
  /** The top labels, most probable first. */
  predictions: Prediction[];
}

/** Reads all of stdin as text. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Runs `asl predict` on `texts` (joined into one text) or, when there is none, on JSONL
 * records read from `input` (partial records allowed: no tags needed).
 */
export async function runPredict(
  texts: string[],
  options: PredictCommandOptions,
  input: () => Promise<string> = readStdin,
): Promise<PredictResult[]> {
  let sources: (Partial<DebtagsRecord> | string)[];
  if (texts.length > 0) {
    const text = texts.join(' ');
    if (text.trim() === '') throw new Error('the text to tag is empty');
    sources = [text];
  } else {
    if (process.stdin.isTTY && input === readStdin)
      throw new Error('give a text to tag, or pipe JSONL records on stdin');
    sources = parseRecords(await input(), '<stdin>', { partial: true });
  }
  const { useBackend } = await importBackend('predict');
  await useBackend(options.backend);
  const tagger = await loadModelDir(options.model);
  let results: PredictResult[];
  try {
    const predictions = tagger.predict(sources, options.top);
    results = sources.map((source, i) => ({
      package: typeof source === 'string' ? null : source.package || null,
      text: typeof source === 'string' ? source : null,
      predictions: predictions[i],
    }));
  } finally {
    tagger.dispose();
  }
  if (options.json) printJson({ model: options.model, task: tagger.task, results });
  else
    for (const result of results) {
      if (result.package !== null) console.log(`${result.package}:`);
      for (const p of result.predictions) console.log(`  ${p.probability.toFixed(3)}  ${p.label}`);
    }
  return results;
}

/** Registers `asl predict` on the program. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('predict the tags of a text, or of JSONL records on stdin, with probabilities')
    .argument(
      '[text...]',
      'text to tag (a package description); without it, JSONL records are read from stdin',
    )
    .requiredOption('-m, --model <dir>', 'model directory (from asl train)')
    .option('-k, --top <k>', 'labels per input', numberOption({ min: 1, integer: true }), 5)
    .option(
      '--backend <name>',
      'TensorFlow.js backend: wasm or cpu',
      choiceOption(backendNames),
      'wasm',
    )
    .option('--json', 'print the predictions as JSON')
    .action(async (texts: string[], options: PredictCommandOptions) => {
      await runPredict(texts, options);
    });
}
