import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asymmetricLossMultiLabel } from 'asymmetric-loss';
import { lossPreset } from 'asymmetric-loss-tagger';
import { binEdges, insightOf, probabilityBins, toBase64 } from './insight.js';

/** Deterministic logits and sparse targets (about one positive in 20). */
function sample(n: number, c: number): { logits: Float32Array; targets: Uint8Array } {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const logits = Float32Array.from({ length: n * c }, () => 14 * next() - 11);
  const targets = Uint8Array.from({ length: n * c }, () => (next() < 0.05 ? 1 : 0));
  return { logits, targets };
}

describe('the insight statistics', () => {
  const { logits, targets } = sample(60, 50);
  const shape = [60, 50] as const;

  it('bins every label once, as a linear scan of the edges does', () => {
    const edges = binEdges();
    assert.equal(edges.length, probabilityBins.count + 1);
    assert.equal(edges[0], probabilityBins.min);
    assert.equal(edges.at(-1), 1);
    const stats = insightOf(1, logits, targets, shape, lossPreset('tags', 'bce'), 0.05);
    const expected = {
      negative: new Array(edges.length - 1).fill(0),
      positive: new Array(edges.length - 1).fill(0),
    };
    logits.forEach((z, k) => {
      const p = 1 / (1 + Math.exp(-z));
      let bin = 0;
      for (let b = 1; b < edges.length - 1; b++) if (p >= edges[b]) bin = b;
      expected[targets[k] === 1 ? 'positive' : 'negative'][bin]++;
    });
    assert.deepEqual(stats.histogram, expected);
    assert.equal(stats.positives + stats.negatives, logits.length);
  });

  it('splits the gradient into shares that add to 1, the core’s gradient', () => {
    for (const name of ['bce', 'asl'] as const) {
      const loss = lossPreset('tags', name);
      const stats = insightOf(2, logits, targets, shape, loss, 0.05);
      const { easyNegatives, otherNegatives, positives } = stats.shares;
      assert.ok(Math.abs(easyNegatives + otherNegatives + positives - 1) < 1e-12);
      const { gammaNeg, gammaPos, clip, eps, focalGrad } = loss;
      const { grad } = asymmetricLossMultiLabel(logits, Float32Array.from(targets), shape, {
        gammaNeg,
        gammaPos,
        clip,
        eps,
        focalGrad,
        reduction: 'sum',
      });
      let sum = 0;
      let positive = 0;
      grad.forEach((g, k) => {
        sum += Math.abs(g);
        if (targets[k] === 1) positive += Math.abs(g);
      });
      assert.ok(Math.abs(stats.gradientSum - sum) <= 1e-9 * sum);
      assert.ok(Math.abs(positives - positive / sum) < 1e-12);
      // ASL discards the negatives below its clip: none of its gradient comes from them.
      if (name === 'asl') assert.equal(easyNegatives, 0);
      else assert.ok(easyNegatives > 0);
    }
  });

  it('refuses logits and targets that do not match, or logits that are not finite', () => {
    const loss = lossPreset('tags', 'asl');
    assert.throws(() => insightOf(1, new Float32Array(6), new Uint8Array(5), [2, 3], loss, 0.05), {
      name: 'RangeError',
      message:
        "Argument 'targets' passed to 'asymmetricLossMultiLabel' must be of length n * c = 6 for shape [2, 3], but it has length 5",
    });
    assert.throws(
      () =>
        insightOf(1, Float32Array.of(0, NaN, 0, 0, 0, 0), new Uint8Array(6), [2, 3], loss, 0.05),
      {
        name: 'RangeError',
        message: /'logits' .* must be finite, but logits\[1\] \(row 0, column 1\) is NaN/,
      },
    );
  });

  it('encodes bytes as base64', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256);
    assert.equal(toBase64(bytes), Buffer.from(bytes).toString('base64'));
  });
});
