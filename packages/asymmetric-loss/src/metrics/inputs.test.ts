import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkShape, prepareInputs } from './inputs.js';

describe('checkShape', () => {
  it('accepts [n, c] with n >= 0 and c >= 1', () => {
    assert.deepEqual(checkShape('f', [0, 1]), [0, 1]);
    assert.deepEqual(checkShape('f', [40504, 80]), [40504, 80]);
  });

  it('rejects anything else', () => {
    assert.throws(() => checkShape('f', [3]), {
      name: 'TypeError',
      message:
        "Argument 'shape' passed to 'f' must be [n, c] with two non-negative integers, but it is an array of length 1",
    });
    assert.throws(() => checkShape('f', undefined), TypeError);
    assert.throws(() => checkShape('f', [1, '2']), TypeError);
    assert.throws(() => checkShape('f', [1, NaN]), RangeError);
    assert.throws(() => checkShape('f', [1, 2.5]), RangeError);
    assert.throws(() => checkShape('f', [-1, 2]), RangeError);
    assert.throws(() => checkShape('f', [1, 0]), /must have at least one class/);
  });
});

describe('prepareInputs', () => {
  it('uses typed arrays and flat arrays as they are, without copying', () => {
    const scores = new Float32Array([0.1, 0.2]);
    const targets = [0, 1];
    const input = prepareInputs('f', scores, targets, [1, 2], true, 'real');
    assert.equal(input.scores, scores);
    assert.equal(input.targets, targets);
    assert.equal(input.n, 1);
    assert.equal(input.c, 2);
  });

  it('flattens arrays of rows', () => {
    const input = prepareInputs(
      'f',
      [
        [1, 2],
        [3, 4],
      ],
      [
        [0, 1],
        [1, 0],
      ],
      [2, 2],
      true,
      'real',
    );
    assert.deepEqual(input.scores, Float64Array.from([1, 2, 3, 4]));
    assert.deepEqual(input.targets, Float64Array.from([0, 1, 1, 0]));
  });

  it('checks values only when asked', () => {
    assert.throws(() => prepareInputs('f', [-0.5], [1], [1, 1], true, 'probability'), RangeError);
    assert.doesNotThrow(() => prepareInputs('f', [-0.5], [1], [1, 1], false, 'probability'));
    for (const bad of [-1e-300, -Infinity, Infinity, NaN]) {
      assert.throws(() => prepareInputs('f', [bad], [1], [1, 1], true, 'probability'), RangeError);
    }
    // -0 compares equal to 0; scores above 1 are accepted (see ScoreDomain).
    assert.doesNotThrow(() => prepareInputs('f', [-0, 1.29], [1, 0], [1, 2], true, 'probability'));
    assert.doesNotThrow(() =>
      prepareInputs('f', [Infinity, -Infinity], [1, 0], [1, 2], true, 'real'),
    );
    assert.throws(() => prepareInputs('f', [0, 1], [1, NaN], [1, 2], true, 'real'), {
      name: 'RangeError',
      message:
        "Argument 'targets' passed to 'f' must contain only 0 or 1, but targets[1] (row 0, column 1) is NaN",
    });
  });

  it('checks types and layouts always', () => {
    assert.throws(
      () => prepareInputs('f', [1, 2], new Uint16Array(2), [1, 2], false, 'real'),
      /'targets' passed to 'f' must be a Float32Array, Float64Array, Uint8Array, Int32Array, number\[\] or number\[\]\[\], but it is a Uint16Array of length 2/,
    );
    assert.throws(() => prepareInputs('f', [[1, 2], 3], [1, 0, 1, 0], [2, 2], false, 'real'), {
      name: 'TypeError',
      message:
        "Argument 'scores' passed to 'f' must be an array of rows when its first element is an array, but scores[1] is 3",
    });
  });
});
