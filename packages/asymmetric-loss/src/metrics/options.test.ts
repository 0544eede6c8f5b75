import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkNumber,
  checkOptionNames,
  readAveragePrecisionOptions,
  readBoolean,
  readChoice,
  readNumber,
} from './options.js';

describe('checkOptionNames', () => {
  it('accepts undefined and objects with known names only', () => {
    assert.deepEqual(checkOptionNames('f', undefined, ['a']), {});
    assert.deepEqual(checkOptionNames('f', { a: 1 }, ['a', 'b']), { a: 1 });
    assert.throws(() => checkOptionNames('f', { c: 1 }, ['a', 'b']), {
      name: 'TypeError',
      message:
        "Argument 'options' passed to 'f' must only have the options 'a', 'b', but it has an unknown option 'c'",
    });
    for (const bad of [null, 3, 'x', [1]]) {
      assert.throws(() => checkOptionNames('f', bad, ['a']), TypeError);
    }
  });
});

describe('option readers', () => {
  it('fill in defaults and check values', () => {
    assert.equal(readChoice('f', {}, 'm', ['x', 'y'], 'x'), 'x');
    assert.equal(readChoice('f', { m: 'y' }, 'm', ['x', 'y'], 'x'), 'y');
    assert.throws(() => readChoice('f', { m: 'z' }, 'm', ['x', 'y'], 'x'), {
      name: 'RangeError',
      message: "Argument 'options.m' passed to 'f' must be 'x' or 'y', but it is \"z\"",
    });
    assert.throws(() => readChoice('f', { m: 1 }, 'm', ['x'], 'x'), TypeError);
    assert.equal(readBoolean('f', {}, 'v', true), true);
    assert.equal(readBoolean('f', { v: false }, 'v', true), false);
    assert.throws(() => readBoolean('f', { v: 'no' }, 'v', true), TypeError);
    assert.equal(readNumber('f', {}, 't', { min: 0, max: 1 }, 0.5), 0.5);
    assert.equal(readNumber('f', { t: 1 }, 't', { min: 0, max: 1 }, 0.5), 1);
    assert.equal(readNumber('f', {}, 'k', { min: 1, max: 3, integer: true }, undefined), undefined);
  });

  it('rejects numbers out of range, non-integers, non-finite and non-numbers', () => {
    const range = { min: 0, max: Infinity };
    assert.throws(() => checkNumber('f', 'e', -1, range), {
      name: 'RangeError',
      message: "Argument 'e' passed to 'f' must be a number >= 0, but it is -1",
    });
    assert.throws(() => checkNumber('f', 'e', Infinity, range), RangeError);
    assert.throws(() => checkNumber('f', 'e', NaN, range), RangeError);
    assert.throws(() => checkNumber('f', 'k', 1.5, { min: 1, max: 3, integer: true }), {
      name: 'RangeError',
      message: "Argument 'k' passed to 'f' must be an integer in [1, 3], but it is 1.5",
    });
    assert.throws(() => checkNumber('f', 'e', '1', range), TypeError);
  });

  it('reads the average-precision options with their defaults', () => {
    assert.deepEqual(readAveragePrecisionOptions('f', {}), {
      ties: 'grouped',
      emptyClasses: 'ignore',
      epsilon: 0,
      unannotated: false,
    });
    assert.deepEqual(
      readAveragePrecisionOptions('f', {
        ties: 'ordered',
        emptyClasses: 'zero',
        epsilon: 1e-8,
        unannotated: 'ignore',
      }),
      { ties: 'ordered', emptyClasses: 'zero', epsilon: 1e-8, unannotated: true },
    );
  });
});
