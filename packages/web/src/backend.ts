/**
 * The TensorFlow.js backends of the Try panel: wasm (the default), webgl and webgpu where tfjs
 * can start them, cpu as the last resort. The library's fused ASL kernels are registered for
 * all four (`asymmetric-loss/tfjs`). The wasm binaries are part of the page's build (Vite copies
 * them into web/dist/assets/), so nothing is fetched from elsewhere.
 *
 * The threaded wasm binary is not shipped: it needs cross-origin isolation (COOP/COEP headers),
 * which a static host rarely serves, and the two training workers already use two cores.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { asymmetricLossMultiLabel as coreLoss } from 'asymmetric-loss';
// Registers the fused ASL kernels for cpu, wasm, webgl and webgpu.
import { asymmetricLossMultiLabel } from 'asymmetric-loss/tfjs';
import type { BackendName, GpuBackendName } from './backend-names.js';

export type { BackendName } from './backend-names.js';

tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  // tfjs wants an entry for each binary; with multithreading off this one is never loaded.
  'tfjs-backend-wasm-threaded-simd.wasm': wasmSimd,
});

/** What a probe found out about a GPU backend. */
export interface BackendProbe {
  name: GpuBackendName;
  /** Whether tfjs started it and the library's ASL kernel agreed with the core there. */
  available: boolean;
  /** Whether the GPU is a software renderer (SwiftShader, llvmpipe, ...): slower than wasm. */
  software: boolean;
  /** The renderer or adapter, as the browser names it ('' when it does not say). */
  renderer: string;
  /** Why it is not available ('' when it is). */
  reason: string;
}

/** Names of software renderers and fallback adapters. */
const softwarePattern = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

/** The WebGL renderer's name, from `WEBGL_debug_renderer_info` when the browser exposes it. */
function webglRenderer(): string {
  try {
    const canvas =
      typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(1, 1)
        : typeof document !== 'undefined'
          ? document.createElement('canvas')
          : null;
    const gl = (canvas?.getContext('webgl2') ?? null) as WebGL2RenderingContext | null;
    if (gl === null) return '';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = info !== null ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : null;
    return String(name ?? gl.getParameter(gl.RENDERER) ?? '');
  } catch {
    return '';
  }
}

/** The WebGPU adapter's description, and whether it is a fallback (software) adapter. */
async function webgpuAdapter(): Promise<{ renderer: string; fallback: boolean } | null> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (gpu === undefined) return null;
  const adapter = (await gpu.requestAdapter()) as {
    info?: Record<string, unknown>;
    isFallbackAdapter?: boolean;
  } | null;
  if (adapter === null) return null;
  const info = adapter.info ?? {};
  const renderer = ['vendor', 'architecture', 'description']
    .map((k) => info[k])
    .filter((v) => typeof v === 'string' && v !== '')
    .join(' ');
  return {
    renderer,
    fallback: info.isFallbackAdapter === true || adapter.isFallbackAdapter === true,
  };
}

/** Registers the webgpu backend with tfjs (its code is loaded only when asked for). */
async function loadWebgpu(): Promise<void> {
  await import('@tensorflow/tfjs-backend-webgpu');
}

/** Starts `name` in this thread; resolves to whether tfjs switched to it. */
async function start(name: BackendName): Promise<boolean> {
  try {
    if (name === 'webgpu') await loadWebgpu();
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    return tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Runs the library's fused ASL kernel (loss and gradient, the paper's setting) on the current
 * backend and compares it with the core's; resolves to '' when they agree (float32 tolerance),
 * or to what differed.
 */
async function checkLoss(): Promise<string> {
  const logits = [-3, -0.5, 0.2, 2.5, -1.2, 0.8];
  const targets = [0, 1, 0, 1, 0, 0];
  const options = { gammaNeg: 4, gammaPos: 0, clip: 0.05 } as const;
  const expected = coreLoss(logits, targets, [2, 3], { ...options, reduction: 'sum' });
  const y = tf.tensor2d(targets, [2, 3]);
  const x = tf.tensor2d(logits, [2, 3]);
  const f = (z: tf.Tensor) => asymmetricLossMultiLabel(z, y, { ...options, reduction: 'sum' });
  const value = tf.tidy(() => f(x));
  const gradient = tf.tidy(() => tf.grad(f)(x));
  const [loss, grad] = await Promise.all([value.data(), gradient.data()]);
  tf.dispose([x, y, value, gradient]);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));
  if (!close(loss[0], expected.loss))
    return `the ASL kernel gave the loss ${loss[0]} instead of ${expected.loss}`;
  for (let k = 0; k < logits.length; k++)
    if (!close(grad[k], expected.grad[k]))
      return `the ASL kernel gave the gradient ${grad[k]} instead of ${expected.grad[k]}`;
  return '';
}

/**
 * Probes a GPU backend in this thread (the page runs it in a short-lived worker, as the
 * training does): starts it, runs the library's ASL kernel with its gradient and checks it
 * against the core, and names the renderer.
 */
export async function probeBackend(name: GpuBackendName): Promise<BackendProbe> {
  const result: BackendProbe = {
    name,
    available: false,
    software: false,
    renderer: '',
    reason: '',
  };
  if (name === 'webgpu') {
    const adapter = await webgpuAdapter().catch(() => null);
    if (adapter === null) {
      result.reason = 'this browser offers no WebGPU adapter';
      return result;
    }
    result.renderer = adapter.renderer;
    result.software = adapter.fallback || softwarePattern.test(adapter.renderer);
  } else {
    result.renderer = webglRenderer();
    result.software = softwarePattern.test(result.renderer);
  }
  if (!(await start(name))) {
    result.reason = `TensorFlow.js could not start its ${name} backend here`;
    return result;
  }
  try {
    result.reason = await checkLoss();
    result.available = result.reason === '';
  } catch (error) {
    result.reason = `a test op failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return result;
}

/** The backend a run got: the one asked for, or the fallback when it could not start. */
export interface BackendChoice {
  requested: BackendName;
  backend: string;
}

/** Switches tfjs to `name`, falling back to wasm, then cpu, when it cannot start. */
export async function useBackend(name: BackendName): Promise<BackendChoice> {
  for (const candidate of [name, 'wasm', 'cpu'] as const)
    if (await start(candidate)) return { requested: name, backend: tf.getBackend() };
  throw new Error('no TensorFlow.js backend could start');
}
