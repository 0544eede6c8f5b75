import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { thresholdMetrics, type ThresholdMetricsResult } from './threshold-metrics.js';
import { metricsCases } from '@asymmetric-loss/testing/reference';

const fixtureCases = metricsCases();

const names = ['CP', 'CR', 'CF1', 'OP', 'OR', 'OF1'] as const;

function assertMetrics(actual: ThresholdMetricsResult, expected: ThresholdMetricsResult) {
  for (const name of names) {
    assert.ok(
      Math.abs(actual[name] - expected[name]) <= 1e-9,
      `${name}: ${actual[name]} vs ${expected[name]}`,
    );
  }
}

/**
 * The metrics from their definitions, one class at a time, given a predicate saying whether
 * sample `i` predicts class `j`.
 */
function bruteForce(
  targets: number[],
  n: number,
  c: number,
  predicts: (i: number, j: number) => boolean,
): ThresholdMetricsResult {
  const safe = (a: number, b: number) => (b === 0 ? 0 : a / b);
  let cp = 0;
  let cr = 0;
  let tpAll = 0;
  let predictedAll = 0;
  let positivesAll = 0;
  for (let j = 0; j < c; j++) {
    let tp = 0;
    let predicted = 0;
    let positives = 0;
    for (let i = 0; i < n; i++) {
      const positive = targets[i * c + j] === 1;
      if (positive) positives++;
      if (predicts(i, j)) {
        predicted++;
        if (positive) tp++;
      }
    }
    cp += safe(tp, predicted) / c;
    cr += safe(tp, positives) / c;
    tpAll += tp;
    predictedAll += predicted;
    positivesAll += positives;
  }
  const op = safe(tpAll, predictedAll);
  const or = safe(tpAll, positivesAll);
  return {
    CP: 100 * cp,
    CR: 100 * cr,
    CF1: safe(2 * 100 * cp * 100 * cr, 100 * cp + 100 * cr),
    OP: 100 * op,
    OR: 100 * or,
    OF1: safe(2 * 100 * op * 100 * or, 100 * op + 100 * or),
  };
}

const problem = fc
  .record({ n: fc.integer({ min: 0, max: 30 }), c: fc.integer({ min: 1, max: 6 }) })
  .chain(({ n, c }) =>
    fc.record({
      n: fc.constant(n),
      c: fc.constant(c),
      // Multiples of 1/10 in [0, 1]: ties with each other and with the threshold.
      scores: fc.array(
        fc.integer({ min: 0, max: 10 }).map((k) => k / 10),
        { minLength: n * c, maxLength: n * c },
      ),
      targets: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n * c, maxLength: n * c }),
    }),
  );

