/**
 * Finite inputs give finite results on every kernel, even where a weight, an upstream gradient
 * or (single-label) the spread of a row's logits takes an element-wise loss or a gradient past
 * the float32 maximum: those are stored as ±3.4028235e38, documented saturation, not Infinity.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asymmetricLossMultiLabel as ml, asymmetricLossSingleLabel as sl } from '../index.js';
import { float32Max, saturateFloat32 } from './saturate.js';

const precisions = ['float64', 'float32'] as const;
const [n, c] = [64, 2]; // 128 elements: the SIMD kernel takes 'float32'

function allFinite(what: string, values: ArrayLike<number> | number): void {
  const list = typeof values === 'number' ? [values] : Array.from(values);
  assert.ok(
    list.every((v) => Number.isFinite(v)),
    `${what}: ${list.find((v) => !Number.isFinite(v))}`,
  );
}

describe('saturation at the float32 maximum', () => {
  it('saturateFloat32 replaces infinities only', () => {
    const out = new Float32Array([Infinity, -Infinity, 1, NaN, -0]);
    saturateFloat32(out);
    assert.deepEqual(Array.from(out).slice(0, 3), [float32Max, -float32Max, 1]);
    assert.ok(Number.isNaN(out[3]));
    assert.ok(Object.is(out[4], -0));
  });

  for (const precision of precisions) {
    it(`multi-label, ${precision}: weights and upstream past float32`, () => {
      const x = new Float32Array(n * c).fill(3e38);
      const y = new Float32Array(n * c);
      const options = { precision, clip: 0, eps: 0, gammaNeg: 0 } as const;
      const weighted = ml(x, y, [n, c], { ...options, reduction: 'none', classWeights: [2, 1] });
      const loss = weighted.loss as Float32Array;
      allFinite('loss', loss);
      assert.equal(loss[0], float32Max);
      assert.ok(Math.abs(loss[1] - 3e38) < 1e32);
      const upstream = new Float32Array(n * c).fill(-3e38);
      const up = ml(x, y, [n, c], {
        ...options,
        reduction: 'none',
        classWeights: [2, 1],
        upstream,
      });
      allFinite('gradient', up.grad!);
      assert.equal(up.grad![0], -float32Max);
      const scaled = ml(x, y, [n, c], {
        ...options,
        upstream: 3e38,
        sampleWeights: new Float32Array(n).fill(2),
      });
      allFinite('gradient (numeric upstream)', scaled.grad!);
      allFinite('reduced loss', scaled.loss as number);
    });

    it(`single-label, ${precision}: logits far apart`, () => {
      const x = new Float32Array(n * c);
      for (let i = 0; i < n; i++) [x[i * c], x[i * c + 1]] = [-3e38, 3e38];
      const r = sl(x, new Int32Array(n), [n, c], {
        precision,
        reduction: 'none',
        eps: 0,
        gammaNeg: 0,
        gammaPos: 0,
      });
      allFinite('loss', r.loss as Float32Array);
      assert.equal((r.loss as Float32Array)[0], float32Max);
      allFinite('gradient', r.grad!);
      const w = sl(x, new Int32Array(n), [n, c], {
        precision,
        upstream: 3e38,
        sampleWeights: new Float32Array(n).fill(2),
      });
      allFinite('weighted gradient', w.grad!);
    });
  }
});
