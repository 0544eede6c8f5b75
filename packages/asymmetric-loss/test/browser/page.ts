/**
 * The browser conformance page: every reference vector through the library's tfjs ops and
 * `tf.grad` on a browser backend (webgl, webgpu), as the Node tests do on cpu and wasm. Exposes
 * `window.aslConformance(backend)`, which resolves to the renderer and each case's loss and
 * gradient (or `available: false` when the backend does not start); the Node side checks them.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import fixture from '@asymmetric-loss/testing/fixtures/asl-public.json' with { type: 'json' };
import type { ReferenceCase } from '@asymmetric-loss/testing/reference';
import { referenceTensors } from '@asymmetric-loss/testing/reference-run';
import {
  aslLoss,
  asymmetricLossMultiLabel,
  asymmetricLossSingleLabel,
} from '../../src/tfjs/index.js';

/** What the page reports for one backend. */
export interface ConformanceResult {
  available: boolean;
  renderer: string | null;
  /** Whether the fused kernels (multi-label, single-label) are registered for the backend. */
  fused: [boolean, boolean];
  cases: { id: string; loss: number[]; grad: number[] }[];
  /** The kernels of one `tf.grad` of each op (multi-label, single-label), from `tf.profile`. */
  kernels: [string[], string[]];
  /** Tensors and bytes before and after 1,000 `optimizer.minimize` steps with the op. */
  memory: { before: [number, number]; after: [number, number] };
}

/**
 * 1,000 Adam steps on a [16, 40] variable, each with the multi-label and the single-label op
 * (sample weights, a per-sample loss summed); memory before and after.
 */
async function minimizeSteps(): Promise<ConformanceResult['memory']> {
  const x = tf.variable(tf.randomNormal([16, 40], 0, 2, 'float32', 1));
  const y = tf.cast(tf.less(tf.randomUniform([16, 40], 0, 1, 'float32', 2), 0.1), 'float32');
  const t = tf.tensor1d(
    Array.from({ length: 16 }, (_, i) => (i * 7) % 40),
    'int32',
  );
  const w = tf.linspace(0.5, 1.5, 16);
  const optimizer = tf.train.adam(0.01);
  const step = () =>
    optimizer.minimize(
      () =>
        tf.add(
          asymmetricLossMultiLabel(x, y, { gammaNeg: 3.5, gammaPos: 0.5 }),
          tf.sum(asymmetricLossSingleLabel(x, t, { sampleWeights: w, reduction: 'none' })),
        ) as tf.Scalar,
    );
  step(); // the optimizer's own slots
  await x.data();
  const memory = () => [tf.memory().numTensors, tf.memory().numBytes] as [number, number];
  const before = memory();
  for (let i = 0; i < 1000; i++) step();
  await x.data();
  const after = memory();
  optimizer.dispose();
  tf.dispose([x, y, t, w]);
  return { before, after };
}

/** The kernels that one gradient of each op runs (multi-label, single-label). */
async function gradientKernels(): Promise<[string[], string[]]> {
  const x = tf.randomNormal([8, 10], 0, 2, 'float32', 3);
  const y = tf.cast(tf.less(tf.randomUniform([8, 10], 0, 1, 'float32', 4), 0.3), 'float32');
  const t = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 9], 'int32');
  const names = async (f: (x: tf.Tensor) => tf.Tensor) => {
    const info = await tf.profile(() => tf.grad(f)(x));
    return info.kernelNames;
  };
  const kernels: [string[], string[]] = [
    await names((z) => asymmetricLossMultiLabel(z, y)),
    await names((z) => asymmetricLossSingleLabel(z, t)),
  ];
  tf.dispose([x, y, t]);
  return kernels;
}

async function aslConformance(backend: string): Promise<ConformanceResult> {
  let available: boolean;
  try {
    available = await tf.setBackend(backend);
    await tf.ready();
  } catch {
    available = false;
  }
  if (!available)
    return {
      available,
      renderer: null,
      fused: [false, false],
      cases: [],
      kernels: [[], []],
      memory: { before: [0, 0], after: [0, 0] },
    };
  const ops = { multi: asymmetricLossMultiLabel, single: asymmetricLossSingleLabel };
  const cases: ConformanceResult['cases'] = [];
  for (const cs of (fixture as unknown as { cases: ReferenceCase[] }).cases) {
    const { loss, grad } = referenceTensors(tf, ops, cs);
    // Read asynchronously: webgpu has no synchronous read.
    cases.push({
      id: cs.id,
      loss: Array.from(await loss.data()),
      grad: Array.from(await grad.data()),
    });
    tf.dispose([loss, grad]);
  }
  const gl = document.createElement('canvas').getContext('webgl2');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null;
  const fused = ['AsymmetricLossMultiLabel', 'AsymmetricLossSingleLabel'].map(
    (name) => tf.getKernel(name, backend) !== undefined,
  ) as [boolean, boolean];
  const kernels = await gradientKernels();
  return { available, renderer, fused, cases, kernels, memory: await minimizeSteps() };
}

/** A generated case (see browser-conformance.test.ts): inputs, options and the upstream gradient. */
export interface RandomCase {
  kind: 'multi' | 'single';
  shape: [number, number];
  logits: number[];
  /** `[n, c]` targets (multi) or `n` class indices (single). */
  labels: number[];
  options: Record<string, unknown>;
  sampleWeights: number[] | null;
  /** `[n, c]` element weights (multi-label), or null. */
  elementWeights: number[] | null;
  /** For `reduction: 'none'`: the weights of the losses whose sum is differentiated. */
  upstream: number[] | null;
}

