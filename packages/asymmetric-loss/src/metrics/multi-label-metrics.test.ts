import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { meanAveragePrecision } from './mean-average-precision.js';
import { MultiLabelMetrics } from './multi-label-metrics.js';
import { thresholdMetrics } from './threshold-metrics.js';
import { metricsCases, type MetricsCase } from '@asymmetric-loss/testing/reference';

/** Asserts `actual[j]` within `tolerance` of `expected[j]`, NaN where expected is null. */
function closeTo(actual: ArrayLike<number>, expected: (number | null)[], tolerance: number) {
  assert.equal(actual.length, expected.length);
  expected.forEach((value, j) => {
    if (value === null) assert.ok(Number.isNaN(actual[j]), `class ${j} should be NaN`);
    else
      assert.ok(Math.abs(actual[j] - value) <= tolerance, `class ${j}: ${actual[j]} vs ${value}`);
  });
}

const fixtureCases = metricsCases();

/** Problems with float32-exact probabilities (multiples of 1/16), split into batches. */
const batched = fc
  .record({ n: fc.integer({ min: 0, max: 40 }), c: fc.integer({ min: 1, max: 5 }) })
  .chain(({ n, c }) =>
    fc.record({
      n: fc.constant(n),
      c: fc.constant(c),
      scores: fc.array(
        fc.integer({ min: 0, max: 16 }).map((k) => k / 16),
        { minLength: n * c, maxLength: n * c },
      ),
      targets: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n * c, maxLength: n * c }),
      cuts: fc.uniqueArray(fc.integer({ min: 0, max: n }), { maxLength: 5 }),
      ties: fc.constantFrom('grouped' as const, 'ordered' as const),
      emptyClasses: fc.constantFrom('ignore' as const, 'zero' as const),
    }),
  );

