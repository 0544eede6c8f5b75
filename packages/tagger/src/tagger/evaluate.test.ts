import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meanAveragePrecision } from 'asymmetric-loss/metrics';
import { evaluateSections, evaluateTags, sigmoid, softmaxRows } from './evaluate.js';
import type { EncodedSet } from './features.js';
import { lossPreset, resolveLoss } from './loss.js';
import { Random } from './random.js';

function set(fields: Partial<EncodedSet>): EncodedSet {
  return {
    n: 0,
    offsets: new Int32Array(1),
    ids: new Int32Array(0),
    names: [],
    numClasses: 0,
    tagTargets: null,
    classTargets: null,
    unknownLabels: new Map(),
    ...fields,
  };
}

describe('evaluateTags', () => {
  it('reports mAP over the tags with positives, in percent, with the best and worst tags', () => {
    const tags = ['a::x', 'b::y', 'c::z'];
    const scores = Float32Array.from([0.9, 0.2, 0.1, 0.8, 0.6, 0.4, 0.3, 0.1, 0.7]);
    const targets = Uint8Array.from([1, 0, 0, 0, 1, 0, 1, 0, 0]);
    const unknownLabels = new Map([['new::tag', 2]]);
    const result = evaluateTags(
      scores,
      set({ n: 3, numClasses: 3, tagTargets: targets, unknownLabels }),
      tags,
      { list: 1 },
    );
    const expected = meanAveragePrecision(scores, targets, [3, 3]);
    assert.equal(result.map, 100 * expected.map);
    assert.equal(result.tagsUsed, 2);
    assert.equal(result.tagsWithoutPositives, 1);
    assert.deepEqual(result.best, [{ tag: 'b::y', ap: 100, positives: 1 }]);
    assert.equal(result.worst[0].tag, 'a::x');
    assert.equal(result.unknownTags, 2);
    assert.deepEqual(result.unknownTagList, [{ tag: 'new::tag', count: 2 }]);
    assert.equal(result.atThreshold.OP, (100 * 2) / 4);
    assert.equal(result.top3.OR, 100);
  });
});

describe('evaluateSections', () => {
  it('top-1, top-5 and macro-F1 (sklearn: classes in the data or the predictions)', () => {
    // 4 classes; rows' argmax: 0, 1, 1, 3; targets 0, 1, 2, -1 (unknown section: skipped).
    const scores = Float32Array.from([5, 1, 0, 0, 0, 4, 1, 0, 0, 3, 2, 0, 0, 0, 0, 9]);
    const result = evaluateSections(
      scores,
      set({
        n: 4,
        numClasses: 4,
        classTargets: Int32Array.from([0, 1, 2, -1]),
        unknownLabels: new Map([['oldlibs', 1]]),
      }),
      4,
    );
    assert.equal(result.samples, 3);
    assert.equal(result.top1, (100 * 2) / 3);
    assert.equal(result.top5, 100);
    // F1: class 0 = 1, class 1 = 2/3 (tp 1, predicted 2, actual 1), class 2 = 0.
    assert.ok(Math.abs(result.macroF1 - (100 * (1 + 2 / 3 + 0)) / 3) < 1e-9);
    assert.equal(result.sectionsUsed, 3);
    assert.equal(result.unknownSections, 1);
  });

  it('softmaxRows and sigmoid are stable for large logits', () => {
    const p = softmaxRows(Float32Array.from([1000, 0, -1000, 1, 1, 1]), 3);
    assert.deepEqual(Array.from(p.subarray(0, 3)), [1, 0, 0]);
    assert.ok(Math.abs(p[3] - 1 / 3) < 1e-7);
    assert.equal(sigmoid(-1000), 0);
    assert.equal(sigmoid(1000), 1);
  });
});

describe('loss presets', () => {
  it('follow the paper and timm', () => {
    assert.deepEqual(lossPreset('tags', 'asl'), {
      name: 'asl',
      gammaNeg: 4,
      gammaPos: 0,
      clip: 0.05,
      eps: 1e-8,
      focalGrad: 'full',
    });
    assert.deepEqual([lossPreset('tags', 'bce').gammaNeg, lossPreset('tags', 'bce').clip], [0, 0]);
    assert.deepEqual(
      [lossPreset('tags', 'focal').gammaNeg, lossPreset('tags', 'focal').gammaPos],
      [2, 2],
    );
    assert.deepEqual(
      [lossPreset('section', 'ce').gammaNeg, lossPreset('section', 'ce').eps],
      [0, 0.1],
    );
    assert.equal(resolveLoss('tags', 'asl', { gammaNeg: 2, clip: undefined }).gammaNeg, 2);
    // The ranges are the library's own (its classes check them).
    assert.throws(
      () => resolveLoss('tags', 'asl', { clip: 1 }),
      /'clip' passed to 'AsymmetricLossMultiLabel' must be a number in \[0, 1\)/,
    );
    assert.throws(
      () => resolveLoss('tags', 'asl', { gammaPos: -1 }),
      /'gammaPos' .* must be a finite number >= 0/,
    );
    assert.throws(() => resolveLoss('tags', 'asl', { eps: 0.5 }), /'eps' .* in \[0, 0\.5\)/);
    assert.equal(resolveLoss('section', 'asl', { eps: 0.5 }).eps, 0.5);
    assert.throws(
      () => resolveLoss('section', 'asl', { clip: 0.1 }),
      /clip applies to the 'tags' task only/,
    );
  });
});

describe('Random', () => {
  it('repeats with the seed; uniform in [0, 1); shuffles to a permutation', () => {
    const a = new Random(42);
    const b = new Random(42);
    const values = Array.from({ length: 1000 }, () => a.next());
    assert.deepEqual(
      values,
      Array.from({ length: 1000 }, () => b.next()),
    );
    assert.ok(values.every((v) => v >= 0 && v < 1));
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05);
    const shuffled = new Random(1).shuffle(Int32Array.from({ length: 50 }, (_, i) => i));
    assert.deepEqual(
      Array.from(shuffled).sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i),
    );
    const normals = Array.from({ length: 2000 }, () => a.normal());
    const m = normals.reduce((s, v) => s + v, 0) / normals.length;
    const variance = normals.reduce((s, v) => s + (v - m) ** 2, 0) / normals.length;
    assert.ok(Math.abs(m) < 0.1 && Math.abs(variance - 1) < 0.1);
  });
});
