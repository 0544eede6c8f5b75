/**
 * Loading of the WebAssembly SIMD kernels. The module is embedded in the package (base64 in
 * `kernels.generated.ts`, written by `npm run build:wasm`), so loading needs neither the network
 * nor the file system, and it is instantiated once per realm (one memory, reused by every call).
 *
 * - Node, Deno, Bun, web workers, Firefox and Safari: compiled synchronously on the first loss
 *   call (about a millisecond for these 24 KB).
 * - Chrome's main thread refuses synchronous compilation of modules over 4 KB (a `RangeError`):
 *   there the module compiles asynchronously, started when this file is imported; losses use the
 *   exact float64 kernel until it is ready. `await wasmReady()` to be sure of the SIMD kernel.
 * - Without WebAssembly SIMD (the module fails to compile) the float64 kernel is used throughout.
 */
import { kernelsWasmBase64 } from './kernels.generated.js';

/** The module's exports (see assembly/index.ts). Pointers are byte offsets into `memory`. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  mlSetParams(
    gammaNeg: number,
    gammaPos: number,
    clip: number,
    xcHi: number,
    xcLo: number,
    tPos: number,
    tNeg: number,
    logEps: number,
    focal: boolean | number,
    gScale: number,
  ): void;
  mlRun(x: number, y: number, g: number, l: number, len: number): number;
  mlWeight(
    g: number,
    l: number,
    k0: number,
    len: number,
    c: number,
    cw: number,
    rowL: number,
    rowG: number,
    up: number,
    ew: number,
    gScale: number,
  ): number;
  slSetParams(
    gammaPos: number,
    gammaNeg: number,
    eps: number,
    focal: boolean | number,
    gScale: number,
  ): void;
  slRun(
    x: number,
    t: number,
    g: number,
    l: number,
    n: number,
    c: number,
    scratch: number,
    rowW: number,
    rowUp: number,
  ): number;
  mathExp(p: number, n: number): void;
  mathLog(p: number, n: number): void;
  mathExpm1(p: number, n: number): void;
}

type State = 'idle' | 'loading' | 'ready' | 'unavailable';

let state: State = 'idle';
let kernels: KernelExports | null = null;
let pending: Promise<boolean> | null = null;

/** The kernels' WebAssembly binary, decoded from the embedded base64 (a new copy each call). */
export function kernelModuleBytes(): Uint8Array {
  const binary = atob(kernelsWasmBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function instantiate(module: WebAssembly.Module): void {
  kernels = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
  state = 'ready';
}

/** Synchronous compilation; false if refused (browser main thread) or impossible (no SIMD). */
function loadSync(): boolean {
  if (typeof WebAssembly !== 'object') {
    state = 'unavailable';
    return false;
  }
  try {
    instantiate(new WebAssembly.Module(kernelModuleBytes() as BufferSource));
    return true;
  } catch (error) {
    // RangeError: synchronous compilation refused for this size; compile asynchronously.
    if (!(error instanceof RangeError)) state = 'unavailable';
    return false;
  }
}

function loadAsync(): Promise<boolean> {
  state = 'loading';
  pending = WebAssembly.compile(kernelModuleBytes() as BufferSource).then(
    (module) => {
      instantiate(module);
      return true;
    },
    () => {
      state = 'unavailable';
      return false;
    },
  );
  return pending;
}

/**
 * The kernels' exports if the module is ready, else null (the caller uses the float64 kernel).
 * The first call compiles the module synchronously where allowed, else starts the asynchronous
 * compilation.
 */
export function getKernels(): KernelExports | null {
  if (state === 'ready') return kernels;
  if (state === 'idle' && !loadSync() && state === 'idle') void loadAsync();
  return kernels;
}

/** Settles once loading has: whether the SIMD kernels are in use (see `wasmReady`). */
export function kernelsSettled(): Promise<boolean> {
  getKernels();
  if (state === 'loading' && pending !== null) return pending;
  return Promise.resolve(state === 'ready');
}

// A browser's main thread: start compiling now, so the kernels are ready by the first batch.
if (typeof document !== 'undefined' && typeof WebAssembly === 'object') getKernels();
