/**
 * The partial-annotation setting of the tagger: which labels are hidden (exactly
 * round(fraction * c) per row, seeded, by stream), and training with each mode on a subset:
 * it learns, leaks nothing, and the hidden labels reach the loss as -1 (the validation mAP is
 * that over the labels not hidden).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { meanAveragePrecision } from 'asymmetric-loss/metrics';
import { subsetRecords } from '../../test/tagger-subset.js';
import { prepareData, type PreparedData } from './dataset.js';
import { sigmoidAll } from './evaluate.js';
import { predictLogits, taggerVariables } from './model.js';
import { checkPartialSettings, hiddenLabels, partialModes, partialSettings } from './partial.js';
import { defaultTrainConfig, trainTagger, validationScore } from './train.js';

tf.env().set('PROD', true);

describe('hiddenLabels', () => {
  it('hides round(fraction * c) labels of every row, the same for a seed, by stream', () => {
    const [n, c] = [50, 37];
    const a = hiddenLabels(n, c, 0.5, 3, 0);
    for (let i = 0; i < n; i++) {
      const row = a.subarray(i * c, (i + 1) * c);
      assert.equal(
        row.reduce((s, v) => s + v, 0),
        Math.round(0.5 * c),
      );
    }
    assert.deepEqual(hiddenLabels(n, c, 0.5, 3, 0), a);
    assert.notDeepEqual(hiddenLabels(n, c, 0.5, 3, 1), a);
    assert.notDeepEqual(hiddenLabels(n, c, 0.5, 4, 0), a);
    assert.ok(hiddenLabels(n, c, 0, 3, 0).every((v) => v === 0));
    // Uniform over the columns: each hidden about n * 0.5 times (binomial sd ~3.5).
    const big = hiddenLabels(2000, 10, 0.3, 9, 0);
    for (let j = 0; j < 10; j++) {
      let count = 0;
      for (let i = 0; i < 2000; i++) count += big[i * 10 + j];
      assert.ok(Math.abs(count - 600) < 5 * Math.sqrt(2000 * 0.3 * 0.7), `column ${j}: ${count}`);
    }
  });

  it('checks the settings', () => {
    assert.throws(() => checkPartialSettings(partialSettings(1, 'ignore')), /\[0, 1\)/);
    assert.throws(
      () => checkPartialSettings(partialSettings(0.5, 'drop' as 'ignore')),
      /unknown partial mode 'drop'/,
    );
  });
});

describe('trainTagger with hidden labels (1,500-record subset)', () => {
  let data: PreparedData;
  before(async () => {
    await tf.setBackend('wasm');
    data = prepareData(subsetRecords(1500));
  });

  for (const mode of partialModes)
    it(`${mode}: learns, leaks nothing, validates on the labels not hidden`, async () => {
      const config = {
        ...defaultTrainConfig('tags', 'asl'),
        epochs: 1,
        learningRate: 0.01,
        partial: partialSettings(0.5, mode),
      };
      const tensors = tf.memory().numTensors;
      const result = await trainTagger(data, config);
      const c = data.classes.length;
      const hidden = hiddenLabels(data.val.n, c, 0.5, config.seed, 1);
      const score = validationScore(taggerVariables(result.model), data.val, data.classes, hidden);
      assert.equal(result.history[0].valScore, score);
      // The same as the metrics with -1 at the hidden labels.
      const probabilities = sigmoidAll(predictLogits(taggerVariables(result.model), data.val));
      const targets = Int32Array.from(data.val.tagTargets!, (v, k) => (hidden[k] ? -1 : v));
      const { map } = meanAveragePrecision(probabilities, targets, [data.val.n, c], {
        unannotated: 'ignore',
      });
      assert.equal(score, 100 * map);
      assert.ok(score > 10, `val mAP ${score}`);
      assert.equal(tf.memory().numTensors, tensors + 5);
      result.model.dispose();
    });

  it('refuses adaptive gamma_neg and the section task with hidden labels', async () => {
    const partial = partialSettings(0.5, 'negative');
    await assert.rejects(
      trainTagger(data, {
        ...defaultTrainConfig('tags', 'asl'),
        partial,
        adaptive: { targetGap: 0.1, rate: 1, min: 0, max: 8 },
      }),
      /adaptive gamma_neg is not defined with hidden labels/,
    );
    await assert.rejects(
      trainTagger(data, { ...defaultTrainConfig('section', 'asl'), partial }),
      /partial annotations apply to the 'tags' task only/,
    );
  });
});
