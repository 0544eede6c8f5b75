/**
 * The layers losses in real tfjs-layers models: `model.fit` with `aslLoss` matches a custom
 * loop calling the op step by step; `model.evaluate` gives the batch mean of per-sample sums;
 * probabilities from a sigmoid layer give the loss of the logits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { aslLoss, aslSingleLabelLoss, asymmetricLossMultiLabel } from './index.js';

const [n, d, c] = [32, 6, 5];

function data(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const x = tf.randomNormal([n, d], 0, 1, 'float32', 7) as tf.Tensor2D;
  const y = tf.cast(
    tf.greater(tf.randomUniform([n, c], 0, 1, 'float32', 8), 0.6),
    'float32',
  ) as tf.Tensor2D;
  return { x, y };
}

function model(activation: 'linear' | 'sigmoid' = 'linear'): tf.Sequential {
  const m = tf.sequential();
  m.add(
    tf.layers.dense({
      units: 8,
      inputShape: [d],
      activation: 'tanh',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  m.add(
    tf.layers.dense({
      units: c,
      activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    }),
  );
  return m;
}

function weightsOf(m: tf.LayersModel): Float32Array[] {
  return m.getWeights().map((w) => w.dataSync() as Float32Array);
}

for (const backend of ['cpu', 'wasm']) {
  describe(`aslLoss in tfjs-layers models (${backend})`, () => {
    it('model.fit equals a custom loop with the op, step for step', async () => {
      await tf.setBackend(backend);
      const { x, y } = data();
      const options = { gammaNeg: 4, gammaPos: 0, clip: 0.05 };
      const fitted = model();
      fitted.compile({ optimizer: tf.train.sgd(0.5), loss: aslLoss(options) });
      const looped = model();
      looped.setWeights(fitted.getWeights());
      const optimizer = tf.train.sgd(0.5);
      for (let step = 0; step < 4; step++) {
        await fitted.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
        optimizer.minimize(
          () =>
            asymmetricLossMultiLabel(looped.apply(x) as tf.Tensor, y, {
              ...options,
              reduction: 'batchmean',
            }) as tf.Scalar,
        );
        const a = weightsOf(fitted);
        const b = weightsOf(looped);
        a.forEach((w, i) =>
          w.forEach((v, k) =>
            assert.ok(Math.abs(v - b[i][k]) < 1e-5, `step ${step} weight ${i}[${k}]`),
          ),
        );
      }
      tf.dispose([x, y]);
    });

    it("unannotated labels (-1 in yTrue): per-sample 'mean' over the annotated labels", async () => {
      await tf.setBackend(backend);
      const { x, y } = data();
      // A third of the labels unannotated, seeded.
      const hidden = tf.greater(tf.randomUniform([n, c], 0, 1, 'float32', 9), 0.66);
      const partial = tf.where(hidden, tf.fill([n, c], -1), y);
      const m = model();
      for (const [unannotated, perSample] of [
        ['ignore', 'mean'],
        ['negative', 'sum'],
      ] as const) {
        const options = { gammaNeg: 4, gammaPos: 0, unannotated, gammaUnannotated: 2 };
        m.compile({ optimizer: 'sgd', loss: aslLoss({ ...options, perSample }) });
        const evaluated = (m.evaluate(x, partial, { batchSize: n }) as tf.Scalar).dataSync()[0];
        const elementwise = asymmetricLossMultiLabel(m.predict(x) as tf.Tensor, partial, {
          ...options,
          reduction: 'none',
        });
        const rows = tf.sum(elementwise, -1);
        const count = tf.sum(tf.cast(tf.logicalNot(hidden), 'float32'), -1);
        const expected = tf
          .mean(unannotated === 'ignore' ? tf.div(rows, tf.maximum(count, 1)) : rows)
          .dataSync()[0];
        assert.ok(Math.abs(evaluated - expected) <= 1e-5 * expected, `${evaluated} vs ${expected}`);
        const history = await m.fit(x, partial, { epochs: 3, batchSize: 8, verbose: 0 });
        assert.ok((history.history.loss as number[]).every(Number.isFinite));
      }
      tf.dispose([x, y, hidden, partial]);
    });

    it('survives model.save / tf.loadLayersModel: compiled again, training continues', async () => {
      await tf.setBackend(backend);
      const { x, y } = data();
      const options = { gammaNeg: 4, gammaPos: 0, clip: 0.05 };
      const original = model();
      original.compile({ optimizer: tf.train.adam(0.01), loss: aslLoss(options) });
      await original.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
      let saved: tf.io.ModelArtifacts | null = null;
      await original.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
        { includeOptimizer: true },
      );
      // tfjs stores the function loss as {}: the loaded model cannot train until compiled.
      assert.deepEqual((saved! as tf.io.ModelArtifacts).trainingConfig?.loss, {});
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
      await assert.rejects(
        loaded.fit(x, y, { epochs: 1, verbose: 0 }),
        /lossFunction is not a function/,
      );
      loaded.compile({ optimizer: loaded.optimizer, loss: aslLoss(options) });
      await original.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
      await loaded.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
      const a = weightsOf(original);
      const b = weightsOf(loaded);
      a.forEach((w, i) =>
        w.forEach((v, k) => assert.ok(Math.abs(v - b[i][k]) < 1e-5, `weight ${i}[${k}]`)),
      );
      tf.dispose([x, y]);
    });

    it("model.evaluate gives the batch mean of per-sample sums (the op's 'batchmean')", async () => {
      await tf.setBackend(backend);
      const { x, y } = data();
      const m = model();
      m.compile({ optimizer: 'adam', loss: aslLoss() });
      const evaluated = (m.evaluate(x, y, { batchSize: n }) as tf.Scalar).dataSync()[0];
      const direct = asymmetricLossMultiLabel(m.predict(x) as tf.Tensor, y, {
        reduction: 'batchmean',
      }).dataSync()[0];
      assert.ok(Math.abs(evaluated - direct) <= 1e-6 * Math.abs(direct));
      const perClassMean = aslLoss({ perSample: 'mean' })(y, m.predict(x) as tf.Tensor);
      assert.ok(Math.abs(tf.mean(perClassMean).dataSync()[0] - direct / c) <= 1e-6 * direct);
    });

    it('fromLogits: false takes sigmoid probabilities and gives the same loss and training', async () => {
      await tf.setBackend(backend);
      const { x, y } = data();
      const logitModel = model('linear');
      const probModel = model('sigmoid');
      probModel.setWeights(logitModel.getWeights());
      const options = { gammaNeg: 2, gammaPos: 0, clip: 0.05 };
      const a = aslLoss(options)(y, logitModel.predict(x) as tf.Tensor).dataSync();
      const b = aslLoss({ ...options, fromLogits: false })(
        y,
        probModel.predict(x) as tf.Tensor,
      ).dataSync();
      a.forEach((v, i) =>
        assert.ok(Math.abs(v - b[i]) <= 1e-4 * Math.max(1, v), `sample ${i}: ${v} vs ${b[i]}`),
      );
      logitModel.compile({ optimizer: tf.train.sgd(0.5), loss: aslLoss(options) });
      probModel.compile({
        optimizer: tf.train.sgd(0.5),
        loss: aslLoss({ ...options, fromLogits: false }),
      });
      await logitModel.fit(x, y, { epochs: 2, batchSize: n, shuffle: false, verbose: 0 });
      await probModel.fit(x, y, { epochs: 2, batchSize: n, shuffle: false, verbose: 0 });
      const wa = weightsOf(logitModel);
      const wb = weightsOf(probModel);
      wa.forEach((w, i) => w.forEach((v, k) => assert.ok(Math.abs(v - wb[i][k]) < 1e-4)));
    });

    it('aslSingleLabelLoss trains a softmax classifier on one-hot labels', async () => {
      await tf.setBackend(backend);
      const { x } = data();
      const classes = tf.argMax(tf.matMul(x, tf.randomNormal([d, c], 0, 1, 'float32', 9)), 1);
      const y = tf.oneHot(classes, c);
      const m = model();
      m.compile({
        optimizer: tf.train.adam(0.05),
        loss: aslSingleLabelLoss({ gammaNeg: 4, gammaPos: 0 }),
      });
      const history = await m.fit(x, y, { epochs: 30, batchSize: n, verbose: 0 });
      const losses = history.history.loss as number[];
      assert.ok(losses[losses.length - 1] < 0.5 * losses[0], `${losses[0]} -> ${losses.at(-1)}`);
    });

    it('rejects unknown options at construction', () => {
      assert.throws(() => aslLoss({ gamma_neg: 4 } as object), /unknown option 'gamma_neg'/);
      assert.throws(() => aslLoss({ gammaNeg: -4 }), RangeError);
      assert.throws(() => aslLoss({ perSample: 'max' as 'sum' }), /'perSample'/);
    });
  });
}

describe('the layers losses refuse what they would silently misread', () => {
  const logits = [
    [0.5, -1, 2],
    [0, 3, -2],
  ];
  const errorOf = (f: () => unknown): Error => {
    try {
      f();
    } catch (error) {
      return error as Error;
    }
    throw new Error('no error');
  };

  it('fromLogits and validate must be booleans (a string would act as true)', () => {
    for (const value of ['false', 0, 'no', null])
      for (const [name, make] of [
        ['aslLoss', aslLoss],
        ['aslSingleLabelLoss', aslSingleLabelLoss],
      ] as const) {
        const e = errorOf(() => make({ fromLogits: value as unknown as boolean }));
        assert.ok(e instanceof TypeError, String(e));
        assert.match(e.message, new RegExp(`'fromLogits' passed to '${name}' must be a boolean`));
        assert.ok(
          errorOf(() => make({ validate: value as unknown as boolean })) instanceof TypeError,
        );
      }
  });

  it('fromLogits: false takes probabilities only', () => {
    const e = errorOf(() =>
      aslLoss({ fromLogits: false })(
        tf.tensor2d([
          [1, 0, 0],
          [0, 1, 1],
        ]),
        tf.tensor2d(logits),
      ),
    );
    assert.ok(e instanceof RangeError);
    assert.match(
      e.message,
      /Argument 'yPred' passed to 'aslLoss' must be in \[0, 1\], but yPred\[1\]/,
    );
  });

  it('errors name the loss and its arguments, not the op', () => {
    const labels = tf.tensor2d([
      [2, 0, 0],
      [0, 0, 0],
    ]);
    const e = errorOf(() => aslLoss()(labels, tf.tensor2d(logits)));
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /^Argument 'yTrue' passed to 'aslLoss' must be in \[0, 1\]/);
    const shape = errorOf(() => aslLoss()(tf.zeros([2, 4]), tf.tensor2d(logits)));
    assert.match(shape.message, /^Argument 'yTrue' passed to 'aslLoss' must be of shape \[2, 3\]/);
    const option = errorOf(() => aslLoss({ eps: 0.5 }));
    assert.match(option.message, /^Argument 'eps' passed to 'aslLoss'/);
  });

  it('aslSingleLabelLoss takes one-hot rows only (not multi-hot, empty or soft ones)', () => {
    const loss = aslSingleLabelLoss();
    for (const [rows, what] of [
      [
        [
          [1, 0, 1],
          [0, 0, 1],
        ],
        /row 0 has 2 ones/,
      ],
      [
        [
          [0, 0, 0],
          [0, 0, 1],
        ],
        /row 0 has 0 ones/,
      ],
      [
        [
          [0.9, 0.05, 0.05],
          [0, 0, 1],
        ],
        /yTrue\[0\]\[0\] is 0\.9/,
      ],
    ] as const) {
      const e = errorOf(() =>
        loss(tf.tensor2d(rows as unknown as number[][]), tf.tensor2d(logits)),
      );
      assert.ok(e instanceof RangeError, String(e));
      assert.match(
        e.message,
        /^Argument 'yTrue' passed to 'aslSingleLabelLoss' must be one-hot rows/,
      );
      assert.match(e.message, what);
    }
    const fine = loss(
      tf.tensor2d([
        [0, 1, 0],
        [0, 0, 1],
      ]),
      tf.tensor2d(logits),
    );
    assert.equal(fine.shape[0], 2);
  });
});
