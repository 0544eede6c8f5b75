/**
 * The library as a user gets it: `npm pack` of packages/asymmetric-loss (lifecycle scripts
 * skipped, so what is packed is the built dist/), installed offline from an empty npm cache
 * into a fresh `"type": "module"` project, then used from there:
 *
 * - the tarball holds dist/, package.json and LICENSE (and README.md when written), and no
 *   tests, source maps, sources, build configuration or data;
 * - the install needs nothing but the tarball (the library has no dependencies) and installs
 *   exactly one package;
 * - ESM `import` and CommonJS `require()` (Node >= 20.19 loads ESM synchronously) of every
 *   subpath work, and compute the seed walkthrough's numbers (timm's documentation example,
 *   packages/tagger/src/seed/walkthrough.ts): with all parameters zero the single-label loss
 *   of `one_hot([0, 9, 0])` against labels [0, 0, 0] is softmax cross-entropy,
 *   log(e + 9) - 2/3 = 1.7944835, and the multi-label loss of `2 one_hot - 1` against the
 *   walkthrough's multi-label targets is binary cross-entropy, summed; both are checked
 *   against those closed forms in float64 to 1e-12 relative (30 elements: the float64 kernels
 *   run). The tfjs op (cpu backend, with @tensorflow/tfjs-core and tfjs-backend-cpu linked in
 *   as a user would install the optional peer) returns a float32 scalar: 1e-6 relative of
 *   the core's value. The threads start from the installed package (their worker code must
 *   be inside it);
 * - a consumer's TypeScript, strict with `skipLibCheck: false` and no ambient types, checks
 *   every subpath's declarations under `nodenext` and `bundler` resolution with TypeScript 6
 *   and 5.0 (the lowest we claim), and its `@ts-expect-error` lines prove the types are real
 *   (an `any` would leave them unused, an error). tfjs's own declarations have errors under
 *   `skipLibCheck: false` (@webgpu/types against the DOM lib, `Long`); only diagnostics in
 *   the consumer or in node_modules/asymmetric-loss fail;
 * - the declarations import `.js` paths only;
 * - publint (`--strict`) and attw (`--profile esm-only`: the package is ESM only) pass on the
 *   tarball.
 *
 * All of it offline. Needs dist/ built (`npm test` builds first). The pack and install run once.
 */
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  assertBuilt,
  attw,
  declarationSpecifierProblems,
  describeExec,
  exec,
  forbiddenFiles,
  lintTests,
  neverPublished,
  npm,
  packPackage,
  publint,
  repoRoot,
  type Attw,
  type Exec,
  type Packed,
} from '@asymmetric-loss/testing/packaging';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The seed walkthrough's inputs: `one_hot([0, 9, 0])` (3 x 10) and its `2 x - 1`. */
const oneHot = Array.from({ length: 30 }, (_, k) => (k === 0 || k === 19 || k === 20 ? 1 : 0));
const signs = oneHot.map((v) => 2 * v - 1);
/** The walkthrough's multi-label targets: (0,0), (0,1), (1,0), (1,9), (2,0), (2,1). */
const multiTargets = Array.from({ length: 30 }, (_, k) =>
  [0, 1, 10, 19, 20, 21].includes(k) ? 1 : 0,
);

/** Softmax cross-entropy of one_hot([0, 9, 0]) against labels 0, mean: log(e + 9) - 2/3. */
const crossEntropy = Math.log(Math.E + 9) - 2 / 3;
/** Binary cross-entropy of `signs` against `multiTargets`, summed (log1p(exp(-x)) per positive). */
const binaryCrossEntropy = signs.reduce(
  (sum, x, k) => sum + Math.log1p(Math.exp(multiTargets[k] === 1 ? -x : x)),
  0,
);

