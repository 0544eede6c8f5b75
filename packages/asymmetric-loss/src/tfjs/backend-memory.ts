/**
 * Direct access to tensor memory on the `cpu` and `wasm` backends, so the core's kernels read
 * the inputs and write the outputs in place: no `dataSync` copies, no intermediate tensors.
 * The backends' internals are described structurally (no import of the backend packages).
 */
import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/** Typed array a backend stores a tensor in. */
export type BackendArray = Float32Array | Int32Array | Uint8Array;

interface CpuBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: BackendArray): TensorInfo;
}

interface WasmBackend {
  typedArrayFromHeap(info: TensorInfo): BackendArray;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/** Reads and allocates tensors on one backend. */
export interface BackendMemory {
  /** The stored values of an input tensor, without copying. */
  read(info: TensorInfo): BackendArray;
  /**
   * Allocates float32 outputs and returns them with writable views. Views are taken after all
   * allocations (a wasm heap may grow, detaching earlier views); inputs must be read after.
   */
  allocate(shapes: number[][]): { infos: TensorInfo[]; views: Float32Array[] };
}

function cpuMemory(backend: CpuBackend): BackendMemory {
  return {
    read: (info) => backend.data.get(info.dataId).values as BackendArray,
    allocate(shapes) {
      const views = shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)));
      const infos = shapes.map((s, i) => backend.makeTensorInfo(s, 'float32', views[i]));
      return { infos, views };
    },
  };
}

function wasmMemory(backend: WasmBackend): BackendMemory {
  return {
    read: (info) => backend.typedArrayFromHeap(info),
    allocate(shapes) {
      const infos = shapes.map((s) => backend.makeOutput(s, 'float32'));
      const views = infos.map((info) => backend.typedArrayFromHeap(info) as Float32Array);
      return { infos, views };
    },
  };
}

/** Memory access for a `cpu` or `wasm` backend instance. */
export function backendMemory(backendName: 'cpu' | 'wasm', backend: KernelBackend): BackendMemory {
  return backendName === 'cpu'
    ? cpuMemory(backend as unknown as CpuBackend)
    : wasmMemory(backend as unknown as WasmBackend);
}
