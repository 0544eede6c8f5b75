/**
 * A tagger training session for the page, on the library's browser-safe tagger
 * (src/tagger): parse the shipped data, prepare a subset, train with callbacks and a stop
 * signal, and predict the tags of free text with the library's `Tagger`. No DOM: it runs in a
 * worker.
 */
import {
  defaultTrainConfig,
  type TrainConfig,
  prepareData,
  type PreparedData,
  encodeTokens,
  type LossSettings,
  parseRecords,
  type DebtagsRecord,
  splitOf,
  Tagger,
  trainTagger,
  type TrainCallbacks,
  type TrainResult,
} from 'asymmetric-loss-tagger';
import type { TagGuess } from './protocol.js';

/** Parses the JSONL text of the data set. */
export function parseDebtags(text: string): DebtagsRecord[] {
  return parseRecords(text, 'debtags-bookworm.jsonl');
}

/**
 * The data of a run: the library's split (by package name), keeping only the first
 * `trainSize` packages of the training part (0: all); validation and test stay whole, so the
 * scores compare with full runs.
 */
export function prepareSubset(records: readonly DebtagsRecord[], trainSize: number): PreparedData {
  if (trainSize <= 0) return prepareData(records);
  let kept = 0;
  const subset = records.filter((r) => splitOf(r.package) !== 'train' || kept++ < trainSize);
  return prepareData(subset);
}

/** The tagger's default configuration with the page's loss, epochs and seed. */
export function runConfig(loss: LossSettings, epochs: number, seed: number): TrainConfig {
  return { ...defaultTrainConfig('tags', loss.name), loss, epochs, seed };
}

/** Trains one model; resolves to the result and the `Tagger` that predicts with it. */
export async function trainRun(
  data: PreparedData,
  config: TrainConfig,
  callbacks: TrainCallbacks,
): Promise<{ result: TrainResult; tagger: Tagger }> {
  const result = await trainTagger(data, config, callbacks);
  return { result, tagger: new Tagger(result.model, data.vocabulary, data.classes, config) };
}

/**
 * The `k` most probable tags of a free-text description (the tagger reads it as a package's
 * description), and how many of its tokens the vocabulary knows (0: the model sees nothing).
 */
export function predictText(
  tagger: Tagger,
  text: string,
  k: number,
): { tags: TagGuess[]; known: number } {
  const [guesses] = tagger.predict([text], k);
  const tokens = encodeTokens([{ description: text }], tagger.vocabulary, tagger.config.maxTokens);
  return {
    tags: guesses.map((g) => ({ tag: g.label, probability: g.probability })),
    known: tokens.ids.length,
  };
}
