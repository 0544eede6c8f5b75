/**
 * Reading the debtags JSONL data from disk, plain or gzip-compressed (detected from the
 * content, not the name), and the SHA-256 of the file. Node only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { pathReason } from '../../io/output-path.js';
import { isGzip } from '../gzip.js';
import {
  DataError,
  parseRecords,
  type DebtagsRecord,
  type ParseRecordsOptions,
} from '../records.js';

/** The data set shipped with the package: `data/debtags-bookworm.jsonl.gz`. */
export const defaultDataFile = fileURLToPath(
  new URL('../../../data/debtags-bookworm.jsonl.gz', import.meta.url),
);

/** Records read from a file, with the file's identity. */
export interface DataFile {
  /** The path as given. */
  file: string;
  /** SHA-256 of the file's bytes (compressed or not), hexadecimal. */
  sha256: string;
  /** The records in file order. */
  records: DebtagsRecord[];
}

/** SHA-256 of bytes, hexadecimal. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The text of JSONL bytes, gunzipped when they are gzip.
 *
 * @throws {@link DataError} for corrupt gzip data or text that is not UTF-8.
 */
export function decodeDataBytes(bytes: Uint8Array, source: string): string {
  let raw: Uint8Array = bytes;
  if (isGzip(bytes)) {
    try {
      raw = gunzipSync(bytes);
    } catch (error) {
      throw new DataError(source, 0, `corrupt gzip data (${(error as Error).message})`);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new DataError(source, 0, 'not UTF-8 text');
  }
}

/**
 * Reads and validates a JSONL data file, plain or gzip.
 *
 * @param file - Path of the file.
 * @param options - Parsing options (`partial`, `maxErrors`).
 * @throws {@link DataError} `file: ...` when the file cannot be read, `file:line: ...` for a
 *   bad record.
 */
export function readDataFile(file: string, options: ParseRecordsOptions = {}): DataFile {
  return readDataFileIf(file, () => true, options)!;
}

/**
 * {@link readDataFile}, parsing the records only when `accept(sha256)` holds for the file's
 * bytes (read once either way); `null` otherwise.
 */
export function readDataFileIf(
  file: string,
  accept: (sha256: string) => boolean,
  options: ParseRecordsOptions = {},
): DataFile | null {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new DataError(file, 0, `cannot read the data file: ${pathReason(error)}`);
  }
  const sha256 = sha256Hex(bytes);
  if (!accept(sha256)) return null;
  return { file, sha256, records: parseRecords(decodeDataBytes(bytes, file), file, options) };
}
