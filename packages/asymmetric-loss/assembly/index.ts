// Entry point of the WebAssembly SIMD kernels (compiled by scripts/build-wasm.mjs). No runtime,
// no allocation: the JavaScript side (src/core/wasm/) lays out its buffers above `heapBase()`
// and grows the memory when a batch needs more.

import { vexp, vexpm1Small, vlog } from './vmath';

export { mlSetParams, mlRun, mlWeight } from './multi-label';
export { slSetParams, slRun } from './single-label';

/** First free byte after the static data (constants, parameters, block scratch). */
export function heapBase(): usize {
  return __heap_base;
}

// Element-wise math over `n` floats at `p` (n a multiple of 4), in place: for the accuracy tests.

export function mathExp(p: usize, n: i32): void {
  for (let o: usize = 0; o < (<usize>n << 2); o += 16) v128.store(p + o, vexp(v128.load(p + o)));
}

export function mathLog(p: usize, n: i32): void {
  for (let o: usize = 0; o < (<usize>n << 2); o += 16) v128.store(p + o, vlog(v128.load(p + o)));
}

export function mathExpm1(p: usize, n: i32): void {
  for (let o: usize = 0; o < (<usize>n << 2); o += 16)
    v128.store(p + o, vexpm1Small(v128.load(p + o)));
}
