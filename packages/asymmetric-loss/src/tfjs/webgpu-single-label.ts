/**
 * The fused single-label kernel for the tfjs `webgpu` backend. One workgroup per row gathers
 * the row's statistics (`gpu-math.ts`, an online softmax: one strided pass over the row per
 * thread, then a tree in workgroup memory) and from them the row's values; one program writes the gradient of every element (two exponentials
 * each) and one the weighted loss of every row; the backend's `Sum` reduces the losses on the
 * GPU. Uniform hyperparameters, nothing downloaded; the math is shared with webgl.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { SingleLabelLossOptions } from '../core/single-label.js';
import {
  reductionDivisor,
  singleLabelElementGrad,
  singleLabelRowTerms,
  singleLabelRowValues,
  singleLabelStats,
  singleLabelStatsAdd,
  singleLabelStatsMerge,
  singleLabelUniforms,
  uniformValues,
} from './gpu-math.js';
import { disposeInfo, sumAll } from './gpu-tensors.js';
import type { AslKernelAttrs } from './kernels.js';
import { runWgsl, wgslProgram, workgroupSize, type WebGPUBackend } from './webgpu-program.js';

const valueCount = singleLabelRowValues.length;

/** `[n, rowValues]`: one workgroup per row gathers its statistics, then writes its values. */
function statistics(n: number): object {
  const [rowMax, rest, sumB, sumA] = singleLabelStats;
  const empty = '-uniforms.INFINITY';
  return wgslProgram(
    'singleLabel_stats',
    ['X', 'T'],
    [n, valueCount],
    singleLabelUniforms,
    `
      let lid = i32(localIndex);
      let row = index / ${workgroupSize};
      let n = uniforms.xShape.x;
      let c = uniforms.xShape.y;
      let valid = row < n;
      let cols = select(0, c, valid);
      let offset = row * c;
      let t = select(0, i32(T[min(row, n - 1)]), valid);
      // This thread's classes lid, lid + ${workgroupSize}, ... (none past the row's end).
      var statM = ${empty};
      var statR = 0.0;
      var statB = 0.0;
      var statA = 0.0;
      if (lid < cols) {
        statM = X[offset + lid];
        statB = select(1.0, 0.0, lid == t);
      }
      for (var j = lid + ${workgroupSize}; j < cols; j += ${workgroupSize}) {
        let v = X[offset + j];
        ${singleLabelStatsAdd('wgsl', 'v', 'j == t')}
      }
      partials[lid] = vec4<f32>(statM, statR, statB, statA);
      workgroupBarrier();
      for (var stride = ${workgroupSize / 2}; stride > 0; stride = stride / 2) {
        if (lid < stride) {
          let other = partials[lid + stride];
          ${singleLabelStatsMerge('wgsl', ['other.x', 'other.y', 'other.z', 'other.w'], empty)}
          partials[lid] = vec4<f32>(statM, statR, statB, statA);
        }
        workgroupBarrier();
      }
      if (lid == 0 && valid) {
        let ${rowMax} = statM;
        let ${rest} = statR;
        let ${sumB} = statB;
        let ${sumA} = statA;
        let xt = X[offset + t];
        ${singleLabelRowTerms('wgsl')}
        let first = row * ${valueCount};
        ${singleLabelRowValues.map((name, k) => `setOutputAtIndex(first + ${k}, ${name});`).join('\n')}
      }
    `,
    {
      threads: n * workgroupSize,
      declarations: `var<workgroup> partials : array<vec4<f32>, ${workgroupSize}>;`,
    },
  );
}

/** One of the row values of `row`, read from `M`. */
const rowValue = (name: (typeof singleLabelRowValues)[number]) =>
  `M[row * ${valueCount} + ${singleLabelRowValues.indexOf(name)}]`;

/** `[n, c]`: the weighted, scaled gradient of every element. */
function gradient(n: number, c: number, sampleWeights: boolean): object {
  return wgslProgram(
    `singleLabel_grad_${sampleWeights}`,
    ['X', 'T', 'M', ...(sampleWeights ? ['SW'] : [])],
    [n, c],
    singleLabelUniforms,
    `
      if (index < uniforms.size) {
        let c = uniforms.xShape.y;
        let row = index / c;
        let t = i32(T[row]);
        let rowMax = ${rowValue('rowMax')};
        let logSum = ${rowValue('logSum')};
        let x = X[index];
        ${singleLabelElementGrad('wgsl', 'index - row * c == t', rowValue)}
        setOutputAtIndex(index, grad * scale${sampleWeights ? ' * SW[row]' : ''});
      }
    `,
  );
}

/** `[n]`: the weighted, scaled loss of every row. */
function rowLosses(n: number, sampleWeights: boolean): object {
  return wgslProgram(
    `singleLabel_loss_${sampleWeights}`,
    ['M', ...(sampleWeights ? ['SW'] : [])],
    [n],
    singleLabelUniforms,
    `
      if (index < uniforms.size) {
        let row = index;
        let rowLoss = ${rowValue('rowLoss')};
        setOutputAtIndex(index, rowLoss * scale${sampleWeights ? ' * SW[row]' : ''});
      }
    `,
  );
}

/** The kernel function of `AsymmetricLossSingleLabel` on `webgpu`. */
export const webgpuSingleLabelKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const { options, computeGrad } = attrs as unknown as AslKernelAttrs;
  const o = options as SingleLabelLossOptions;
  const logits = inputs.logits as TensorInfo;
  const classIndices = inputs.classIndices as TensorInfo;
  const sampleWeights = inputs.sampleWeights as TensorInfo | undefined;
  const [n, c] = logits.shape;
  const reduction = o.reduction ?? 'mean';
  const divisor = reductionDivisor(reduction, n, c, false);
  const values = (scale: number) => uniformValues(singleLabelUniforms, { ...o, c }, scale);
  const m = runWgsl(backend, statistics(n), [logits, classIndices], values(1));
  const w = sampleWeights !== undefined;
  const weights = w ? [sampleWeights] : [];
  const grad = computeGrad
    ? runWgsl(
        backend,
        gradient(n, c, w),
        [logits, classIndices, m, ...weights],
        values(1 / divisor),
      )
    : (backend as unknown as WebGPUBackend).makeTensorInfo([0], 'float32');
  const losses = runWgsl(
    backend,
    rowLosses(n, w),
    [m, ...weights],
    values(reduction === 'none' ? 1 : 1 / divisor),
  );
  disposeInfo(backend, m);
  return [reduction === 'none' ? losses : sumAll(backend, 'webgpu', losses), grad];
};
