/**
 * `wasmReady`, in a module of its own so that its declaration names no WebAssembly type: the
 * library's public declarations type-check without the DOM library (Node-only TypeScript
 * projects have no `WebAssembly` namespace in @types/node 20).
 */
import { kernelsSettled } from './loader.js';

/**
 * Resolves to `true` once the WebAssembly SIMD kernels are compiled and used by default, or to
 * `false` where WebAssembly SIMD is unavailable (the exact float64 kernels are then used). In
 * Node this settles at once; in a browser's main thread, await it before timing or comparing
 * results, since the first calls may run on the float64 kernels while the module compiles.
 *
 * @example
 * ```ts
 * import { wasmReady } from 'asymmetric-loss';
 * const simd = await wasmReady(); // true on Node 20 and current browsers
 * ```
 */
export function wasmReady(): Promise<boolean> {
  return kernelsSettled();
}
