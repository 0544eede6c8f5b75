import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  exploreCurves,
  initialSettings,
  summaryOf,
  userCurveName,
  yAxisTops,
} from './explore-model.js';

describe('the Explore panel’s model', () => {
  it('says what eps and gamma_pos do, not only the clip and p*', () => {
    const paper = summaryOf(initialSettings);
    assert.match(paper, /clip m = 0\.05/);
    assert.match(paper, /p\* = 0\.9/);
    assert.match(paper, /γ\+ = 0: on positives ASL is cross-entropy/);
    assert.doesNotMatch(paper, /eps/);
    const eps = summaryOf({ ...initialSettings, eps: 0.4 });
    assert.match(eps, /positives with p < 0\.4 get no gradient at all/);
    assert.match(eps, /negatives with p > 1 − eps \+ m = 0\.650/);
    const focal = summaryOf({ ...initialSettings, gammaPos: 1, eps: 0.1 });
    assert.match(focal, /γ\+ = 1\.0 also fades easy positives/);
    assert.match(focal, /p < 0\.1 get only the focal weight’s gradient/);
  });

  it('fits the y axes to the user’s curve on request', () => {
    const settings = { ...initialSettings, gammaNeg: 8, clip: 0.5 };
    const rows = exploreCurves(settings);
    const fixed = yAxisTops(rows, false);
    assert.equal(fixed.ymax_negative_loss, 3);
    assert.equal(fixed.ymax_positive_loss, 5);
    const fitted = yAxisTops(rows, true);
    for (const [target, quantity] of [
      ['negative', 'loss'],
      ['negative', 'gradient'],
      ['positive', 'loss'],
      ['positive', 'gradient'],
    ] as const) {
      const max = Math.max(
        ...rows
          .filter((r) => r.loss === userCurveName && r.target === target && r.quantity === quantity)
          .map((r) => r.value),
      );
      assert.ok(Math.abs(fitted[`ymax_${target}_${quantity}`] - 1.08 * max) < 1e-12);
    }
    // At γ− 8 and m 0.5 the negative gradient is far below the fixed scale's top.
    assert.ok(fitted.ymax_negative_gradient < fixed.ymax_negative_gradient / 4);
  });
});
