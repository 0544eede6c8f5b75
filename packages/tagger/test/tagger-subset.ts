/**
 * Small subsets of the shipped debtags data for the tagger's tests: every k-th record, so that
 * all splits, sections and frequent tags appear.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseRecords, type DebtagsRecord } from '../src/tagger/records.js';
import { defaultDataFile } from '../src/tagger/node/data-file.js';
import { decodeDataBytes } from '../src/tagger/node/data-file.js';

let cache: DebtagsRecord[] | null = null;

/** All records of the shipped data (parsed once per process). */
export function shippedRecords(): DebtagsRecord[] {
  cache ??= parseRecords(decodeDataBytes(readFileSync(defaultDataFile), defaultDataFile), 'data');
  return cache;
}

/** `n` records spread over the shipped data. */
export function subsetRecords(n: number): DebtagsRecord[] {
  const all = shippedRecords();
  const step = Math.max(1, Math.floor(all.length / n));
  return all.filter((_, i) => i % step === 0).slice(0, n);
}

/** The JSONL text of records. */
export function toJsonl(records: readonly DebtagsRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** Writes `n` records to `dir/name` (gzip when the name ends with `.gz`); returns the path. */
export function writeSubset(dir: string, name: string, n: number): string {
  const path = join(dir, name);
  const text = toJsonl(subsetRecords(n));
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}
