/**
 * The tfjs ops in a real browser, on the webgl and webgpu backends of headless Chromium
 * (Debian's, driven by playwright-core; WebGPU enabled with `--enable-unsafe-webgpu`; without a
 * GPU both run on SwiftShader), where the fused GLSL and WGSL kernels run:
 * - every reference vector through `tf.grad`, against the float64 truth: loss within 1e-5
 *   relative, gradient within 1e-5 of the largest |grad|, every element finite (PyTorch's NaN
 *   cases included);
 * - 120 seeded cases over every option (shapes to 1,500 classes, saturated logits, soft targets,
 *   fractional gammas, eps 0, weights, every reduction, focalGrad detached), against the core's
 *   float64 kernels with the same tolerances, the fused kernel run and at most 6 kernels a step;
 *   40 more with partial annotations (unannotated labels, posWeight, elementWeights);
 * - `model.fit` with `aslLoss` equals a custom loop, step for step; 1,000 `optimizer.minimize`
 *   steps leave the tensor and byte counts unchanged; `validate: true` is refused on webgpu;
 * - a WebGL device without float32 render targets (emulated by `WEBGL_FORCE_F16_TEXTURES`) uses
 *   the composed fallback and warns once.
 *
 * Skipped, with a message, only when /usr/bin/chromium is missing outside CI; in CI (`CI` set)
 * a missing browser is a failure, as for the page's tests.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { rng } from '@asymmetric-loss/testing/random';
import { referenceCases } from '@asymmetric-loss/testing/reference';
import { referenceMismatches } from '@asymmetric-loss/testing/reference-run';
import type { ConformanceResult, RandomCase } from './browser/page.js';
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel } from '../src/index.js';

const chromiumPath = '/usr/bin/chromium';
const skip =
  !existsSync(chromiumPath) && !process.env.CI
    ? `${chromiumPath} not found: install Debian's chromium to run the browser conformance tests`
    : false;
const configFile = fileURLToPath(new URL('./browser/vite.config.ts', import.meta.url));

/**
 * Seeded cases over every option of the kernels: shapes from one class to rows longer than the
 * shaders' blocks and workgroups, logits from N(0, 1) to saturated (|x| up to 100), binary and
 * soft targets, fractional gammas, eps 0, no clip, class and sample weights, every reduction
 * (an upstream gradient for 'none'), the focusing weight differentiated or detached. With
 * `partial`, multi-label cases with unannotated labels (-1), `'negative'` or `'ignore'`, a
 * `gammaUnannotated` of its own or not, `posWeight` and `elementWeights`.
 */
function randomCases(count: number, seed: number, partial = false): RandomCase[] {
  const u = rng(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(u() * values.length)];
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const cases: RandomCase[] = [];
  for (let k = 0; k < count; k++) {
    const kind = partial || k % 2 === 0 ? 'multi' : 'single';
    const n = 1 + Math.floor(u() * 6);
    const c = pick([1, 2, 7, 40, 65, 300, 1500]);
    const scale = pick([1, 4, 20]);
    const logits = Array.from({ length: n * c }, () =>
      u() < 0.05 ? pick([-100, -40, 40, 100]) * u() : normal() * scale,
    );
    const soft = u() < 0.25;
    const reduction = pick(
      kind === 'multi' ? ['sum', 'mean', 'batchmean', 'none'] : ['mean', 'sum', 'none'],
    );
    const options: Record<string, unknown> =
      kind === 'multi'
        ? {
            gammaNeg: pick([0, 1, 2, 4, 0.5, 2.7]),
            gammaPos: pick([0, 1, 0.3]),
            clip: pick([0, 0.05, 0.3]),
            eps: pick([0, 1e-8, 1e-3]),
            focalGrad: pick(['full', 'detached']),
            reduction,
            classWeights: u() < 0.3 ? Array.from({ length: c }, () => 0.5 + u()) : null,
          }
        : {
            gammaNeg: pick([0, 4, 1.5]),
            gammaPos: pick([0, 1, 0.5]),
            eps: pick([0, 0.1, 0.3]),
            focalGrad: pick(['full', 'detached']),
            reduction,
          };
    const labels =
      kind === 'multi'
        ? Array.from({ length: n * c }, () => (soft ? Math.round(u() * 8) / 8 : u() < 0.2 ? 1 : 0))
        : Array.from({ length: n }, () => Math.floor(u() * c));
    let elementWeights: number[] | null = null;
    if (partial) {
      for (let e = 0; e < labels.length; e++) if (u() < 0.4) labels[e] = -1;
      options.unannotated = pick(['negative', 'ignore']);
      if (u() < 0.5) options.gammaUnannotated = pick([0, 1, 2.5]);
      if (!soft && u() < 0.5) options.posWeight = u() < 0.5 ? 3 : Array.from({ length: c }, u);
      if (u() < 0.5)
        elementWeights = Array.from({ length: n * c }, () => (u() < 0.2 ? 0 : 2 * u()));
    }
    const rows = kind === 'multi' ? n * c : n;
    cases.push({
      kind,
      shape: [n, c],
      logits: Array.from(Float32Array.from(logits)),
      labels,
      options,
      sampleWeights: u() < 0.3 ? Array.from({ length: n }, () => 0.25 + u()) : null,
      elementWeights,
      upstream: reduction === 'none' ? Array.from({ length: rows }, () => normal()) : null,
    });
  }
  return cases;
}