/** What both scripts compute, printed as one `RESULT {json}` line. */
const computeBody = `
const x = new Float32Array(${JSON.stringify(oneHot)});
const signs = new Float32Array(${JSON.stringify(signs)});
const targets = new Float32Array(${JSON.stringify(multiTargets)});
const zero = { gammaPos: 0, gammaNeg: 0 };
const single = core.asymmetricLossSingleLabel(x, [0, 0, 0], [3, 10], { ...zero, eps: 0, grad: false }).loss;
const multi = core.asymmetricLossMultiLabel(signs, targets, [3, 10], { ...zero, clip: 0, eps: 0, grad: false }).loss;
const classLoss = new core.AsymmetricLossMultiLabel({ ...zero, clip: 0, eps: 0 });
const multiClass = classLoss.forward(signs, targets, [3, 10], { grad: false }).loss;
await tf.setBackend('cpu');
const t = tfjs.asymmetricLossMultiLabel(tf.tensor2d(signs, [3, 10]), tf.tensor2d(targets, [3, 10]), { ...zero, clip: 0, eps: 0 });
const tfMulti = t.dataSync()[0];
const ap = Array.from(metrics.averagePrecision([0.9, 0.1, 0.8, 0.2], [1, 0, 0, 1], [4, 1]));
const exportsOf = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort();
const names = {
  '.': exportsOf(core),
  './tfjs': exportsOf(tfjs),
  './metrics': exportsOf(metrics),
  './threads': exportsOf(threads),
};
`;

/** ESM: static imports of every subpath, the JSON one with an import attribute; then threads. */
const esmScript = `
import * as core from 'asymmetric-loss';
import * as tfjs from 'asymmetric-loss/tfjs';
import * as metrics from 'asymmetric-loss/metrics';
import * as threads from 'asymmetric-loss/threads';
import manifest from 'asymmetric-loss/package.json' with { type: 'json' };
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
${computeBody}
const started = await threads.startSimdThreads({ threads: 2, minElements: 0 });
const threadCount = threads.simdThreadCount();
const threaded = core.asymmetricLossMultiLabel(signs, targets, [3, 10], { ...zero, clip: 0, eps: 0, precision: 'float32', grad: false }).loss;
await threads.stopSimdThreads();
const threadCountAfter = threads.simdThreadCount();
console.log('RESULT ' + JSON.stringify({ single, multi, multiClass, tfMulti, ap, names, version: manifest.version,
  started, threadCount, threaded, threadCountAfter }));
`;

/** CommonJS: `require()` of every subpath (ESM, loaded by require(esm)). */
const cjsScript = `
const core = require('asymmetric-loss');
const tfjs = require('asymmetric-loss/tfjs');
const metrics = require('asymmetric-loss/metrics');
const threads = require('asymmetric-loss/threads');
const manifest = require('asymmetric-loss/package.json');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
(async () => {
${computeBody}
const threadCount = threads.simdThreadCount();
console.log('RESULT ' + JSON.stringify({ single, multi, multiClass, tfMulti, ap, names, version: manifest.version, threadCount }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** A consumer using every subpath, values and types, with deliberate type errors. */
const consumer = `
import {
  AsymmetricLossMultiLabel,
  asymmetricLossMultiLabel,
  asymmetricLossSingleLabel,
  multiLabelDefaults,
  reductions,
  wasmReady,
  type LossResult,
  type MultiLabelLossOptions,
  type Reduction,
  type SingleLabelOptions,
} from 'asymmetric-loss';
import * as tf from '@tensorflow/tfjs-core';
import {
  aslLoss,
  asymmetricLossMultiLabel as tfAsymmetricLoss,
  type TensorInput,
  type TfMultiLabelOptions,
} from 'asymmetric-loss/tfjs';
import {
  MultiLabelMetrics,
  averagePrecision,
  meanAveragePrecision,
  type MeanAveragePrecisionResult,
  type Shape,
} from 'asymmetric-loss/metrics';
import {
  simdThreadCount,
  startSimdThreads,
  stopSimdThreads,
  type SimdThreadsOptions,
} from 'asymmetric-loss/threads';

