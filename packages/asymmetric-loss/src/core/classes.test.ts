import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AsymmetricLossMultiLabel,
  AsymmetricLossSingleLabel,
  asymmetricLossMultiLabel,
  asymmetricLossSingleLabel,
  multiLabelDefaults,
  singleLabelDefaults,
} from '../index.js';

const x = new Float32Array([2, -1, 0.5, -3, 0.1, 4]);
const y = new Float32Array([1, 0, 0, 1, 0.5, 0]);

describe('the classes wrap the functions', () => {
  it('AsymmetricLossMultiLabel.forward equals asymmetricLossMultiLabel', () => {
    const hyper = { gammaNeg: 3, gammaPos: 0.5, clip: 0.1, reduction: 'mean' } as const;
    const asl = new AsymmetricLossMultiLabel(hyper);
    const a = asl.forward(x, y, [2, 3]);
    const b = asymmetricLossMultiLabel(x, y, [2, 3], hyper);
    assert.equal(a.loss, b.loss);
    assert.deepEqual(Array.from(a.grad), Array.from(b.grad));
    const gradOut = new Float32Array(6);
    assert.equal(asl.forward(x, y, [2, 3], { gradOut }).grad, gradOut);
    assert.equal(asl.forward(x, y, [2, 3], { grad: false }).grad, null);
    assert.ok(Object.isFrozen(asl.options));
  });

  it('AsymmetricLossSingleLabel.forward equals asymmetricLossSingleLabel', () => {
    const asl = new AsymmetricLossSingleLabel({ eps: 0.2 });
    const a = asl.forward(x, [1, 2], [2, 3]);
    const b = asymmetricLossSingleLabel(x, [1, 2], [2, 3], { eps: 0.2 });
    assert.equal(a.loss, b.loss);
    assert.deepEqual(Array.from(a.grad), Array.from(b.grad));
  });

  it("defaults are timm's", () => {
    assert.deepEqual(
      { ...multiLabelDefaults },
      { gammaNeg: 4, gammaPos: 1, clip: 0.05, eps: 1e-8, focalGrad: 'full', reduction: 'sum' },
    );
    assert.deepEqual(
      { ...singleLabelDefaults },
      { gammaPos: 1, gammaNeg: 4, eps: 0.1, focalGrad: 'full', reduction: 'mean' },
    );
  });

  it("types: 'none' gives a Float32Array loss, grad: false a null gradient", () => {
    const none: Float32Array = asymmetricLossMultiLabel(x, y, [2, 3], { reduction: 'none' }).loss;
    const sum: number = asymmetricLossMultiLabel(x, y, [2, 3]).loss;
    const noGrad: null = asymmetricLossSingleLabel(x, [0, 1], [2, 3], { grad: false }).grad;
    const cls: Float32Array = new AsymmetricLossMultiLabel({ reduction: 'none' }).forward(
      x,
      y,
      [2, 3],
    ).loss;
    assert.equal(none.length, 6);
    assert.equal(typeof sum, 'number');
    assert.equal(noGrad, null);
    assert.equal(cls.length, 6);
  });
});
