/**
 * The WebAssembly memory as the JavaScript side uses it: regions laid out per call above the
 * module's static data, the memory grown (never shrunk) when a batch needs more, and typed-array
 * views cached so that a call with the shapes of the previous ones allocates nothing.
 */
import type { KernelExports } from './loader.js';

const PAGE = 65536;

/** Float32 elements per chunk: inputs are copied into WebAssembly memory this many at a time. */
export const CHUNK = 32768;

export class Arena {
  readonly kernels: KernelExports;
  /** First byte the regions may use (16-aligned). */
  readonly base: number;
  private buffer: ArrayBuffer | null = null;
  private f32Views = new Map<number, Map<number, Float32Array>>();
  private i32Views = new Map<number, Map<number, Int32Array>>();
  private viewCount = 0;

  constructor(kernels: KernelExports) {
    this.kernels = kernels;
    this.base = align(kernels.heapBase());
  }

  /** Makes the memory at least `bytes` long (growing it if needed). */
  reserve(bytes: number): void {
    const memory = this.kernels.memory;
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
  }

  /** A Float32Array view of `length` floats at byte offset `ptr` (cached). */
  f32(ptr: number, length: number): Float32Array {
    return this.view(this.f32Views, ptr, length, Float32Array);
  }

  /** An Int32Array view of `length` ints at byte offset `ptr` (cached). */
  i32(ptr: number, length: number): Int32Array {
    return this.view(this.i32Views, ptr, length, Int32Array);
  }

  private view<T extends Float32Array | Int32Array>(
    cache: Map<number, Map<number, T>>,
    ptr: number,
    length: number,
    Type: new (buffer: ArrayBuffer, byteOffset: number, length: number) => T,
  ): T {
    const buffer = this.kernels.memory.buffer;
    // After memory.grow the old buffer is detached: drop every view. Also bound the cache.
    if (buffer !== this.buffer || this.viewCount > 256) {
      this.buffer = buffer;
      this.f32Views.clear();
      this.i32Views.clear();
      this.viewCount = 0;
    }
    let byLength = cache.get(ptr);
    if (byLength === undefined) {
      byLength = new Map();
      cache.set(ptr, byLength);
    }
    let view = byLength.get(length);
    if (view === undefined) {
      view = new Type(buffer, ptr, length);
      byLength.set(length, view);
      this.viewCount++;
    }
    return view;
  }
}

/** Rounds a byte count up to a multiple of 16. */
export function align(bytes: number): number {
  return (bytes + 15) & ~15;
}

/**
 * Views of consecutive chunks of a caller's array, cached per array (a training loop that reuses
 * its buffers then allocates nothing per call).
 */
const chunkViews = new WeakMap<Float32Array, Float32Array[]>();

/**
 * Elements `[start, start + length)` of `array`, the `index`-th chunk of a call (the array itself
 * when it is that range).
 */
export function chunkOf(
  array: Float32Array,
  index: number,
  start: number,
  length: number,
): Float32Array {
  if (start === 0 && length === array.length) return array;
  let views = chunkViews.get(array);
  if (views === undefined) {
    views = [];
    chunkViews.set(array, views);
  }
  let view = views[index];
  if (
    view === undefined ||
    view.length !== length ||
    view.byteOffset !== array.byteOffset + start * 4
  ) {
    view = array.subarray(start, start + length);
    views[index] = view;
  }
  return view;
}
