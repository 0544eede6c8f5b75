/**
 * The fused multi-label kernel for the tfjs `webgpu` backend: the webgl kernel's structure in
 * WGSL. Two programs read the logits and the labels once each (one writes the gradient, one the
 * weighted losses: element-wise for `'none'`, else one sum per row segment, which the backend's
 * `Sum` reduces on the GPU);
 * uniform hyperparameters, nothing downloaded. The math is `gpu-math.ts` (`multiLabelElement`).
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MultiLabelLossOptions } from '../core/multi-label.js';
import {
  multiLabelElement,
  multiLabelUniforms,
  reductionDivisor,
  rowSegments,
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

/**
 * `[n, k]`: the weighted, scaled loss of each row segment (`rowSegments`), one thread each, for
 * the reduced losses: no `[n, c]` intermediate, and a small `Sum` after it.
 */
function segmentLosses(
  n: number,
  c: number,
  classWeights: boolean,
  sampleWeights: boolean,
): object {
  const { k, length } = rowSegments(c);
  const variableNames = ['X', 'Y'];
  if (classWeights) variableNames.push('CW');
  if (sampleWeights) variableNames.push('SW');
  return wgslProgram(
    `multiLabel_segments_${classWeights}_${sampleWeights}_${length}`,
    variableNames,
    [n, k],
    multiLabelUniforms,
    `
      if (index < uniforms.size) {
        let c = uniforms.xShape.y;
        let row = index / ${k};
        let first = row * c + (index - row * ${k}) * ${length};
        let last = min(first + ${length}, row * c + c);
        var part = 0.0;
        for (var elem = first; elem < last; elem++) {
          let x = X[elem];
          let y = f32(Y[elem]);
          ${multiLabelElement('wgsl')}
          part += loss${classWeights ? ' * CW[elem - row * c]' : ''};
        }
        setOutputAtIndex(index, part * scale${sampleWeights ? ' * SW[row]' : ''});
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
  const grad = computeGrad ? run('grad', 1 / divisor) : gpu.makeTensorInfo([0], 'float32');
  const losses =
    reduction === 'none'
      ? run('loss', 1)
      : runWgsl(
          backend,
          segmentLosses(n, c, cw !== null, sampleWeights !== undefined),
          [logits, labels, ...extra],
          uniformValues(multiLabelUniforms, o, 1 / divisor),
        );
  if (cw !== null) disposeInfo(backend, cw);
  return [reduction === 'none' ? losses : sumAll(backend, 'webgpu', losses), grad];
};