describe('MultiLabelMetrics', () => {
  it('computes the documented example', () => {
    const metrics = new MultiLabelMetrics(3, { topK: 1 });
    metrics.update([0.9, 0.2, 0.1, 0.8, 0.6, 0.4], [1, 0, 0, 0, 1, 0]);
    metrics.update([[0.3, 0.1, 0.7]], [[1, 0, 0]]);
    assert.equal(metrics.count, 3);
    const result = metrics.compute();
    assert.ok(Math.abs(result.map - 11 / 12) < 1e-15);
    assert.equal(result.classesUsed, 2);
    assert.equal(result.emptyClasses, 1);
    assert.ok(result.thresholdMetrics && Math.abs(result.thresholdMetrics.OP - 50) < 1e-12);
    assert.ok(result.topKMetrics && Math.abs(result.topKMetrics.OP - 100 / 3) < 1e-12);
  });

  it('equals the functional forms on the same data, however it is batched', () => {
    fc.assert(
      fc.property(batched, ({ n, c, scores, targets, cuts, ties, emptyClasses }) => {
        const topK = Math.min(2, c);
        const metrics = new MultiLabelMetrics(c, { ties, emptyClasses, topK });
        const bounds = [0, ...cuts.sort((a, b) => a - b), n];
        for (let b = 0; b + 1 < bounds.length; b++) {
          const [from, to] = [bounds[b] * c, bounds[b + 1] * c];
          metrics.update(scores.slice(from, to), Uint8Array.from(targets.slice(from, to)));
        }
        assert.equal(metrics.count, n);
        const result = metrics.compute();
        const options = { ties, emptyClasses };
        assert.deepEqual(
          { ...result, thresholdMetrics: null, topKMetrics: null },
          {
            ...meanAveragePrecision(scores, targets, [n, c], options),
            thresholdMetrics: null,
            topKMetrics: null,
          },
        );
        assert.deepEqual(result.thresholdMetrics, thresholdMetrics(scores, targets, [n, c]));
        assert.deepEqual(result.topKMetrics, thresholdMetrics(scores, targets, [n, c], { topK }));
      }),
    );
  });

  describe('public fixture, fed in batches of 7 samples', () => {
    /** An accumulator fed the case's rows in batches of 7 (the last one shorter). */
    function fed(c: MetricsCase, metrics: MultiLabelMetrics) {
      const [n, classes] = c.shape;
      for (let from = 0; from < n; from += 7) {
        const to = Math.min(n, from + 7);
        metrics.update(
          Float32Array.from(c.scores.slice(from * classes, to * classes)),
          c.targets.slice(from * classes, to * classes),
          to - from,
        );
      }
      return metrics.compute();
    }

    for (const c of fixtureCases) {
      it(`${c.id}: per-class AP, mAP and the six threshold metrics within 1e-9`, () => {
        const result = fed(c, new MultiLabelMetrics(c.shape[1]));
        closeTo(result.perClass, c.ap_per_class_tie_aware, 1e-9);
        assert.ok(Math.abs(result.map - c.mAP_tie_aware / 100) <= 1e-9);
        assert.equal(result.classesUsed, c.classes_with_positives);
        assert.ok(result.thresholdMetrics);
        for (const name of ['CP', 'CR', 'CF1', 'OP', 'OR', 'OF1'] as const) {
          const actual = result.thresholdMetrics[name];
          assert.ok(Math.abs(actual - c[name]) <= 1e-9, `${name}: ${actual} vs ${c[name]}`);
        }
      });

      it(`${c.id}: the authors' per-class AP (ordered, epsilon 1e-8) within 1e-9`, () => {
        const options = { ties: 'ordered', epsilon: 1e-8, threshold: null } as const;
        const result = fed(c, new MultiLabelMetrics(c.shape[1], options));
        closeTo(result.perClass, c.ap_per_class_argsort, 1e-9);
        assert.equal(result.thresholdMetrics, null);
      });
    }
  });

  it('grows its buffers by doubling and keeps them across reset', () => {
    const c = 10;
    const metrics = new MultiLabelMetrics(c);
    assert.equal(metrics.byteLength, 0);
    metrics.update(new Float32Array(3 * c), new Uint8Array(3 * c));
    assert.equal(metrics.byteLength, 16 * c * 5); // at least 16 rows
    metrics.update(new Float32Array(14 * c), new Uint8Array(14 * c));
    assert.equal(metrics.byteLength, 32 * c * 5); // 17 rows: doubled
    metrics.update(new Float32Array(100 * c), new Uint8Array(100 * c));
    assert.equal(metrics.byteLength, 117 * c * 5); // more than double: exactly what is needed
    assert.equal(metrics.count, 117);
    metrics.reset();
    assert.equal(metrics.count, 0);
    assert.equal(metrics.byteLength, 117 * c * 5);
    metrics.reset(true);
    assert.equal(metrics.byteLength, 0);
  });

  it('holds at most twice the samples seen (beyond the first 16 rows), 5 bytes each', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 12 }),
        (c, batches) => {
          const metrics = new MultiLabelMetrics(c, { validate: false });
          let rows = 0;
          for (const batch of batches) {
            metrics.update(new Float32Array(batch * c), new Uint8Array(batch * c), batch);
            rows += batch;
            assert.equal(metrics.count, rows);
            const capacity = metrics.byteLength / (5 * c);
            assert.ok(Number.isInteger(capacity) && capacity >= rows);
            if (rows > 0) assert.ok(capacity <= Math.max(2 * rows, 16), `${capacity} rows`);
          }
        },
      ),
    );
  });

  it('reserves the capacity asked for, and doubles beyond it', () => {
    const c = 10;
    const metrics = new MultiLabelMetrics(c, { capacity: 100 });
    assert.equal(metrics.byteLength, 100 * c * 5);
    metrics.update(new Float32Array(100 * c), new Uint8Array(100 * c));
    assert.equal(metrics.byteLength, 100 * c * 5);
    metrics.update(new Float32Array(c), new Uint8Array(c));
    assert.equal(metrics.byteLength, 200 * c * 5);
    assert.equal(new MultiLabelMetrics(c, { capacity: 0 }).byteLength, 0);
    assert.throws(() => new MultiLabelMetrics(c, { capacity: -1 }), {
      name: 'RangeError',
      message:
        "Argument 'options.capacity' passed to 'MultiLabelMetrics' must be an integer in [0, 9007199254740991], but it is -1",
    });
    assert.throws(() => new MultiLabelMetrics(c, { capacity: 1.5 }), RangeError);
  });

  it('reports zeros, not NaN, with no samples', () => {
    const result = new MultiLabelMetrics(4, { topK: 2 }).compute();
    assert.equal(result.map, 0);
    assert.equal(result.classesUsed, 0);
    assert.equal(result.emptyClasses, 4);
    const zero = { CP: 0, CR: 0, CF1: 0, OP: 0, OR: 0, OF1: 0 };
    assert.deepEqual(result.thresholdMetrics, zero);
    assert.deepEqual(result.topKMetrics, zero);
  });

  it('forgets the samples on reset', () => {
    const metrics = new MultiLabelMetrics(2);
    metrics.update([0.1, 0.9], [1, 0]).reset().update([0.9, 0.1], [1, 0]);
    assert.equal(metrics.compute().map, 1);
  });

  it('accepts logits with threshold: null, and rejects them otherwise', () => {
    const logits = [
      [3.5, -2],
      [-1, 0.5],
    ];
    const targets = [
      [1, 0],
      [0, 1],
    ];
    const result = new MultiLabelMetrics(2, { threshold: null }).update(logits, targets).compute();
    assert.equal(result.map, 1);
    assert.equal(result.thresholdMetrics, null);
    assert.throws(() => new MultiLabelMetrics(2).update(logits, targets), {
      name: 'RangeError',
      message:
        "Argument 'scores' passed to 'MultiLabelMetrics.update' must contain only probabilities (finite and >= 0) for threshold metrics; apply a sigmoid to logits first, but scores[0][1] is -2",
    });
  });

  it('appends nothing when a batch is rejected', () => {
    const metrics = new MultiLabelMetrics(2);
    metrics.update([0.9, 0.1], [1, 0]);
    assert.throws(() => metrics.update([0.2, 0.8, 0.3, 0.7], [0, 1, 0, 2]), {
      name: 'RangeError',
      message:
        "Argument 'targets' passed to 'MultiLabelMetrics.update' must contain only 0 or 1, but targets[3] (row 1, column 1) is 2",
    });
    assert.equal(metrics.count, 1);
  });

  it('checks its arguments', () => {
    assert.throws(() => new MultiLabelMetrics(0), {
      name: 'RangeError',
      message:
        "Argument 'numClasses' passed to 'MultiLabelMetrics' must be an integer in [1, 9007199254740991], but it is 0",
    });
    assert.throws(() => new MultiLabelMetrics('3' as never), TypeError);
    assert.throws(() => new MultiLabelMetrics(3, { topK: 4 }), RangeError);
    assert.throws(() => new MultiLabelMetrics(3, { treshold: 0.5 } as never), TypeError);
    assert.throws(() => new MultiLabelMetrics(3, { emptyClasses: 'drop' as never }), RangeError);
    const metrics = new MultiLabelMetrics(3);
    assert.throws(() => metrics.update([0.1, 0.2], [0, 1]), {
      name: 'RangeError',
      message:
        "Argument 'scores' passed to 'MultiLabelMetrics.update' must have a length divisible by c = 3 when n is not given, but it has length 2",
    });
    assert.throws(() => metrics.update([0.1, 0.2, 0.3], [0, 1, 0], 2), RangeError);
    assert.throws(() => metrics.update([0.1, 0.2, 0.3], [0, 1, 0], -1), RangeError);
    assert.throws(() => metrics.update({} as never, [0, 1, 0]), TypeError);
  });

  it('skips the value scan with validate: false', () => {
    const metrics = new MultiLabelMetrics(1, { validate: false });
    assert.doesNotThrow(() => metrics.update([1.5, -0.5], [1, 0]));
    const result = metrics.compute();
    assert.equal(result.map, 1);
    assert.equal(result.thresholdMetrics?.OP, 100);
  });
});
