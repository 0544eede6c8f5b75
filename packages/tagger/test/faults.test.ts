/**
 * Fault injection for the command line: what the user keeps and what they are told when things
 * go wrong. `asl train` and `asl compare` killed (`SIGKILL`) and interrupted (`SIGINT`) at
 * seeded random points; stdout closed by the reader; output places that are files, directories,
 * on a file system that refuses them, or directories holding the user's files; corrupted model
 * files (truncated, NaN, wrong sizes, garbage JSON); hostile data (a 1 MB record, binary bytes,
 * truncated gzip, no tags). Each case asserts the exit status, the one-line message, and that
 * every file the user had is unchanged and no temporary file is left behind.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { Random } from '../src/tagger/random.js';
import { runAsl as asl, type Run } from './asl-process.js';
import { subsetRecords, toJsonl, writeSubset } from './tagger-subset.js';

const dir = mkdtempSync(join(tmpdir(), 'asl-faults-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A small, fast run: 600 records, a tiny model. */
const small = ['--epochs', '2', '--lr', '0.01', '--embedding-dim', '16', '--hidden-units', '16'];

/** Every file under `root` with its contents, for before/after comparisons. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(root)) return out;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path.slice(root.length)] = readFileSync(path).toString('base64');
    }
  return out;
}

/** Names in `parent` left by a writer (`.NAME.tmp-PID`, `NAME.tmp-PID`, probes). */
function leftovers(parent: string): string[] {
  return readdirSync(parent).filter((n) => /\.(tmp|old|probe)-\d+$/.test(n));
}

/** Whether `model` is a complete model directory (what `asl eval` can load). */
function completeModel(model: string): boolean {
  const files = readdirSync(model).sort();
  const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'));
  return (
    config.format === 'asymmetric-loss-tagger' &&
    ['config.json', 'labels.json', 'model.json', 'vocabulary.json', 'weights.bin'].every((f) =>
      files.includes(f),
    )
  );
}

/** The stderr lines that are messages (`asl: ...`), not progress. */
function messages(run: Run): string[] {
  return run.stderr.split('\n').filter((l) => l.startsWith('asl: '));
}