/** The core's loss and gradient (float64 JavaScript) of a case. */
function coreResult(cs: RandomCase): { loss: number[]; grad: Float32Array } {
  const [n, c] = cs.shape;
  const x = Float32Array.from(cs.logits);
  const call = {
    ...cs.options,
    sampleWeights: cs.sampleWeights,
    ...(cs.kind === 'multi' ? { elementWeights: cs.elementWeights } : {}),
    ...(cs.upstream === null ? {} : { upstream: cs.upstream }),
  };
  const { loss, grad } =
    cs.kind === 'multi'
      ? asymmetricLossMultiLabel(x, Float32Array.from(cs.labels), [n, c], call)
      : asymmetricLossSingleLabel(x, Int32Array.from(cs.labels), [n, c], call);
  // With 'none', the losses unreduced and the gradient of sum(upstream * loss), as the page's.
  return { loss: typeof loss === 'number' ? [loss] : Array.from(loss), grad: grad! };
}

describe('tfjs ops in Chromium against the reference vectors', { skip }, () => {
  const outDir = mkdtempSync(join(tmpdir(), 'asl-conformance-'));
  let server: PreviewServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    await build({ configFile, build: { outDir, emptyOutDir: true } });
    server = await preview({ configFile, build: { outDir }, preview: { port: 0 } });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking'],
    });
    page = await browser.newPage();
    await page.goto(server.resolvedUrls!.local[0]);
    await page.waitForFunction(() => window.aslConformance !== undefined);
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    rmSync(outDir, { recursive: true, force: true });
  });

  const cases = [...randomCases(120, 14), ...randomCases(40, 15, true)];
  for (const backend of ['webgl', 'webgpu']) {
    it(`${backend}: the fused kernels equal the core on seeded cases over every option, finite`, async () => {
      const results = await page.evaluate(([b, cs]) => window.aslRun!(b, cs), [
        backend,
        cases,
      ] as const);
      const problems: string[] = [];
      results.forEach((got, k) => {
        const cs = cases[k];
        const want = coreResult(cs);
        const label = `case ${k} (${cs.kind} [${cs.shape}] ${JSON.stringify(cs.options)})`;
        if (
          !got.kernels.includes(
            cs.kind === 'multi' ? 'AsymmetricLossMultiLabel' : 'AsymmetricLossSingleLabel',
          )
        )
          problems.push(`${label}: the fused kernel did not run (${got.kernels})`);
        // Partial annotations weight and reduce the element-wise kernel's losses in tfjs ops.
        const partial = 'unannotated' in cs.options || cs.elementWeights !== null;
        if (cs.upstream === null && got.kernels.length > (partial ? 24 : 6))
          problems.push(`${label}: ${got.kernels.length} kernels`);
        // Loss: 1e-5 relative, with floors of 1e-5 of 1 % of the losses' scale (their sum of |.|)
        // and 1e-10 absolute (float32's p - clip of a negative just above the clip cancels).
        const scale = want.loss.reduce((a, v) => a + Math.abs(v), 0);
        want.loss.forEach((v, i) => {
          const tolerance = 1e-5 * Math.max(Math.abs(v), 1e-2 * scale) + 1e-10;
          if (!(Math.abs(got.loss[i] - v) <= tolerance))
            problems.push(`${label}: loss[${i}] ${got.loss[i]} against ${v}`);
        });
        // Gradient: within 1e-5 of the largest |grad|, every element finite.
        const largest = want.grad.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
        want.grad.forEach((v, i) => {
          const g = got.grad[i];
          if (!Number.isFinite(g) || Math.abs(g - v) > 1e-5 * Math.max(largest, 1e-12))
            problems.push(`${label}: grad[${i}] ${g} against ${v} (largest ${largest})`);
        });
      });
      assert.deepEqual(problems.slice(0, 12), [], `${problems.length} problems on ${backend}`);
    });

    it(`${backend}: validate: true ${backend === 'webgpu' ? 'is refused' : 'scans on the host'}`, async () => {
      const errors = await page.evaluate((b) => window.aslValidateErrors!(b), backend);
      if (backend === 'webgl') assert.deepEqual(errors, [null, null]);
      else
        for (const [k, fn] of ['asymmetricLossMultiLabel', 'asymmetricLossSingleLabel'].entries())
          assert.match(
            errors[k] ?? '',
            new RegExp(
              `^RangeError: Argument 'validate' passed to '${fn}' must be false or undefined on the 'webgpu' backend`,
            ),
          );
    });

    it(`${backend}: model.fit with aslLoss equals a custom loop step for step`, async () => {
      const differences = await page.evaluate((b) => window.aslFit!(b), backend);
      assert.equal(differences.length, 4);
      for (const d of differences) assert.ok(d < 1e-5, `weights differ by ${differences}`);
    });

    it(`${backend}: every case within the float64 truth's tolerances, finite`, async () => {
      const result = await page.evaluate(
        (b) => window.aslConformance!(b) as Promise<ConformanceResult>,
        backend,
      );
      assert.ok(result.available, `${backend} did not start in Chromium`);
      const references = referenceCases();
      assert.equal(result.cases.length, references.length);
      const problems = references.flatMap((cs, i) =>
        referenceMismatches(cs, result.cases[i].loss, result.cases[i].grad, {
          loss: 1e-5,
          grad: 1e-5,
        }).map((p) => `${cs.id}: ${p}`),
      );
      assert.deepEqual(problems.slice(0, 20), [], `${problems.length} mismatches on ${backend}`);
      assert.deepEqual(result.fused, [true, true], 'the fused kernels are registered');
      const [multi, single] = result.kernels;
      assert.ok(multi.includes('AsymmetricLossMultiLabel'), `multi-label kernels: ${multi}`);
      assert.ok(single.includes('AsymmetricLossSingleLabel'), `single-label kernels: ${single}`);
      // The fused kernel, the backend's Sum (one or two passes) and backward's multiply by dy.
      assert.ok(multi.length <= 6 && single.length <= 6, `kernels per step: ${multi} / ${single}`);
      assert.deepEqual(result.memory.after, result.memory.before, '1,000 minimize steps leak');
    });
  }

  it('webgl without float32 render targets: the composed fallback, with one warning', async () => {
    const f16 = await browser.newPage();
    const warnings: string[] = [];
    f16.on('console', (m) => {
      if (m.type() === 'warning' && m.text().startsWith('asymmetric-loss')) warnings.push(m.text());
    });
    await f16.goto(`${server.resolvedUrls!.local[0]}?f16`);
    await f16.waitForFunction(() => window.aslRun !== undefined);
    const few = cases.slice(0, 6);
    const results = await f16.evaluate(([cs]) => window.aslRun!('webgl', cs), [few] as const);
    await f16.close();
    assert.equal(warnings.length, 1, `warnings: ${warnings.join(' | ')}`);
    assert.match(warnings[0], /float16/);
    results.forEach((got, k) => {
      assert.ok(!got.kernels.some((name) => name.startsWith('AsymmetricLoss')), `case ${k}: fused`);
      // Float16 textures: finite, and the loss within 2 % (an 11-bit mantissa).
      const want = coreResult(few[k]);
      assert.ok(got.grad.every(Number.isFinite), `case ${k}: gradient not finite`);
      const total = (v: number[]) => v.reduce((a, b) => a + b, 0);
      const [a, b] = [total(got.loss), total(want.loss)];
      assert.ok(Math.abs(a - b) <= 2e-2 * Math.abs(b) + 1e-3, `case ${k}: loss ${a} against ${b}`);
    });
  });
});
