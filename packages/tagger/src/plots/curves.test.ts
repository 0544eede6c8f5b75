import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { centralDifference, multiLabelElementLoss } from '@asymmetric-loss/testing/oracle';
import {
  lossAndGradient,
  logit,
  negativeGradient,
  negativePeak,
  paperCurves,
  paperSettings,
  peakNegativeProbability,
} from './curves.js';

describe("the paper's view: loss and gradient against p", () => {
  it("the analytic negative gradient equals the core's (float32) on the whole grid", () => {
    const ps = Array.from({ length: 999 }, (_, i) => (i + 1) / 1000);
    for (const { options } of paperSettings) {
      const { gradient } = lossAndGradient(ps, 0, options);
      ps.forEach((p, i) => {
        const expected = negativeGradient(p, options.gammaNeg, options.clip);
        assert.ok(Math.abs(gradient[i] - expected) <= 1e-6 * Math.max(1, expected), `p=${p}`);
      });
    }
  });

  it('the gradient is the derivative of the loss (float64 central differences in z)', () => {
    for (const { options } of paperSettings)
      for (const p of [0.1, 0.3, 0.5, 0.7, 0.9, 0.97]) {
        const o = { ...options, eps: 1e-8 };
        const fd = centralDifference((z) => multiLabelElementLoss(z, 0, o), logit(p), 1e-6);
        assert.ok(Math.abs(negativeGradient(p, options.gammaNeg, options.clip) - fd) < 1e-7);
      }
  });

  it('p* is where the negative gradient peaks: its finite-difference slope in p changes sign', () => {
    for (const { options } of paperSettings.filter((s) => s.options.gammaNeg > 0)) {
      const f = (p: number) => negativeGradient(p, options.gammaNeg, options.clip);
      const peak = peakNegativeProbability(options.gammaNeg, options.clip);
      assert.ok(peak > options.clip && peak < 1);
      const h = 1e-5;
      assert.ok(centralDifference(f, peak - 1e-3, h) > 0, 'rising before p*');
      assert.ok(centralDifference(f, peak + 1e-3, h) < 0, 'falling after p*');
      assert.ok(Math.abs(centralDifference(f, peak, h)) < 1e-4, 'flat at p*');
      for (let p = options.clip + 0.001; p < 1; p += 0.001) assert.ok(f(p) <= f(peak) + 1e-12);
    }
    // The settings of the plot: ASL (4, 0.05) peaks near 0.90, ASL (2, 0.2) near 0.84.
    assert.ok(Math.abs(peakNegativeProbability(4, 0.05) - 0.90007) < 1e-4);
    assert.ok(Math.abs(peakNegativeProbability(2, 0.2) - 0.8394) < 1e-4);
  });

  it('curves: every setting, both targets, loss and gradient, finite and non-negative', () => {
    const rows = paperCurves();
    assert.equal(rows.length, paperSettings.length * 2 * 2 * 500);
    for (const r of rows) assert.ok(Number.isFinite(r.value) && r.value >= 0);
    // Below the clip a negative's loss and gradient are exactly zero.
    const asl = rows.filter((r) => r.loss === paperSettings[2].name && r.target === 'negative');
    for (const r of asl) if (r.p < 0.05) assert.equal(r.value, 0);
  });

  it("the negative gradient with a detached focusing weight or a large eps equals the core's", () => {
    const ps = Array.from({ length: 999 }, (_, i) => (i + 1) / 1000);
    for (const focalGrad of ['full', 'detached'] as const)
      for (const eps of [0, 1e-8, 0.01, 0.2])
        for (const [gammaNeg, clip] of [
          [4, 0.05],
          [2, 0],
          [1.5, 0.2],
          [0, 0.1],
        ]) {
          const options = { gammaNeg, gammaPos: 0, clip, focalGrad, eps };
          const { gradient } = lossAndGradient(ps, 0, options);
          ps.forEach((p, i) => {
            // At the clamp's edge (1 - pm = eps) rounding decides the side: not compared.
            if (Math.abs(1 - (p - clip) - eps) < 1e-6) return;
            const expected = negativeGradient(p, gammaNeg, clip, focalGrad, eps);
            const where = `${JSON.stringify(options)} p=${p}`;
            assert.ok(Math.abs(gradient[i] - expected) <= 1e-6 * Math.max(1, expected), where);
          });
        }
  });

  it('negativePeak: p* of any setting, null when the gradient grows to p = 1', () => {
    assert.equal(negativePeak({ gammaNeg: 0, gammaPos: 0, clip: 0 }), null);
    assert.equal(negativePeak({ gammaNeg: 2, gammaPos: 2, clip: 0, focalGrad: 'detached' }), null);
    const full = negativePeak({ gammaNeg: 4, gammaPos: 0, clip: 0.05 });
    assert.ok(full !== null && Math.abs(full - peakNegativeProbability(4, 0.05)) < 1e-6);
    for (const options of [
      { gammaNeg: 4, gammaPos: 0, clip: 0.05, focalGrad: 'detached' as const },
      { gammaNeg: 0, gammaPos: 0, clip: 0.1 },
      { gammaNeg: 3, gammaPos: 1, clip: 0.02, eps: 0.05 },
    ]) {
      const peak = negativePeak(options);
      assert.ok(peak !== null && peak > options.clip && peak < 1, JSON.stringify(options));
      const f = (p: number) =>
        negativeGradient(p, options.gammaNeg, options.clip, options.focalGrad, options.eps ?? 1e-8);
      for (let p = options.clip + 0.001; p < 1; p += 0.001) assert.ok(f(p) <= f(peak) + 1e-12);
    }
  });
});
