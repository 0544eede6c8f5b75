/**
 * Tensor bookkeeping shared by the webgl and webgpu kernels: the backend's own `Sum` kernel for
 * the reductions (a tree of passes on the GPU, nothing downloaded) and the disposal of
 * intermediates.
 */
import { getKernel, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';

/** The sum of all elements of `info` (disposed) by the backend's `Sum` kernel: a scalar. */
export function sumAll(backend: object, backendName: string, info: TensorInfo): TensorInfo {
  const axis = info.shape.map((_, i) => i);
  const sum = getKernel('Sum', backendName)!.kernelFunc({
    inputs: { x: info },
    backend,
    attrs: { axis, keepDims: false },
  }) as TensorInfo;
  disposeInfo(backend, info);
  return sum;
}

/** Disposes an intermediate tensor info made on a GPU backend (webgl or webgpu). */
export function disposeInfo(backend: object, info: TensorInfo): void {
  const b = backend as KernelBackend & {
    disposeIntermediateTensorInfo?: (info: TensorInfo) => void;
  };
  if (b.disposeIntermediateTensorInfo !== undefined) b.disposeIntermediateTensorInfo(info);
  else b.disposeData(info.dataId);
}
