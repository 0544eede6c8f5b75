import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { averagePrecision, averagePrecisionCore } from './average-precision.js';
import { metricsCases } from '@asymmetric-loss/testing/reference';

const fixtureCases = metricsCases();

/** Column `j` of a row-major `[n, c]` matrix. */
function column(values: ArrayLike<number>, n: number, c: number, j: number): number[] {
  return Array.from({ length: n }, (_, i) => values[i * c + j]);
}

/**
 * scikit-learn's `average_precision_score`, written out literally: one (recall, precision)
 * point per distinct score, `AP = Σ (R_k − R_{k−1}) P_k`. O(n²); NaN without positives.
 */
function bruteForceGrouped(scores: number[], targets: number[]): number {
  const positives = targets.filter((t) => t === 1).length;
  if (positives === 0) return NaN;
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  let ap = 0;
  let previousRecall = 0;
  for (const threshold of thresholds) {
    let tp = 0;
    let fp = 0;
    scores.forEach((s, i) => {
      if (s >= threshold) {
        if (targets[i] === 1) tp++;
        else fp++;
      }
    });
    const recall = tp / positives;
    ap += (recall - previousRecall) * (tp / (tp + fp));
    previousRecall = recall;
  }
  return ap;
}

/** The ASL authors' formula: stable descending sort, mean precision at each positive's rank. */
function bruteForceOrdered(scores: number[], targets: number[]): number {
  const order = scores.map((_, i) => i);
  order.sort((a, b) => (scores[b] > scores[a] ? 1 : scores[b] < scores[a] ? -1 : 0));
  let tp = 0;
  let sum = 0;
  order.forEach((i, rank) => {
    if (targets[i] === 1) sum += ++tp / (rank + 1);
  });
  return tp === 0 ? NaN : sum / tp;
}

/** A random `[n, c]` problem whose scores come from `score`. */
function problem(score: fc.Arbitrary<number>, maxRows = 40, maxClasses = 4) {
  return fc
    .record({ n: fc.integer({ min: 0, max: maxRows }), c: fc.integer({ min: 1, max: maxClasses }) })
    .chain(({ n, c }) =>
      fc.record({
        n: fc.constant(n),
        c: fc.constant(c),
        scores: fc.array(score, { minLength: n * c, maxLength: n * c }),
        targets: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n * c, maxLength: n * c }),
      }),
    );
}

/** Scores with many ties: multiples of 1/8 in [-2, 2]. */
const tiedScore = fc.integer({ min: -16, max: 16 }).map((k) => k / 8);
const anyScore = fc.double({ noNaN: true });

function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number) {
  assert.equal(actual.length, expected.length);
  for (let j = 0; j < expected.length; j++) {
    if (Number.isNaN(expected[j])) assert.ok(Number.isNaN(actual[j]), `class ${j} should be NaN`);
    else
      assert.ok(
        Math.abs(actual[j] - expected[j]) <= tolerance,
        `class ${j}: ${actual[j]} vs ${expected[j]}`,
      );
  }
}

