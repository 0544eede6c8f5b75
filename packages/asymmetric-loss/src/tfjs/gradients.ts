/**
 * The fused kernels as differentiable ops. A kernel returns `[loss, d(loss)/d(logits)]`, both
 * from one pass; while a gradient tape records, the call is wrapped in `tf.customGrad`, which
 * saves the gradient output, and backward multiplies it by the incoming `dy` (a scalar,
 * element-wise `[n, c]` for multi-label `'none'`, or one value per row for single-label
 * `'none'`). Labels, class indices and weights get no gradient.
 *
 * Why `tf.customGrad` rather than a gradient registered for the two-output kernel: the engine
 * hands a registered gradient a zero-filled `dy` for every output that received none, here an
 * `[n, c]` tensor allocated, filled and uploaded at every step (1-3 ms on the wasm backend at
 * [256, 9605], where the whole step now takes about 13 ms). Through `tf.customGrad` the op has
 * the loss as its only output.
 */
import { customGrad, mul, reshape } from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Tensor } from '@tensorflow/tfjs-core';
import { dataInMemory } from './inputs.js';

/**
 * Runs a fused kernel: `run(logits)` executes it and returns `[loss, gradient]` (the gradient
 * empty unless `recording`). Returns the loss; with `recording`, a loss differentiable with
 * respect to `logits`. `rowWise`: `dy` has one value per row (single-label `'none'`).
 */
export function runFusedLoss(
  logits: Tensor,
  run: (logits: Tensor) => Tensor[],
  recording: boolean,
  rowWise: boolean,
): Tensor {
  if (!recording) {
    const [loss, grad] = run(logits);
    grad.dispose();
    return loss;
  }
  const op = customGrad((x: Tensor | GradSaveFunc, save: Tensor | GradSaveFunc) => {
    const [loss, grad] = run(x as Tensor);
    (save as GradSaveFunc)([grad]);
    return {
      value: loss,
      gradFunc: (dy: Tensor, saved: Tensor[]) => scaled(saved[0], dy, rowWise),
    };
  });
  return op(logits);
}

/** `grad * dy`, or `grad` itself (shared, not copied) when `dy` is the scalar 1. */
function scaled(grad: Tensor, dy: Tensor, rowWise: boolean): Tensor {
  // A reduced loss differentiated directly (tf.grad, minimize) has dy = 1: the saved gradient
  // is the answer. The engine disposes saved tensors after backprop, so return a clone (the
  // data is reference-counted, not copied). Reading dy is free only where tensors live in
  // memory (cpu, wasm); on a GPU backend it would be a readback at every step: multiply there.
  if (dy.size === 1 && dataInMemory() && dy.dataSync()[0] === 1) return grad.clone();
  return mul(grad, rowWise ? reshape(dy, [-1, 1]) : dy);
}
