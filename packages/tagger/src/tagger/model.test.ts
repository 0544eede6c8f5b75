import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { EncodedTokens } from './features.js';
import {
  buildTaggerModel,
  embeddingBagMean,
  initializeWeights,
  makeTokenBatch,
  paddedIds,
  predictLogits,
  taggerLogits,
  taggerVariables,
} from './model.js';

tf.env().set('PROD', true);

/** Four documents over a 7-row table (row 0 padding), one of them empty, one repeating ids. */
const tokens: EncodedTokens = {
  n: 4,
  offsets: Int32Array.from([0, 3, 3, 7, 8]),
  ids: Int32Array.from([1, 2, 2, 3, 6, 5, 1, 4]),
};

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k] - b[k]));
  return max;
}

/** The embedding-bag mean by tf.gather and a masked mean: the layers model's formula. */
function gatherMean(table: tf.Tensor2D, ids: tf.Tensor2D): tf.Tensor2D {
  const mask = tf.cast(tf.notEqual(ids, 0), 'float32');
  const sums = tf.sum(tf.mul(tf.gather(table, ids), tf.expandDims(mask, 2)), 1);
  return tf.div(sums, tf.maximum(tf.sum(mask, 1, true), 1)) as tf.Tensor2D;
}

for (const backend of ['wasm', 'cpu'])
  describe(`the tagger model on the ${backend} backend`, () => {
    before(async () => {
      assert.ok(await tf.setBackend(backend));
    });

    it('embeddingBagMean: the mean of each document (zeros when empty) and its gradient', () => {
      const table = tf.tensor2d(
        Float32Array.from({ length: 7 * 3 }, (_, k) => (k < 3 ? 0 : Math.sin(k))),
        [7, 3],
      );
      const upstream = tf.tensor2d(
        Float32Array.from({ length: 12 }, (_, k) => 1 + k),
        [4, 3],
      );
      const fast = tf.tidy(() => {
        const batch = makeTokenBatch(tokens, [0, 1, 2, 3]);
        const f = (t: tf.Tensor) =>
          tf.sum(tf.mul(embeddingBagMean(t as tf.Tensor2D, batch), upstream));
        return [embeddingBagMean(table, batch).dataSync(), tf.grad(f)(table).dataSync()];
      });
      const expectedMean = [
        ...[1, 2, 2].reduce((s, id) => s.map((v, j) => v + Math.sin(3 * id + j) / 3), [0, 0, 0]),
        0,
        0,
        0,
      ];
      assert.ok(maxDiff(fast[0].subarray(0, 6), expectedMean) < 1e-6);
      // Gradient: row id gets sum over its occurrences of upstream[doc] / length(doc).
      const expectedGrad = new Float32Array(21);
      for (let i = 0; i < tokens.n; i++) {
        const start = tokens.offsets[i];
        const length = tokens.offsets[i + 1] - start;
        for (let k = start; k < start + length; k++)
          for (let j = 0; j < 3; j++)
            expectedGrad[tokens.ids[k] * 3 + j] += (1 + 3 * i + j) / length;
      }
      assert.ok(maxDiff(fast[1], expectedGrad) < 1e-5);
      // The same as autograd through tf.gather on padded ids (cpu has its gradient kernel).
      if (backend === 'cpu') {
        const reference = tf.tidy(() => {
          const ids = paddedIds(tokens);
          const f = (t: tf.Tensor) => tf.sum(tf.mul(gatherMean(t as tf.Tensor2D, ids), upstream));
          return [gatherMean(table, ids).dataSync(), tf.grad(f)(table).dataSync()];
        });
        assert.ok(maxDiff(fast[0], reference[0]) < 1e-6);
        assert.ok(maxDiff(fast[1], reference[1]) < 1e-5);
      }
      tf.dispose([table, upstream]);
    });

    it('the fast path equals the layers model on padded ids', () => {
      const model = buildTaggerModel({
        vocabularySize: 7,
        embeddingDim: 8,
        hiddenUnits: 16,
        numClasses: 5,
      });
      initializeWeights(model, { seed: 3 });
      const fast = predictLogits(taggerVariables(model), tokens, 3);
      const ids = paddedIds(tokens);
      const layers = model.predict(ids) as tf.Tensor;
      assert.ok(maxDiff(fast, layers.dataSync()) < 1e-5);
      tf.dispose([ids, layers]);
      model.dispose();
    });

    it('initial weights follow the seed, with a zero padding row', () => {
      const weightsOf = (seed: number) => {
        const model = buildTaggerModel({
          vocabularySize: 5,
          embeddingDim: 4,
          hiddenUnits: 3,
          numClasses: 2,
        });
        initializeWeights(model, { seed });
        const values = model.getWeights().map((w) => Array.from(w.dataSync()));
        model.dispose();
        return values;
      };
      const a = weightsOf(1);
      assert.deepEqual(a, weightsOf(1));
      assert.notDeepEqual(a, weightsOf(2));
      assert.deepEqual(a[0].slice(0, 4), [0, 0, 0, 0]);
      // nn.Linear's bound 1/sqrt(fan_in): fan_in 4 for the hidden kernel.
      assert.ok(a[1].every((v) => Math.abs(v) <= 0.5));
    });

    it('a training step leaks no tensors', () => {
      const model = buildTaggerModel({
        vocabularySize: 7,
        embeddingDim: 8,
        hiddenUnits: 16,
        numClasses: 5,
      });
      initializeWeights(model, { seed: 1 });
      const variables = taggerVariables(model);
      const optimizer = tf.train.adam(0.01);
      const step = () =>
        tf.tidy(() => {
          const batch = makeTokenBatch(tokens, [0, 1, 2, 3]);
          const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 5);
          optimizer.minimize(
            () => tf.losses.sigmoidCrossEntropy(y, taggerLogits(variables, batch)) as tf.Scalar,
            false,
            Object.values(variables),
          );
        });
      step(); // creates the optimizer's moments
      const count = tf.memory().numTensors;
      for (let k = 0; k < 3; k++) step();
      assert.equal(tf.memory().numTensors, count);
      optimizer.dispose();
      model.dispose();
    });
  });
