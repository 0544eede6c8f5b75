/// <reference types="vite/client" />
/**
 * The browser benchmark's page: one forward+backward step (`tf.valueAndGrad`, both results
 * disposed, the gradient left on the backend) of the `asymmetric-loss/tfjs` op against timm's
 * loss written with tfjs ops (`../tfjs-port.ts`), on each backend the browser starts (wasm,
 * webgl, webgpu), same page, same run. Exposes `window.aslBench(options)`, which resolves to the
 * rows; `bench/browser.bench.ts` builds this page, opens it in Chromium and reports them.
 *
 * A GPU backend queues work: a step is timed until its gradient's data is ready (`await
 * grad.data()`), a readback of `n * c` floats included on both sides.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel } from 'asymmetric-loss/tfjs';
import { allocated, timmSingleWithTfOps, timmWithTfOps } from '../tfjs-port.js';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/** What the runner asks for. */
export interface PageOptions {
  backends: string[];
  sizes: [number, number][];
  /** Timed steps per measurement (after one warm-up step). */
  steps: number;
  filter?: string;
}

/** One measured case. */
export type PageRow = Record<string, string | number | boolean | null>;

/** Median ms of `runs` awaited calls of `step`, after one warm-up call. */
async function time(step: () => Promise<void>, runs: number): Promise<number> {
  await step();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** A timed step: value and gradient, the gradient's data awaited, both disposed. */
function stepOf(f: (x: tf.Tensor) => { value: tf.Scalar; grad: tf.Tensor }, x: tf.Tensor) {
  return async () => {
    const { value, grad } = f(x);
    await grad.data();
    tf.dispose([value, grad]);
  };
}

/** The renderer behind a GPU backend (SwiftShader is a software GPU: CPU times), or null. */
async function renderer(backend: string): Promise<string | null> {
  if (backend === 'webgpu') {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    const adapter = (await gpu?.requestAdapter()) as
      | { info?: { vendor?: string; architecture?: string; description?: string } }
      | null
      | undefined;
    const info = adapter?.info;
    return info
      ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ')
      : null;
  }
  if (backend !== 'webgl') return null;
  const gl = document.createElement('canvas').getContext('webgl2');
  if (gl === null) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

async function aslBench(options: PageOptions): Promise<PageRow[]> {
  const rows: PageRow[] = [];
  for (const backend of options.backends) {
    let started: boolean;
    try {
      started = await tf.setBackend(backend);
      await tf.ready();
    } catch {
      started = false;
    }
    if (!started) {
      rows.push({ bench: 'browser', name: `${backend}: not available`, backend, available: false });
      continue;
    }
    const gpu = await renderer(backend);
    for (const [n, c] of options.sizes)
      for (const loss of ['multi-label', 'single-label'] as const) {
        const name = `${backend} ${loss} [${n}, ${c}]`;
        if (options.filter && !name.includes(options.filter)) continue;
        const x = tf.randomNormal([n, c], 0, 2, 'float32', 1);
        const y =
          loss === 'multi-label'
            ? tf.cast(tf.less(tf.randomUniform([n, c], 0, 1, 'float32', 2), 0.05), 'float32')
            : tf.cast(tf.floor(tf.randomUniform([n], 0, c, 'float32', 3)), 'int32');
        const ours = tf.valueAndGrad((z: tf.Tensor) =>
          loss === 'multi-label'
            ? (asymmetricLossMultiLabel(z, y) as tf.Scalar)
            : (asymmetricLossSingleLabel(z, y) as tf.Scalar),
        );
        const port = tf.valueAndGrad((z: tf.Tensor) =>
          loss === 'multi-label' ? timmWithTfOps(z, y) : timmSingleWithTfOps(z, y),
        );
        const oursMs = await time(stepOf(ours, x), options.steps);
        const portMs = await time(stepOf(port, x), options.steps);
        const sync = (f: typeof ours) => () => {
          const { value, grad } = f(x);
          tf.dispose([value, grad]);
        };
        const oursAlloc = await allocated(sync(ours));
        const portAlloc = await allocated(sync(port));
        rows.push({
          bench: 'browser',
          name,
          backend,
          renderer: gpu,
          msPerStep: oursMs,
          portMsPerStep: portMs,
          speedup: portMs / oursMs,
          kernelsPerStep: oursAlloc.kernels,
          portKernelsPerStep: portAlloc.kernels,
          tensorsPerStep: oursAlloc.tensors,
          portTensorsPerStep: portAlloc.tensors,
          peakBytes: oursAlloc.peakBytes,
          portPeakBytes: portAlloc.peakBytes,
        });
        tf.dispose([x, y]);
      }
  }
  return rows;
}

declare global {
  interface Window {
    aslBench?: typeof aslBench;
  }
}
window.aslBench = aslBench;