/** Loss, gradient and the kernels of each case through the op on `backend`. */
async function aslRun(
  backend: string,
  cases: RandomCase[],
): Promise<{ loss: number[]; grad: number[]; kernels: string[] }[]> {
  await tf.setBackend(backend);
  const results = [];
  for (const cs of cases) {
    const [n, c] = cs.shape;
    const x = tf.tensor2d(cs.logits, [n, c]);
    const labels =
      cs.kind === 'multi' ? tf.tensor2d(cs.labels, [n, c]) : tf.tensor1d(cs.labels, 'int32');
    const weights = cs.sampleWeights === null ? null : tf.tensor1d(cs.sampleWeights);
    const elementWeights =
      cs.elementWeights === null ? null : tf.tensor2d(cs.elementWeights, [n, c]);
    const upstream =
      cs.upstream === null ? null : tf.tensor(cs.upstream, cs.kind === 'multi' ? [n, c] : [n]);
    const options = {
      ...cs.options,
      sampleWeights: weights,
      ...(cs.kind === 'multi' ? { elementWeights } : {}),
    };
    const op = (z: tf.Tensor) =>
      cs.kind === 'multi'
        ? asymmetricLossMultiLabel(z, labels, options)
        : asymmetricLossSingleLabel(z, labels, options);
    const f = (z: tf.Tensor) => (upstream === null ? op(z) : tf.sum(tf.mul(op(z), upstream)));
    let grad: tf.Tensor | undefined;
    const profile = await tf.profile(() => {
      grad = tf.grad(f)(x);
      return grad;
    });
    const loss = op(x);
    results.push({
      loss: Array.from(await loss.data()),
      grad: Array.from(await grad!.data()),
      kernels: profile.kernelNames,
    });
    tf.dispose([
      x,
      labels,
      loss,
      grad!,
      ...(weights ? [weights] : []),
      ...(elementWeights ? [elementWeights] : []),
      ...(upstream ? [upstream] : []),
    ]);
  }
  return results;
}

/**
 * Four SGD steps of a small model with `model.fit` and `aslLoss`, and of a copy with a custom
 * loop calling the op: the largest weight difference after each step.
 */
async function aslFit(backend: string): Promise<number[]> {
  await tf.setBackend(backend);
  const [n, d, c] = [32, 6, 5];
  const x = tf.randomNormal([n, d], 0, 1, 'float32', 7);
  const y = tf.cast(tf.greater(tf.randomUniform([n, c], 0, 1, 'float32', 8), 0.6), 'float32');
  const make = () => {
    const m = tf.sequential();
    m.add(
      tf.layers.dense({
        units: 8,
        inputShape: [d],
        activation: 'tanh',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
    );
    m.add(
      tf.layers.dense({ units: c, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    );
    return m;
  };
  const options = { gammaNeg: 4, gammaPos: 0, clip: 0.05 };
  const fitted = make();
  fitted.compile({ optimizer: tf.train.sgd(0.5), loss: aslLoss(options) });
  const looped = make();
  looped.setWeights(fitted.getWeights());
  const optimizer = tf.train.sgd(0.5);
  const differences: number[] = [];
  for (let step = 0; step < 4; step++) {
    await fitted.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    optimizer.minimize(
      () =>
        asymmetricLossMultiLabel(looped.apply(x) as tf.Tensor, y, {
          ...options,
          reduction: 'batchmean',
        }) as tf.Scalar,
    );
    const a = await Promise.all(fitted.getWeights().map((w) => w.data()));
    const b = await Promise.all(looped.getWeights().map((w) => w.data()));
    differences.push(
      Math.max(...a.flatMap((w, i) => Array.from(w, (v, k) => Math.abs(v - b[i][k])))),
    );
  }
  tf.dispose([x, y]);
  fitted.dispose();
  looped.dispose();
  optimizer.dispose();
  return differences;
}

/** The error of each op called with `validate: true` on `backend` (null: no error). */
async function aslValidateErrors(backend: string): Promise<(string | null)[]> {
  await tf.setBackend(backend);
  const x = tf.zeros([2, 3]);
  const calls = [
    () => asymmetricLossMultiLabel(x, tf.zeros([2, 3]), { validate: true }),
    () => asymmetricLossSingleLabel(x, tf.tensor1d([0, 1], 'int32'), { validate: true }),
  ];
  const errors = calls.map((call) => {
    try {
      tf.tidy(call);
      return null;
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  });
  x.dispose();
  return errors;
}

declare global {
  interface Window {
    aslConformance?: typeof aslConformance;
    aslRun?: typeof aslRun;
    aslFit?: typeof aslFit;
    aslValidateErrors?: typeof aslValidateErrors;
  }
}
// `?f16`: emulate a WebGL device without float32 render targets, before webgl starts.
if (new URLSearchParams(location.search).has('f16')) tf.env().set('WEBGL_FORCE_F16_TEXTURES', true);
window.aslConformance = aslConformance;
window.aslRun = aslRun;
window.aslFit = aslFit;
window.aslValidateErrors = aslValidateErrors;
(window as unknown as Record<string, unknown>).dbg = {
  tf,
  asymmetricLossMultiLabel,
  asymmetricLossSingleLabel,
};
