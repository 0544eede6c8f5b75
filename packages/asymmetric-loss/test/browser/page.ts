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
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel } from '../../src/tfjs/index.js';

/** What the page reports for one backend. */
export interface ConformanceResult {
  available: boolean;
  renderer: string | null;
  /** Whether the fused multi-label kernel is registered for the backend (else: the fallback). */
  fused: boolean;
  cases: { id: string; loss: number[]; grad: number[] }[];
  /** Tensors and bytes before and after 1,000 `optimizer.minimize` steps with the op. */
  memory: { before: [number, number]; after: [number, number] };
}

/** 1,000 Adam steps on a [16, 40] variable with the multi-label op; memory before and after. */
async function minimizeSteps(): Promise<ConformanceResult['memory']> {
  const x = tf.variable(tf.randomNormal([16, 40], 0, 2, 'float32', 1));
  const y = tf.cast(tf.less(tf.randomUniform([16, 40], 0, 1, 'float32', 2), 0.1), 'float32');
  const optimizer = tf.train.adam(0.01);
  const step = () =>
    optimizer.minimize(
      () => asymmetricLossMultiLabel(x, y, { gammaNeg: 3.5, gammaPos: 0.5 }) as tf.Scalar,
    );
  step(); // the optimizer's own slots
  await x.data();
  const memory = () => [tf.memory().numTensors, tf.memory().numBytes] as [number, number];
  const before = memory();
  for (let i = 0; i < 1000; i++) step();
  await x.data();
  const after = memory();
  optimizer.dispose();
  tf.dispose([x, y]);
  return { before, after };
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
      fused: false,
      cases: [],
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
  const fused = tf.getKernel('AsymmetricLossMultiLabel', backend) !== undefined;
  return { available, renderer, fused, cases, memory: await minimizeSteps() };
}

declare global {
  interface Window {
    aslConformance?: typeof aslConformance;
  }
}
window.aslConformance = aslConformance;
