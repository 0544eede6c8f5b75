/**
 * Partial annotations against the authors' loss run by PyTorch (packages/testing/fixtures/
 * partial-public.json, made by partial-public.py beside it): every case through the float64
 * kernel, the SIMD kernel, and the SIMD kernel with helper threads; the selective cases' weights
 * from `ClassAwareSelection` equal the authors' `targets_weights`.
 *
 * Tolerances: float64, loss within 1e-10 relative and gradient within 1e-7 of the case's largest
 * |grad| (the gradient is stored in float32, whose rounding is up to 6e-8 relative); SIMD (float32 arithmetic), loss within 1e-6 relative and gradient within 2e-6 of the
 * largest |grad| (the library's stated float32 accuracy is 3e-7 and 1e-6 on the timm vectors;
 * the weighted sums here add up to 288 terms of mixed size).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { maxAbs } from '@asymmetric-loss/testing/oracle';
import { partialCases, type PartialCase } from '@asymmetric-loss/testing/reference';
import { asymmetricLossMultiLabel, wasmReady } from '../index.js';
import { partialOptionsOf } from '../../test/partial-cases.js';
import { startSimdThreads, stopSimdThreads } from '../threads/index.js';

function check(
  cs: PartialCase,
  precision: 'float64' | 'float32',
  lossTol: number,
  gradTol: number,
) {
  const { options, elementWeights } = partialOptionsOf(cs);
  const { loss, grad } = asymmetricLossMultiLabel(
    new Float32Array(cs.logits),
    new Float32Array(cs.targets),
    cs.shape,
    { ...options, elementWeights, precision },
  );
  assert.ok(
    Math.abs((loss as number) - cs.loss_f64) <= lossTol * Math.max(Math.abs(cs.loss_f64), 1e-12),
    `loss ${loss} vs ${cs.loss_f64}`,
  );
  const scale = Math.max(maxAbs(cs.grad_f64), 1e-30);
  grad.forEach((g, k) =>
    assert.ok(
      Math.abs(g - cs.grad_f64[k]) <= gradTol * scale,
      `grad[${k}] = ${g} vs ${cs.grad_f64[k]} (target ${cs.targets[k]}, weight ${cs.weights[k]})`,
    ),
  );
}

describe("partial annotations against the authors' loss (PyTorch)", () => {
  const cases = partialCases();
  it('covers every mode', () => {
    const modes = new Set(cases.map((cs) => cs.params.partial_loss_mode));
    assert.deepEqual([...modes].sort(), ['ignore', 'negative', 'selective']);
  });

  it("ClassAwareSelection gives the authors' element weights in every selective case", () => {
    for (const cs of cases.filter((c) => c.params.partial_loss_mode === 'selective')) {
      const weights = partialOptionsOf(cs).elementWeights as Float32Array;
      assert.deepEqual(Array.from(weights), cs.weights, cs.id);
    }
  });

  for (const cs of cases)
    it(`${cs.id} [${cs.shape.join(', ')}]: float64 and SIMD kernels`, async () => {
      check(cs, 'float64', 1e-10, 1e-7);
      assert.equal(await wasmReady(), true);
      check(cs, 'float32', 1e-6, 2e-6);
    });

  describe('with helper threads', () => {
    after(stopSimdThreads);
    it('every case through the threaded SIMD kernel', async () => {
      await startSimdThreads({ threads: 2, minElements: 0 });
      for (const cs of cases) check(cs, 'float32', 1e-6, 2e-6);
    });
  });
});
