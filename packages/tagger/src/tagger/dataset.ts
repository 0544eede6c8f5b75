/**
 * From records to the three encoded parts of the split, with the vocabulary and the classes
 * built on the training part only. Browser-safe.
 */
import { classesOf, encodeRecords, type EncodedSet, type TaskName } from './features.js';
import type { DebtagsRecord } from './records.js';
import { splitRecords } from './split.js';
import { defaultMaxTokens, recordTokens } from './tokenize.js';
import { defaultMinCount, Vocabulary } from './vocabulary.js';

/** Options of {@link prepareData}. */
export interface PrepareOptions {
  /** `tags` (default) or `section`. */
  task?: TaskName;
  /** Cap on the tokens per package, default 400. */
  maxTokens?: number;
  /** Minimum count of a training token to enter the vocabulary, default 2. */
  minCount?: number;
}

/** The data of a training run. */
export interface PreparedData {
  /** The task. */
  task: TaskName;
  /** Vocabulary of the training split. */
  vocabulary: Vocabulary;
  /** Classes (tags or sections) of the training split, sorted: the model's outputs. */
  classes: string[];
  /** Token cap used. */
  maxTokens: number;
  /** Vocabulary threshold used. */
  minCount: number;
  /** Training split (buckets 0-7). */
  train: EncodedSet;
  /** Validation split (bucket 8). */
  val: EncodedSet;
  /** Test split (bucket 9). */
  test: EncodedSet;
}

/**
 * Splits the records, builds the vocabulary and the class list on the training part, and
 * encodes the three parts.
 *
 * @throws RangeError when a part of the split is empty.
 */
export function prepareData(
  records: readonly DebtagsRecord[],
  options: PrepareOptions = {},
): PreparedData {
  const { task = 'tags', maxTokens = defaultMaxTokens, minCount = defaultMinCount } = options;
  const parts = splitRecords(records);
  for (const name of ['train', 'val', 'test'] as const)
    if (parts[name].length === 0)
      throw new RangeError(
        `the ${name} split is empty (${records.length} records): the data set is too small`,
      );
  const vocabulary = Vocabulary.build(
    parts.train.map((r) => recordTokens(r, maxTokens)),
    minCount,
  );
  const classes = classesOf(parts.train, task);
  const encode = (part: DebtagsRecord[]) =>
    encodeRecords(part, vocabulary, classes, task, maxTokens);
  return {
    task,
    vocabulary,
    classes,
    maxTokens,
    minCount,
    train: encode(parts.train),
    val: encode(parts.val),
    test: encode(parts.test),
  };
}
