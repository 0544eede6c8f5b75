/**
 * The reference vectors run through a tfjs op and checked against the float64 truth, shared by
 * the Node tests (cpu, wasm, the composed fallback) and the browser conformance page (webgl,
 * webgpu). Browser-safe: the ops and tfjs are passed in, the cases come from the caller.
 */
import type * as tfjs from '@tensorflow/tfjs-core';
import { maxAbs } from './oracle.js';
import type { ReferenceCase } from './reference.js';

/** The library's two tfjs ops, as the caller imported them. */
export interface ReferenceOps {
  multi: (logits: tfjs.Tensor, labels: tfjs.Tensor, options: object) => tfjs.Tensor;
  single: (logits: tfjs.Tensor, classIndices: tfjs.Tensor, options: object) => tfjs.Tensor;
}

/** A case's options in the library's names. */
export function referenceOptions(cs: ReferenceCase): Record<string, unknown> {
  const p = cs.params;
  const focalGrad = p.disable_torch_grad_focal_loss ? 'detached' : 'full';
  if (cs.loss === 'multi_label')
    return {
      gammaNeg: p.gamma_neg,
      gammaPos: p.gamma_pos,
      clip: p.clip ?? 0,
      eps: p.eps,
      focalGrad,
    };
  // timm's single-label 'sum' and 'none' are per-sample: our 'none'.
  const reduction = p.reduction === 'mean' ? 'mean' : 'none';
  return { gammaNeg: p.gamma_neg, gammaPos: p.gamma_pos, eps: p.eps, reduction };
}

/**
 * Loss and gradient tensors of one case through the op and `tf.grad` (upstream as in the
 * reference); the caller reads and disposes them (`await t.data()` on webgpu, which has no
 * synchronous read).
 */
export function referenceTensors(
  tf: typeof tfjs,
  ops: ReferenceOps,
  cs: ReferenceCase,
): { loss: tfjs.Tensor; grad: tfjs.Tensor } {
  return tf.tidy(() => {
    const [n, c] = cs.shape;
    const x = tf.tensor2d(cs.logits, [n, c]);
    const f = (z: tfjs.Tensor) =>
      cs.loss === 'multi_label'
        ? ops.multi(z, tf.tensor2d(cs.targets, [n, c]), referenceOptions(cs))
        : ops.single(z, tf.tensor1d(cs.targets, 'int32'), referenceOptions(cs));
    const weighted = (z: tfjs.Tensor) => {
      const l = f(z);
      return cs.upstream ? tf.sum(tf.mul(l, tf.tensor1d(cs.upstream))) : l;
    };
    return { loss: f(x), grad: tf.grad(weighted)(x) };
  });
}

/** {@link referenceTensors}, read synchronously (backends in memory) and disposed. */
export function runReferenceCase(
  tf: typeof tfjs,
  ops: ReferenceOps,
  cs: ReferenceCase,
): { loss: Float32Array; grad: Float32Array } {
  const { loss, grad } = referenceTensors(tf, ops, cs);
  const result = {
    loss: Float32Array.from(loss.dataSync()),
    grad: Float32Array.from(grad.dataSync()),
  };
  tf.dispose([loss, grad]);
  return result;
}

/**
 * What differs from the float64 truth beyond the tolerances: each loss within `loss` relative
 * (1e-3 absolute floor), each gradient element within `grad` of the largest |grad|, every
 * gradient element finite (where PyTorch's was NaN too). Empty when the case passes.
 */
export function referenceMismatches(
  cs: ReferenceCase,
  loss: ArrayLike<number>,
  grad: ArrayLike<number>,
  tolerance: { loss: number; grad: number },
): string[] {
  const problems: string[] = [];
  const refLoss = Array.isArray(cs.loss_f64) ? cs.loss_f64 : [cs.loss_f64 as number];
  if (loss.length !== refLoss.length)
    problems.push(`${loss.length} losses, expected ${refLoss.length}`);
  refLoss.forEach((ref, i) => {
    if (
      !(
        Math.abs(loss[i] - (ref as number)) <=
        tolerance.loss * Math.max(Math.abs(ref as number), 1e-3)
      )
    )
      problems.push(`loss[${i}] ${loss[i]} vs ${ref}`);
  });
  const scale = maxAbs(cs.grad_f64) || maxAbs(grad);
  for (let k = 0; k < grad.length; k++) {
    const ref = cs.grad_f64[k];
    if (!Number.isFinite(grad[k])) problems.push(`grad[${k}] = ${grad[k]}`);
    else if (ref !== null && !(Math.abs(grad[k] - ref) <= tolerance.grad * scale))
      problems.push(`grad[${k}] ${grad[k]} vs ${ref}`);
  }
  return problems;
}