describe('thresholdMetrics', () => {
  it('computes the documented examples', () => {
    const probabilities = [0.9, 0.2, 0.8, 0.6, 0.3, 0.1];
    const targets = [1, 0, 0, 1, 1, 0];
    assertMetrics(thresholdMetrics(probabilities, targets, [3, 2]), {
      CP: 75,
      CR: 75,
      CF1: 75,
      OP: 200 / 3,
      OR: 200 / 3,
      OF1: 200 / 3,
    });
    assertMetrics(thresholdMetrics(probabilities, targets, [3, 2], { topK: 1 }), {
      CP: 100 / 3,
      CR: 50,
      CF1: 40,
      OP: 200 / 3,
      OR: 200 / 3,
      OF1: 200 / 3,
    });
  });

  describe('public fixture', () => {
    for (const c of fixtureCases) {
      // The fixture's scores are not all probabilities (positives were shifted up, some reach
      // 1.29); the reference code only compares them with the threshold, and so does
      // thresholdMetrics: its validation rejects only NaN, infinite and negative scores.
      it(`${c.id}: CP, CR, CF1, OP, OR, OF1 at threshold ${c.threshold} within 1e-9`, () => {
        assertMetrics(thresholdMetrics(c.scores, c.targets, c.shape), c);
        const result = thresholdMetrics(
          Float32Array.from(c.scores),
          Uint8Array.from(c.targets),
          c.shape,
          { threshold: c.threshold },
        );
        assertMetrics(result, c);
      });

      // The fixture has no top-k values: compare with the definitions on its data.
      it(`${c.id}: top-3 metrics match the definitions`, () => {
        const [n, classes] = c.shape;
        const top3 = Array.from({ length: n }, (_, i) =>
          Array.from({ length: classes }, (_, j) => j)
            .sort((a, b) => c.scores[i * classes + b] - c.scores[i * classes + a] || a - b)
            .slice(0, 3),
        );
        const expected = bruteForce(c.targets, n, classes, (i, j) => top3[i].includes(j));
        assertMetrics(thresholdMetrics(c.scores, c.targets, c.shape, { topK: 3 }), expected);
      });
    }
  });

  it('matches the definitions at any threshold, ties with the threshold predicting positive', () => {
    fc.assert(
      fc.property(
        problem,
        fc.integer({ min: 0, max: 10 }).map((k) => k / 10),
        ({ n, c, scores, targets }, threshold) => {
          const expected = bruteForce(targets, n, c, (i, j) => scores[i * c + j] >= threshold);
          assertMetrics(thresholdMetrics(scores, targets, [n, c], { threshold }), expected);
        },
      ),
    );
  });

  it('matches the definitions with top-k predictions, ties going to the lower class', () => {
    fc.assert(
      fc.property(
        problem.chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 1, max: p.c }))),
        ([{ n, c, scores, targets }, k]) => {
          const topK = (i: number) =>
            Array.from({ length: c }, (_, j) => j)
              .sort((a, b) => scores[i * c + b] - scores[i * c + a] || a - b)
              .slice(0, k);
          const chosen = Array.from({ length: n }, (_, i) => topK(i));
          const expected = bruteForce(targets, n, c, (i, j) => chosen[i].includes(j));
          assertMetrics(thresholdMetrics(scores, targets, [n, c], { topK: k }), expected);
        },
      ),
    );
  });

  it('selects top-k by sorting for large k, with the same tie rule', () => {
    const n = 20;
    const c = 40;
    const scores = Array.from({ length: n * c }, (_, k) => ((k * 37) % 11) / 10 - 0.5);
    const targets = Array.from({ length: n * c }, (_, k) => ((k * 13) % 5 === 0 ? 1 : 0));
    for (const k of [16, 17, 25, 40]) {
      const chosen = Array.from({ length: n }, (_, i) =>
        Array.from({ length: c }, (_, j) => j)
          .sort((a, b) => scores[i * c + b] - scores[i * c + a] || a - b)
          .slice(0, k),
      );
      const expected = bruteForce(targets, n, c, (i, j) => chosen[i].includes(j));
      assertMetrics(thresholdMetrics(scores, targets, [n, c], { topK: k }), expected);
    }
  });

  it('accepts logits with top-k', () => {
    const result = thresholdMetrics([5, -3, -1, 2], [1, 0, 0, 1], [2, 2], { topK: 1 });
    assertMetrics(result, { CP: 100, CR: 100, CF1: 100, OP: 100, OR: 100, OF1: 100 });
  });

  it('counts 0 for empty denominators', () => {
    const zero = { CP: 0, CR: 0, CF1: 0, OP: 0, OR: 0, OF1: 0 };
    assert.deepEqual(thresholdMetrics([], [], [0, 4]), zero);
    assert.deepEqual(thresholdMetrics([0.1, 0.2], [0, 0], [1, 2]), zero);
    // Class 1 has no positive (recall 0) and class 0 no prediction (precision 0).
    assertMetrics(thresholdMetrics([0.1, 0.9, 0.1, 0.9], [1, 0, 1, 0], [2, 2]), zero);
  });

  describe('errors', () => {
    it('requires probabilities at a threshold: finite and non-negative', () => {
      assert.throws(() => thresholdMetrics([0.5, -1.5], [1, 0], [1, 2]), {
        name: 'RangeError',
        message:
          "Argument 'scores' passed to 'thresholdMetrics' must contain only probabilities (finite and >= 0) for threshold metrics; apply a sigmoid to logits first, but scores[1] (row 0, column 1) is -1.5",
      });
      assert.throws(
        () => thresholdMetrics([[0.5, NaN]], [[1, 0]], [1, 2]),
        /scores\[0\]\[1\] is NaN/,
      );
      assert.throws(
        () => thresholdMetrics([Infinity, 0.5], [1, 0], [1, 2]),
        /scores\[0\] .* is Infinity/,
      );
      assert.throws(() => thresholdMetrics([0.5, NaN], [1, 0], [1, 2], { topK: 1 }), RangeError);
      // Scores above 1 are compared with the threshold as they are.
      assertMetrics(thresholdMetrics([1.5, 0.2], [1, 0], [1, 2]), {
        CP: 50,
        CR: 50,
        CF1: 50,
        OP: 100,
        OR: 100,
        OF1: 100,
      });
      // validate: false skips the scan; any score is then compared with the threshold.
      assertMetrics(thresholdMetrics([-1, 0.7], [0, 1], [1, 2], { validate: false }), {
        CP: 50,
        CR: 50,
        CF1: 50,
        OP: 100,
        OR: 100,
        OF1: 100,
      });
    });

    it('rejects bad targets, shapes and lengths', () => {
      assert.throws(() => thresholdMetrics([0.5, 0.5], [1, 2], [1, 2]), {
        name: 'RangeError',
        message:
          "Argument 'targets' passed to 'thresholdMetrics' must contain only 0 or 1, but targets[1] (row 0, column 1) is 2",
      });
      assert.throws(() => thresholdMetrics([0.5, 0.5], [1, 0, 1], [1, 2]), {
        name: 'RangeError',
        message:
          "Argument 'targets' passed to 'thresholdMetrics' must have length n * c = 2 for shape [1, 2], but it has length 3",
      });
      assert.throws(() => thresholdMetrics([], [], [0, 0]), {
        name: 'RangeError',
        message:
          "Argument 'shape' passed to 'thresholdMetrics' must have at least one class (c >= 1), but it is [0, 0]",
      });
    });

    it('checks option values and combinations', () => {
      assert.throws(() => thresholdMetrics([0.5], [1], [1, 1], { threshold: 2 }), {
        name: 'RangeError',
        message:
          "Argument 'options.threshold' passed to 'thresholdMetrics' must be a number in [0, 1], but it is 2",
      });
      assert.throws(() => thresholdMetrics([0.5, 0.1], [1, 0], [1, 2], { topK: 3 }), {
        name: 'RangeError',
        message:
          "Argument 'options.topK' passed to 'thresholdMetrics' must be an integer in [1, 2], but it is 3",
      });
      assert.throws(() => thresholdMetrics([0.5], [1], [1, 1], { topK: 0.5 }), RangeError);
      assert.throws(() => thresholdMetrics([0.5], [1], [1, 1], { topK: '1' as never }), TypeError);
      assert.throws(() => thresholdMetrics([0.5], [1], [1, 1], { threshold: 0.5, topK: 1 }), {
        name: 'TypeError',
        message:
          "Argument 'options' passed to 'thresholdMetrics' must set either 'threshold' or 'topK', but it sets both",
      });
      assert.throws(
        () => thresholdMetrics([0.5], [1], [1, 1], { k: 3 } as never),
        /must only have the options 'threshold', 'topK', 'unannotated', 'validate', but it has an unknown option 'k'/,
      );
    });
  });
});
