/**
 * No tfjs entry point leaks a tensor: the ops with tensor, typed-array and nested-array inputs
 * (the tensors made from arrays are disposed, as tfjs's own ops do), with and without a gradient
 * tape, when they throw, and the layers losses from construction to call. Counted with
 * `tf.memory().numTensors` on the real `cpu` and `wasm` backends and on one without the fused
 * kernels (the composed fallback of webgl, webgpu and the others). Ragged nested arrays get the
 * same clear error on both (tfjs itself does not check them in production mode).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fallbackBackend, registerFallbackBackend } from '../../test/fallback-backend.js';
import {
  aslLoss,
  aslSingleLabelLoss,
  asymmetricLossMultiLabel,
  asymmetricLossSingleLabel,
} from './index.js';

const logitsRows = [
  [0.5, -1, 2],
  [0, 3, -2],
];
const labelRows = [
  [1, 0, 0],
  [0, 1, 1],
];
const oneHotRows = [
  [1, 0, 0],
  [0, 0, 1],
];

/** Runs `f`, disposes what it returns, and asserts the tensor count is as before. */
function leavesNothing(what: string, f: () => tf.TensorContainer | void): void {
  const before = tf.memory().numTensors;
  const result = f();
  if (result !== undefined) tf.dispose(result);
  assert.equal(tf.memory().numTensors, before, `${what} leaves tensors`);
}

/** Like {@link leavesNothing} for a call that must throw. */
function throwsLeavingNothing(what: string, f: () => unknown): void {
  const before = tf.memory().numTensors;
  assert.throws(f, (e: unknown) => e instanceof TypeError || e instanceof RangeError, what);
  assert.equal(tf.memory().numTensors, before, `${what} (throwing) leaves tensors`);
}

