/**
 * Input handling shared by the tfjs ops: tensor conversion, rank/shape/dtype checks with
 * tfjs-style messages, and whether a gradient tape is recording.
 */
import * as tf from '@tensorflow/tfjs-core';
import { argumentError, argumentErrorAt } from '../core/errors.js';

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
  try {
    return tf.tensor(x as tf.TensorLike, undefined, dtype);
  } catch (error) {
    throw argumentErrorAt(TypeError, fn, arg, 'a Tensor or TensorLike', String(error));
  }
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

/** Whether a gradient is being recorded (tf.grad, variableGrads, optimizer.minimize). */
export function gradientRecording(): boolean {
  return tf.engine().state.gradientDepth > 0;
}

/** Whether the fused kernel `kernelName` is registered for the active backend. */
export function hasFusedKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
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
