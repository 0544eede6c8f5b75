/**
 * Targets of -1 (unannotated labels) in the metrics: refused by default with a message naming
 * the option; with `unannotated: 'ignore'` left out of every count, checked against the same
 * metrics on the data with those elements removed (AP: each class over its annotated rows;
 * threshold metrics: the element replaced by a negative that is never predicted, which no count
 * sees; top-k: an unannotated label among the k counts nowhere), and the streaming accumulator
 * equal to the functions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rng } from '@asymmetric-loss/testing/random';
import {
  MultiLabelMetrics,
  averagePrecision,
  meanAveragePrecision,
  thresholdMetrics,
} from './index.js';

const [n, c] = [40, 6];
const u = rng(31);
const scores = Float64Array.from({ length: n * c }, () => Math.round(u() * 20) / 20);
const targets = Float64Array.from({ length: n * c }, () => {
  const r = u();
  return r < 0.3 ? 1 : r < 0.55 ? -1 : 0;
});
const ignore = { unannotated: 'ignore' } as const;

describe('metrics with unannotated targets (-1)', () => {
  it('refuse -1 by default, naming the option that accepts it', () => {
    for (const f of [
      () => meanAveragePrecision(scores, targets, [n, c]),
      () => thresholdMetrics(scores, targets, [n, c]),
      () => new MultiLabelMetrics(c).update(scores, targets),
    ])
      assert.throws(
        f,
        /must contain only 0 or 1, but targets\[\d+\] \(row \d+, column \d+\) is -1 \(an unannotated label: the option unannotated: 'ignore' accepts -1\)/,
      );
    assert.throws(
      () =>
        thresholdMetrics(
          scores,
          targets.map((v) => (v === -1 ? 2 : v)),
          [n, c],
          ignore,
        ),
      /must contain only 0, 1 or -1 \(unannotated\), but targets\[\d+\] .* is 2/,
    );
    assert.throws(
      () => meanAveragePrecision(scores, targets, [n, c], { unannotated: 'negative' as 'ignore' }),
      /options.unannotated/,
    );
  });

  it('AP: each class over its annotated samples only, both tie rules', () => {
    for (const ties of ['grouped', 'ordered'] as const) {
      const ap = averagePrecision(scores, targets, [n, c], { ...ignore, ties });
      for (let j = 0; j < c; j++) {
        const rows = [...Array(n).keys()].filter((i) => targets[i * c + j] !== -1);
        const column = averagePrecision(
          rows.map((i) => scores[i * c + j]),
          rows.map((i) => targets[i * c + j]),
          [rows.length, 1],
          { ties },
        );
        assert.equal(ap[j], column[0], `class ${j}, ties ${ties}`);
      }
      const { map } = meanAveragePrecision(scores, targets, [n, c], { ...ignore, ties });
      assert.equal(map, ap.reduce((s, v) => s + v, 0) / c);
    }
  });

  it('threshold and top-k metrics: an unannotated label counts nowhere', () => {
    // A negative that is never predicted enters no count: the same metrics.
    const removedScores = scores.map((s, e) => (targets[e] === -1 ? 0 : s));
    const removedTargets = targets.map((v) => (v === -1 ? 0 : v));
    assert.deepEqual(
      thresholdMetrics(scores, targets, [n, c], { ...ignore, threshold: 0.4 }),
      thresholdMetrics(removedScores, removedTargets, [n, c], { threshold: 0.4 }),
    );
    // Top-k 1 of [[0.9, 0.1], [0.2, 0.8]]: row 0 picks its unannotated class 0 (no count), row
    // 1 picks class 1, a negative (a false positive); the positives of rows 0 and 1 are missed.
    const tk = thresholdMetrics([0.9, 0.1, 0.2, 0.8], [-1, 1, 1, 0], [2, 2], {
      ...ignore,
      topK: 1,
    });
    assert.deepEqual(tk, { CP: 0, CR: 0, CF1: 0, OP: 0, OR: 0, OF1: 0 });
    // Row 1's class 1 a positive: class 1 has 1 TP of 2 positives, class 0 none of 1.
    const hit = thresholdMetrics([0.9, 0.1, 0.2, 0.8], [-1, 1, 1, 1], [2, 2], {
      ...ignore,
      topK: 1,
    });
    assert.deepEqual(hit, {
      CP: 50,
      CR: 25,
      CF1: (2 * 50 * 25) / 75,
      OP: 100,
      OR: 100 * (1 / 3),
      OF1: (2 * 100 * (100 * (1 / 3))) / (100 + 100 * (1 / 3)),
    });
  });

  it('MultiLabelMetrics accumulates -1 and equals the functions', () => {
    const metrics = new MultiLabelMetrics(c, { ...ignore, topK: 2, threshold: 0.5 });
    metrics.update(scores.subarray(0, 10 * c), targets.subarray(0, 10 * c));
    metrics.update(scores.subarray(10 * c), Int32Array.from(targets.subarray(10 * c)));
    const got = metrics.compute();
    const f32 = Float32Array.from(scores);
    const want = meanAveragePrecision(f32, targets, [n, c], ignore);
    assert.equal(got.map, want.map);
    assert.deepEqual(got.perClass, want.perClass);
    assert.deepEqual(got.thresholdMetrics, thresholdMetrics(f32, targets, [n, c], ignore));
    assert.deepEqual(
      got.topKMetrics,
      thresholdMetrics(f32, targets, [n, c], { ...ignore, topK: 2 }),
    );
  });
});
