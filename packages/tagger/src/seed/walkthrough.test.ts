import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multiLabelElementLoss, singleLabelRowLoss } from '@asymmetric-loss/testing/oracle';
import {
  clipSweep,
  gammaNegSweep,
  seedCrossEntropy,
  seedLogits,
  seedMultiLabelTargets,
} from './walkthrough.js';

describe("the seed walkthrough's numbers", () => {
  it('all-zero parameters equal cross-entropy: 1.7944835', () => {
    assert.ok(Math.abs(seedCrossEntropy() - 1.7944835) < 5e-8);
  });

  it('the gamma_neg sweeps equal the reference formula at every point (1e-12 relative)', () => {
    const logits = Array.from(seedLogits());
    for (const eps of [0.1, 0] as const) {
      for (const { x, loss } of gammaNegSweep(eps)) {
        let expected = 0;
        for (let i = 0; i < 3; i++)
          expected += singleLabelRowLoss(logits.slice(i * 10, i * 10 + 10), 0, {
            gammaNeg: x,
            gammaPos: 1,
            eps,
          });
        expected /= 3;
        assert.ok(
          Math.abs(loss - expected) <= 1e-12 * expected,
          `gammaNeg ${x}: ${loss} vs ${expected}`,
        );
      }
    }
  });

  it('with eps 0.1 the loss falls as gamma_neg grows; with eps 0 it is flat', () => {
    const smoothed = gammaNegSweep(0.1);
    for (let i = 1; i < smoothed.length; i++) assert.ok(smoothed[i].loss < smoothed[i - 1].loss);
    const flat = gammaNegSweep(0);
    for (const point of flat) assert.equal(point.loss, flat[0].loss);
    assert.equal(smoothed.length, 80);
    assert.equal(flat.length, 100);
  });

  it('the clip sweep equals the reference formula and never rises with the clip', () => {
    const logits = seedLogits();
    const targets = seedMultiLabelTargets();
    const sweep = clipSweep();
    assert.equal(sweep.length, 100);
    for (const { x, loss } of sweep) {
      let expected = 0;
      for (let k = 0; k < 30; k++)
        expected += multiLabelElementLoss(logits[k], targets[k], {
          gammaNeg: 4,
          gammaPos: 1,
          clip: x,
          eps: 1e-8,
        });
      assert.ok(Math.abs(loss - expected) <= 1e-12 * expected, `clip ${x}: ${loss} vs ${expected}`);
    }
    for (let i = 1; i < sweep.length; i++) assert.ok(sweep[i].loss <= sweep[i - 1].loss);
  });
});
