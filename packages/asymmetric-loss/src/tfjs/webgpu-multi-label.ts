/**
 * The fused multi-label kernel for the tfjs `webgpu` backend: the webgl kernel's structure in
 * WGSL. Two programs read the logits and the labels once each (one writes the weighted
 * element-wise losses, one the gradient), the backend's `Sum` reduces the losses on the GPU;
 * uniform hyperparameters, nothing downloaded. The math is `gpu-math.ts` (`multiLabelElement`).
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MultiLabelLossOptions } from '../core/multi-label.js';
import {
  multiLabelElement,
  multiLabelUniforms,
  reductionDivisor,
  uniformValues,
} from './gpu-math.js';
import type { AslKernelAttrs } from './kernels.js';
import { disposeInfo, sumAll } from './gpu-tensors.js';
import { runWgsl, wgslProgram, type WebGPUBackend } from './webgpu-program.js';

/** A program over `[n, c]` writing the weighted loss (`what` 'loss') or gradient of each element. */
function program(
  n: number,
  c: number,
  what: 'loss' | 'grad',
  classWeights: boolean,
  sampleWeights: boolean,
): object {
  const variableNames = ['X', 'Y'];
  if (classWeights) variableNames.push('CW');
  if (sampleWeights) variableNames.push('SW');
  const weight = [
    '1.0',
    ...(classWeights ? ['CW[index % uniforms.xShape.y]'] : []),
    ...(sampleWeights ? ['SW[index / uniforms.xShape.y]'] : []),
  ].join(' * ');
  return wgslProgram(
    `multiLabel_${what}_${classWeights}_${sampleWeights}`,
    variableNames,
    [n, c],
    multiLabelUniforms,
    `
      if (index < uniforms.size) {
        let x = X[index];
        let y = f32(Y[index]);
        ${multiLabelElement('wgsl')}
        setOutputAtIndex(index, ${what} * (${weight}) * scale);
      }
    `,
  );
}

/** The kernel function of `AsymmetricLossMultiLabel` on `webgpu`. */
export const webgpuMultiLabelKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const { options, computeGrad } = attrs as unknown as AslKernelAttrs;
  const o = options as MultiLabelLossOptions;
  const gpu = backend as unknown as WebGPUBackend;
  const logits = inputs.logits as TensorInfo;
  const labels = inputs.labels as TensorInfo;
  const sampleWeights = inputs.sampleWeights as TensorInfo | undefined;
  const [n, c] = logits.shape;
  const reduction = o.reduction ?? 'sum';
  const divisor = reductionDivisor(reduction, n, c, true);
  const cw =
    o.classWeights == null
      ? null
      : gpu.makeTensorInfo([c], 'float32', Float32Array.from(o.classWeights));
  const extra = [...(cw === null ? [] : [cw]), ...(sampleWeights ? [sampleWeights] : [])];
  const run = (what: 'loss' | 'grad', scale: number) =>
    runWgsl(
      backend,
      program(n, c, what, cw !== null, sampleWeights !== undefined),
      [logits, labels, ...extra],
      uniformValues(multiLabelUniforms, o, scale),
    );
  const elementLoss = run('loss', reduction === 'none' ? 1 : 1 / divisor);
  const grad = computeGrad ? run('grad', 1 / divisor) : gpu.makeTensorInfo([0], 'float32');
  if (cw !== null) disposeInfo(backend, cw);
  if (reduction === 'none') return [elementLoss, grad];
  return [sumAll(backend, 'webgpu', elementLoss), grad];
};
