/**
 * The fixed train/validation/test split: the SHA-1 of the package name, read as a big-endian
 * integer, modulo 10; buckets 0-7 are train, 8 validation, 9 test. Anyone can recompute it
 * from the name alone (Python: `int(hashlib.sha1(name.encode()).hexdigest(), 16) % 10`), so
 * figures compare across runs, machines and implementations. Browser-safe.
 */
import { sha1 } from './sha1.js';

/** The three parts of the split. */
export type SplitName = 'train' | 'val' | 'test';

/** The split names in order. */
export const splitNames: readonly SplitName[] = ['train', 'val', 'test'];

/**
 * The bucket of a package name: `SHA-1(utf8(name))` as a big-endian integer, modulo 10.
 *
 * @param name - The package name.
 * @returns An integer in `[0, 10)`.
 */
export function splitBucket(name: string): number {
  let remainder = 0;
  // Horner's rule on the digest's bytes, most significant first, reduced as it goes.
  for (const byte of sha1(name)) remainder = (remainder * 256 + byte) % 10;
  return remainder;
}

/**
 * The split of a package name: buckets 0-7 `train`, 8 `val`, 9 `test`.
 *
 * @param name - The package name.
 */
export function splitOf(name: string): SplitName {
  const bucket = splitBucket(name);
  return bucket < 8 ? 'train' : bucket === 8 ? 'val' : 'test';
}

/**
 * Splits records by package name.
 *
 * @param records - Anything with a `package` name.
 * @returns The three parts, each in input order.
 */
export function splitRecords<T extends { package: string }>(
  records: readonly T[],
): Record<SplitName, T[]> {
  const parts: Record<SplitName, T[]> = { train: [], val: [], test: [] };
  for (const record of records) parts[splitOf(record.package)].push(record);
  return parts;
}
