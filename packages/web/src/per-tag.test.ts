import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rareTagCount, summarizeTags, tagRows } from './per-tag.js';

describe('the per-tag view', () => {
  it('keeps the tags both runs scored and summarizes rare against common tags', () => {
    const rows = tagRows(['a', 'b', 'c', 'd'], [3, 50, 7, 100], [10, 40, NaN, 60], [30, 35, 5, 80]);
    assert.deepEqual(
      rows.map((r) => r.tag),
      ['a', 'b', 'd'],
    );
    const s = summarizeTags(rows, 2);
    assert.ok(rareTagCount >= 3 && rareTagCount < 50);
    assert.deepEqual(s.rare, { tags: 1, bce: 10, asl: 30 });
    assert.deepEqual(s.common, { tags: 2, bce: 50, asl: 57.5 });
    assert.deepEqual(
      s.gains.map((r) => r.tag),
      ['a', 'd'],
    );
    assert.deepEqual(
      s.losses.map((r) => r.tag),
      ['b'],
    );
    assert.equal(s.aslBetter, 2);
    assert.equal(s.bceBetter, 1);
  });

  it('refuses runs with different tag lists', () => {
    assert.throws(() => tagRows(['a', 'b'], [1, 2], [1], [1, 2]), {
      name: 'RangeError',
      message: /expected 2 AP values per run, got 1 \(BCE\) and 2 \(ASL\)/,
    });
  });
});
