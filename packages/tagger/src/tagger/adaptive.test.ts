import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { subsetRecords } from '../../test/tagger-subset.js';
import { AdaptiveGammaController, probabilityGap } from './adaptive.js';
import { prepareData } from './dataset.js';
import { defaultTrainConfig, trainTagger } from './train.js';

tf.env().set('PROD', true);

describe('AdaptiveGammaController', () => {
  it('raises gamma_neg when the gap is below the target and lowers it when above', () => {
    const controller = new AdaptiveGammaController(4, { targetGap: 0, rate: 0.25 });
    assert.equal(controller.update(-0.5), 4.125);
    assert.equal(controller.update(1), 3.875);
    assert.equal(controller.update(0), 3.875);
    assert.equal(controller.lastGap, 0);
  });

  it('stays within [min, max] and ignores a NaN gap', () => {
    const controller = new AdaptiveGammaController(4, { targetGap: 0.1, rate: 10, min: 1, max: 6 });
    assert.equal(controller.update(-1), 6);
    assert.equal(controller.update(1), 1);
    assert.equal(controller.update(NaN), 1);
    assert.equal(new AdaptiveGammaController(9, { max: 8 }).gammaNeg, 8);
  });

  it('rejects bad settings', () => {
    assert.throws(() => new AdaptiveGammaController(4, { rate: -1 }), RangeError);
    assert.throws(() => new AdaptiveGammaController(4, { min: 3, max: 2 }), RangeError);
    assert.throws(() => new AdaptiveGammaController(4, { targetGap: 2 }), RangeError);
  });

  it('probabilityGap: mean p of the positives minus mean 1 - p of the negatives', () => {
    assert.equal(probabilityGap(1.5, 3, 8, 10), 0.5 - 0.8);
    assert.ok(Number.isNaN(probabilityGap(0, 0, 8, 10)));
  });
});

describe('the sign of the adaptive update, checked by training', () => {
  before(async () => {
    await tf.setBackend('wasm');
  });

  it('a larger gamma_neg gives a larger probability gap (so raising it closes a gap below the target)', async () => {
    const data = prepareData(subsetRecords(1500));
    const gapWith = async (gammaNeg: number) => {
      const config = defaultTrainConfig('tags', 'asl');
      config.loss.gammaNeg = gammaNeg;
      config.epochs = 1;
      config.learningRate = 0.01;
      // rate 0: the controller only measures the gap of each batch.
      config.adaptive = { targetGap: 0, rate: 0, min: 0, max: 8 };
      const result = await trainTagger(data, config);
      result.model.dispose();
      return result.history[0].gap;
    };
    const low = await gapWith(0);
    const high = await gapWith(4);
    assert.ok(high > low + 0.1, `gap with gamma_neg 4 (${high}) should exceed gap with 0 (${low})`);
  });
});
