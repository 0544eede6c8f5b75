/**
 * The fused multi-label kernel for the tfjs `webgl` backend. Two GLSL programs read the logits
 * and the labels once each: one writes the gradient, one the weighted losses (element-wise for
 * `'none'`, else one sum per row segment, which the backend's `Sum` reduces on the GPU). The hyperparameters are uniforms, so other
 * values recompile nothing, and nothing is downloaded. The math is `gpu-math.ts`
 * (`multiLabelElement`), shared with the webgpu kernel.
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

/**
 * `[n, k]`: the weighted, scaled loss of each row segment (`rowSegments`), summed in blocks of
 * 32 terms, for the reduced losses: no `[n, c]` intermediate, and a small `Sum` after it.
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
  return glslProgram(
    variableNames,
    [n, k],
    multiLabelUniforms,
    `
      void main() {
        ivec2 coords = getOutputCoords();
        int row = coords.x;
        int first = coords.y * ${length};
        float part = 0.0;
        float chunk = 0.0;
        for (int i = 0; i < ${length}; i++) {
          int j = first + i;
          if (j >= ${c}) break;
          float x = getX(row, j);
          float y = getY(row, j);
          ${multiLabelElement('glsl')}
          chunk += loss${classWeights ? ' * getCW(j)' : ''};
          if ((i & 31) == 31) { part += chunk; chunk = 0.0; }
        }
        setOutput((part + chunk) * scale${sampleWeights ? ' * getSW(row)' : ''});
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
  const grad = computeGrad
    ? run('grad', 1 / divisor)
    : (backend as unknown as WebGLBackend).makeTensorInfo([0], 'float32');
  const losses =
    reduction === 'none'
      ? run('loss', 1)
      : runGlsl(
          backend,
          segmentLosses(n, c, cw !== null, sampleWeights !== undefined),
          [logits, labels, ...extra],
          uniformValues(multiLabelUniforms, o, 1 / divisor),
        );
  if (cw !== null) disposeInfo(backend, cw);
  return [reduction === 'none' ? losses : sumAll(backend, 'webgl', losses), grad];
};
