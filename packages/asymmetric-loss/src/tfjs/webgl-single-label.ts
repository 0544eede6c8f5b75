/**
 * The fused single-label kernel for the tfjs `webgl` backend. Per row, two small GLSL programs
 * compute the statistics (`gpu-math.ts`: the maximum and `rest`, then the three non-target
 * sums, each a loop over the row summed in blocks of 32), one program writes the gradient of
 * every element and one the weighted loss of every row; the backend's `Sum` reduces the losses
 * on the GPU. Uniform hyperparameters, nothing downloaded; the math is shared with webgpu.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { SingleLabelLossOptions } from '../core/single-label.js';
import {
  reductionDivisor,
  singleLabelElementGrad,
  singleLabelRowNormaliser,
  singleLabelRowTerms,
  singleLabelStats,
  singleLabelSumTerms,
  singleLabelUniforms,
  uniformValues,
} from './gpu-math.js';
import type { AslKernelAttrs } from './kernels.js';
import { sumAll } from './gpu-tensors.js';
import { glslProgram, runGlsl, type WebGLBackend } from './webgl-program.js';

/** The class index of `row` (class indices are stored as floats on webgl). */
const targetOf = (row: string) => `int(floor(getT(${row}) + 0.5))`;

/** `[n, 2]`: each row's maximum (column 0) and `rest` (column 1). */
function maxAndRest(n: number, c: number): object {
  return glslProgram(
    ['X'],
    [n, 2],
    singleLabelUniforms,
    `
      void main() {
        ivec2 coords = getOutputCoords();
        int row = coords.x;
        float rowMax = getX(row, 0);
        int argmax = 0;
        for (int j = 1; j < ${c}; j++) {
          float v = getX(row, j);
          if (v > rowMax) { rowMax = v; argmax = j; }
        }
        if (coords.y == 0) { setOutput(rowMax); return; }
        float total = 0.0;
        float chunk = 0.0;
        for (int j = 0; j < ${c}; j++) {
          if (j != argmax) chunk += exp(getX(row, j) - rowMax);
          if ((j & 31) == 31) { total += chunk; chunk = 0.0; }
        }
        setOutput(total + chunk);
      }
    `,
  );
}

/** `[n, 3]`: each row's sums over the non-target classes of p, w and w l. */
function otherSums(n: number, c: number): object {
  return glslProgram(
    ['X', 'T', 'M'],
    [n, 3],
    singleLabelUniforms,
    `
      void main() {
        ivec2 coords = getOutputCoords();
        int row = coords.x;
        int t = ${targetOf('row')};
        float rowMax = getM(row, 0);
        float rest = getM(row, 1);
        ${singleLabelRowNormaliser('glsl')}
        float total = 0.0;
        float chunk = 0.0;
        for (int j = 0; j < ${c}; j++) {
          if (j != t) {
            float v = getX(row, j);
            ${singleLabelSumTerms('glsl', 'v')}
            chunk += coords.y == 0 ? tp : (coords.y == 1 ? tw : twl);
          }
          if ((j & 31) == 31) { total += chunk; chunk = 0.0; }
        }
        setOutput(total + chunk);
      }
    `,
  );
}

/** The row's statistics and target terms, for the row `row` (GLSL statements). */
function rowTerms(): string {
  const [rowMax, rest, ...sums] = singleLabelStats;
  return `
    int t = ${targetOf('row')};
    float ${rowMax} = getM(row, 0);
    float ${rest} = getM(row, 1);
    ${sums.map((name, k) => `float ${name} = getS(row, ${k});`).join('\n')}
    float xt = getX(row, t);
    ${singleLabelRowNormaliser('glsl')}
    ${singleLabelRowTerms('glsl')}
  `;
}

/** `[n, c]`: the weighted, scaled gradient of every element. */
function gradient(n: number, c: number, sampleWeights: boolean): object {
  return glslProgram(
    ['X', 'T', 'M', 'S', ...(sampleWeights ? ['SW'] : [])],
    [n, c],
    singleLabelUniforms,
    `
      void main() {
        ivec2 coords = getOutputCoords();
        int row = coords.x;
        ${rowTerms()}
        float x = getXAtOutCoords();
        ${singleLabelElementGrad('glsl', 'coords.y == t')}
        setOutput(grad * scale${sampleWeights ? ' * getSW(row)' : ''});
      }
    `,
  );
}

/** `[n]`: the weighted, scaled loss of every row. */
function rowLosses(n: number, sampleWeights: boolean): object {
  return glslProgram(
    ['X', 'T', 'M', 'S', ...(sampleWeights ? ['SW'] : [])],
    [n],
    singleLabelUniforms,
    `
      void main() {
        int row = getOutputCoords();
        ${rowTerms()}
        setOutput(rowLoss * scale${sampleWeights ? ' * getSW(row)' : ''});
      }
    `,
  );
}

/** The kernel function of `AsymmetricLossSingleLabel` on `webgl`. */
export const webglSingleLabelKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const { options, computeGrad } = attrs as unknown as AslKernelAttrs;
  const o = options as SingleLabelLossOptions;
  const logits = inputs.logits as TensorInfo;
  const classIndices = inputs.classIndices as TensorInfo;
  const sampleWeights = inputs.sampleWeights as TensorInfo | undefined;
  const [n, c] = logits.shape;
  const reduction = o.reduction ?? 'mean';
  const divisor = reductionDivisor(reduction, n, c, false);
  const values = (scale: number) => uniformValues(singleLabelUniforms, { ...o, c }, scale);
  const gl = backend as unknown as WebGLBackend;
  const m = runGlsl(backend, maxAndRest(n, c), [logits], values(1));
  const s = runGlsl(backend, otherSums(n, c), [logits, classIndices, m], values(1));
  const rowInputs = [logits, classIndices, m, s, ...(sampleWeights ? [sampleWeights] : [])];
  const w = sampleWeights !== undefined;
  const grad = computeGrad
    ? runGlsl(backend, gradient(n, c, w), rowInputs, values(1 / divisor))
    : gl.makeTensorInfo([0], 'float32');
  const losses = runGlsl(
    backend,
    rowLosses(n, w),
    rowInputs,
    values(reduction === 'none' ? 1 : 1 / divisor),
  );
  gl.disposeIntermediateTensorInfo(m);
  gl.disposeIntermediateTensorInfo(s);
  return [reduction === 'none' ? losses : sumAll(backend, 'webgl', losses), grad];
};
