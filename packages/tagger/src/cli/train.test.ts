/**
 * The tagger's commands end to end (`asl train`, `eval`, `predict`, `compare`) on a
 * 1,500-record subset of the shipped data, one epoch, with `--json`; and their errors. Each
 * `asl` process costs a second or two of start-up, so checks that need no process (option
 * validation, text formatting) call the command modules directly.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runAsl } from '../../test/asl-process.js';
import { subsetRecords, toJsonl, writeSubset } from '../../test/tagger-subset.js';
import { compareTable, parseLossList } from './compare.js';
import { printEvalReport, type EvalReport } from './eval.js';
import { readTrainingCurves } from './plot.js';
import { runPredict } from './predict.js';
import { trainConfigFromOptions, type TrainCommandOptions } from './train.js';
import { checkModelDirTarget, loadModelDir } from '../tagger/node/model-dir.js';
import type { CompareRun } from '../tagger/compare.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

const cli = fileURLToPath(new URL('./asl.ts', import.meta.url));

/** Runs `asl` in a child process, `input` on its stdin. */
const asl = (args: string[], input = '') => runAsl(args, { input });

/** Captures what `fn` prints with console.log. */
async function captureLog(fn: () => unknown): Promise<string> {
  const lines: string[] = [];
  const log = mock.method(console, 'log', (...args: unknown[]) => lines.push(args.join(' ')));
  try {
    await fn();
  } finally {
    log.mock.restore();
  }
  return lines.join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'asl-cli-tagger-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const quick = ['--epochs', '1', '--lr', '0.01'];

describe('asl train, eval, predict, compare on a 1,500-record subset', () => {
  let data: string;
  let model: string;
  let trained: Json;

  before(async () => {
    data = writeSubset(dir, 'subset.jsonl.gz', 1500);
    model = join(dir, 'model');
    const run = await asl(['train', '--data', data, ...quick, '--out', model, '--json']);
    assert.equal(run.status, 0, run.stderr);
    trained = JSON.parse(run.stdout);
  });

  it('train --json reports the run and writes the model directory', () => {
    assert.equal(trained.status, 'complete');
    assert.equal(trained.bestEpoch, 1);
    assert.deepEqual(
      [
        trained.config.loss.name,
        trained.config.loss.gammaNeg,
        trained.config.loss.gammaPos,
        trained.config.loss.clip,
      ],
      ['asl', 4, 0, 0.05],
    );
    assert.match(trained.data.sha256, /^[0-9a-f]{64}$/);
    assert.ok(trained.test.map > 10, `test mAP ${trained.test.map}`);
    assert.equal(trained.splits.train + trained.splits.val + trained.splits.test, 1500);
    for (const file of [
      'model.json',
      'weights.bin',
      'vocabulary.json',
      'labels.json',
      'config.json',
    ])
      assert.ok(existsSync(join(model, file)), file);
    const metrics = JSON.parse(readFileSync(join(model, 'metrics.json'), 'utf8'));
    assert.equal(metrics.test.map, trained.test.map);
  });

  // The commands below only read the model: run them side by side.
  describe('using the model', { concurrency: true }, () => {
    it('eval --json: the test split of the training data by default, the same mAP as train', async () => {
      const run = await asl(['eval', '--model', model, '--json']);
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout) as Json;
      assert.equal(report.split, 'test');
      assert.equal(report.data.sameAsTraining, true);
      assert.equal(report.data.records, trained.splits.test);
      assert.ok(Math.abs(report.metrics.map - trained.test.map) < 1e-9);
      for (const key of ['CP', 'CR', 'CF1', 'OP', 'OR', 'OF1']) {
        assert.equal(typeof report.metrics.atThreshold[key], 'number');
        assert.equal(typeof report.metrics.top3[key], 'number');
      }
      assert.equal(report.metrics.best.length, 5);
      const text = await captureLog(() => printEvalReport(report as EvalReport));
      assert.match(text, /Metrics: mAP [\d.]+ over \d+ tags \(\d+ without positives ignored\)/);
      assert.match(text, /at 0\.5: CP [\d.]+ CR [\d.]+ CF1 [\d.]+ OP [\d.]+ OR [\d.]+ OF1 [\d.]+/);
      assert.match(text, /Worst tags by AP:\n +[\d.]+ {2}\S+::\S+ \(\d+ positives?\)/);
    });

    it('eval --data: all records of any file by default, unknown tags counted', async () => {
      const other = join(dir, 'other.jsonl');
      const records = subsetRecords(40).map((r, i) =>
        i < 3 ? { ...r, tags: [...r.tags, 'made-up::tag'] } : r,
      );
      writeFileSync(other, toJsonl(records));
      const run = await asl(['eval', '--model', model, '--data', other, '--json']);
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.equal(report.split, 'all');
      assert.equal(report.data.records, 40);
      assert.equal(report.data.sameAsTraining, false);
      assert.ok(report.metrics.unknownTags >= 3);
      assert.ok(report.metrics.unknownTagList.some((u: Json) => u.tag === 'made-up::tag'));
    });

    it('predict: a text, or JSONL records on stdin, with probabilities', async () => {
      const [text, piped] = await Promise.all([
        asl([
          'predict',
          '--model',
          model,
          '--top',
          '3',
          '--json',
          'Python 3 module for parsing XML',
        ]),
        asl(
          ['predict', '--model', model, '--json'],
          '{"package":"gimp-foo","description":"GIMP plugin","depends":["gimp"]}\n{"description":"C compiler"}\n',
        ),
      ]);
      assert.equal(text.status, 0, text.stderr);
      const [result] = JSON.parse(text.stdout).results;
      assert.equal(result.text, 'Python 3 module for parsing XML');
      assert.equal(result.predictions.length, 3);
      assert.ok(result.predictions[0].probability >= result.predictions[2].probability);
      assert.equal(piped.status, 0, piped.stderr);
      const results = JSON.parse(piped.stdout).results;
      assert.deepEqual(
        results.map((r: Json) => r.package),
        ['gimp-foo', null],
      );
      assert.equal(results[0].predictions.length, 5);
      // Text output, in process: one line per label.
      const out = await captureLog(() =>
        runPredict(['an', 'image', 'editor'], { model, top: 2, backend: 'wasm' }),
      );
      assert.match(out, /^ {2}0\.\d{3} {2}\S+::\S+\n {2}0\.\d{3} {2}\S+::\S+$/);
    });

    it('errors: file:line for bad data, bad flags, missing models; non-zero exit', async () => {
      const bad = join(dir, 'bad.jsonl');
      const lines = toJsonl(subsetRecords(5)).trimEnd().split('\n');
      lines[3] = '{"package": "x", "section": "games"}';
      writeFileSync(bad, lines.join('\n'));
      const cases: [string[], RegExp, string?][] = [
        [
          ['train', '--data', bad, '--out', join(dir, 'x')],
          new RegExp(`^asl: ${bad}:4: missing field 'description'`),
        ],
        [
          ['train', '--gamma-neg', '-1', '--out', join(dir, 'x')],
          /^asl: --gamma-neg must be a finite number >= 0, but got -1$/m,
        ],
        [
          ['train', '--hide-labels', '1', '--out', join(dir, 'x')],
          /--hide-labels.*expected a number in \[0, 1\), got '1'/,
        ],
        [
          ['compare', '--hide-labels', '0.5', '--losses', 'asl-adaptive', '--out', join(dir, 'x')],
          /^asl: asl-adaptive is not defined with --hide-labels/m,
        ],
        [['eval', '--model', join(dir, 'nope')], /^asl: .*nope: no such model directory/],
        [['predict', '--model', model], /^asl: <stdin>:1: invalid JSON/, 'not json\n'],
      ];
      const runs = await Promise.all(cases.map(([args, , input]) => asl(args, input)));
      runs.forEach((run, i) => {
        assert.notEqual(run.status, 0, cases[i][0].join(' '));
        assert.match(run.stderr, cases[i][1], cases[i][0].join(' '));
      });
      assert.ok(!existsSync(join(dir, 'x')));
    });

    it('compare --json trains each loss with the same budget and writes the runs as JSON', async () => {
      const out = join(dir, 'compare.json');
      const run = await asl([
        'compare',
        '--data',
        data,
        '--losses',
        'bce,asl-adaptive',
        '--epochs',
        '1',
        '--out',
        out,
        '--json',
      ]);
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.deepEqual(
        report.runs.map((r: Json) => r.loss),
        ['bce', 'asl-adaptive'],
      );
      for (const r of report.runs) {
        assert.deepEqual([r.config.epochs, r.config.seed], [1, 1]);
        for (const key of ['map', 'CF1', 'OF1']) assert.equal(typeof r.test[key], 'number');
        assert.ok(r.seconds > 0);
      }
      assert.equal(report.runs[0].config.loss.gammaNeg, 0);
      assert.notEqual(report.runs[1].config.adaptive, null);
      assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), report);
      // The file feeds `asl plot --compare`.
      assert.deepEqual(
        readTrainingCurves(out).map((c) => [c.loss, c.epochs.length]),
        [
          ['bce', 1],
          ['asl-adaptive', 1],
        ],
      );
      const table = compareTable(report.runs as CompareRun[]);
      assert.match(table[0], /^loss +test mAP +CF1 +OF1 +best epoch +time$/);
      assert.match(table[2], /^bce +[\d.]+ +[\d.]+ +[\d.]+ +1\/1 +\d+ s$/);
    });

    it('compare --hide-labels --partial selective: hidden labels in training and validation only', async () => {
      const out = join(dir, 'partial.json');
      const run = await asl([
        'compare',
        '--data',
        data,
        '--losses',
        'asl,bce',
        '--epochs',
        '1',
        '--hide-labels',
        '0.5',
        '--partial',
        'selective',
        '--out',
        out,
        '--json',
      ]);
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      for (const r of report.runs) {
        assert.deepEqual(r.config.partial, {
          hideLabels: 0.5,
          mode: 'selective',
          priorThreshold: 0.5,
          likelihoodTopK: 5,
        });
        assert.ok(r.test.map > 5, `${r.loss}: test mAP ${r.test.map}`);
      }
    });

    it('Ctrl-C stops training and keeps the last good model (exit 130)', async () => {
      const out = join(dir, 'interrupted');
      const child = spawn(process.execPath, [
        '--import',
        'tsx',
        cli,
        'train',
        '--data',
        data,
        '--epochs',
        '500',
        '--lr',
        '0.01',
        '--out',
        out,
      ]);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.stdout.resume();
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      // Wait for the first epoch's model, then interrupt.
      while (!existsSync(join(out, 'metrics.json'))) await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGINT');
      assert.equal(await closed, 130, stderr);
      assert.match(stderr, /Interrupted: stopping after this step/);
      assert.match(stderr, /asl: interrupted; the model of epoch \d+ is in /);
      const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
      assert.equal(metrics.status, 'interrupted');
      assert.ok(metrics.bestEpoch >= 1 && metrics.test.map > 0);
      (await loadModelDir(out)).dispose();
    });

    it('train --task section reports top-1, top-5 and macro-F1; predict gives softmax probabilities', async () => {
      const out = join(dir, 'section');
      const run = await asl([
        'train',
        '--task',
        'section',
        '--loss',
        'ce',
        '--data',
        data,
        ...quick,
        '--out',
        out,
        '--json',
        '--quiet',
      ]);
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.equal(report.config.loss.eps, 0.1);
      assert.ok(
        report.test.top1 > 30 && report.test.top5 >= report.test.top1 && report.test.macroF1 > 0,
      );
      const tagger = await loadModelDir(out);
      const p = tagger.probabilities([{ description: 'Python 3 library' }]);
      tagger.dispose();
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    });
  });
});

