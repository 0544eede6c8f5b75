/**
 * What the webgpu kernels use of tfjs-backend-webgpu 4.22, through its public API only:
 * `WebGPUBackend.runWebGPUProgram` with a program whose `getUserCode()` is WGSL (inputs bound as
 * storage arrays `X[i]`, the output written by `setOutputAtIndex`, hyperparameters in the
 * program's uniform struct), and tensor infos made and disposed by the backend.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The part of `WebGPUBackend` the kernels use. */
export interface WebGPUBackend {
  runWebGPUProgram(
    program: object,
    inputs: TensorInfo[],
    dtype: 'float32',
    uniforms?: { type: 'float32'; data: number[] }[],
  ): TensorInfo;
  makeTensorInfo(shape: number[], dtype: 'float32', values?: Float32Array): TensorInfo;
}

/** Threads per workgroup of every program (and the tree width of the row reductions). */
export const workgroupSize = 64;

/**
 * A program writing `outputShape` from `variableNames`, with the float uniforms `uniforms`
 * bound to local names before `body` (the body of `fn main(index : i32)`). `threads`: how many
 * invocations (default one per output element, `index < uniforms.size` checked by the body).
 */
export function wgslProgram(
  shaderKey: string,
  variableNames: string[],
  outputShape: number[],
  uniforms: readonly { name: string }[],
  body: string,
  options: { threads?: number; declarations?: string } = {},
): object {
  const size = outputShape.reduce((a, b) => a * b, 1);
  const threads = options.threads ?? size;
  return {
    shaderKey: `asymmetricLoss_${shaderKey}`,
    variableNames,
    outputShape,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(threads / workgroupSize), 1, 1],
    workgroupSize: [workgroupSize, 1, 1],
    size: true,
    uniforms: uniforms.map(({ name }) => `${name} : f32,`).join(' '),
    getUserCode: () => `
      ${options.declarations ?? ''}
      fn main(index : i32) {
        ${uniforms.map(({ name }) => `let ${name} = uniforms.${name};`).join('\n')}
        ${body}
      }
    `,
  };
}

/** Runs `program` on `inputs` with the uniform `values` (in the program's order). */
export function runWgsl(
  backend: object,
  program: object,
  inputs: TensorInfo[],
  values: number[],
): TensorInfo {
  const gpu = backend as unknown as WebGPUBackend;
  const data = values.map((v) => ({ type: 'float32' as const, data: [v] }));
  return gpu.runWebGPUProgram(program, inputs, 'float32', data);
}
