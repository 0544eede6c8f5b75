/**
 * Partial annotations in the tfjs multi-label op: the authors' loss (fixtures/partial-public.json)
 * on the cpu and wasm backends (the fused kernels pass everything to the core) and on the
 * fallback backend (the rule composed in tfjs ops around the element-wise op, as on webgl and
 * webgpu); every reduction against the core; errors. Tolerances (float32): loss within 1e-5
 * relative of the float64 reference, gradient within 1e-5 of the case's largest |grad| (fused,
 * the core's kernels) or 1e-4 (composed in float32 tfjs ops).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { maxAbs } from '@asymmetric-loss/testing/oracle';
import { rng } from '@asymmetric-loss/testing/random';
import { partialCases } from '@asymmetric-loss/testing/reference';
import { fallbackBackend, registerFallbackBackend } from '../../test/fallback-backend.js';
import { partialOptionsOf } from '../../test/partial-cases.js';
import { asymmetricLossMultiLabel as coreLoss } from '../index.js';
import type { Reduction } from '../index.js';
import { asymmetricLossMultiLabel } from './index.js';
import type { TfMultiLabelOptions } from './index.js';

function lossAndGrad(
  logits: Float32Array,
  labels: tf.Tensor,
  options: TfMultiLabelOptions,
): { loss: Float32Array; grad: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor2d(logits, labels.shape as [number, number]);
    const { value, grad } = tf.valueAndGrad((z: tf.Tensor) =>
      tf.sum(asymmetricLossMultiLabel(z, labels, options)),
    )(x);
    return { loss: value.dataSync() as Float32Array, grad: grad.dataSync() as Float32Array };
  });
}

registerFallbackBackend();

for (const [backend, gradTol] of [
  ['cpu', 1e-5],
  ['wasm', 1e-5],
  [fallbackBackend, 1e-4],
] as const)
  describe(`partial annotations in the tfjs op on ${backend}`, () => {
    before(async () => {
      assert.ok(await tf.setBackend(backend));
    });
    after(async () => {
      await tf.setBackend('cpu');
    });

    it("every case of the authors' loss (negative, ignore, selective)", () => {
      for (const cs of partialCases()) {
        const { options, elementWeights } = partialOptionsOf(cs);
        const labels = tf.tensor2d(cs.targets, cs.shape);
        const ew = elementWeights === null ? null : tf.tensor2d(elementWeights, cs.shape);
        const { loss, grad } = lossAndGrad(new Float32Array(cs.logits), labels, {
          ...options,
          elementWeights: ew,
        });
        tf.dispose([labels, ew ?? []]);
        assert.ok(
          Math.abs(loss[0] - cs.loss_f64) <= 1e-5 * Math.max(Math.abs(cs.loss_f64), 1e-12),
          `${cs.id}: loss ${loss[0]} vs ${cs.loss_f64}`,
        );
        const scale = Math.max(maxAbs(cs.grad_f64), 1e-30);
        grad.forEach((g, k) =>
          assert.ok(
            Math.abs(g - cs.grad_f64[k]) <= gradTol * scale,
            `${cs.id}: grad[${k}] = ${g} vs ${cs.grad_f64[k]}`,
          ),
        );
      }
    });

    it('every reduction, int32 labels, sample and element weights: the core', () => {
      const [n, c] = [6, 9];
      const u = rng(7);
      const x = Float32Array.from({ length: n * c }, () => (u() - 0.5) * 10);
      const y = Int32Array.from({ length: n * c }, () => {
        const r = u();
        return r < 0.25 ? 1 : r < 0.6 ? -1 : 0;
      });
      const ew = Float32Array.from({ length: n * c }, () => (u() < 0.2 ? 0 : u() * 2));
      const sw = Float32Array.from({ length: n }, () => 0.5 + u());
      for (const unannotated of ['negative', 'ignore'] as const)
        for (const reduction of ['sum', 'mean', 'batchmean', 'none'] as Reduction[]) {
          const options = {
            unannotated,
            gammaUnannotated: 2,
            posWeight: Array.from({ length: c }, (_, j) => 1 + j / 4),
            reduction,
            clip: 0.05,
            gammaPos: 1,
          };
          const labels = tf.tensor2d(y, [n, c], 'int32');
          const got = lossAndGrad(x, labels, {
            ...options,
            elementWeights: tf.tensor2d(ew, [n, c]),
            sampleWeights: tf.tensor1d(sw),
          });
          const expected = coreLoss(x, y, [n, c], {
            ...options,
            elementWeights: ew,
            sampleWeights: sw,
            precision: 'float64',
          });
          labels.dispose();
          const value =
            typeof expected.loss === 'number'
              ? expected.loss
              : expected.loss.reduce((s, v) => s + v, 0);
          const what = `${unannotated}, ${reduction}`;
          assert.ok(Math.abs(got.loss[0] - value) <= 1e-5 * Math.abs(value), `${what}: loss`);
          const scale = maxAbs(expected.grad);
          got.grad.forEach((g, k) =>
            assert.ok(Math.abs(g - expected.grad[k]) <= 1e-4 * scale, `${what}: grad[${k}]`),
          );
        }
    });

    it('-1 without the option is refused, naming it; element weights are checked', () => {
      const x = tf.zeros([2, 2]);
      const y = tf.tensor2d([
        [1, -1],
        [0, 0],
      ]);
      const validate = backend === fallbackBackend ? { validate: true } : {};
      assert.throws(
        () => asymmetricLossMultiLabel(x, y, validate),
        /'labels' passed to 'asymmetricLossMultiLabel' must be in \[0, 1\], but labels\[1\] \(row 0, column 1\) is -1 \(an unannotated label: the option unannotated: 'negative' or 'ignore' accepts -1\)/,
      );
      assert.throws(
        () => asymmetricLossMultiLabel(x, y, { unannotated: 'ignore', elementWeights: [1, 1] }),
        /'elementWeights' passed to 'asymmetricLossMultiLabel'/,
      );
      assert.throws(
        () =>
          asymmetricLossMultiLabel(x, y, {
            ...validate,
            unannotated: 'ignore',
            elementWeights: [
              [1, 1],
              [-1, 1],
            ],
          }),
        /'elementWeights' passed to 'asymmetricLossMultiLabel' must be finite and non-negative, but elementWeights\[2\] is -1/,
      );
      assert.throws(
        () =>
          asymmetricLossMultiLabel(
            x,
            [
              [0.5, 0],
              [0, 0],
            ],
            { ...validate, posWeight: 2 },
          ),
        /'labels' passed to 'asymmetricLossMultiLabel' must be 0 or 1 where posWeight is not 1/,
      );
      assert.throws(
        () => asymmetricLossMultiLabel(x, y, { unannotated: 'ignore', posWeight: [1, 2, 3] }),
        /'posWeight' passed to 'asymmetricLossMultiLabel'/,
      );
      tf.dispose([x, y]);
    });
  });
