import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    const { stdout, status } = asl('demo');
    assert.equal(status, 0);
    assert.match(stdout, /loss = 1\.7944835/);
    assert.match(stdout, /4\.16 +1\.0620356/);
    assert.match(stdout, /0\.00 +3\.1722931/);
  });

  it('an unknown command fails with a message and a non-zero status', () => {
    const { stderr, status } = asl('bogus');
    assert.notEqual(status, 0);
    assert.match(stderr, /unknown command 'bogus'/);
  });
});