const logits = new Float32Array(6);
const targets = new Float32Array(6);
const shape: Shape = [2, 3];
const reduction: Reduction = reductions[0];
const options: MultiLabelLossOptions = { gammaNeg: multiLabelDefaults.gammaNeg, clip: null, reduction };
export const summed: LossResult<number, Float32Array> = asymmetricLossMultiLabel(logits, targets, shape, { reduction: 'sum' });
export const perElement: Float32Array = asymmetricLossMultiLabel(logits, targets, shape, { reduction: 'none' }).loss;
const singleOptions: SingleLabelOptions = { gammaPos: 0, grad: false };
export const noGrad: null = asymmetricLossSingleLabel(logits, [0, 2], shape, { grad: false }).grad;
export const loss = new AsymmetricLossMultiLabel(options);
export const ready: Promise<boolean> = wasmReady();

const input: TensorInput = tf.zeros([2, 3]);
const tfOptions: TfMultiLabelOptions = { gammaPos: 0, validate: false };
export const tensor: tf.Tensor = tfAsymmetricLoss(input, tf.ones([2, 3]), tfOptions);
export const layersLoss = aslLoss({ gammaNeg: 2 });

export const ap: Float64Array = averagePrecision(logits, targets, shape);
export const map: MeanAveragePrecisionResult = meanAveragePrecision(logits, targets, shape);
export const accumulator = new MultiLabelMetrics(3, { threshold: null });

const threadOptions: SimdThreadsOptions = { threads: 2, minElements: 1 << 16 };
export const threads: Promise<number> = startSimdThreads(threadOptions);
export const count: number = simdThreadCount();
export const stopped: Promise<void> = stopSimdThreads();
export { singleOptions };

