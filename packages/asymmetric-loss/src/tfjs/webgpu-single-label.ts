/**
 * The fused single-label kernel for the tfjs `webgpu` backend. One workgroup per row computes
 * the row's statistics (`gpu-math.ts`: the maximum and its first index, `rest`, then the three
 * non-target sums; each a strided pass over the row and a tree in workgroup memory), one program
 * writes the gradient of every element and one the weighted loss of every row; the backend's
 * `Sum` reduces the losses on the GPU. Uniform hyperparameters, nothing downloaded.
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
import { disposeInfo, sumAll } from './gpu-tensors.js';
import type { AslKernelAttrs } from './kernels.js';
import { runWgsl, wgslProgram, workgroupSize, type WebGPUBackend } from './webgpu-program.js';

const statCount = singleLabelStats.length;

/** A tree reduction over the workgroup's `array` with `combine(lid, other)` statements. */
function tree(combine: string): string {
  return `
    workgroupBarrier();
    for (var stride = ${workgroupSize / 2}; stride > 0; stride = stride / 2) {
      if (lid < stride) { let other = lid + stride; ${combine} }
      workgroupBarrier();
    }
  `;
}

/** `[n, stats]`: one workgroup per row. */
function statistics(n: number): object {
  const [rowMax, rest, ...sums] = singleLabelStats;
  return wgslProgram(
    'singleLabel_stats',
    ['X', 'T'],
    [n, statCount],
    singleLabelUniforms,
    `
      let lid = i32(localIndex);
      let row = index / ${workgroupSize};
      let n = uniforms.xShape.x;
      let c = uniforms.xShape.y;
      let valid = row < n;
      let cols = select(0, c, valid);
      let offset = row * c;
      var best = -uniforms.INFINITY;
      var bestIndex = c;
      for (var j = lid; j < cols; j += ${workgroupSize}) {
        let v = X[offset + j];
        if (v > best) { best = v; bestIndex = j; }
      }
      redValue[lid] = best;
      redIndex[lid] = bestIndex;
      ${tree(`let ov = redValue[other];
        let oi = redIndex[other];
        if (ov > redValue[lid] || (ov == redValue[lid] && oi < redIndex[lid])) {
          redValue[lid] = ov;
          redIndex[lid] = oi;
        }`)}
      let ${rowMax} = redValue[0];
      let argmax = redIndex[0];
      workgroupBarrier();
      var part = 0.0;
      for (var j = lid; j < cols; j += ${workgroupSize}) {
        if (j != argmax) { part += exp(X[offset + j] - rowMax); }
      }
      redValue[lid] = part;
      ${tree('redValue[lid] += redValue[other];')}
      let ${rest} = redValue[0];
      ${singleLabelRowNormaliser('wgsl')}
      let t = select(0, i32(T[min(row, n - 1)]), valid);
      var partSums = vec3<f32>(0.0, 0.0, 0.0);
      for (var j = lid; j < cols; j += ${workgroupSize}) {
        if (j != t) {
          let v = X[offset + j];
          ${singleLabelSumTerms('wgsl', 'v')}
          partSums += vec3<f32>(tp, tw, twl);
        }
      }
      redSums[lid] = partSums;
      ${tree('redSums[lid] += redSums[other];')}
      if (lid == 0 && valid) {
        let out = row * ${statCount};
        setOutputAtIndex(out, rowMax);
        setOutputAtIndex(out + 1, rest);
        ${sums.map((_, k) => `setOutputAtIndex(out + ${k + 2}, redSums[0][${k}]);`).join('\n')}
      }
    `,
    {
      threads: n * workgroupSize,
      declarations: `
        var<workgroup> redValue : array<f32, ${workgroupSize}>;
        var<workgroup> redIndex : array<i32, ${workgroupSize}>;
        var<workgroup> redSums : array<vec3<f32>, ${workgroupSize}>;
      `,
    },
  );
}

/** The row's statistics and target terms for `row` (WGSL statements). */
function rowTerms(): string {
  return `
    let c = uniforms.xShape.y;
    let t = i32(T[row]);
    ${singleLabelStats.map((name, k) => `let ${name} = M[row * ${statCount} + ${k}];`).join('\n')}
    let xt = X[row * c + t];
    ${singleLabelRowNormaliser('wgsl')}
    ${singleLabelRowTerms('wgsl')}
  `;
}

/** `[n, c]`: the weighted, scaled gradient of every element. */
function gradient(n: number, c: number, sampleWeights: boolean): object {
  return wgslProgram(
    `singleLabel_grad_${sampleWeights}`,
    ['X', 'T', 'M', ...(sampleWeights ? ['SW'] : [])],
    [n, c],
    singleLabelUniforms,
    `
      if (index < uniforms.size) {
        let row = index / uniforms.xShape.y;
        ${rowTerms()}
        let x = X[index];
        ${singleLabelElementGrad('wgsl', 'index - row * c == t')}
        setOutputAtIndex(index, grad * scale${sampleWeights ? ' * SW[row]' : ''});
      }
    `,
  );
}

/** `[n]`: the weighted, scaled loss of every row. */
function rowLosses(n: number, sampleWeights: boolean): object {
  return wgslProgram(
    `singleLabel_loss_${sampleWeights}`,
    ['X', 'T', 'M', ...(sampleWeights ? ['SW'] : [])],
    [n],
    singleLabelUniforms,
    `
      if (index < uniforms.size) {
        let row = index;
        ${rowTerms()}
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
  const rowInputs = [logits, classIndices, m, ...(sampleWeights ? [sampleWeights] : [])];
  const w = sampleWeights !== undefined;
  const grad = computeGrad
    ? runWgsl(backend, gradient(n, c, w), rowInputs, values(1 / divisor))
    : (backend as unknown as WebGPUBackend).makeTensorInfo([0], 'float32');
  const losses = runWgsl(
    backend,
    rowLosses(n, w),
    rowInputs,
    values(reduction === 'none' ? 1 : 1 / divisor),
  );
  disposeInfo(backend, m);
  return [reduction === 'none' ? losses : sumAll(backend, 'webgpu', losses), grad];
};
