import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { subsetRecords } from '../../../test/tagger-subset.js';
import { prepareData } from '../dataset.js';
import { Tagger } from '../tagger.js';
import { defaultTrainConfig, trainTagger } from '../train.js';
import { checkModelDirTarget, isModelDir, loadModelDir, writeModelDir } from './model-dir.js';

tf.env().set('PROD', true);
const dir = mkdtempSync(join(tmpdir(), 'asl-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('model directories', () => {
  let tagger: Tagger;
  const texts = [
    'GTK+ image viewer for the GNOME desktop',
    {
      package: 'python3-foo',
      section: 'python',
      description: 'Python 3 library for foo',
      depends: ['python3'],
    },
    '',
  ];

  before(async () => {
    await tf.setBackend('wasm');
    const records = subsetRecords(1000);
    const data = prepareData(records);
    const config = { ...defaultTrainConfig(), epochs: 1, learningRate: 0.01 };
    const result = await trainTagger(data, config);
    tagger = new Tagger(result.model, data.vocabulary, data.classes, config);
  });

  it('round-trips: the loaded model predicts the same probabilities', async () => {
    const out = join(dir, 'model');
    const data = { file: 'subset.jsonl', sha256: 'ab'.repeat(32), records: 1000 };
    writeModelDir(out, await tagger.toFiles({ data, metrics: { note: 'test' } }));
    assert.deepEqual(readdirSync(out).sort(), [
      'config.json',
      'labels.json',
      'metrics.json',
      'model.json',
      'vocabulary.json',
      'weights.bin',
    ]);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    assert.equal(config.format, 'asymmetric-loss-tagger');
    assert.deepEqual(config.data, data);
    assert.deepEqual(config.config, tagger.config);
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.deepEqual(model.weightsManifest[0].paths, ['weights.bin']);
    const loaded = await loadModelDir(out);
    try {
      assert.deepEqual(loaded.labels, tagger.labels);
      assert.deepEqual(loaded.vocabulary.tokens, tagger.vocabulary.tokens);
      const sources = texts.map((t) => (typeof t === 'string' ? { description: t } : t));
      assert.deepEqual(loaded.probabilities(sources), tagger.probabilities(sources));
      const [first] = loaded.predict([texts[0]], 3);
      assert.equal(first.length, 3);
      assert.ok(first[0].probability >= first[1].probability);
      // The layers model itself (padded ids) gives the same logits as the fast path.
      assert.ok(loaded.model.outputs[0].shape[1] === tagger.labels.length);
    } finally {
      loaded.dispose();
    }
  });

  it('replaces an existing model directory, but never an unrelated one', async () => {
    const out = join(dir, 'replace');
    const files = await tagger.toFiles();
    writeModelDir(out, files);
    writeModelDir(out, { ...files, 'metrics.json': '{"second":true}' });
    assert.equal(readFileSync(join(out, 'metrics.json'), 'utf8'), '{"second":true}');
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.includes('.tmp-') || name.includes('.old-')),
      [],
    );
    const unrelated = join(dir, 'unrelated');
    mkdirSync(unrelated);
    writeFileSync(join(unrelated, 'notes.txt'), 'keep me');
    assert.throws(() => checkModelDirTarget(unrelated), /not a model directory/);
    assert.throws(() => writeModelDir(unrelated, files), /not a model directory/);
    assert.equal(readFileSync(join(unrelated, 'notes.txt'), 'utf8'), 'keep me');
    assert.equal(isModelDir(unrelated), false);
  });

  it('tidies what a killed writer left, and never a file of the user', async () => {
    const files = await tagger.toFiles();
    const dead = 999_999_999; // no such process
    // Killed between its two renames: the previous model waits in .old-PID, the target is gone.
    const out = join(dir, 'recovered');
    const previous = join(dir, `.recovered.old-${dead}`);
    writeModelDir(previous, files);
    const stale = join(dir, `.recovered.tmp-${dead}`);
    mkdirSync(stale);
    writeFileSync(join(stale, 'model.json'), '{"half":');
    const usersFile = join(dir, `.recovered.tmp-${dead + 1}`);
    writeFileSync(usersFile, 'mine');
    writeModelDir(out, { ...files, 'metrics.json': '{"new":true}' });
    assert.equal(readFileSync(join(out, 'metrics.json'), 'utf8'), '{"new":true}');
    assert.equal(existsSync(previous), false);
    assert.equal(existsSync(stale), false);
    assert.equal(readFileSync(usersFile, 'utf8'), 'mine');
    // A look-alike (config.json without the format marker) is not a model directory.
    const lookAlike = join(dir, 'look-alike');
    mkdirSync(lookAlike);
    writeFileSync(join(lookAlike, 'config.json'), '{}');
    writeFileSync(join(lookAlike, 'model.json'), '{}');
    assert.equal(isModelDir(lookAlike), false);
    assert.throws(() => writeModelDir(lookAlike, files), /not a model directory written by asl/);
    // A model directory with a file of the user's is refused whole.
    writeFileSync(join(out, 'NOTES.md'), 'mine');
    assert.throws(
      () => writeModelDir(out, files),
      /also holds files asl did not write \(NOTES\.md\)/,
    );
    assert.equal(readFileSync(join(out, 'metrics.json'), 'utf8'), '{"new":true}');
  });

  it('reports what is wrong with a bad directory', async () => {
    await assert.rejects(loadModelDir(join(dir, 'missing')), /missing: no such model directory/);
    const broken = join(dir, 'broken');
    writeModelDir(broken, await tagger.toFiles());
    writeFileSync(join(broken, 'labels.json'), '{"task":"tags","labels":["a"]}');
    await assert.rejects(loadModelDir(broken), /does not match .*labels\.json/);
    rmSync(join(broken, 'weights.bin'));
    await assert.rejects(loadModelDir(broken), /broken: missing weights\.bin/);
    writeFileSync(join(broken, 'config.json'), '{"format":"other"}');
    await assert.rejects(
      loadModelDir(broken),
      /broken: not a model directory \(no config\.json of format asymmetric-loss-tagger\)/,
    );
    assert.ok(existsSync(broken));
    tagger.dispose();
  });
});