describe('command options, checked in process', () => {
  const base: TrainCommandOptions = { task: 'tags', backend: 'wasm', out: join(dir, 'o') };

  it('turn the loss flags into the configuration', () => {
    const config = trainConfigFromOptions({
      ...base,
      loss: 'focal',
      gammaNeg: 3,
      focalGrad: 'detached',
      epochs: 2,
    });
    assert.deepEqual(
      [
        config.loss.name,
        config.loss.gammaNeg,
        config.loss.gammaPos,
        config.loss.clip,
        config.loss.focalGrad,
        config.epochs,
      ],
      ['focal', 3, 2, 0, 'detached', 2],
    );
    const adaptive = trainConfigFromOptions({
      ...base,
      adaptive: true,
      targetGap: -0.1,
      adaptRate: 0.02,
    });
    assert.deepEqual(adaptive.adaptive, { targetGap: -0.1, rate: 0.02, min: 0, max: 8 });
    assert.equal(trainConfigFromOptions({ ...base, task: 'section', loss: 'ce' }).loss.eps, 0.1);
    assert.equal(trainConfigFromOptions(base).partial, null);
    assert.deepEqual(trainConfigFromOptions({ ...base, hideLabels: 0.5 }).partial, {
      hideLabels: 0.5,
      mode: 'negative',
      priorThreshold: 0.5,
      likelihoodTopK: 5,
    });
    assert.equal(
      trainConfigFromOptions({ ...base, hideLabels: 0.8, partial: 'selective' }).partial?.mode,
      'selective',
    );
  });

  it('reject inconsistent flags with a clear message', () => {
    assert.throws(
      () => trainConfigFromOptions({ ...base, loss: 'hinge' }),
      /unknown loss 'hinge' for task 'tags'/,
    );
    assert.throws(
      () => trainConfigFromOptions({ ...base, task: 'section', loss: 'bce' }),
      /unknown loss 'bce' for task 'section'/,
    );
    assert.throws(
      () => trainConfigFromOptions({ ...base, task: 'section', adaptive: true }),
      /--adaptive applies to the 'tags' task only/,
    );
    assert.throws(() => trainConfigFromOptions({ ...base, targetGap: 0.1 }), /need --adaptive/);
    assert.throws(
      () => trainConfigFromOptions({ ...base, adaptive: true, gammaMin: 5, gammaMax: 2 }),
      /above --gamma-max/,
    );
    assert.throws(
      () => trainConfigFromOptions({ ...base, task: 'section', clip: 0.05 }),
      /clip applies to the 'tags' task only/,
    );
    assert.throws(
      () => trainConfigFromOptions({ ...base, partial: 'ignore' }),
      /--partial needs --hide-labels/,
    );
    assert.throws(
      () => trainConfigFromOptions({ ...base, hideLabels: 0.5, task: 'section', loss: 'ce' }),
      /--hide-labels applies to the 'tags' task only/,
    );
    assert.throws(
      () => trainConfigFromOptions({ ...base, hideLabels: 0.5, adaptive: true }),
      /--adaptive is not defined with --hide-labels/,
    );
    assert.throws(() => checkModelDirTarget(dir), /exists and is not a model directory/);
    assert.deepEqual(parseLossList(' bce, asl '), ['bce', 'asl']);
    assert.throws(() => parseLossList('bce,hinge'), /unknown loss 'hinge' in --losses/);
    assert.throws(() => parseLossList('asl,asl'), /twice/);
  });

  it('predict refuses an empty text', async () => {
    await assert.rejects(
      runPredict(['  '], { model: dir, top: 5, backend: 'wasm' }),
      /the text to tag is empty/,
    );
  });
});
