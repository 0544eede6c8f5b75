import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { subsetRecords } from '../../test/tagger-subset.js';
import { compareLosses } from './compare.js';
import { prepareData, type PreparedData } from './dataset.js';
import type { SectionEvaluation } from './evaluate.js';
import { buildTaggerModel, initializeWeights, predictLogits, taggerVariables } from './model.js';
import {
  defaultTrainConfig,
  evaluateModel,
  trainTagger,
  validationScore,
  type TrainConfig,
} from './train.js';

tf.env().set('PROD', true);

/** A quick configuration for a 1,500-record subset: one epoch at a higher learning rate. */
function quick(
  task: 'tags' | 'section',
  loss: string,
  changes: Partial<TrainConfig> = {},
): TrainConfig {
  return { ...defaultTrainConfig(task, loss), epochs: 1, learningRate: 0.01, ...changes };
}

describe('trainTagger on a 1,500-record subset', () => {
  let data: PreparedData;
  before(async () => {
    await tf.setBackend('wasm');
    data = prepareData(subsetRecords(1500));
  });

  it('learns in one epoch: validation mAP above 12% and twice the untrained model', async () => {
    const untrained = buildTaggerModel({
      vocabularySize: data.vocabulary.size,
      embeddingDim: 128,
      hiddenUnits: 256,
      numClasses: data.classes.length,
    });
    initializeWeights(untrained, { seed: 1 });
    const before = validationScore(taggerVariables(untrained), data.val, data.classes);
    untrained.dispose();
    const tensors = tf.memory().numTensors;
    const steps: number[] = [];
    const result = await trainTagger(data, quick('tags', 'asl'), {
      onStep: (info) => steps.push(info.globalStep),
    });
    assert.equal(result.history.length, 1);
    assert.equal(result.bestEpoch, 1);
    assert.equal(steps.length, Math.ceil(data.train.n / 64));
    const after = result.history[0].valScore;
    assert.ok(after > 12 && after > 2 * before, `val mAP ${after} (untrained ${before})`);
    assert.equal(result.bestScore, after);
    // Only the model's five variables remain.
    assert.equal(tf.memory().numTensors, tensors + 5);
    result.model.dispose();
  });

  it('repeats exactly with the same seed and differs with another', async () => {
    const run = async (seed: number) => {
      const losses: number[] = [];
      const result = await trainTagger(data, quick('tags', 'bce', { seed }), {
        onStep: (info) => losses.push(info.loss),
      });
      const weights = Array.from(result.model.getWeights()[4].dataSync());
      result.model.dispose();
      return { losses, weights, score: result.bestScore };
    };
    const a = await run(7);
    assert.deepEqual(await run(7), a);
    assert.notDeepEqual((await run(8)).losses, a.losses);
  });

  it('stops on the signal and keeps the best epoch so far', async () => {
    const stop = new AbortController();
    const result = await trainTagger(data, quick('tags', 'asl', { epochs: 3 }), {
      signal: stop.signal,
      onEpochEnd: (info, model, valLogits) => {
        // The logits the epoch was scored on: the model's, on the whole validation set.
        assert.deepEqual(valLogits, predictLogits(taggerVariables(model), data.val));
        assert.equal(
          info.valScore,
          validationScore(taggerVariables(model), data.val, data.classes),
        );
        if (info.epoch === 1) stop.abort();
      },
    });
    assert.equal(result.stopped, true);
    assert.equal(result.bestEpoch, 1);
    assert.equal(result.history.length, 1);
    result.model.dispose();
  });

  it('awaits beforeStep (a pause), stops when aborted while paused, and reports batch losses', async () => {
    const stop = new AbortController();
    const calls: [number, number][] = [];
    const batchLosses: number[] = [];
    const means: number[] = [];
    let release: () => void = () => {};
    let paused = false;
    const run = trainTagger(data, quick('tags', 'bce', { epochs: 2 }), {
      signal: stop.signal,
      beforeStep: (epoch, step, stepsPerEpoch) => {
        assert.equal(stepsPerEpoch, Math.ceil(data.train.n / 64));
        calls.push([epoch, step]);
        if (epoch === 1 && step === 3) {
          paused = true;
          return new Promise<void>((resolve) => (release = resolve));
        }
      },
      onStep: (info) => {
        batchLosses.push(info.batchLoss);
        means.push(info.loss);
      },
    });
    // While paused, no step runs.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(paused);
    assert.equal(batchLosses.length, 2);
    // Stopped while paused: the paused step does not run.
    stop.abort();
    release();
    const result = await run;
    assert.equal(result.stopped, true);
    assert.equal(batchLosses.length, 2);
    assert.deepEqual(calls.slice(0, 3), [
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    // The epoch's running mean is the mean of its batch losses (all batches are full here
    // but the last, which this short run does not reach).
    assert.ok(Math.abs(means[1] - (batchLosses[0] + batchLosses[1]) / 2) < 1e-9 * means[1]);
    result.model.dispose();
  });

  it('adapts gamma_neg upward when the gap is below the target', async () => {
    const config = quick('tags', 'asl', {
      adaptive: { targetGap: 0.5, rate: 0.05, min: 0, max: 8 },
    });
    const gammas: number[] = [];
    const result = await trainTagger(data, config, {
      onStep: (info) => gammas.push(info.gammaNeg),
    });
    assert.equal(gammas[0], 4);
    assert.ok(result.history[0].gammaNeg > 4 && result.history[0].gap < 0.5);
    assert.ok(gammas.every((g, i) => i === 0 || g >= gammas[i - 1]));
    result.model.dispose();
  });

  it('compareLosses trains each loss with the same budget and reports test metrics', async () => {
    const runs = await compareLosses(data, ['bce', 'asl'], {
      base: { epochs: 1, learningRate: 0.01 },
    });
    assert.deepEqual(
      runs.map((r) => r.loss),
      ['bce', 'asl'],
    );
    for (const run of runs) {
      assert.equal(run.history.length, 1);
      assert.ok(run.test.map > 0 && run.test.map <= 100);
      assert.equal(run.test.samples, data.test.n);
    }
    assert.equal(runs[0].config.loss.gammaNeg, 0);
    assert.equal(runs[1].config.loss.gammaNeg, 4);
  });

  it('rejects inconsistent configurations', async () => {
    await assert.rejects(trainTagger(data, quick('tags', 'asl', { epochs: 0 })), /epochs must be/);
    await assert.rejects(
      trainTagger(data, quick('section', 'ce')),
      /task 'tags', config for 'section'/,
    );
  });
});

describe('the section task', () => {
  it('trains single-label ASL and cross-entropy, scored by top-1, top-5 and macro-F1', async () => {
    await tf.setBackend('wasm');
    const data = prepareData(subsetRecords(1500), { task: 'section' });
    for (const loss of ['asl', 'ce']) {
      const result = await trainTagger(data, quick('section', loss));
      const test = evaluateModel(result.model, data.test, data.classes) as SectionEvaluation;
      result.model.dispose();
      assert.ok(test.top1 > 30, `${loss}: top-1 ${test.top1}`);
      assert.ok(test.top5 >= test.top1 && test.top5 <= 100);
      assert.ok(test.macroF1 > 0 && test.macroF1 <= 100);
    }
  });
});
