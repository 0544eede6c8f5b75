/**
 * Without TensorFlow.js installed, the commands that train or predict say which packages to
 * install (in the versions this package depends on) before doing anything, and the commands
 * that need no tfjs still work. The CLI runs with a resolve hook that hides `@tensorflow/*`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { missingTfjsPackages, requireTfjs, tfjsPackages } from './tfjs-packages.js';

const cli = fileURLToPath(new URL('../../cli/asl.ts', import.meta.url));
const hide = fileURLToPath(new URL('../../../test/hide-tfjs.mjs', import.meta.url));
const aslWithoutTfjs = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--import', hide, cli, ...args], {
    encoding: 'utf8',
  });
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
const install =
  `npm i @tensorflow/tfjs@${pkg.dependencies['@tensorflow/tfjs']} ` +
  `@tensorflow/tfjs-backend-wasm@${pkg.dependencies['@tensorflow/tfjs-backend-wasm']}`;

describe('TensorFlow.js packages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asl-no-tfjs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('are the versions of package.json, and installed here', () => {
    assert.deepEqual(
      tfjsPackages().map((p) => p.name),
      ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
    );
    for (const p of tfjsPackages()) assert.equal(p.version, pkg.dependencies[p.name]);
    assert.deepEqual(missingTfjsPackages(), []);
    requireTfjs('train');
  });

  it('when missing, are named with the line that installs them', () => {
    const notWasm = (s: string) => {
      if (s.endsWith('-wasm')) throw new Error('not found');
      return s;
    };
    assert.deepEqual(missingTfjsPackages(notWasm), ['@tensorflow/tfjs-backend-wasm']);
    assert.throws(
      () => requireTfjs('eval', ['@tensorflow/tfjs-backend-wasm']),
      (e: Error) =>
        e.message.includes('the eval command needs TensorFlow.js') &&
        e.message.includes('(missing: @tensorflow/tfjs-backend-wasm)') &&
        e.message.endsWith(install),
    );
  });

  for (const args of [
    ['train', '--epochs', '1'],
    ['compare', '--epochs', '1'],
    ['eval', '--model', 'nowhere'],
    ['predict', '--model', 'nowhere', 'a text editor'],
    ['demo'],
  ]) {
    it(`asl ${args[0]} without them stops at once with that line, writing nothing`, () => {
      const out = join(dir, args[0]);
      const withOut = args[0] === 'eval' || args[0] === 'predict' ? [] : ['--out', out];
      const { status, stdout, stderr } = aslWithoutTfjs(...args, ...withOut);
      assert.equal(status, 1, stderr);
      assert.equal(stdout, '');
      assert.equal(
        stderr.trim(),
        `asl: the ${args[0]} command needs TensorFlow.js, which is not installed here ` +
          `(missing: @tensorflow/tfjs, @tensorflow/tfjs-backend-wasm); ` +
          `install it beside asymmetric-loss-tagger: ${install}`,
      );
      assert.equal(existsSync(out), false);
    });
  }

  it('asl plot, demo --no-train and --help work without them', () => {
    const plots = join(dir, 'plots');
    const plot = aslWithoutTfjs('plot', '--out', plots);
    assert.equal(plot.status, 0, plot.stderr);
    assert.ok(readdirSync(plots).some((f) => f.endsWith('.png')));
    const demo = aslWithoutTfjs('demo', '--no-train', '--no-plots');
    assert.equal(demo.status, 0, demo.stderr);
    assert.match(demo.stdout, /loss = 1\.7944835/);
    assert.equal(aslWithoutTfjs('--help').status, 0);
  });
});
