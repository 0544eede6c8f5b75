/**
 * Records turned into model inputs: token ids in compressed rows, and targets (a multi-hot
 * tag matrix, or a section index). Browser-safe.
 */
import type { DebtagsRecord } from './records.js';
import { recordTokens, type TokenSource } from './tokenize.js';
import type { Vocabulary } from './vocabulary.js';

/** What the model predicts: the package's tags (multi-label) or its section (single-label). */
export type TaskName = 'tags' | 'section';

/**
 * Token ids of `n` documents in compressed-row form: the ids of document `i` are
 * `ids[offsets[i] .. offsets[i + 1])`.
 */
export interface EncodedTokens {
  /** Number of documents. */
  n: number;
  /** `n + 1` offsets into `ids`, `offsets[0] = 0`. */
  offsets: Int32Array;
  /** Token ids (1-based vocabulary ids; unknown tokens are dropped). */
  ids: Int32Array;
}

/** A labelled, encoded data set. */
export interface EncodedSet extends EncodedTokens {
  /** Package names, in order. */
  names: string[];
  /** Number of classes `c` (tags or sections of the model). */
  numClasses: number;
  /** Task `tags`: the `n × c` multi-hot targets, row-major. */
  tagTargets: Uint8Array | null;
  /** Task `section`: the class index of each document, `-1` for a section the model lacks. */
  classTargets: Int32Array | null;
  /** Labels of the data that are not among the model's classes: label -> occurrences. */
  unknownLabels: Map<string, number>;
}

/**
 * Encodes documents' token ids.
 *
 * @param sources - Records or partial records (free text as `description`).
 * @param vocabulary - The vocabulary.
 * @param maxTokens - Cap on the tokens per document, before dropping unknown tokens.
 */
export function encodeTokens(
  sources: readonly TokenSource[],
  vocabulary: Vocabulary,
  maxTokens: number,
): EncodedTokens {
  const offsets = new Int32Array(sources.length + 1);
  const all: number[] = [];
  sources.forEach((source, i) => {
    for (const id of vocabulary.encode(recordTokens(source, maxTokens))) all.push(id);
    offsets[i + 1] = all.length;
  });
  return { n: sources.length, offsets, ids: Int32Array.from(all) };
}

/**
 * Encodes records with their targets for `task`.
 *
 * @param records - The records.
 * @param vocabulary - The vocabulary.
 * @param classes - The model's class names (tags, or sections), in output order.
 * @param task - `tags` or `section`.
 * @param maxTokens - Cap on the tokens per document.
 */
export function encodeRecords(
  records: readonly DebtagsRecord[],
  vocabulary: Vocabulary,
  classes: readonly string[],
  task: TaskName,
  maxTokens: number,
): EncodedSet {
  const tokens = encodeTokens(records, vocabulary, maxTokens);
  const c = classes.length;
  const index = new Map(classes.map((name, j) => [name, j]));
  const unknownLabels = new Map<string, number>();
  const unknown = (label: string) => unknownLabels.set(label, (unknownLabels.get(label) ?? 0) + 1);
  let tagTargets: Uint8Array | null = null;
  let classTargets: Int32Array | null = null;
  if (task === 'tags') {
    tagTargets = new Uint8Array(records.length * c);
    records.forEach((record, i) => {
      for (const tag of record.tags) {
        const j = index.get(tag);
        if (j === undefined) unknown(tag);
        else tagTargets![i * c + j] = 1;
      }
    });
  } else {
    classTargets = new Int32Array(records.length);
    records.forEach((record, i) => {
      const j = index.get(record.section);
      if (j === undefined) unknown(record.section);
      classTargets![i] = j ?? -1;
    });
  }
  return {
    ...tokens,
    names: records.map((r) => r.package),
    numClasses: c,
    tagTargets,
    classTargets,
    unknownLabels,
  };
}

/**
 * The classes of a task as found in (training) records, sorted: every tag, or every section.
 */
export function classesOf(records: readonly DebtagsRecord[], task: TaskName): string[] {
  const set = new Set<string>();
  for (const record of records) {
    if (task === 'tags') for (const tag of record.tags) set.add(tag);
    else set.add(record.section);
  }
  return [...set].sort();
}
