/**
 * The WebAssembly SIMD kernels, for the losses' kernel selection: each getter returns the kernel
 * once the module is loaded (compiling it on first use where synchronous compilation is allowed),
 * or null (the caller then uses the exact float64 kernel).
 */
import { Arena } from './arena.js';
import { getKernels } from './loader.js';
import { createMultiLabelKernel } from './multi-label-simd.js';
import type { SimdMultiLabelKernel } from './multi-label-simd.js';
import { createSingleLabelKernel } from './single-label-simd.js';
import type { SimdSingleLabelKernel } from './single-label-simd.js';

export type { SimdMultiLabelKernel, SimdSingleLabelKernel };

export { wasmReady } from './ready.js';

let multiLabel: SimdMultiLabelKernel | null = null;
let singleLabel: SimdSingleLabelKernel | null = null;

function create(): boolean {
  const kernels = getKernels();
  if (kernels === null) return false;
  const arena = new Arena(kernels);
  multiLabel = createMultiLabelKernel(kernels, arena);
  singleLabel = createSingleLabelKernel(kernels, arena);
  return true;
}

/** The float32 SIMD multi-label kernel, or null while (or where) WebAssembly SIMD is unavailable. */
export function simdMultiLabelKernel(): SimdMultiLabelKernel | null {
  if (multiLabel === null) create();
  return multiLabel;
}

/** The float32 SIMD single-label kernel, or null while (or where) WebAssembly SIMD is unavailable. */
export function simdSingleLabelKernel(): SimdSingleLabelKernel | null {
  if (singleLabel === null) create();
  return singleLabel;
}
