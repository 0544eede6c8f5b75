/**
 * Features of a record: lower-cased word tokens of the package name, description and long
 * description, plus `sec:<section>` and `dep:<name>` tokens. Browser-safe.
 */
import type { DebtagsRecord } from './records.js';

/** Default cap on the tokens of one package (the anchor's). */
export const defaultMaxTokens = 400;

/** A word: a run of letters, digits and underscores (Python's `\w+` on Unicode text). */
const wordPattern = /[\p{L}\p{N}_]+/gu;

/**
 * The lower-cased word tokens of a text.
 *
 * @example
 * ```ts
 * wordTokens('GTK+ front-end for GNU Go'); // ['gtk', 'front', 'end', 'for', 'gnu', 'go']
 * ```
 */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(wordPattern) ?? [];
}

/** The fields {@link recordTokens} reads; all optional, so that free text can be tokenised. */
export type TokenSource = Partial<
  Pick<DebtagsRecord, 'package' | 'section' | 'description' | 'long_description' | 'depends'>
>;

/**
 * The tokens of a record, in this order: words of the package name, `sec:<section>`, words of
 * the description, `dep:<name>` for each dependency, words of the long description; cut after
 * `maxTokens` (so a very long description loses its tail first).
 *
 * @param record - The record (missing fields count as empty).
 * @param maxTokens - Cap on the number of tokens, default {@link defaultMaxTokens}.
 * @returns The tokens, duplicates kept (the model averages over all of them).
 */
export function recordTokens(record: TokenSource, maxTokens = defaultMaxTokens): string[] {
  const tokens: string[] = [];
  appendWords(tokens, record.package ?? '', maxTokens);
  if (record.section && tokens.length < maxTokens) tokens.push(`sec:${record.section}`);
  appendWords(tokens, record.description ?? '', maxTokens);
  for (const name of record.depends ?? []) {
    if (tokens.length >= maxTokens) break;
    tokens.push(`dep:${name}`);
  }
  appendWords(tokens, record.long_description ?? '', maxTokens);
  return tokens;
}

/**
 * Appends the word tokens of `text` to `tokens` until it holds `maxTokens`: one at a time, so a
 * megabyte of text neither overflows the stack (as spreading its words into `push` did) nor is
 * read past the cap.
 */
function appendWords(tokens: string[], text: string, maxTokens: number): void {
  if (tokens.length >= maxTokens || text === '') return;
  const pattern = new RegExp(wordPattern.source, wordPattern.flags);
  const lower = text.toLowerCase();
  for (
    let m = pattern.exec(lower);
    m !== null && tokens.length < maxTokens;
    m = pattern.exec(lower)
  )
    tokens.push(m[0]);
}
