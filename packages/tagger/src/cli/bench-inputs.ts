/**
 * The batches `asl bench` and the benchmarks in `bench/` time the losses on: logits 2 x standard
 * normal, and about one positive per 20 negatives (multi-label) or uniform class indices
 * (single-label). Seeded by the shape, so that every run times the same inputs.
 */
import { Random } from '../tagger/random.js';

/** Logits `[n, c]` and 0/1 targets for the multi-label loss. */
export function multiLabelBatch(
  n: number,
  c: number,
): { logits: Float32Array; targets: Float32Array } {
  const random = new Random(n + c);
  const logits = Float32Array.from({ length: n * c }, () => 2 * random.normal());
  const targets = Float32Array.from({ length: n * c }, () => (random.next() < 0.05 ? 1 : 0));
  return { logits, targets };
}

/** Logits `[n, c]` and `n` class indices for the single-label loss. */
export function singleLabelBatch(
  n: number,
  c: number,
): { logits: Float32Array; classes: Int32Array } {
  const random = new Random(n + c + 1);
  const logits = Float32Array.from({ length: n * c }, () => 2 * random.normal());
  const classes = Int32Array.from({ length: n }, () => random.int(c));
  return { logits, classes };
}
