/**
 * A seeded uniform source for the tests (Mulberry32): the same inputs on every run and machine.
 * Test support only; the application's training uses its own `Random`.
 */

/** A function returning uniform floats in `[0, 1)`, seeded by `seed` (its low 32 bits). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
