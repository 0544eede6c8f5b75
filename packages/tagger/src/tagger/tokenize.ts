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
  const tokens = wordTokens(record.package ?? '');
  if (record.section) tokens.push(`sec:${record.section}`);
  tokens.push(...wordTokens(record.description ?? ''));
  for (const name of record.depends ?? []) tokens.push(`dep:${name}`);
  if (tokens.length < maxTokens) tokens.push(...wordTokens(record.long_description ?? ''));
  if (tokens.length > maxTokens) tokens.length = maxTokens;
  return tokens;
}