describe('averagePrecision', () => {
  it('computes the documented example', () => {
    const ap = averagePrecision([0.9, 0.2, 0.8, 0.6, 0.3, 0.1], [1, 0, 0, 1, 1, 0], [3, 2]);
    assert.ok(ap instanceof Float64Array);
    closeTo(ap, [5 / 6, 1], 1e-15);
  });

  describe('public fixture (test/fixtures/metrics-public.json)', () => {
    for (const c of fixtureCases) {
      const expectedGrouped = c.ap_per_class_tie_aware.map((v) => v ?? NaN);
      const expectedOrdered = c.ap_per_class_argsort.map((v) => v ?? NaN);

      it(`${c.id}: ties 'grouped' matches scikit-learn within 1e-9`, () => {
        closeTo(averagePrecision(c.scores, c.targets, c.shape), expectedGrouped, 1e-9);
      });

      // `ap_per_class_argsort` is the authors' code, which divides by `positives + 1e-8`
      // (np.sum(precision at positives) / (total + epsilon)). That epsilon, not float32
      // arithmetic, is why e.g. 0.892857140625 differs from 25/28 = 0.8928571428571428 by
      // 2.2e-9; with `epsilon: 1e-8` the values are reproduced to rounding error.
      it(`${c.id}: ties 'ordered' with epsilon 1e-8 matches the authors' code within 1e-9`, () => {
        const ap = averagePrecision(c.scores, c.targets, c.shape, {
          ties: 'ordered',
          epsilon: 1e-8,
        });
        closeTo(ap, expectedOrdered, 1e-9);
      });

      it(`${c.id}: ties 'ordered' without epsilon is within 1e-8 relative of the authors' code`, () => {
        const ap = averagePrecision(c.scores, c.targets, c.shape, { ties: 'ordered' });
        closeTo(ap, expectedOrdered, 1e-8);
        if (!c.ties) closeTo(ap, expectedGrouped, 1e-9);
      });
    }
  });

  it('matches a brute-force scikit-learn formula on tie-heavy random data', () => {
    fc.assert(
      fc.property(problem(tiedScore), ({ n, c, scores, targets }) => {
        const expected = Array.from({ length: c }, (_, j) =>
          bruteForceGrouped(column(scores, n, c, j), column(targets, n, c, j)),
        );
        closeTo(averagePrecision(scores, targets, [n, c]), expected, 1e-12);
      }),
    );
  });

  it("matches a brute-force stable-sort formula with ties: 'ordered'", () => {
    fc.assert(
      fc.property(problem(tiedScore), ({ n, c, scores, targets }) => {
        const expected = Array.from({ length: c }, (_, j) =>
          bruteForceOrdered(column(scores, n, c, j), column(targets, n, c, j)),
        );
        closeTo(averagePrecision(scores, targets, [n, c], { ties: 'ordered' }), expected, 1e-12);
      }),
    );
  });

  it('matches the brute-force formulas on arbitrary doubles, infinities included', () => {
    fc.assert(
      fc.property(problem(anyScore), ({ n, c, scores, targets }) => {
        for (const ties of ['grouped', 'ordered'] as const) {
          const brute = ties === 'grouped' ? bruteForceGrouped : bruteForceOrdered;
          const expected = Array.from({ length: c }, (_, j) =>
            brute(column(scores, n, c, j), column(targets, n, c, j)),
          );
          closeTo(averagePrecision(scores, targets, [n, c], { ties }), expected, 1e-12);
        }
      }),
    );
  });

  it('is 1 for a perfect ranking, whatever the ties among positives or negatives', () => {
    fc.assert(
      fc.property(problem(tiedScore), ({ n, c, scores, targets }) => {
        // Positives in [3, 5], negatives in [-2, 2]: every positive ranks first.
        const perfect = scores.map((s, k) => (targets[k] === 1 ? s / 2 + 4 : s));
        for (const ties of ['grouped', 'ordered'] as const) {
          const ap = averagePrecision(perfect, targets, [n, c], { ties, emptyClasses: 'zero' });
          for (let j = 0; j < c; j++) {
            const hasPositive = column(targets, n, c, j).includes(1);
            assert.equal(ap[j], hasPositive ? 1 : 0);
          }
        }
      }),
    );
  });

  it('is invariant under strictly increasing transforms of the scores', () => {
    fc.assert(
      fc.property(problem(tiedScore), ({ n, c, scores, targets }) => {
        for (const ties of ['grouped', 'ordered'] as const) {
          const ap = averagePrecision(scores, targets, [n, c], { ties });
          // Exact on multiples of 1/8: no two scores merge after the transform.
          const affine = averagePrecision(
            scores.map((x) => 3 * x + 1),
            targets,
            [n, c],
            { ties },
          );
          const exponential = averagePrecision(scores.map(Math.exp), targets, [n, c], { ties });
          const float32 = averagePrecision(Float32Array.from(scores), targets, [n, c], { ties });
          assert.deepEqual(affine, ap);
          assert.deepEqual(exponential, ap);
          assert.deepEqual(float32, ap);
        }
      }),
    );
  });

  it('is invariant under a random strictly increasing map of the scores', () => {
    // The scores are multiples of 1/8 in [-2, 2], index k = 8 s + 16 in 0..32; the map sends
    // score k to the sum of the first k + 1 random positive steps, so it keeps the order of
    // distinct scores and merges none (the steps are far above the rounding of the sums).
    const steps = fc.array(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), {
      minLength: 33,
      maxLength: 33,
    });
    fc.assert(
      fc.property(
        problem(tiedScore),
        steps,
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        ({ n, c, scores, targets }, step, offset) => {
          const mapped = new Float64Array(33);
          for (let k = 0, sum = offset; k < 33; k++) mapped[k] = sum += step[k];
          const transformed = scores.map((s) => mapped[8 * s + 16]);
          for (const ties of ['grouped', 'ordered'] as const) {
            const ap = averagePrecision(scores, targets, [n, c], { ties });
            assert.deepEqual(averagePrecision(transformed, targets, [n, c], { ties }), ap);
          }
        },
      ),
    );
  });

  it('is always in [0, 1], or NaN for classes without positives', () => {
    fc.assert(
      fc.property(problem(anyScore), ({ n, c, scores, targets }) => {
        for (const ties of ['grouped', 'ordered'] as const) {
          const ap = averagePrecision(scores, targets, [n, c], { ties });
          for (let j = 0; j < c; j++) {
            if (column(targets, n, c, j).includes(1)) assert.ok(ap[j] >= 0 && ap[j] <= 1);
            else assert.ok(Number.isNaN(ap[j]));
          }
        }
      }),
    );
  });

  it("equals 'grouped' with ties: 'ordered' when the scores are distinct", () => {
    const distinct = problem(fc.constant(0)).chain((p) =>
      fc
        .shuffledSubarray(
          Array.from({ length: p.n * p.c }, (_, k) => k),
          { minLength: p.n * p.c, maxLength: p.n * p.c },
        )
        .map((permutation) => ({ ...p, scores: permutation.map((k) => k / 7 - 3) })),
    );
    fc.assert(
      fc.property(distinct, ({ n, c, scores, targets }) => {
        const grouped = averagePrecision(scores, targets, [n, c]);
        const ordered = averagePrecision(scores, targets, [n, c], { ties: 'ordered' });
        closeTo(ordered, grouped, 1e-12);
      }),
    );
  });

  it("ranks tied samples in input order with ties: 'ordered'", () => {
    // One class, all scores tied: negatives before the positive lower its precision.
    const shape = [4, 1] as const;
    assert.equal(averagePrecision([1, 1, 1, 1], [1, 0, 0, 0], shape, { ties: 'ordered' })[0], 1);
    assert.equal(
      averagePrecision([1, 1, 1, 1], [0, 0, 0, 1], shape, { ties: 'ordered' })[0],
      1 / 4,
    );
    // Grouped: one threshold, precision 1/4 for both orders.
    assert.equal(averagePrecision([1, 1, 1, 1], [1, 0, 0, 0], shape)[0], 1 / 4);
    assert.equal(averagePrecision([1, 1, 1, 1], [0, 0, 0, 1], shape)[0], 1 / 4);
    // Two positives tied with two negatives, interleaved: ranks 2 and 4.
    assert.equal(
      averagePrecision([2, 2, 2, 2], [0, 1, 0, 1], shape, { ties: 'ordered' })[0],
      (1 / 2 + 2 / 4) / 2,
    );
  });

  it("gives classes without positives NaN, or 0 with emptyClasses: 'zero'", () => {
    const scores = [0.1, 0.9, 0.4, 0.2];
    const targets = [0, 1, 0, 0];
    assert.deepEqual(averagePrecision(scores, targets, [2, 2]), Float64Array.from([NaN, 1]));
    assert.deepEqual(
      averagePrecision(scores, targets, [2, 2], { emptyClasses: 'zero' }),
      Float64Array.from([0, 1]),
    );
  });

  it('scales AP by P / (P + epsilon)', () => {
    const ap = averagePrecision([0.9, 0.1, 0.8], [1, 0, 1], [3, 1], { epsilon: 0.5 });
    assert.equal(ap[0], 2 / 2.5);
  });

  it('returns one value per class, NaN or 0, when there are no samples', () => {
    assert.deepEqual(averagePrecision([], [], [0, 3]), Float64Array.from([NaN, NaN, NaN]));
    assert.deepEqual(
      averagePrecision(new Float32Array(0), new Uint8Array(0), [0, 2], { emptyClasses: 'zero' }),
      new Float64Array(2),
    );
  });

  it('gives the same result for every input layout and array type', () => {
    fc.assert(
      fc.property(problem(tiedScore), ({ n, c, scores, targets }) => {
        const expected = averagePrecision(scores, targets, [n, c]);
        const rows = (values: number[]) =>
          Array.from({ length: n }, (_, i) => values.slice(i * c, (i + 1) * c));
        const layouts = [
          averagePrecision(rows(scores), rows(targets), [n, c]),
          averagePrecision(Float64Array.from(scores), Uint8Array.from(targets), [n, c]),
          averagePrecision(Float32Array.from(scores), Int32Array.from(targets), [n, c]),
          averagePrecision(scores, Float32Array.from(targets), [n, c], { validate: false }),
        ];
        for (const result of layouts) assert.deepEqual(result, expected);
      }),
    );
  });

  it('gives the same result whatever the block of classes processed at once', () => {
    fc.assert(
      fc.property(
        problem(tiedScore, 30, 9),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom('grouped' as const, 'ordered' as const),
        ({ n, c, scores, targets }, blockElements, ties) => {
          const whole = averagePrecisionCore(scores, targets, n, c, ties, 0);
          const blocks = averagePrecisionCore(scores, targets, n, c, ties, 0, blockElements);
          assert.deepEqual(blocks, whole);
        },
      ),
    );
  });

  it('handles many positives and many tied groups in one class', () => {
    const n = 5000;
    const scores = Array.from({ length: n }, (_, i) => (i * 7919) % 101);
    const targets = Array.from({ length: n }, (_, i) => ((i * 31) % 7 < 3 ? 1 : 0));
    for (const ties of ['grouped', 'ordered'] as const) {
      const brute = ties === 'grouped' ? bruteForceGrouped : bruteForceOrdered;
      const ap = averagePrecision(scores, targets, [n, 1], { ties });
      assert.ok(Math.abs(ap[0] - brute(scores, targets)) < 1e-12);
    }
  });

  it('matches the brute-force formulas on several classes over several tiles of rows', () => {
    const [n, c] = [4500, 3];
    const scores = Array.from({ length: n * c }, (_, k) => ((k * 7919) % 211) / 7 - 10);
    const targets = Array.from({ length: n * c }, (_, k) => ((k * 31) % (5 + (k % c)) < 2 ? 1 : 0));
    for (const ties of ['grouped', 'ordered'] as const) {
      const brute = ties === 'grouped' ? bruteForceGrouped : bruteForceOrdered;
      const expected = Array.from({ length: c }, (_, j) =>
        brute(column(scores, n, c, j), column(targets, n, c, j)),
      );
      closeTo(averagePrecision(scores, targets, [n, c], { ties }), expected, 1e-12);
    }
  });

  describe('errors', () => {
    it('names the function, argument, expectation and the bad target', () => {
      const targets = [0, 0, 0, 0, 0, 0, 0, 0.5];
      assert.throws(() => averagePrecision(new Float32Array(8), targets, [2, 4]), {
        name: 'RangeError',
        message:
          "Argument 'targets' passed to 'averagePrecision' must contain only 0 or 1, but targets[7] (row 1, column 3) is 0.5",
      });
    });

    it('reports the first NaN score', () => {
      assert.throws(() => averagePrecision([0, 1, NaN, NaN], [0, 1, 0, 1], [2, 2]), {
        name: 'RangeError',
        message:
          "Argument 'scores' passed to 'averagePrecision' must not contain NaN, but scores[2] (row 1, column 0) is NaN",
      });
    });

    it('rejects unknown and bad options', () => {
      assert.throws(() => averagePrecision([1], [1], [1, 1], { tie: 'ordered' } as never), {
        name: 'TypeError',
        message:
          "Argument 'options' passed to 'averagePrecision' must only have the options 'ties', 'emptyClasses', 'epsilon', 'unannotated', 'validate', but it has an unknown option 'tie'",
      });
      assert.throws(() => averagePrecision([1], [1], [1, 1], { ties: 'stable' as never }), {
        name: 'RangeError',
        message:
          "Argument 'options.ties' passed to 'averagePrecision' must be 'grouped' or 'ordered', but it is \"stable\"",
      });
      assert.throws(() => averagePrecision([1], [1], [1, 1], { epsilon: -1 }), RangeError);
      assert.throws(() => averagePrecision([1], [1], [1, 1], { validate: 1 as never }), TypeError);
    });

    it('skips the value scan with validate: false but still checks shapes', () => {
      assert.doesNotThrow(() => averagePrecision([1, 2], [1, 7], [2, 1], { validate: false }));
      assert.throws(
        () => averagePrecision([1, 2], [1], [2, 1], { validate: false }),
        /'targets' passed to 'averagePrecision' must have length n \* c = 2 for shape \[2, 1\], but it has length 1/,
      );
    });
  });
});
