/**
 * The fused multi-label kernel for the tfjs `webgl` backend. Two GLSL programs read the logits
 * and the labels once each: one writes the weighted element-wise losses, one the gradient; the
 * backend's `Sum` reduces the losses on the GPU. The hyperparameters are uniforms, so other
 * values recompile nothing, and nothing is downloaded. The math is `gpu-math.ts`
 * (`multiLabelElement`), shared with the webgpu kernel.
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
import { glslProgram, runGlsl, type WebGLBackend } from './webgl-program.js';

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
    ...(classWeights ? ['getCW(coords.y)'] : []),
    ...(sampleWeights ? ['getSW(coords.x)'] : []),
  ].join(' * ');
  return glslProgram(
    variableNames,
    [n, c],
    multiLabelUniforms,
    `
      void main() {
        ivec2 coords = getOutputCoords();
        float x = getXAtOutCoords();
        float y = getYAtOutCoords();
        ${multiLabelElement('glsl')}
        setOutput(${what} * (${weight}) * scale);
      }
    `,
  );
}

/** The kernel function of `AsymmetricLossMultiLabel` on `webgl`. */
export const webglMultiLabelKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const { options, computeGrad } = attrs as unknown as AslKernelAttrs;
  const o = options as MultiLabelLossOptions;
  const logits = inputs.logits as TensorInfo;
  const labels = inputs.labels as TensorInfo;
  const sampleWeights = inputs.sampleWeights as TensorInfo | undefined;
  const [n, c] = logits.shape;
  const reduction = o.reduction ?? 'sum';
  const divisor = reductionDivisor(reduction, n, c, true);
  const cw =
    o.classWeights == null
      ? null
      : (backend as unknown as WebGLBackend).makeTensorInfo(
          [c],
          'float32',
          Float32Array.from(o.classWeights),
        );
  const extra = [...(cw === null ? [] : [cw]), ...(sampleWeights ? [sampleWeights] : [])];
  const run = (what: 'loss' | 'grad', scale: number) =>
    runGlsl(
      backend,
      program(n, c, what, cw !== null, sampleWeights !== undefined),
      [logits, labels, ...extra],
      uniformValues(multiLabelUniforms, o, scale),
    );
  const elementLoss = run('loss', reduction === 'none' ? 1 : 1 / divisor);
  const grad = computeGrad
    ? run('grad', 1 / divisor)
    : (backend as unknown as WebGLBackend).makeTensorInfo([0], 'float32');
  if (cw !== null) disposeInfo(backend, cw);
  if (reduction === 'none') return [elementLoss, grad];
  return [sumAll(backend, 'webgl', elementLoss), grad];
};