describe('asl under faults', () => {
  let data: string;
  let model: string;
  /** How long an undisturbed small training run takes here, ms. */
  let trainMs: number;

  before(async () => {
    data = writeSubset(dir, 'subset.jsonl', 600);
    model = join(dir, 'model');
    const run = await asl(['train', '--data', data, ...small, '--out', model, '--quiet']);
    assert.equal(run.status, 0, run.stderr);
    trainMs = run.ms;
  });

  it('kill -9 at random points of train: the model directory is absent or complete', async () => {
    const random = new Random(13);
    for (let i = 0; i < 4; i++) {
      const out = join(dir, `killed-${i}`);
      const at = Math.round(300 + random.next() * trainMs);
      const run = await asl(['train', '--data', data, ...small, '--out', out, '--quiet'], {
        signalAfter: ['SIGKILL', at],
      });
      if (run.signal === null) assert.equal(run.status, 0, `finished before ${at} ms`);
      if (existsSync(out)) assert.ok(completeModel(out), `killed at ${at} ms: incomplete ${out}`);
      // The next run tidies what the killed one left (its process is gone) and succeeds.
      const again = await asl(['train', '--data', data, ...small, '--epochs', '1', '--out', out]);
      assert.equal(again.status, 0, again.stderr);
      assert.ok(completeModel(out));
      assert.deepEqual(leftovers(dir), []);
    }
  });

  it('Ctrl-C during train: exit 130, and a complete model if an epoch had ended', async () => {
    const random = new Random(7);
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `interrupted-${i}`);
      const at = Math.round(trainMs * (0.2 + 0.7 * random.next()));
      const run = await asl(['train', '--data', data, ...small, '--out', out], {
        signalAfter: ['SIGINT', at],
      });
      // Before its handler is installed (start-up), Node ends on the signal: 130 to a shell.
      const interrupted = run.status === 130 || run.signal === 'SIGINT';
      assert.ok(interrupted || run.status === 0, `SIGINT at ${at} ms: ${run.status} ${run.stderr}`);
      if (run.status === 130) assert.match(messages(run).join('\n'), /interrupted/);
      if (existsSync(out)) assert.ok(completeModel(out), `SIGINT at ${at} ms: incomplete ${out}`);
    }
    assert.deepEqual(leftovers(dir), []);
  });

  it('a closed stdout does not stop training: the model is written, exit 0', async () => {
    const out = join(dir, 'closed-stdout');
    const run = await asl(['train', '--data', data, ...small, '--out', out], {
      closeStdout: true,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(completeModel(out));
  });

  it('never replaces a directory holding files asl did not write', async () => {
    // Marker-less look-alike: config.json and model.json that are not asl's.
    const fake = join(dir, 'fake');
    mkdirSync(fake);
    writeFileSync(join(fake, 'config.json'), '{}');
    writeFileSync(join(fake, 'model.json'), '{}');
    writeFileSync(join(fake, 'NOTES.md'), 'mine');
    // A real model directory to which the user added a file.
    const annotated = join(dir, 'annotated');
    assert.equal((await asl(['train', '--data', data, ...small, '--out', annotated])).status, 0);
    writeFileSync(join(annotated, 'NOTES.md'), 'mine too');
    for (const [target, why] of [
      [fake, /is not a model directory written by asl/],
      [annotated, /also holds files asl did not write \(NOTES\.md\)/],
    ] as const) {
      const before = snapshot(target);
      const run = await asl(['train', '--data', data, ...small, '--out', target]);
      assert.equal(run.status, 1);
      assert.match(messages(run).join('\n'), why);
      assert.ok(run.ms < trainMs, 'refused before training');
      assert.deepEqual(snapshot(target), before);
    }
  });

  it('bad output places fail at once, in one line, leaving nothing behind', async () => {
    const file = join(dir, 'a-file.txt');
    writeFileSync(file, 'mine');
    const compareResult = join(dir, 'user.json');
    writeFileSync(compareResult, '{"mine": true}\n');
    const cases: [string[], RegExp][] = [
      [
        ['train', '--data', data, '--out', join(file, 'model')],
        /a-file\.txt is a file, not a directory$/,
      ],
      [['train', '--data', data, '--out', file], /exists and is not a directory$/],
      [
        ['train', '--data', data, '--out', '/proc/asl-model/x'],
        /^asl: --out \/proc\/asl-model\/x: /,
      ],
      [
        ['compare', '--data', data, '--out', compareResult],
        /exists and is not an asl compare result/,
      ],
      [['compare', '--data', data, '--out', dir], /: is a directory$/],
      [['compare', '--data', data, '--out', join(file, 'r.json')], /is a file, not a directory$/],
      [
        ['train', '--data', join(dir, 'missing.jsonl'), '--out', join(dir, 'm2')],
        /--data .*missing\.jsonl: no such file or directory$/,
      ],
      [
        ['train', '--data', data, '--eps', '0.5', '--out', join(dir, 'm3')],
        /^asl: --eps must be a number in \[0, 0\.5\), but got 0\.5$/,
      ],
      [
        ['train', '--data', data, '--epochs', '0x10', '--out', join(dir, 'm4')],
        /argument '0x10' is invalid/,
      ],
      [['bench', '--size', '100000x100000'], /at most 67108864/],
    ];
    const before = snapshot(dir);
    const runs = await Promise.all(cases.map(([args]) => asl(args)));
    runs.forEach((run, i) => {
      const [args, why] = cases[i];
      assert.equal(run.status, 1, `${args.join(' ')}: ${run.stderr}`);
      const lines = messages(run);
      assert.equal(lines.length, 1, `${args.join(' ')}: one message line, got ${run.stderr}`);
      assert.equal(run.stderr.trim(), lines[0], 'nothing but that line');
      assert.match(lines[0], why, args.join(' '));
    });
    assert.deepEqual(snapshot(dir), before, 'nothing written, nothing changed');
    assert.deepEqual(leftovers(dir), []);
  });

  it('corrupted model files are refused naming the file; never NaN probabilities', async () => {
    const weights = readFileSync(join(model, 'weights.bin'));
    const corruptions: [string, (m: string) => void, RegExp][] = [
      [
        'truncated weights',
        (m) => truncateSync(join(m, 'weights.bin'), 100),
        /weights\.bin: 100 bytes, but model\.json describes \d+/,
      ],
      [
        'NaN weights',
        (m) => writeFileSync(join(m, 'weights.bin'), Buffer.alloc(weights.length, 0xff)),
        /weights\.bin: weight 0 of \d+ is NaN; the file is corrupt/,
      ],
      [
        'padded weights',
        (m) => writeFileSync(join(m, 'weights.bin'), Buffer.concat([weights, Buffer.alloc(8)])),
        /weights\.bin: \d+ bytes, but model\.json describes/,
      ],
      ['truncated model.json', (m) => truncateSync(join(m, 'model.json'), 50), /model\.json/],
      [
        'garbage config.json',
        (m) => writeFileSync(join(m, 'config.json'), '\u0000\u0001'),
        /not a model directory/,
      ],
      ['missing labels.json', (m) => rmSync(join(m, 'labels.json')), /labels\.json/],
    ];
    for (const [what, corrupt, why] of corruptions) {
      const copy = join(dir, `corrupt-${what.replace(/\W+/g, '-')}`);
      mkdirSync(copy);
      for (const f of readdirSync(model))
        writeFileSync(join(copy, f), readFileSync(join(model, f)));
      corrupt(copy);
      for (const args of [
        ['eval', '--model', copy, '--data', data],
        ['predict', '--model', copy, 'a GTK+ image viewer'],
      ]) {
        const run = await asl(args);
        assert.equal(run.status, 1, `${what}, ${args[0]}: ${run.stdout}${run.stderr}`);
        assert.match(messages(run).join('\n'), why, `${what}, ${args[0]}`);
        assert.ok(!/NaN/.test(run.stdout), `${what}: no NaN printed`);
      }
    }
  });

  it('eval from another directory evaluates the training data, not a namesake there', async () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    // A different file under the same relative name as the training data's.
    writeFileSync(join(elsewhere, 'subset.jsonl'), toJsonl(subsetRecords(300)));
    const run = await asl(['eval', '--model', model, '--json'], { cwd: elsewhere });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.data.file, data);
    assert.equal(report.data.sameAsTraining, true);
  });

  it('hostile data files: clear messages with file and line, or they just work', async () => {
    const records = subsetRecords(600);
    const huge = join(dir, 'huge.jsonl');
    writeFileSync(
      huge,
      toJsonl([{ ...records[0], long_description: 'word '.repeat(200_000) }, ...records.slice(1)]),
    );
    const binary = join(dir, 'binary.jsonl');
    writeFileSync(binary, Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x0a]));
    const truncated = join(dir, 'truncated.jsonl.gz');
    const gz = gzipSync(toJsonl(records));
    writeFileSync(truncated, gz.subarray(0, gz.length >> 1));
    const untagged = join(dir, 'untagged.jsonl');
    writeFileSync(untagged, toJsonl(records.map((r) => ({ ...r, tags: [] }))));
    const cases: [string, RegExp | null][] = [
      [huge, null],
      [binary, /binary\.jsonl: .*not UTF-8 text|binary\.jsonl:1: /],
      [truncated, /truncated\.jsonl\.gz: corrupt gzip data/],
      [untagged, /untagged\.jsonl: no record of the training split has a tag; nothing to train/],
    ];
    for (const [file, why] of cases) {
      const out = join(dir, `from-${file.split('/').pop()}`);
      const run = await asl([
        'train',
        '--data',
        file,
        ...small,
        '--epochs',
        '1',
        '--out',
        out,
        '--quiet',
      ]);
      if (why === null) {
        assert.equal(run.status, 0, run.stderr);
        const input = toJsonl([{ ...records[1], description: 'word '.repeat(200_000) }]);
        const predicted = await asl(['predict', '--model', out], { input });
        assert.equal(predicted.status, 0, predicted.stderr);
      } else {
        assert.equal(run.status, 1, run.stderr);
        assert.match(messages(run).join('\n'), why);
        assert.ok(!existsSync(out));
      }
    }
  });

  it('compare killed mid-way leaves any earlier result whole; its result replaces only its own', async () => {
    const result = join(dir, 'compare.json');
    const args = [
      'compare',
      '--data',
      data,
      '--losses',
      'bce,asl',
      '--epochs',
      '1',
      '--out',
      result,
      '--quiet',
    ];
    const first = await asl(args);
    assert.equal(first.status, 0, first.stderr);
    const before = readFileSync(result, 'utf8');
    assert.equal(JSON.parse(before).format, 'asl-compare');
    const killed = await asl(args, { signalAfter: ['SIGKILL', Math.round(first.ms / 2)] });
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(readFileSync(result, 'utf8'), before);
    const again = await asl(args);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.startsWith('compare.json.tmp-')),
      [],
      'the next run leaves no temporary file of its own',
    );
  });
});
