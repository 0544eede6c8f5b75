/**
 * Input handling shared by the tfjs ops: tensor conversion, rank/shape/dtype checks with
 * tfjs-style messages, and whether a gradient tape is recording.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, argumentErrorAt, describe } from '../core/errors.js';

/** A tensor or anything `tf.tensor` accepts. */
export type TensorInput = tf.Tensor | tf.TensorLike;

/** Converts `x` to a tensor (dtype `dtype` when given and `x` is not a tensor). */
export function toTensor(
  x: TensorInput,
  arg: string,
  fn: string,
  dtype?: 'float32' | 'int32',
): tf.Tensor {
  if (x instanceof tf.Tensor) return x;
  if (x === null || x === undefined || typeof x === 'string' || typeof x === 'boolean')
    throw argumentError(TypeError, fn, arg, 'a Tensor or TensorLike', x);
  if (Array.isArray(x)) checkRectangular(x, arg, fn);
  try {
    return tf.tensor(x as tf.TensorLike, undefined, dtype);
  } catch (error) {
    const what = error instanceof Error ? error.message : String(error);
    throw argumentErrorAt(TypeError, fn, arg, 'a Tensor or TensorLike', what);
  }
}

/**
 * Checks that a nested array is rectangular with numbers (or booleans) at its leaves, before
 * tfjs reads it: tfjs does not check in production mode and would read a ragged array into the
 * wrong shape, or fail with an unrelated error on some backends.
 */
function checkRectangular(x: readonly unknown[], arg: string, fn: string): void {
  const shape: number[] = [];
  for (let level: unknown = x; Array.isArray(level) || ArrayBuffer.isView(level);) {
    const list = level as ArrayLike<unknown>;
    shape.push(list.length);
    level = list.length > 0 ? list[0] : undefined;
  }
  const expected = 'a rectangular nested array of numbers';
  const visit = (value: unknown, depth: number, at: string): void => {
    if (depth === shape.length) {
      if (typeof value !== 'number' && typeof value !== 'boolean')
        throw argumentErrorAt(TypeError, fn, arg, expected, `${at} is ${describe(value)}`);
      return;
    }
    if (!Array.isArray(value) && !ArrayBuffer.isView(value))
      throw argumentErrorAt(TypeError, fn, arg, expected, `${at} is ${describe(value)}`);
    const list = value as ArrayLike<unknown>;
    if (list.length !== shape[depth])
      throw argumentErrorAt(
        RangeError,
        fn,
        arg,
        `${expected} (shape [${shape.join(', ')}] from its first elements)`,
        `${at} has ${list.length} elements`,
      );
    if (ArrayBuffer.isView(value) && depth === shape.length - 1) return; // typed: numbers
    for (let i = 0; i < list.length; i++) visit(list[i], depth + 1, `${at}[${i}]`);
  };
  visit(x, 0, arg);
}

/** Checks that `t` has rank `rank`. */
export function checkRank(t: tf.Tensor, rank: number, arg: string, fn: string): void {
  if (t.rank !== rank)
    throw argumentErrorAt(
      RangeError,
      fn,
      arg,
      `of rank ${rank}`,
      `it has rank ${t.rank} (shape [${t.shape.join(', ')}])`,
    );
}

/** Checks that `t` is not a string tensor and, if `allowed` is given, its dtype is in it. */
export function checkDtype(
  t: tf.Tensor,
  arg: string,
  fn: string,
  allowed: readonly tf.DataType[],
): void {
  if (!allowed.includes(t.dtype))
    throw argumentErrorAt(
      TypeError,
      fn,
      arg,
      `of dtype ${allowed.map((d) => `'${d}'`).join(' or ')}`,
      `it has dtype '${t.dtype}'`,
    );
}

/** Checks that `t` has exactly `shape`. */
export function checkShapeEquals(t: tf.Tensor, shape: number[], arg: string, fn: string): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
    throw argumentErrorAt(
      RangeError,
      fn,
      arg,
      `of shape [${shape.join(', ')}]`,
      `it has shape [${t.shape.join(', ')}]`,
    );
}

/** The backends whose tensors live in the JavaScript heap or WebAssembly memory. */
export const inMemoryBackends = ['cpu', 'wasm'] as const;

/**
 * Whether the active backend keeps tensors in memory: there reading them is free (the data scans,
 * a look at `dy`), elsewhere (webgl, webgpu) it is a download.
 */
export function dataInMemory(): boolean {
  return (inMemoryBackends as readonly string[]).includes(tf.getBackend());
}

/** Whether a gradient is being recorded (tf.grad, variableGrads, optimizer.minimize). */
export function gradientRecording(): boolean {
  return tf.engine().state.gradientDepth > 0;
}

/** Whether the fused kernel `kernelName` is registered for the active backend and usable there. */
export function hasFusedKernel(kernelName: string): boolean {
  const backend = tf.getBackend();
  if (tf.getKernel(kernelName, backend) === undefined) return false;
  if (backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) {
    warnHalfFloat();
    return false;
  }
  return true;
}

let halfFloatWarned = false;

/**
 * Without float32 render targets (`WEBGL_RENDER_FLOAT32_ENABLED` false: some phones, or
 * `WEBGL_FORCE_F16_TEXTURES`) a fused webgl kernel would write the gradient in float16, whose
 * 11-bit mantissa is far outside the kernels' tolerances: the ops use the composed fallback
 * there, and say so once.
 */
function warnHalfFloat(): void {
  if (halfFloatWarned) return;
  halfFloatWarned = true;
  console.warn(
    'asymmetric-loss: this WebGL device renders to float16 textures only ' +
      '(WEBGL_RENDER_FLOAT32_ENABLED is false); the ASL ops use composed tfjs ops instead of ' +
      'their fused webgl kernels, at float16 precision.',
  );
}

/**
 * Whether the op scans its inputs on the host: `validate` as given, else only where the data is
 * in memory. On `webgpu` the scan would need a synchronous read, which tfjs does not provide
 * reliably there (it returns zeros on some devices): `validate: true` is refused.
 */
export function hostValidation(fn: string, validate: boolean | undefined): boolean {
  const inMemory = dataInMemory();
  if (validate === true && tf.getBackend() === 'webgpu')
    throw argumentError(
      RangeError,
      fn,
      'validate',
      "false or undefined on the 'webgpu' backend (it has no reliable synchronous read; " +
        'check the data after an asynchronous read, or validate on the cpu or wasm backend)',
      true,
    );
  return validate ?? inMemory;
}

/**
 * Replaces the core function's name by the caller's in an error from the kernel (the kernel
 * calls the core's `asymmetricLossMultiLabel`; the user called `aslLoss`, say).
 */
export function renameCaller(error: unknown, from: string, to: string): unknown {
  if (from !== to && error instanceof Error)
    error.message = error.message.replace(`passed to '${from}'`, `passed to '${to}'`);
  return error;
}

/** Replaces the core's argument names by the op's in an error from the kernel. */
export function renameArgument(error: unknown, from: string, to: string): unknown {
  if (error instanceof Error && error.message.includes(`Argument '${from}'`))
    error.message = error.message
      .replace(`Argument '${from}'`, `Argument '${to}'`)
      .replace(`but ${from}[`, `but ${to}[`);
  return error;
}
