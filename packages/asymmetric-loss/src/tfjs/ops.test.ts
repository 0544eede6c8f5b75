/**
 * The tfjs ops on the real `cpu` and `wasm` backends, and the tfjs-ops fallback (run on a
 * backend that has every cpu kernel except the fused ones). Tolerances (float32): loss within
 * 1e-5 relative of the reference's float64 loss, gradients within 1e-4 of the case's largest
 * |grad_f64|; the fallback, which computes in float32 throughout, is held to its float32
 * reference (1e-4 relative / 1e-3 of the largest |grad|) on the cases where that is finite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fallbackBackend, registerFallbackBackend } from '../../test/fallback-backend.js';
import { referenceCases, type ReferenceCase } from '@asymmetric-loss/testing/reference';
import { referenceMismatches, runReferenceCase } from '@asymmetric-loss/testing/reference-run';
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel } from './index.js';

/** The op's loss and gradient of one reference case (upstream as in the reference). */
const run = (cs: ReferenceCase) =>
  runReferenceCase(tf, { multi: asymmetricLossMultiLabel, single: asymmetricLossSingleLabel }, cs);

for (const backend of ['cpu', 'wasm']) {
  describe(`tfjs ops on the ${backend} backend against the reference vectors`, () => {
    before(async () => {
      assert.ok(await tf.setBackend(backend));
    });
    for (const cs of referenceCases())
      it(cs.id, () => {
        const { loss, grad } = run(cs);
        assert.deepEqual(referenceMismatches(cs, loss, grad, { loss: 1e-5, grad: 1e-4 }), []);
      });
  });
}

describe('tfjs ops: the fallback built from tfjs ops (for webgl, webgpu, ...)', () => {
  before(async () => {
    registerFallbackBackend();
    assert.ok(await tf.setBackend(fallbackBackend));
  });
  after(async () => {
    await tf.setBackend('cpu');
  });
  it('validate: true downloads the data and applies the core checks', () => {
    const y = tf.tensor2d([
      [1, 0, 0],
      [1, 0, 0],
    ]);
    assert.throws(
      () =>
        asymmetricLossMultiLabel(
          tf.tensor2d([
            [0, NaN, 0],
            [0, 0, 0],
          ]),
          y,
          { validate: true },
        ),
      /^RangeError: Argument 'logits' passed to 'asymmetricLossMultiLabel' must be finite, but logits\[1\] \(row 0, column 1\) is NaN$/,
    );
    assert.throws(
      () =>
        asymmetricLossMultiLabel(
          tf.zeros([2, 3]),
          tf.tensor2d([
            [1, 0, 2],
            [0, 0, 0],
          ]),
          { validate: true },
        ),
      /^RangeError: Argument 'labels' passed to 'asymmetricLossMultiLabel' must be in \[0, 1\], but labels\[2\] \(row 0, column 2\) is 2$/,
    );
    assert.throws(
      () => asymmetricLossSingleLabel(tf.zeros([2, 3]), [0, 3], { validate: true }),
      /^RangeError: Argument 'classIndices' passed to 'asymmetricLossSingleLabel' must be class indices in \[0, 3\), but classIndices\[1\] is 3$/,
    );
    // Without validate the fallback does not download anything, and NaN flows through.
    assert.ok(
      Number.isNaN(
        asymmetricLossMultiLabel(
          tf.tensor2d([
            [NaN, 0, 0],
            [0, 0, 0],
          ]),
          y,
        ).dataSync()[0],
      ),
    );
  });

  it('single-label with one class (a loss of 0; tf.oneHot refuses depth 1)', () => {
    const x = tf.tensor2d([[2], [-1]]);
    const loss = asymmetricLossSingleLabel(x, [0, 0], { eps: 0 });
    assert.equal(loss.dataSync()[0], 0);
    const grad = tf.grad((z: tf.Tensor) => asymmetricLossSingleLabel(z, [0, 0]))(x);
    assert.deepEqual(Array.from(grad.dataSync()), [0, 0]);
  });

  // Every case, the reference's NaN cases and the extremes included: the composed loss carries
  // the analytic gradient (tf.customGrad), so it is finite where PyTorch's is not, and close to
  // the float64 truth (float32 tfjs ops: loss within 1e-5 relative, gradient within 1e-4 of
  // the largest |grad|, as the fused kernels).
  for (const cs of referenceCases())
    it(cs.id, () => {
      const { loss, grad } = run(cs);
      assert.deepEqual(referenceMismatches(cs, loss, grad, { loss: 1e-5, grad: 1e-4 }), []);
    });
});