// @ts-expect-error gammaNeg is a number
export const wrongOption: MultiLabelLossOptions = { gammaNeg: 'x' };
// @ts-expect-error reduction 'none' gives the element-wise Float32Array, not a number
export const wrongResult: number = asymmetricLossMultiLabel(logits, targets, shape, { reduction: 'none' }).loss;
// @ts-expect-error the tfjs op has no option 'gamma'
export const wrongTfOption: TfMultiLabelOptions = { gamma: 2 };
// @ts-expect-error threads is a number
export const wrongThreads: SimdThreadsOptions = { threads: '2' };
// @ts-expect-error averagePrecision returns a Float64Array
export const wrongMetric: string = averagePrecision(logits, targets, shape);
`;

/** The package.json subpath with an import attribute (TypeScript >= 5.3 parses `with`). */
const consumerJson = `
import manifest from 'asymmetric-loss/package.json' with { type: 'json' };
export const version: string = manifest.version;
// @ts-expect-error the manifest's name is a string
export const wrongName: number = manifest.name;
`;

/**
 * A consumer of the parts that need no DOM (core, metrics, threads), compiled with only the
 * ECMAScript library, as a Node program without DOM types is: our declarations must not need it.
 */
const consumerWithoutDom = `
import { asymmetricLossMultiLabel, wasmReady, type LossResult, type Precision } from 'asymmetric-loss';
import { meanAveragePrecision, MultiLabelMetrics } from 'asymmetric-loss/metrics';
import { startSimdThreads, type SimdThreadsOptions } from 'asymmetric-loss/threads';
export const r: LossResult = asymmetricLossMultiLabel([1], [0], [1, 1]);
export const p: Precision = 'float32';
export const o: SimdThreadsOptions = { threads: 2 };
export { wasmReady, meanAveragePrecision, MultiLabelMetrics, startSimdThreads };
`;

const compilers = [
  {
    name: 'TypeScript 6',
    version: '6.',
    tsc: join(repoRoot, 'node_modules/typescript/bin/tsc'),
    attributes: true,
  },
  {
    name: 'TypeScript 5.0',
    version: '5.0.',
    tsc: join(repoRoot, 'packages/typescript-min/node_modules/typescript/bin/tsc'),
    attributes: false,
  },
];
const resolutions = [
  { name: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext' },
  { name: 'bundler', module: 'esnext', moduleResolution: 'bundler' },
];
const declarations = ['index.d.ts', 'tfjs/index.d.ts', 'metrics/index.d.ts', 'threads/index.d.ts'];

/** A script's `RESULT` line, parsed. */
function scriptResult(result: Exec): Record<string, unknown> {
  assert.equal(result.code, 0, describeExec(result));
  const line = result.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line !== undefined, `no RESULT line: ${describeExec(result)}`);
  return JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
}

/** |actual - expected| <= tolerance * |expected|. */
function assertClose(actual: unknown, expected: number, tolerance: number, what: string): void {
  assert.equal(typeof actual, 'number', `${what}: ${String(actual)}`);
  const error = Math.abs((actual as number) - expected);
  assert.ok(
    error <= tolerance * Math.abs(expected),
    `${what}: ${String(actual)} vs ${expected} (relative error ${error / Math.abs(expected)}, ` +
      `tolerance ${tolerance})`,
  );
}

describe('asymmetric-loss packed and installed as a user gets it', () => {
  let work = '';
  let project = '';
  let installed = '';
  let packed: Packed;
  let install: Exec;
  let esm: Promise<Exec>;
  let cjs: Promise<Exec>;
  let publintRun: Promise<Exec>;
  let attwRun: Promise<Attw>;
  const typeChecks = new Map<string, Promise<Exec>>();

  before(async () => {
    assertBuilt(packageDir, 'dist/index.js');
    work = realpathSync(mkdtempSync(join(tmpdir(), 'asl-package-')));
    packed = await packPackage(packageDir, join(work, 'pack'));
    console.log(
      `asymmetric-loss tarball: ${packed.size} bytes, unpacked ${packed.unpackedSize} bytes, ` +
        `${packed.entryCount} files`,
    );
    // The linters read the tarball; they run while the install and the scripts do.
    publintRun = publint(packed.tarball, work);
    attwRun = attw(packed.tarball, work);
    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
    );
    const cache = join(work, 'empty-cache');
    mkdirSync(cache);
    install = await npm(
      ['install', '--offline', '--no-audit', '--no-fund', '--cache', cache, packed.tarball],
      project,
    );
    installed = join(project, 'node_modules', 'asymmetric-loss');
    if (install.code !== 0) return; // the install test reports it; the others fail on it
    // The optional peer, as a user would install it (linked packages resolve their own
    // dependencies from their real paths in the repository's node_modules).
    mkdirSync(join(project, 'node_modules/@tensorflow'));
    for (const name of ['tfjs-core', 'tfjs-backend-cpu'])
      symlinkSync(
        join(repoRoot, 'node_modules/@tensorflow', name),
        join(project, 'node_modules/@tensorflow', name),
        'dir',
      );
    writeFileSync(join(project, 'esm.mjs'), esmScript);
    writeFileSync(join(project, 'cjs.cjs'), cjsScript);
    esm = exec(process.execPath, ['esm.mjs'], { cwd: project });
    cjs = exec(process.execPath, ['cjs.cjs'], { cwd: project });
    writeFileSync(join(project, 'consumer.ts'), consumer);
    writeFileSync(join(project, 'consumer-json.ts'), consumerJson);
    writeFileSync(join(project, 'consumer-without-dom.ts'), consumerWithoutDom);
    const withoutDom = {
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2022'],
        strict: true,
        skipLibCheck: false,
        types: [],
        noEmit: true,
      },
      files: ['consumer-without-dom.ts'],
    };
    writeFileSync(join(project, 'tsconfig.without-dom.json'), JSON.stringify(withoutDom, null, 2));
    const withoutDomCheck = exec(
      process.execPath,
      [compilers[0].tsc, '-p', 'tsconfig.without-dom.json', '--pretty', 'false'],
      { cwd: project },
    );
    typeChecks.set('without DOM', withoutDomCheck);
    for (const compiler of compilers)
      for (const resolution of resolutions) {
        const config = `tsconfig.${compiler.attributes ? 'ts6' : 'ts5'}.${resolution.name}.json`;
        const compilerOptions = {
          module: resolution.module,
          moduleResolution: resolution.moduleResolution,
          target: 'es2022',
          strict: true,
          skipLibCheck: false,
          types: [],
          resolveJsonModule: true,
          noEmit: true,
        };
        const files = compiler.attributes ? ['consumer.ts', 'consumer-json.ts'] : ['consumer.ts'];
        writeFileSync(join(project, config), JSON.stringify({ compilerOptions, files }, null, 2));
        typeChecks.set(
          `${compiler.name} ${resolution.name}`,
          exec(process.execPath, [compiler.tsc, '-p', config, '--listFiles', '--pretty', 'false'], {
            cwd: project,
          }),
        );
      }
  });

  after(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  function assertInstalled(): void {
    assert.equal(install.code, 0, `the install failed: ${describeExec(install)}`);
  }

  it('the tarball holds dist/, package.json and LICENSE, and no tests, maps, sources or data', () => {
    const problems = forbiddenFiles(packed.files, [
      ...neverPublished,
      { pattern: /^(data|assets)\/|\.(ttf|otf|woff2?|gz|jsonl|csv)$/, why: 'data or fonts' },
    ]);
    assert.deepEqual(problems, [], `files that must not be published:\n${problems.join('\n')}`);
    const outside = packed.files.filter(
      (f) => !f.startsWith('dist/') && !['package.json', 'LICENSE', 'README.md'].includes(f),
    );
    assert.deepEqual(outside, [], 'only dist/, package.json, LICENSE and README.md are packed');
    for (const file of ['package.json', 'LICENSE', 'dist/core/wasm/kernels.generated.js'])
      assert.ok(packed.files.includes(file), `${file} is packed`);
    for (const entry of declarations) {
      assert.ok(packed.files.includes(`dist/${entry}`), `dist/${entry} is packed`);
      assert.ok(packed.files.includes(`dist/${entry.replace(/\.d\.ts$/, '.js')}`));
    }
    assert.equal(packed.entryCount, packed.files.length);
    assert.ok(packed.size < 200_000, `the tarball is ${packed.size} bytes (expected < 200 kB)`);
  });

  it('installs offline from an empty cache: exactly one package, no dependencies', async () => {
    assertInstalled();
    const entries = readdirSync(join(project, 'node_modules')).filter((e) => !e.startsWith('.'));
    assert.deepEqual(entries, ['@tensorflow', 'asymmetric-loss']); // @tensorflow: our links
    const lock = JSON.parse(
      readFileSync(join(project, 'node_modules/.package-lock.json'), 'utf8'),
    ) as { packages: Record<string, { version?: string }> };
    assert.deepEqual(Object.keys(lock.packages), ['node_modules/asymmetric-loss']);
    assert.equal(lock.packages['node_modules/asymmetric-loss'].version, '0.1.0');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      dependencies?: unknown;
    };
    assert.equal(manifest.dependencies, undefined, 'the library has no dependencies');
  });

  it('ESM: every subpath imports and computes the seed walkthrough values', async () => {
    assertInstalled();
    const result = scriptResult(await esm);
    assertClose(crossEntropy, 1.7944835, 5e-8 / 1.7944835, "timm's documented cross-entropy");
    assertClose(result.single, crossEntropy, 1e-12, 'single-label, all parameters zero');
    assertClose(result.multi, binaryCrossEntropy, 1e-12, 'multi-label, all parameters zero');
    assertClose(result.multiClass, binaryCrossEntropy, 1e-12, 'AsymmetricLossMultiLabel class');
    assertClose(result.tfMulti, result.multi as number, 1e-6, 'tfjs op (cpu) vs the core');
    assert.deepEqual(result.ap, [(1 + 2 / 3) / 2], 'averagePrecision of a known ranking');
    assert.equal(result.version, '0.1.0');
    assert.equal(result.started, 2);
    assert.equal(result.threadCount, 2);
    assertClose(result.threaded, binaryCrossEntropy, 1e-6, 'float32 SIMD kernel with threads');
    assert.equal(result.threadCountAfter, 1);
    const snapshot = JSON.parse(readFileSync(new URL('api.snapshot.json', import.meta.url), 'utf8'))
      .exports as Record<string, Record<string, string>>;
    const values = Object.fromEntries(
      Object.entries(snapshot).map(([subpath, names]) => [
        subpath,
        Object.keys(names)
          .filter((name) => !/^(interface|type)$/.test(names[name]))
          .sort(),
      ]),
    );
    assert.deepEqual(result.names, values, 'the runtime exports are the snapshot’s values');
  });

  it('CommonJS: require() of every subpath works and gives the same values', async () => {
    assertInstalled();
    const [fromCjs, fromEsm] = [scriptResult(await cjs), scriptResult(await esm)];
    for (const key of ['single', 'multi', 'multiClass', 'tfMulti', 'ap', 'names', 'version'])
      assert.deepEqual(fromCjs[key], fromEsm[key], key);
    assert.equal(fromCjs.threadCount, 1);
  });

  for (const compiler of compilers)
    for (const resolution of resolutions) {
      const name = `${compiler.name} ${resolution.name}`;
      it(`${name}: a strict consumer type-checks against the declarations (skipLibCheck false)`, async () => {
        assertInstalled();
        const { version } = JSON.parse(
          readFileSync(join(compiler.tsc, '../../package.json'), 'utf8'),
        ) as { version: string };
        assert.ok(version.startsWith(compiler.version), `${compiler.tsc} is ${version}`);
        const result = await typeChecks.get(name)!;
        const listed = result.stdout.split('\n').map((line) => resolve(project, line.trim()));
        for (const entry of declarations)
          assert.ok(
            listed.includes(join(installed, 'dist', entry)),
            `tsc checked node_modules/asymmetric-loss/dist/${entry}\n${describeExec(result)}`,
          );
        const ours = [join(project, 'consumer.ts'), join(project, 'consumer-json.ts')];
        const errors = `${result.stdout}\n${result.stderr}`
          .split('\n')
          .filter((line) => /error TS\d+/.test(line))
          .filter((line) => {
            const file = /^(.+?)\(\d+,\d+\): error TS/.exec(line)?.[1];
            if (file === undefined) return true; // a global error (options, missing files)
            const path = isAbsolute(file) ? file : resolve(project, file);
            return ours.includes(path) || path.startsWith(installed + sep);
          });
        assert.deepEqual(errors, [], `type errors in the consumer or in our declarations`);
        if (result.code !== 0)
          assert.match(result.stdout, /node_modules\/(@webgpu|@tensorflow)/, describeExec(result));
      });
    }

  it('core, metrics and threads type-check without the DOM library (lib es2022 only)', async () => {
    assertInstalled();
    const result = await typeChecks.get('without DOM')!;
    assert.equal(result.code, 0, describeExec(result));
  });

  it('the declarations import .js paths only', () => {
    assertInstalled();
    const problems = declarationSpecifierProblems(installed, packed.files);
    assert.deepEqual(problems, [], `specifiers a consumer cannot follow:\n${problems.join('\n')}`);
    const text = declarations.map((f) => readFileSync(join(installed, 'dist', f), 'utf8'));
    assert.ok(text.some((t) => t.includes("from './core/multi-label.js'")));
  });

  lintTests(packageDir, () => ({ publint: publintRun, attw: attwRun }));
});
