import { describe as suite, it } from 'node:test';
import assert from 'node:assert/strict';
import { argumentError, describe } from './errors.js';

suite('argumentError', () => {
  it('builds the message from function, argument, expectation and actual value', () => {
    const error = argumentError(RangeError, 'f', 'x', 'be positive', 'it is -1');
    assert.ok(error instanceof RangeError);
    assert.equal(error.message, "Argument 'x' passed to 'f' must be positive, but it is -1");
    assert.ok(argumentError(TypeError, 'f', 'x', 'a', 'b') instanceof TypeError);
  });
});

suite('describe', () => {
  it('describes values briefly', () => {
    assert.equal(describe(0.5), '0.5');
    assert.equal(describe(NaN), 'NaN');
    assert.equal(describe(-0), '-0');
    assert.equal(describe('a'), '"a"');
    assert.equal(describe(true), 'true');
    assert.equal(describe(null), 'null');
    assert.equal(describe(undefined), 'undefined');
    assert.equal(describe(3n), '3n');
    assert.equal(describe([1, 2]), 'an array of length 2');
    assert.equal(describe(new Int8Array(3)), 'an Int8Array of length 3');
    assert.equal(describe(new DataView(new ArrayBuffer(1))), 'a DataView');
    assert.equal(
      describe(() => 1),
      'a function',
    );
    assert.equal(describe({}), 'an object');
    assert.equal(describe(new Map()), 'a Map');
  });
});