for (const backend of ['cpu', 'wasm', fallbackBackend]) {
  describe(`no tensor leaks on the ${backend} backend`, () => {
    // Without a fused kernel the data scans need a download: opt-in, as on webgl and webgpu.
    const scan = backend === fallbackBackend ? { validate: true } : {};
    before(async () => {
      registerFallbackBackend();
      assert.ok(await tf.setBackend(backend));
    });

    it('asymmetricLossMultiLabel with tensors, typed arrays and nested arrays', () => {
      const x = tf.tensor2d(logitsRows);
      const y = tf.tensor2d(labelRows);
      for (const reduction of ['sum', 'none'] as const) {
        leavesNothing('tensors', () => asymmetricLossMultiLabel(x, y, { reduction }));
        leavesNothing('nested arrays', () =>
          asymmetricLossMultiLabel(logitsRows, labelRows, {
            reduction,
            sampleWeights: [1, 2],
            classWeights: [1, 2, 3],
          }),
        );
        leavesNothing('typed-array weights', () =>
          asymmetricLossMultiLabel(x, labelRows, { sampleWeights: new Float32Array([1, 0.5]) }),
        );
      }
      throwsLeavingNothing('a flat typed array', () =>
        asymmetricLossMultiLabel(new Float32Array(6), labelRows),
      );
      throwsLeavingNothing('labels of the wrong shape', () =>
        asymmetricLossMultiLabel(logitsRows, [[1, 0]]),
      );
      throwsLeavingNothing('weights of the wrong length', () =>
        asymmetricLossMultiLabel(logitsRows, labelRows, { sampleWeights: [1, 2, 3] }),
      );
      throwsLeavingNothing('a NaN logit', () =>
        asymmetricLossMultiLabel(
          [
            [NaN, 0, 0],
            [0, 0, 0],
          ],
          labelRows,
          scan,
        ),
      );
      tf.dispose([x, y]);
    });

    it('ragged or non-numeric nested arrays are refused alike, naming the element', () => {
      for (const [bad, kind, what] of [
        [
          [
            [1, 2, 3],
            [1, 2],
          ],
          RangeError,
          /shape \[2, 3\] from its first elements\), but logits\[1\] has 2 elements$/,
        ],
        [
          [
            [1, 'a', 3],
            [1, 2, 3],
          ],
          TypeError,
          /but logits\[0\]\[1\] is "a"$/,
        ],
        [[1, [2]], TypeError, /but logits\[1\] is \[2\]$/],
      ] as const) {
        const before = tf.memory().numTensors;
        assert.throws(
          () => asymmetricLossMultiLabel(bad as unknown as number[][], labelRows),
          (e: Error) => {
            assert.ok(e instanceof kind, String(e));
            assert.match(
              e.message,
              /^Argument 'logits' passed to 'asymmetricLossMultiLabel' must be a rectangular nested array of numbers/,
            );
            assert.match(e.message, what);
            return true;
          },
        );
        assert.equal(tf.memory().numTensors, before);
      }
    });

    it('asymmetricLossSingleLabel with tensors, typed arrays and nested arrays', () => {
      const x = tf.tensor2d(logitsRows);
      const t = tf.tensor1d([0, 2], 'int32');
      for (const reduction of ['mean', 'none'] as const) {
        leavesNothing('tensors', () => asymmetricLossSingleLabel(x, t, { reduction }));
        leavesNothing('arrays', () =>
          asymmetricLossSingleLabel(logitsRows, [0, 2], { reduction, sampleWeights: [1, 2] }),
        );
        leavesNothing('typed arrays', () =>
          asymmetricLossSingleLabel(x, new Int32Array([0, 2]), { reduction }),
        );
      }
      throwsLeavingNothing('a class out of range', () =>
        asymmetricLossSingleLabel(x, [0, 3], scan),
      );
      throwsLeavingNothing('too few classes', () => asymmetricLossSingleLabel(logitsRows, [0]));
      tf.dispose([x, t]);
    });

    it('under a gradient tape only the gradients survive', () => {
      const v = tf.variable(tf.tensor2d(logitsRows));
      leavesNothing('variableGrads (multi-label)', () => {
        const { value, grads } = tf.variableGrads(
          () => asymmetricLossMultiLabel(v, labelRows) as tf.Scalar,
          [v],
        );
        return [value, grads[v.name]];
      });
      leavesNothing('tf.grad (single-label)', () =>
        tf.grad((z: tf.Tensor) => asymmetricLossSingleLabel(z, [0, 2]))(v),
      );
      v.dispose();
    });

    it('the layers losses, from construction to call', () => {
      leavesNothing('aslLoss()', () => void aslLoss({ gammaNeg: 4, gammaPos: 0 }));
      leavesNothing('aslSingleLabelLoss()', () => void aslSingleLabelLoss({ eps: 0.1 }));
      throwsLeavingNothing('aslLoss with a bad option', () => aslLoss({ gammaNeg: -1 }));
      const yTrue = tf.tensor2d(labelRows);
      const oneHot = tf.tensor2d(oneHotRows);
      const yPred = tf.tensor2d(logitsRows);
      const probabilities = tf.sigmoid(yPred);
      const multi = aslLoss(scan);
      const fromProbabilities = aslLoss({ fromLogits: false });
      const single = aslSingleLabelLoss(scan);
      leavesNothing('aslLoss call', () => multi(yTrue, yPred));
      leavesNothing('aslLoss call on probabilities', () => fromProbabilities(yTrue, probabilities));
      leavesNothing('aslSingleLabelLoss call', () => single(oneHot, yPred));
      const badLabels = tf.tensor2d([
        [2, 0, 0],
        [0, 0, 0],
      ]);
      throwsLeavingNothing('aslLoss call with bad labels', () => multi(badLabels, yPred));
      throwsLeavingNothing('aslSingleLabelLoss call with multi-hot labels', () =>
        single(yTrue, yPred),
      );
      tf.dispose([yTrue, oneHot, yPred, probabilities, badLabels]);
    });
  });
}
