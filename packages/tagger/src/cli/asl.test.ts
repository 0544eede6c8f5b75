import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./asl.ts', import.meta.url));
const asl = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' });

describe('asl command line', () => {
  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(asl('--version').stdout.trim(), pkg.version);
  });

  it('--help lists the commands', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', cli, '--help'], {
      encoding: 'utf8',
    });
    assert.match(out, /Usage: asl/);
    assert.match(out, /demo/);
  });

  it("demo prints the seed's cross-entropy example and the sweeps", () => {
    const { stdout, status } = asl('demo', '--no-plots', '--no-train');
    assert.equal(status, 0);
    assert.match(stdout, /loss = 1\.7944835/);
    assert.match(stdout, /4\.16 +1\.0620356/);
    assert.match(stdout, /0\.00 +3\.1722931/);
  });

  it('bench times each kernel and prints JSON', () => {
    const { stdout, status } = asl(
      'bench',
      '--size',
      '8x40',
      '--size',
      '600x500',
      '--time',
      '5',
      '--threads',
      '2',
      '--json',
    );
    assert.equal(status, 0);
    const rows = JSON.parse(stdout) as Record<string, number | null>[];
    assert.deepEqual(
      rows.map((r) => [r.n, r.c, r.threads]),
      [
        [8, 40, 2],
        [600, 500, 2],
      ],
    );
    for (const r of rows)
      for (const key of ['float64', 'simd', 'simdThreads'])
        assert.ok((r[key] as number) > 0, `${key} ${r[key]}`);
  });

  it('bench rejects a malformed size', () => {
    const { stderr, status } = asl('bench', '--size', '8by40');
    assert.notEqual(status, 0);
    assert.match(stderr, /expected NxC with positive integers, got '8by40'/);
  });

  it('an unknown command fails with a message and a non-zero status', () => {
    const { stderr, status } = asl('bogus');
    assert.notEqual(status, 0);
    assert.match(stderr, /unknown command 'bogus'/);
  });

  it('plot writes the four seed plots as svg and png (and json), and plot 5 from a compare file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-cli-plot-'));
    try {
      const compare = join(dir, 'compare.json');
      writeFileSync(
        compare,
        JSON.stringify({ runs: [{ loss: 'asl', history: [{ epoch: 1, valMap: 30 }] }] }),
      );
      const { status, stdout } = asl(
        'plot',
        '--out',
        join(dir, 'plots'),
        '--json',
        '--compare',
        compare,
      );
      assert.equal(status, 0);
      const files = readdirSync(join(dir, 'plots')).sort();
      assert.equal(files.length, 15);
      assert.ok(
        files.includes('4-loss-and-gradient.png') && files.includes('5-training-curves.svg'),
      );
      assert.equal(stdout.trim().split('\n').length, 15);
      const bad = asl('plot', '--out', join(dir, 'plots'), '--compare', join(dir, 'missing.json'));
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /^asl: .*missing\.json: not a readable JSON file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
