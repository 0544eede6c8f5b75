/**
 * The fused single-label kernel for the tfjs `webgl` backend, in four GLSL programs: one pass
 * over the logits gathers each segment's statistics (`gpu-math.ts`, an online softmax; up to 64
 * segments per row, the four statistics of a segment in one packed texel), one merges each
 * row's segments into its values, one writes the gradient of every element (two exponentials
 * each) and one the weighted loss of every row; the backend's `Sum` reduces the losses on the
 * GPU. Segments keep the GPU busy (a pixel per row would leave it a few hundred long loops) and
 * the float32 sums short. Uniform hyperparameters, nothing downloaded; the math is shared with
 * webgpu.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { SingleLabelLossOptions } from '../core/single-label.js';
import {
  reductionDivisor,
  rowSegments,
  singleLabelElementGrad,
  singleLabelRowTerms,
  singleLabelRowValues,
  singleLabelStats,
  singleLabelStatsAdd,
  singleLabelStatsMerge,
  singleLabelStatsStart,
  singleLabelUniforms,
  uniformValues,
} from './gpu-math.js';
import type { AslKernelAttrs } from './kernels.js';
import { sumAll } from './gpu-tensors.js';
import { glslProgram, runGlsl, type WebGLBackend } from './webgl-program.js';

/** The class index of `row` (class indices are stored as floats on webgl). */
const targetOf = (row: string) => `int(floor(getT(${row}) + 0.5))`;

/**
 * `[2n, 2k]`, packed: texel (i, s) holds the statistics of row i's segment s (gpu-math.ts,
 * one pass over the segment): logical (2i, 2s) the maximum, (2i, 2s + 1) `rest`,
 * (2i + 1, 2s) `sumB`, (2i + 1, 2s + 1) `sumA`.
 */
function segmentStatistics(n: number, c: number, k: number, length: number): object {
  return {
    ...glslProgram(
      ['X', 'T'],
      [2 * n, 2 * k],
      singleLabelUniforms,
      `
        void main() {
          ivec2 coords = getOutputCoords();
          int row = coords.x / 2;
          int t = ${targetOf('row')};
          int first = (coords.y / 2) * ${length};
          ${singleLabelStatsStart('glsl', 'getX(row, first)', 'first == t')}
          for (int i = 1; i < ${length}; i++) {
            int j = first + i;
            if (j >= ${c}) break;
            float v = getX(row, j);
            ${singleLabelStatsAdd('glsl', 'v', 'j == t')}
          }
          setOutput(vec4(statM, statR, statB, statA));
        }
      `,
    ),
    packedOutput: true,
  };
}

const rowValueCount = singleLabelRowValues.length;

/** `[n, rowValues]`: each row's values (gpu-math.ts), from its segments' statistics in `P`. */
function rowValues(n: number, k: number): object {
  const [rowMax, rest, sumB, sumA] = singleLabelStats;
  return glslProgram(
    ['X', 'T', 'P'],
    [n, rowValueCount],
    singleLabelUniforms,
    `
      void main() {
        ivec2 coords = getOutputCoords();
        int row = coords.x;
        int t = ${targetOf('row')};
        float statM = getP(2 * row, 0);
        float statR = getP(2 * row, 1);
        float statB = getP(2 * row + 1, 0);
        float statA = getP(2 * row + 1, 1);
        for (int s = 1; s < ${k}; s++) {
          float m2 = getP(2 * row, 2 * s);
          float r2 = getP(2 * row, 2 * s + 1);
          float b2 = getP(2 * row + 1, 2 * s);
          float a2 = getP(2 * row + 1, 2 * s + 1);
          ${singleLabelStatsMerge('glsl', ['m2', 'r2', 'b2', 'a2'], null)}
        }
        float ${rowMax} = statM;
        float ${rest} = statR;
        float ${sumB} = statB;
        float ${sumA} = statA;
        float xt = getX(row, t);
        ${singleLabelRowTerms('glsl')}
        float values[${rowValueCount}] = float[](${singleLabelRowValues.join(', ')});
        setOutput(values[coords.y]);
      }
    `,
  );
}

/** One of the row values of `row`, read from `R`. */
const rowValue = (name: (typeof singleLabelRowValues)[number]) =>
  `getR(row, ${singleLabelRowValues.indexOf(name)})`;

/** `[n, c]`: the weighted, scaled gradient of every element. */
function gradient(n: number, c: number, sampleWeights: boolean): object {
  return glslProgram(
    ['X', 'T', 'R', ...(sampleWeights ? ['SW'] : [])],
    [n, c],
    singleLabelUniforms,
    `
      void main() {
        ivec2 coords = getOutputCoords();
        int row = coords.x;
        int t = ${targetOf('row')};
        float rowMax = ${rowValue('rowMax')};
        float logSum = ${rowValue('logSum')};
        float x = getXAtOutCoords();
        ${singleLabelElementGrad('glsl', 'coords.y == t', rowValue)}
        setOutput(grad * scale${sampleWeights ? ' * getSW(row)' : ''});
      }
    `,
  );
}

/** `[n]`: the weighted, scaled loss of every row. */
function rowLosses(n: number, sampleWeights: boolean): object {
  return glslProgram(
    ['R', ...(sampleWeights ? ['SW'] : [])],
    [n],
    singleLabelUniforms,
    `
      void main() {
        int row = getOutputCoords();
        float rowLoss = ${rowValue('rowLoss')};
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
  const { k, length } = rowSegments(c);
  const p = runGlsl(backend, segmentStatistics(n, c, k, length), [logits, classIndices], values(1));
  const r = runGlsl(backend, rowValues(n, k), [logits, classIndices, p], values(1));
  gl.disposeIntermediateTensorInfo(p);
  const w = sampleWeights !== undefined;
  const weights = w ? [sampleWeights] : [];
  const grad = computeGrad
    ? runGlsl(
        backend,
        gradient(n, c, w),
        [logits, classIndices, r, ...weights],
        values(1 / divisor),
      )
    : gl.makeTensorInfo([0], 'float32');
  const losses = runGlsl(
    backend,
    rowLosses(n, w),
    [r, ...weights],
    values(reduction === 'none' ? 1 : 1 / divisor),
  );
  gl.disposeIntermediateTensorInfo(r);
  return [reduction === 'none' ? losses : sumAll(backend, 'webgl', losses), grad];
};
