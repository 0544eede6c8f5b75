import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { averagePrecision } from './average-precision.js';
import { meanAveragePrecision } from './mean-average-precision.js';
import { metricsCases } from '@asymmetric-loss/testing/reference';

const fixtureCases = metricsCases();

describe('meanAveragePrecision', () => {
  it('computes the documented example', () => {
    const scores = [
      [0.9, 0.2, 0.1],
      [0.8, 0.6, 0.4],
      [0.3, 0.1, 0.7],
    ];
    const targets = [
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
    ];
    const result = meanAveragePrecision(scores, targets, [3, 3]);
    assert.ok(Math.abs(result.map - 11 / 12) < 1e-15);
    assert.ok(Math.abs(result.perClass[0] - 5 / 6) < 1e-15);
    assert.equal(result.perClass[1], 1);
    assert.ok(Number.isNaN(result.perClass[2]));
    assert.equal(result.classesUsed, 2);
    assert.equal(result.emptyClasses, 1);
  });

  describe('public fixture', () => {
    for (const c of fixtureCases) {
      it(`${c.id}: mAP (a fraction; the fixture is in percent) and class counts`, () => {
        const result = meanAveragePrecision(c.scores, c.targets, c.shape);
        assert.ok(Math.abs(100 * result.map - c.mAP_tie_aware) < 1e-9 * 100);
        assert.ok(Math.abs(result.map - c.mAP_tie_aware / 100) < 1e-9);
        assert.equal(result.classesUsed, c.classes_with_positives);
        assert.equal(result.emptyClasses, c.shape[1] - c.classes_with_positives);
        c.ap_per_class_tie_aware.forEach((expected, j) => {
          if (expected === null) assert.ok(Number.isNaN(result.perClass[j]));
          else assert.ok(Math.abs(result.perClass[j] - expected) < 1e-9);
        });
      });

      it(`${c.id}: the authors' mAP (ordered, empty classes as 0, epsilon 1e-8)`, () => {
        const result = meanAveragePrecision(c.scores, c.targets, c.shape, {
          ties: 'ordered',
          emptyClasses: 'zero',
          epsilon: 1e-8,
        });
        const expected = c.ap_per_class_argsort.map((v) => v ?? 0);
        const mean = expected.reduce((a, b) => a + b, 0) / expected.length;
        assert.ok(Math.abs(result.map - mean) < 1e-9);
        assert.equal(result.classesUsed, c.shape[1]);
        assert.equal(result.emptyClasses, c.shape[1] - c.classes_with_positives);
      });
    }
  });

  it('is the mean of averagePrecision over the classes used', () => {
    const problem = fc
      .record({ n: fc.integer({ min: 1, max: 30 }), c: fc.integer({ min: 1, max: 5 }) })
      .chain(({ n, c }) =>
        fc.record({
          n: fc.constant(n),
          c: fc.constant(c),
          scores: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: n * c, maxLength: n * c }),
          targets: fc.array(fc.integer({ min: 0, max: 1 }), {
            minLength: n * c,
            maxLength: n * c,
          }),
          emptyClasses: fc.constantFrom('ignore' as const, 'zero' as const),
        }),
      );
    fc.assert(
      fc.property(problem, ({ n, c, scores, targets, emptyClasses }) => {
        const result = meanAveragePrecision(scores, targets, [n, c], { emptyClasses });
        const ap = averagePrecision(scores, targets, [n, c], { emptyClasses });
        assert.deepEqual(result.perClass, ap);
        const used = [...ap].filter((v) => !Number.isNaN(v));
        assert.equal(result.classesUsed, used.length);
        const mean = used.length === 0 ? 0 : used.reduce((a, b) => a + b, 0) / used.length;
        assert.ok(Math.abs(result.map - mean) < 1e-12);
        assert.ok(result.map >= 0 && result.map <= 1);
      }),
    );
  });

  it("counts empty classes as 0 with emptyClasses: 'zero'", () => {
    const scores = [0.1, 0.9, 0.4, 0.2];
    const targets = [0, 1, 0, 1];
    const ignore = meanAveragePrecision(scores, targets, [2, 2]);
    assert.deepEqual(ignore, {
      map: 1,
      perClass: Float64Array.from([NaN, 1]),
      classesUsed: 1,
      emptyClasses: 1,
    });
    const zero = meanAveragePrecision(scores, targets, [2, 2], { emptyClasses: 'zero' });
    assert.deepEqual(zero, {
      map: 0.5,
      perClass: Float64Array.from([0, 1]),
      classesUsed: 2,
      emptyClasses: 1,
    });
  });

  it('reports map 0 (not NaN) and no class used when nothing can be averaged', () => {
    for (const emptyClasses of ['ignore', 'zero'] as const) {
      const none = meanAveragePrecision([], [], [0, 3], { emptyClasses });
      assert.equal(none.map, 0);
      assert.equal(none.classesUsed, 0);
      assert.equal(none.emptyClasses, 3);
    }
    const noPositives = meanAveragePrecision([0.5, 0.2], [0, 0], [1, 2]);
    assert.equal(noPositives.map, 0);
    assert.equal(noPositives.classesUsed, 0);
    assert.equal(noPositives.emptyClasses, 2);
  });

  describe('errors', () => {
    it('checks the shape', () => {
      assert.throws(() => meanAveragePrecision([], [], [0, 0]), {
        name: 'RangeError',
        message:
          "Argument 'shape' passed to 'meanAveragePrecision' must have at least one class (c >= 1), but it is [0, 0]",
      });
      assert.throws(() => meanAveragePrecision([], [], [-1, 2]), {
        name: 'RangeError',
        message:
          "Argument 'shape' passed to 'meanAveragePrecision' must be [n, c] with two non-negative integers, but it is [-1, 2]",
      });
      assert.throws(() => meanAveragePrecision([], [], [1.5, 2]), RangeError);
      assert.throws(() => meanAveragePrecision([], [], [2] as never), TypeError);
      assert.throws(() => meanAveragePrecision([], [], ['2', 2] as never), TypeError);
    });

    it('checks lengths and row counts', () => {
      assert.throws(() => meanAveragePrecision([1, 2, 3], [1, 0], [1, 3]), {
        name: 'RangeError',
        message:
          "Argument 'targets' passed to 'meanAveragePrecision' must have length n * c = 3 for shape [1, 3], but it has length 2",
      });
      assert.throws(() => meanAveragePrecision([[1, 2]], [[1, 0]], [2, 2]), {
        name: 'RangeError',
        message:
          "Argument 'scores' passed to 'meanAveragePrecision' must have n = 2 rows for shape [2, 2], but it has 1 rows",
      });
      assert.throws(() => meanAveragePrecision([[1, 2], [3]], [1, 0, 1, 0], [2, 2]), {
        name: 'RangeError',
        message:
          "Argument 'scores' passed to 'meanAveragePrecision' must have rows of length c = 2 for shape [2, 2], but scores[1] has length 1",
      });
    });

    it('checks values: NaN scores and targets other than 0 or 1', () => {
      assert.throws(() => meanAveragePrecision([0.5, NaN], [1, 0], [1, 2]), {
        name: 'RangeError',
        message:
          "Argument 'scores' passed to 'meanAveragePrecision' must not contain NaN, but scores[1] (row 0, column 1) is NaN",
      });
      assert.throws(() => meanAveragePrecision([[0.5, 0.1]], [[1, -1]], [1, 2]), {
        name: 'RangeError',
        message:
          "Argument 'targets' passed to 'meanAveragePrecision' must contain only 0 or 1, but targets[0][1] is -1 (an unannotated label: the option unannotated: 'ignore' accepts -1)",
      });
      // Logits and infinities are scores like any other for a rank-based metric.
      assert.equal(meanAveragePrecision([-Infinity, 3, 1e300, -2], [0, 1, 1, 0], [2, 2]).map, 1);
    });

    it('checks types', () => {
      assert.throws(() => meanAveragePrecision(new Int16Array(2) as never, [1, 0], [1, 2]), {
        name: 'TypeError',
        message:
          "Argument 'scores' passed to 'meanAveragePrecision' must be a Float32Array, Float64Array, number[] or number[][], but it is an Int16Array of length 2",
      });
      assert.throws(() => meanAveragePrecision('12' as never, [1, 0], [1, 2]), TypeError);
      assert.throws(() => meanAveragePrecision([1, '2'] as never, [1, 0], [1, 2]), {
        name: 'TypeError',
        message:
          "Argument 'scores' passed to 'meanAveragePrecision' must contain only numbers, but scores[1] (row 0, column 1) is \"2\"",
      });
      assert.throws(() => meanAveragePrecision([[1, 2]], [[1, true]] as never, [1, 2]), {
        name: 'TypeError',
        message:
          "Argument 'targets' passed to 'meanAveragePrecision' must contain only numbers, but targets[0][1] is true",
      });
      assert.throws(() => meanAveragePrecision([1, 2], [1, 0], [1, 2], null as never), TypeError);
    });
  });
});