describe('tfjs ops: inputs, options and memory', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });
  const x = () =>
    tf.tensor2d([
      [2, -1, 0.5],
      [-3, 0.1, 4],
    ]);
  const y = () =>
    tf.tensor2d([
      [1, 0, 0],
      [1, 0.5, 0],
    ]);

  it('accepts TensorLike inputs, int32 and bool labels', () => {
    const a = asymmetricLossMultiLabel(
      [
        [2, -1, 0.5],
        [-3, 0.1, 4],
      ],
      [
        [1, 0, 0],
        [1, 0, 0],
      ],
    ).dataSync()[0];
    const b = asymmetricLossMultiLabel(
      x(),
      tf.tensor2d(
        [
          [1, 0, 0],
          [1, 0, 0],
        ],
        undefined,
        'int32',
      ),
    ).dataSync()[0];
    const c = asymmetricLossMultiLabel(
      x(),
      tf.tensor2d(
        [
          [1, 0, 0],
          [1, 0, 0],
        ],
        undefined,
        'bool',
      ),
    ).dataSync()[0];
    assert.equal(a, b);
    assert.equal(a, c);
  });

  it("reduction 'none' has the input's shape (multi-label) or [n] (single-label)", () => {
    assert.deepEqual(asymmetricLossMultiLabel(x(), y(), { reduction: 'none' }).shape, [2, 3]);
    assert.deepEqual(asymmetricLossSingleLabel(x(), [0, 2], { reduction: 'none' }).shape, [2]);
    assert.deepEqual(asymmetricLossMultiLabel(x(), y()).shape, []);
  });

  it('sample and class weights scale the loss', () => {
    const plain = asymmetricLossMultiLabel(x(), y(), {
      reduction: 'none',
    }).arraySync() as number[][];
    const weighted = asymmetricLossMultiLabel(x(), y(), {
      reduction: 'none',
      sampleWeights: [2, 0],
      classWeights: [1, 0.5, 3],
    }).arraySync() as number[][];
    for (let j = 0; j < 3; j++) {
      assert.ok(Math.abs(weighted[0][j] - 2 * [1, 0.5, 3][j] * plain[0][j]) < 1e-6);
      assert.equal(weighted[1][j], 0);
    }
  });

  it('clear errors for rank, shape, dtype, values and options', () => {
    const throwsWith = (fn: () => unknown, kind: ErrorConstructor, text: RegExp) =>
      assert.throws(fn, (e: unknown) => e instanceof kind && text.test((e as Error).message));
    throwsWith(
      () => asymmetricLossMultiLabel(tf.zeros([2, 3, 1]), y()),
      RangeError,
      /Argument 'logits' passed to 'asymmetricLossMultiLabel' must be of rank 2/,
    );
    throwsWith(
      () => asymmetricLossMultiLabel(x(), tf.zeros([2, 2])),
      RangeError,
      /Argument 'labels' .* must be of shape \[2, 3\], but it has shape \[2, 2\]/,
    );
    throwsWith(
      () => asymmetricLossMultiLabel(tf.zeros([2, 3], 'int32'), y()),
      TypeError,
      /'logits' .* dtype 'float32'/,
    );
    throwsWith(
      () =>
        asymmetricLossMultiLabel(
          x(),
          tf.tensor2d([
            [1, 0, 2],
            [0, 0, 0],
          ]),
        ),
      RangeError,
      /Argument 'labels' .* must be in \[0, 1\], but labels\[2\]/,
    );
    throwsWith(
      () =>
        asymmetricLossMultiLabel(
          tf.tensor2d([
            [NaN, 0, 0],
            [0, 0, 0],
          ]),
          y(),
        ),
      RangeError,
      /'logits' .* must be finite/,
    );
    throwsWith(
      () => asymmetricLossMultiLabel(x(), y(), { gammaNeg: -1 }),
      RangeError,
      /'gammaNeg'/,
    );
    throwsWith(
      () => asymmetricLossMultiLabel(x(), y(), { gamma_neg: 1 } as object),
      TypeError,
      /unknown option 'gamma_neg'/,
    );
    throwsWith(
      () => asymmetricLossSingleLabel(x(), [0, 3]),
      RangeError,
      /'classIndices' .* \[0, 3\)/,
    );
    throwsWith(
      () => asymmetricLossSingleLabel(x(), [0]),
      RangeError,
      /'classIndices' .* shape \[2\]/,
    );
    throwsWith(
      () => asymmetricLossMultiLabel(x(), y(), { sampleWeights: [1] }),
      RangeError,
      /'sampleWeights'/,
    );
  });

  it('no tensors leak over 1,000 optimizer steps (cpu and wasm)', async () => {
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const w = tf.variable(tf.randomNormal([4, 6], 0, 1, 'float32', 1));
      const features = tf.randomNormal([16, 4], 0, 1, 'float32', 2);
      const labels = tf.cast(
        tf.greater(tf.randomUniform([16, 6], 0, 1, 'float32', 3), 0.7),
        'float32',
      );
      const optimizer = tf.train.adam(0.01);
      const step = () =>
        asymmetricLossMultiLabel(tf.matMul(features, w), labels, {
          reduction: 'batchmean',
        }) as tf.Scalar;
      optimizer.minimize(step); // creates the optimizer's slots
      const before = tf.memory();
      let first = 0;
      let last = 0;
      for (let i = 0; i < 1000; i++) {
        const loss = optimizer.minimize(step, true)!;
        if (i === 0) first = loss.dataSync()[0];
        if (i === 999) last = loss.dataSync()[0];
        loss.dispose();
      }
      // No tensor, data buffer or byte outlives its step (tfjs's IS_TEST kernel check cannot be
      // used: it counts the gradient saved for backward, like tf.losses.softmaxCrossEntropy's,
      // as a leak of the forward pass).
      const now = tf.memory();
      assert.equal(now.numTensors, before.numTensors, backend);
      assert.equal(now.numDataBuffers, before.numDataBuffers, backend);
      assert.equal(now.numBytes, before.numBytes, backend);
      assert.ok(last < first, `${backend}: loss ${first} -> ${last}`);
      tf.dispose([w, features, labels]);
      optimizer.dispose();
    }
    await tf.setBackend('cpu');
  });
});
