/**
 * The fused ASL kernels registered with TensorFlow.js: for `cpu` and `wasm` they read the tensors
 * in place and call the core's fused kernel once; for `webgl` and `webgpu` they run GLSL or WGSL
 * programs (`webgl-*.ts`, `webgpu-*.ts`, the math in `gpu-math.ts`). Each returns two outputs:
 * the loss and d(loss)/d(logits) (empty when the gradient is not needed). `gradients.ts` makes
 * the ops differentiable: backward scales the saved gradient output by `dy`.
 */
import { getKernel, registerKernel } from '@tensorflow/tfjs-core';
import type {
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { asymmetricLossMultiLabel } from '../core/multi-label.js';
import type { MultiLabelLossOptions } from '../core/multi-label.js';
import { asymmetricLossSingleLabel } from '../core/single-label.js';
import type { SingleLabelLossOptions } from '../core/single-label.js';
import { backendMemory, type BackendMemory } from './backend-memory.js';
import { inMemoryBackends } from './inputs.js';
import { webglMultiLabelKernel } from './webgl-multi-label.js';
import { webglSingleLabelKernel } from './webgl-single-label.js';
import { webgpuMultiLabelKernel } from './webgpu-multi-label.js';
import { webgpuSingleLabelKernel } from './webgpu-single-label.js';

/**
 * Kernel name of the multi-label loss. Inputs: `logits`, `labels`, optional `sampleWeights` and
 * `elementWeights` (the latter only on cpu and wasm: the GPU ops compose partial annotations
 * around the element-wise kernel).
 */
export const AsymmetricLossMultiLabelKernel = 'AsymmetricLossMultiLabel';
/** Kernel name of the single-label loss. Inputs: `logits`, `classIndices`, optional `sampleWeights`. */
export const AsymmetricLossSingleLabelKernel = 'AsymmetricLossSingleLabel';

/** Attributes of both kernels: validated hyperparameters plus what to compute. */
export interface AslKernelAttrs {
  /** The hyperparameters, as the core takes them (already validated by the op). */
  options: MultiLabelLossOptions | SingleLabelLossOptions;
  /** Compute the gradient output (only when a gradient tape is recording). */
  computeGrad: boolean;
  /** Let the core scan for NaN logits and invalid labels. */
  validate: boolean;
}

/** The backends that get the in-memory fused kernels (those whose tensors the core reads in place). */
export const fusedBackends = inMemoryBackends;

function rowsAndClasses(info: TensorInfo): [number, number] {
  return [info.shape[0], info.shape[1]];
}

function lossShape(reduction: string | undefined, n: number, c: number, multi: boolean): number[] {
  if (reduction !== 'none') return [];
  return multi ? [n, c] : [n];
}

function sampleWeightsOf(mem: BackendMemory, info: TensorInfo | undefined): Float32Array | null {
  return info === undefined ? null : (mem.read(info) as Float32Array);
}

function makeKernel(backendName: 'cpu' | 'wasm', multi: boolean): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { options, computeGrad, validate } = attrs as unknown as AslKernelAttrs;
    const mem = backendMemory(backendName, backend as KernelBackend);
    const logits = inputs.logits as TensorInfo;
    const labels = (multi ? inputs.labels : inputs.classIndices) as TensorInfo;
    const [n, c] = rowsAndClasses(logits);
    const reduction = options.reduction ?? (multi ? 'sum' : 'mean');
    const shapes = [lossShape(reduction, n, c, multi), computeGrad ? [n, c] : [0]];
    const { infos, views } = mem.allocate(shapes);
    const [lossView, gradView] = views;
    const x = mem.read(logits) as Float32Array;
    const call = {
      grad: computeGrad,
      ...(computeGrad ? { gradOut: gradView } : {}),
      ...(reduction === 'none' ? { lossOut: lossView } : {}),
      validate,
      sampleWeights: sampleWeightsOf(mem, inputs.sampleWeights),
      ...(multi && inputs.elementWeights !== undefined
        ? { elementWeights: mem.read(inputs.elementWeights) as Float32Array }
        : {}),
    };
    const { loss } = multi
      ? asymmetricLossMultiLabel(x, mem.read(labels), [n, c], { ...options, ...call })
      : asymmetricLossSingleLabel(x, mem.read(labels), [n, c], {
          ...(options as SingleLabelLossOptions),
          ...call,
        });
    if (typeof loss === 'number') lossView[0] = loss;
    return infos;
  };
}

/** The shader kernels of the GPU backends, by backend and kernel name. */
const gpuKernels: [backendName: string, kernelName: string, kernelFunc: KernelFunc][] = [
  ['webgl', AsymmetricLossMultiLabelKernel, webglMultiLabelKernel],
  ['webgl', AsymmetricLossSingleLabelKernel, webglSingleLabelKernel],
  ['webgpu', AsymmetricLossMultiLabelKernel, webgpuMultiLabelKernel],
  ['webgpu', AsymmetricLossSingleLabelKernel, webgpuSingleLabelKernel],
];

/**
 * Registers the fused kernels for the `cpu`, `wasm`, `webgl` and `webgpu` backends (idempotent;
 * called when `asymmetric-loss/tfjs` is imported). Registering for a backend that is not loaded
 * is harmless: the kernels reach their backend only through the arguments tfjs passes.
 */
export function registerAslKernels(): void {
  const configs: KernelConfig[] = gpuKernels.map(([backendName, kernelName, kernelFunc]) => ({
    kernelName,
    backendName,
    kernelFunc,
  }));
  for (const backendName of fusedBackends)
    for (const [kernelName, multi] of [
      [AsymmetricLossMultiLabelKernel, true],
      [AsymmetricLossSingleLabelKernel, false],
    ] as const)
      configs.push({ kernelName, backendName, kernelFunc: makeKernel(backendName, multi) });
  for (const config of configs)
    if (getKernel(config.kernelName, config.backendName) === undefined) registerKernel(config);
}

/** Attributes as tfjs carries them (`NamedAttrMap`). */
export function kernelAttrs(attrs: AslKernelAttrs): NamedAttrMap {
  return attrs as unknown as NamedAttrMap;
}
