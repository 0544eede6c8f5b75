/**
 * Bad input gets a clear error naming the function, the argument, what was expected and what
 * came: `TypeError` for a wrong kind of value, `RangeError` for a value out of range.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AsymmetricLossMultiLabel,
  AsymmetricLossSingleLabel,
  asymmetricLossMultiLabel as ml,
  asymmetricLossSingleLabel as sl,
} from '../index.js';

const x4 = new Float32Array([0.5, -1, 2, 0]);
const y4 = new Float32Array([1, 0, 0, 1]);

function throwsWith(
  fn: () => unknown,
  kind: typeof TypeError | typeof RangeError,
  ...parts: string[]
) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    for (const part of parts)
      assert.ok(error.message.includes(part), `"${error.message}" lacks "${part}"`);
    return true;
  });
}

describe('multi-label input errors', () => {
  const fn = "passed to 'asymmetricLossMultiLabel'";
  it('lengths that do not match the shape', () => {
    throwsWith(
      () => ml(new Float32Array(5), new Float32Array(6), [2, 3]),
      RangeError,
      "'logits'",
      fn,
      'n * c = 6',
      'length 5',
    );
    throwsWith(() => ml(x4, new Float32Array(3), [2, 2]), RangeError, "'targets'", 'length 3');
    throwsWith(() => ml([[1, 2], [3]], y4, [2, 2]), RangeError, "'logits'", 'logits[1] has 1');
  });
  it('malformed shapes and input kinds', () => {
    throwsWith(() => ml(x4, y4, [2, 2.5]), TypeError, "'shape'", '[2, 2.5]');
    throwsWith(() => ml(x4, y4, [2, 0]), RangeError, "'shape'", 'c >= 1');
    throwsWith(() => ml(x4, y4, 4 as unknown as [number, number]), TypeError, "'shape'");
    throwsWith(
      () => ml('abc' as unknown as Float32Array, y4, [2, 2]),
      TypeError,
      "'logits'",
      '"abc"',
    );
  });
  it('array elements that are not numbers, with their index', () => {
    const bad = [0.5, -1, '2', 0] as unknown as number[];
    throwsWith(
      () => ml(bad, y4, [2, 2]),
      TypeError,
      "'logits'",
      'an array of numbers',
      'logits[2] is "2"',
    );
    throwsWith(
      () =>
        ml(
          [
            [0.5, -1],
            [2, null],
          ] as unknown as number[][],
          y4,
          [2, 2],
        ),
      TypeError,
      "'logits'",
      'an array of numbers',
      'logits[1][1] is null',
    );
    throwsWith(
      () => ml(x4, y4, [2, 2], { classWeights: [1, 'x'] as unknown as number[] }),
      TypeError,
      "'classWeights'",
      'an array of numbers',
      'classWeights[1] is "x"',
    );
  });
  it('NaN or Inf logits, with the first bad index', () => {
    throwsWith(
      () => ml(new Float32Array([0, NaN, 0, 0]), y4, [2, 2]),
      RangeError,
      "'logits'",
      'logits[1]',
      'NaN',
    );
    throwsWith(
      () => ml(new Float32Array([0, 0, -Infinity, 0]), y4, [2, 2]),
      RangeError,
      'logits[2] (row 1, column 0)',
      '-Infinity',
    );
  });
  it('targets outside [0, 1]', () => {
    throwsWith(() => ml(x4, [0, 1, 1.5, 0], [2, 2]), RangeError, "'targets'", '[0, 1]', '1.5');
    throwsWith(() => ml(x4, [0, -0.1, 1, 0], [2, 2]), RangeError, "'targets'", '-0.1');
    throwsWith(() => ml(x4, [0, NaN, 1, 0], [2, 2]), RangeError, "'targets'", 'NaN');
  });
  it('invalid hyperparameters', () => {
    throwsWith(() => ml(x4, y4, [2, 2], { gammaNeg: -1 }), RangeError, "'gammaNeg'", '>= 0', '-1');
    throwsWith(
      () => ml(x4, y4, [2, 2], { gammaPos: Infinity }),
      RangeError,
      "'gammaPos'",
      'Infinity',
    );
    throwsWith(
      () => ml(x4, y4, [2, 2], { gammaPos: '1' as unknown as number }),
      TypeError,
      "'gammaPos'",
    );
    throwsWith(() => ml(x4, y4, [2, 2], { clip: 1 }), RangeError, "'clip'", '[0, 1)');
    throwsWith(() => ml(x4, y4, [2, 2], { clip: -0.1 }), RangeError, "'clip'");
    throwsWith(() => ml(x4, y4, [2, 2], { eps: 0.5 }), RangeError, "'eps'", '[0, 0.5)');
    throwsWith(() => ml(x4, y4, [2, 2], { eps: -1e-8 }), RangeError, "'eps'");
    throwsWith(
      () => ml(x4, y4, [2, 2], { reduction: 'avg' as 'sum' }),
      RangeError,
      "'reduction'",
      '"avg"',
    );
    throwsWith(() => ml(x4, y4, [2, 2], { focalGrad: 'yes' as 'full' }), RangeError, "'focalGrad'");
    throwsWith(
      () => ml(x4, y4, [2, 2], { gamma_neg: 4 } as object),
      TypeError,
      "unknown option 'gamma_neg'",
    );
    throwsWith(
      () => ml(x4, y4, [2, 2], { classWeights: [1, NaN] }),
      RangeError,
      "'classWeights'",
      'classWeights[1]',
    );
    throwsWith(() => ml(x4, y4, [2, 2], { classWeights: [1] }), RangeError, "'classWeights'");
  });
  it('clip null or 0 disables the shift', () => {
    assert.equal(ml(x4, y4, [2, 2], { clip: null }).loss, ml(x4, y4, [2, 2], { clip: 0 }).loss);
  });
  it('outputs that share memory are refused; an output over an input is fine', () => {
    for (const [name, call] of [
      ['asymmetricLossMultiLabel', (o: object) => ml(x4, y4, [2, 2], { reduction: 'none', ...o })],
      [
        'asymmetricLossSingleLabel',
        (o: object) => sl(x4, [0, 1], [2, 2], { reduction: 'none', ...o }),
      ],
    ] as const) {
      const size = name === 'asymmetricLossMultiLabel' ? 4 : 2;
      const same = new Float32Array(4);
      throwsWith(
        () => call({ gradOut: same, lossOut: same.subarray(0, size) }),
        RangeError,
        `'${name}'`,
        "'lossOut'",
        'apart from gradOut',
        'bytes 0..',
      );
      const buffer = new Float32Array(4 + size);
      // Overlapping by one element, then adjacent (allowed) views of one buffer.
      throwsWith(
        () => call({ gradOut: buffer.subarray(0, 4), lossOut: buffer.subarray(3, 3 + size) }),
        RangeError,
        'bytes 12..16',
      );
      const apart = call({ gradOut: buffer.subarray(0, 4), lossOut: buffer.subarray(4, 4 + size) });
      const fresh = call({});
      assert.deepEqual(Array.from(apart.grad!), Array.from(fresh.grad!));
      assert.deepEqual(
        Array.from(apart.loss as Float32Array),
        Array.from(fresh.loss as Float32Array),
      );
    }
    // The gradient written over the logits (an output aliasing an input) stays supported.
    const x = Float32Array.from(x4);
    const expected = ml(x4, y4, [2, 2]).grad!;
    assert.deepEqual(Array.from(ml(x, y4, [2, 2], { gradOut: x }).grad!), Array.from(expected));
  });
  it('call options: buffers of the wrong length, upstream arrays without reduction none', () => {
    throwsWith(
      () => ml(x4, y4, [2, 2], { gradOut: new Float32Array(3) }),
      RangeError,
      "'gradOut'",
      'length 3',
    );
    throwsWith(() => ml(x4, y4, [2, 2], { upstream: [1, 2, 3] }), TypeError, "'upstream'");
    throwsWith(
      () => ml(x4, y4, [2, 2], { reduction: 'none', upstream: [1, 2, 3] }),
      RangeError,
      "'upstream'",
    );
    throwsWith(() => ml(x4, y4, [2, 2], { sampleWeights: [1] }), RangeError, "'sampleWeights'");
  });
  it('the class checks its hyperparameters at construction and rejects per-call options there', () => {
    throwsWith(
      () => new AsymmetricLossMultiLabel({ gammaNeg: -2 }),
      RangeError,
      "'AsymmetricLossMultiLabel'",
      "'gammaNeg'",
    );
    throwsWith(
      () => new AsymmetricLossMultiLabel({ gradOut: new Float32Array(4) } as object),
      TypeError,
      "unknown option 'gradOut'",
    );
  });
});

describe('single-label input errors', () => {
  it('class indices out of range, not integers, or of the wrong length', () => {
    throwsWith(
      () => sl(x4, [0, 2], [2, 2]),
      RangeError,
      "'classIndices'",
      "'asymmetricLossSingleLabel'",
      '[0, 2)',
      'classIndices[1] is 2',
    );
    throwsWith(() => sl(x4, [0, -1], [2, 2]), RangeError, 'classIndices[1] is -1');
    throwsWith(() => sl(x4, [0, 0.5], [2, 2]), TypeError, 'integer', '0.5');
    throwsWith(() => sl(x4, [0], [2, 2]), RangeError, 'length n = 2', 'length 1');
  });
  it('label smoothing outside [0, 1) and unknown options', () => {
    throwsWith(() => sl(x4, [0, 1], [2, 2], { eps: 1 }), RangeError, "'eps'", '[0, 1)');
    throwsWith(
      () => sl(x4, [0, 1], [2, 2], { clip: 0.1 } as object),
      TypeError,
      "unknown option 'clip'",
    );
    throwsWith(() => new AsymmetricLossSingleLabel({ gammaPos: NaN }), RangeError, "'gammaPos'");
  });
  it('NaN logits', () => {
    throwsWith(
      () => sl(new Float32Array([0, 0, NaN, 0]), [0, 1], [2, 2]),
      RangeError,
      "'logits'",
      'logits[2]',
    );
  });
});

describe('numbers in messages', () => {
  it('a float32 reads as the decimal the user wrote, not its float64 expansion', () => {
    throwsWith(
      () => ml(x4, y4, [2, 2], { sampleWeights: new Float32Array([-0.1, 1]) }),
      RangeError,
      'sampleWeights[0] is -0.1',
    );
    throwsWith(
      () => ml(x4, new Float32Array([1.7, 0, 0, 1]), [2, 2]),
      RangeError,
      'targets[0] (row 0, column 0) is 1.7',
    );
  });

  it('a finite value beyond float32 is named as given, not as the Infinity it would become', () => {
    for (const logits of [
      [0, 1e39, 0, 0],
      new Float64Array([0, 1e39, 0, 0]),
      [
        [0, 1e39],
        [0, 0],
      ],
    ])
      throwsWith(
        () => ml(logits, y4, [2, 2]),
        RangeError,
        "'logits' passed to 'asymmetricLossMultiLabel' must be within the float32 range",
        'is 1e+39',
      );
    throwsWith(() => sl([0, -1e39, 0, 0], [0, 1], [2, 2]), RangeError, 'logits[1] is -1e+39');
    throwsWith(() => ml(x4, y4, [2, 2], { sampleWeights: [1, 1e40] }), RangeError, 'is 1e+40');
  });
});
