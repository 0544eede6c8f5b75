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
  cases: { id: string; loss: number[]; grad: number[] }[];
}

async function aslConformance(backend: string): Promise<ConformanceResult> {
  let available: boolean;
  try {
    available = await tf.setBackend(backend);
    await tf.ready();
  } catch {
    available = false;
  }
  if (!available) return { available, renderer: null, cases: [] };
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
  return { available, renderer, cases };
}

declare global {
  interface Window {
    aslConformance?: typeof aslConformance;
  }
}
window.aslConformance = aslConformance;
