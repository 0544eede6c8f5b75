/**
 * What the webgl kernels use of tfjs-backend-webgl 4.22, through its public API only:
 * `MathBackendWebGL.runWebGLProgram` with a GPGPU program (GLSL `userCode`, custom float
 * uniforms) and tensor infos made and disposed by the backend.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The part of `MathBackendWebGL` the kernels use. */
export interface WebGLBackend {
  runWebGLProgram(
    program: object,
    inputs: TensorInfo[],
    dtype: 'float32',
    customUniformValues?: number[][],
  ): TensorInfo;
  makeTensorInfo(shape: number[], dtype: 'float32', values?: Float32Array): TensorInfo;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}

/** A GPGPU program over `outputShape` reading `variableNames`, with float uniforms `uniforms`. */
export function glslProgram(
  variableNames: string[],
  outputShape: number[],
  uniforms: readonly { name: string }[],
  userCode: string,
): object {
  return {
    variableNames,
    outputShape,
    customUniforms: uniforms.map(({ name }) => ({ name, type: 'float' })),
    userCode,
  };
}

/** Runs `program` on `inputs` with the uniform `values` (in the program's order). */
export function runGlsl(
  backend: object,
  program: object,
  inputs: TensorInfo[],
  values: number[],
): TensorInfo {
  const gl = backend as unknown as WebGLBackend;
  return gl.runWebGLProgram(
    program,
    inputs,
    'float32',
    values.map((v) => [v]),
  );
}
