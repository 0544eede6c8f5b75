/**
 * Helpers shared by the tagger's commands (`asl train`, `eval`, `predict`, `compare`):
 * option parsers with clear messages, the data loading step and JSON output. Node only.
 */
import { isAbsolute, relative } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { prepareData, type PreparedData } from '../dataset.js';
import type { TaskName } from '../features.js';
import { readDataFile, type DataFile } from './data-file.js';

/** The TensorFlow.js backends the CLI offers. */
export const backendNames = ['wasm', 'cpu'] as const;
/** A backend the CLI offers. */
export type BackendName = (typeof backendNames)[number];

/** A number as people write it: optional sign, digits with an optional point, an exponent. */
const decimal = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A commander parser for a number in `[min, max]` (an integer when `integer`). */
export function numberOption(
  options: { min?: number; max?: number; integer?: boolean; above?: number; below?: number } = {},
): (value: string) => number {
  return (value: string) => {
    // Decimal notation only: Number() would also read '0x10' as 16, '0b1' as 1 and ' 2 ' as 2.
    const n = decimal.test(value) ? Number(value) : NaN;
    const { min = -Infinity, max = Infinity, integer = false, above, below } = options;
    const kind = integer ? 'an integer' : 'a number';
    const range =
      above !== undefined
        ? ` > ${above}`
        : below !== undefined
          ? ` in [${min}, ${below})`
          : min > -Infinity && max < Infinity
            ? ` in [${min}, ${max}]`
            : min > -Infinity
              ? ` >= ${min}`
              : '';
    if (
      value.trim() === '' ||
      !Number.isFinite(n) ||
      (integer && !Number.isInteger(n)) ||
      n < min ||
      n > max ||
      (above !== undefined && !(n > above)) ||
      (below !== undefined && !(n < below))
    )
      throw new InvalidArgumentError(`expected ${kind}${range}, got '${value}'.`);
    return n;
  };
}

/**
 * An error of the library about a hyperparameter, in the command line's words: `Argument 'eps'
 * passed to 'AsymmetricLossMultiLabel' must be in [0, 0.5), but got 0.5` becomes `--eps must be
 * in [0, 0.5), but got 0.5` (the ranges are the library's, declared once). Other errors pass.
 */
export function inFlagWords(error: unknown): unknown {
  const match =
    error instanceof Error
      ? /^Argument '(\w+)' passed to '[^']+' (must .*)$/s.exec(error.message)
      : null;
  if (match === null) return error;
  const flag = `--${match[1].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return new RangeError(`${flag} ${match[2]}`, { cause: error });
}

/** A commander parser for one of `choices`. */
export function choiceOption<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value))
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got '${value}'.`);
    return value as T;
  };
}

/** Prints a value as indented JSON on stdout (NaN and infinities become null). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `file` relative to the working directory when it lies under it (for messages). */
export function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** A data file read and prepared for a task, with a one-line description. */
export interface LoadedData {
  /** The file and its records. */
  file: DataFile;
  /** The split, vocabulary and encoded parts. */
  data: PreparedData;
  /** `file (n records, sha256 abcd1234…): train a, val b, test c; vocabulary v tokens, c tags` */
  summary: string;
}

/**
 * Reads a data file and prepares it for training (split, vocabulary, encoding).
 *
 * @throws Error when the training split has no label at all (nothing to train).
 */
export function loadTrainingData(
  file: string,
  task: TaskName,
  maxTokens: number,
  minCount: number,
): LoadedData {
  const dataFile = readDataFile(file);
  const data = prepareData(dataFile.records, { task, maxTokens, minCount });
  if (data.classes.length === 0)
    throw new Error(
      `${displayPath(file)}: no record of the training split has a ${task === 'tags' ? 'tag' : 'section'}; nothing to train`,
    );
  const summary =
    `${displayPath(file)} (${dataFile.records.length} records, sha256 ${dataFile.sha256.slice(0, 12)}…): ` +
    `train ${data.train.n}, val ${data.val.n}, test ${data.test.n}; ` +
    `vocabulary ${data.vocabulary.size - 1} tokens, ${data.classes.length} ${task === 'tags' ? 'tags' : 'sections'}`;
  return { file: dataFile, data, summary };
}

/** Formats a percentage with two decimals. */
export function pct(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '-';
}
