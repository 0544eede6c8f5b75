/**
 * The TensorFlow.js backend of the Try panel: wasm (the library's fused ASL kernels run there),
 * webgl where the browser has it, cpu as the last resort. The wasm binaries are part of the
 * page's build (Vite copies them into web/dist/assets/), so nothing is fetched from elsewhere.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
// Registers the fused ASL kernels for cpu and wasm.
import 'asymmetric-loss/tfjs';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/** The backends the page offers. */
export type BackendName = 'wasm' | 'webgl' | 'cpu';

/** Whether a WebGL context can be created here (tfjs' webgl backend needs one); works in workers. */
export function hasWebgl(): boolean {
  try {
    if (typeof OffscreenCanvas !== 'undefined') {
      const canvas = new OffscreenCanvas(1, 1);
      return (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) !== null;
    }
    if (typeof document === 'undefined') return false;
    const canvas = document.createElement('canvas');
    return (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) !== null;
  } catch {
    return false;
  }
}

/**
 * Switches tfjs to `name` (falling back to wasm, then cpu, when it cannot start); resolves to
 * the backend in use.
 */
export async function useBackend(name: BackendName): Promise<string> {
  for (const candidate of [name, 'wasm', 'cpu'] as const) {
    try {
      if (await tf.setBackend(candidate)) {
        await tf.ready();
        return tf.getBackend();
      }
    } catch {
      // Try the next one.
    }
  }
  throw new Error('no TensorFlow.js backend could start');
}
