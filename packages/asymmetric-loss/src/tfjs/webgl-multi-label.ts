/**
 * The fused multi-label kernel for the tfjs `webgl` backend (public APIs of tfjs 4.22 only:
 * `MathBackendWebGL.runWebGLProgram` with a GPGPU program whose `userCode` is GLSL, and the
 * backend's own `Sum` kernel for the reduction, a tree of passes on the GPU). Two programs read
 * the logits and the labels once each: one writes the weighted element-wise losses, one the
 * gradient; the hyperparameters are uniforms, so other values recompile nothing. Nothing is
 * downloaded. The formulas are the core's (`core/multi-label-kernel.ts`), in float32:
 * `loss = -w L`, `grad = -(dL w + focal L dw)`, `dw = gamma w (dBase / base)` with the bounded
 * ratio `-p` (positive), `q` or `p q / pm` (negative), so fractional gammas stay finite.
 */
import { getKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { MultiLabelLossOptions } from '../core/multi-label.js';
import type { AslKernelAttrs } from './kernels.js';

/** The part of tfjs-backend-webgl's `MathBackendWebGL` this kernel uses (its public API). */
interface WebGLBackend {
  runWebGLProgram(
    program: object,
    inputs: TensorInfo[],
    dtype: 'float32',
    customUniformValues?: number[][],
  ): TensorInfo;
  makeTensorInfo(shape: number[], dtype: 'float32', values?: Float32Array): TensorInfo;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}

/** The uniforms, in the order their values are passed. */
const uniforms = ['gammaNeg', 'gammaPos', 'clip', 'logEps', 'epsValue', 'focal', 'scale'];

/** The GLSL of one element: `loss` and `grad` of logit x, target y (the core's formulas). */
const elementMath = `
  float e = exp(-abs(x));
  float r = 1.0 / (1.0 + e);
  float p = x >= 0.0 ? r : e * r;
  float q = x >= 0.0 ? e * r : r;
  float l1pe = e < 1e-4 ? e * (1.0 - 0.5 * e) : log(1.0 + e);
  float logP = min(x, 0.0) - l1pe;
  float pq = p * q;
  // Positive term: log max(p, eps).
  float logA = logP;
  float dLogA = q;
  if (p < epsValue) { logA = logEps; dLogA = 0.0; }
  // Negative term: log max(1 - pm, eps), pm = max(p - clip, 0); dpm its derivative.
  float pm, logB, dLogB, dpm;
  if (clip > 0.0) {
    pm = max(p - clip, 0.0);
    if (pm > 0.0) {
      float s = q + clip;
      float l1 = -pm;
      float log1pNeg = abs(l1) < 1e-4 ? l1 * (1.0 + 0.5 * l1) : log(1.0 + l1);
      logB = s < 0.5 ? log(s) : log1pNeg;
      dLogB = -pq / s;
      if (s < epsValue) { logB = logEps; dLogB = 0.0; }
      dpm = pq;
    } else {
      logB = 0.0; dLogB = 0.0; dpm = 0.0;
    }
  } else {
    pm = p;
    logB = min(-x, 0.0) - l1pe;
    dLogB = -p;
    if (q < epsValue) { logB = logEps; dLogB = 0.0; }
    dpm = pq;
  }
  float logTerm = logB + y * (logA - logB);
  float dLog = dLogB + y * (dLogA - dLogB);
  float base = pm + y * (q - pm);
  float gamma = gammaNeg + y * (gammaPos - gammaNeg);
  float w = 1.0;
  float dw = 0.0;
  if (gamma > 0.0) {
    w = base > 0.0 ? exp2(gamma * log2(base)) : 0.0;
    float dBase = dpm + y * (-pq - dpm);
    dw = base > 0.0 ? gamma * w * (dBase / base) : 0.0;
  }
  float loss = -logTerm * w;
  float grad = -(dLog * w + focal * logTerm * dw);
`;

/** A GPGPU program over `[n, c]` writing the loss (`what` 'loss') or the gradient. */
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
  return {
    variableNames,
    outputShape: [n, c],
    customUniforms: uniforms.map((name) => ({ name, type: 'float' })),
    userCode: `
      void main() {
        ivec2 coords = getOutputCoords();
        float x = getXAtOutCoords();
        float y = getYAtOutCoords();
        ${elementMath}
        setOutput(${what} * (${weight}) * scale);
      }
    `,
  };
}

/** The kernel function of `AsymmetricLossMultiLabel` on `webgl`. */
export const webglMultiLabelKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const gl = backend as unknown as WebGLBackend;
  const { options, computeGrad } = attrs as unknown as AslKernelAttrs;
  const o = options as MultiLabelLossOptions;
  const logits = inputs.logits as TensorInfo;
  const labels = inputs.labels as TensorInfo;
  const sampleWeights = inputs.sampleWeights as TensorInfo | undefined;
  const [n, c] = logits.shape;
  const reduction = o.reduction ?? 'sum';
  const divisor =
    reduction === 'mean' ? Math.max(n * c, 1) : reduction === 'batchmean' ? Math.max(n, 1) : 1;
  const eps = o.eps ?? 1e-8;
  const base = [
    o.gammaNeg ?? 4,
    o.gammaPos ?? 1,
    o.clip ?? 0,
    eps > 0 ? Math.log(eps) : -3.4e38,
    eps,
    (o.focalGrad ?? 'full') === 'full' ? 1 : 0,
  ];
  const cw =
    o.classWeights == null
      ? null
      : gl.makeTensorInfo([c], 'float32', Float32Array.from(o.classWeights));
  const extra = [...(cw === null ? [] : [cw]), ...(sampleWeights ? [sampleWeights] : [])];
  const run = (what: 'loss' | 'grad', scale: number) =>
    gl.runWebGLProgram(
      program(n, c, what, cw !== null, sampleWeights !== undefined),
      [logits, labels, ...extra],
      'float32',
      [...base, scale].map((v) => [v]),
    );
  const elementLoss = run('loss', reduction === 'none' ? 1 : 1 / divisor);
  const grad = computeGrad ? run('grad', 1 / divisor) : gl.makeTensorInfo([0], 'float32');
  if (cw !== null) gl.disposeIntermediateTensorInfo(cw);
  if (reduction === 'none') return [elementLoss, grad];
  const sum = getKernel('Sum', 'webgl')!.kernelFunc({
    inputs: { x: elementLoss },
    backend,
    attrs: { axis: [0, 1], keepDims: false },
  }) as TensorInfo;
  gl.disposeIntermediateTensorInfo(elementLoss);
  return [sum, grad];
};
