/**
 * Gradients of the fused kernels: the kernel's second output is d(loss)/d(logits), computed in
 * the same pass as the loss; backward multiplies it by the incoming gradient `dy` (a scalar,
 * element-wise `[n, c]` for multi-label `'none'`, or one value per row for single-label
 * `'none'`). Labels, class indices and weights get no gradient.
 */
import { getGradient, mul, registerGradient, reshape } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import type { AslKernelAttrs } from './kernels.ts';
import { AsymmetricLossMultiLabelKernel, AsymmetricLossSingleLabelKernel } from './kernels.ts';

function gradConfig(kernelName: string, perRow: boolean): GradConfig {
  return {
    kernelName,
    outputsToSave: [false, true],
    gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs?: NamedAttrMap) => {
      const dy = Array.isArray(dys) ? dys[0] : dys;
      const { options } = attrs as unknown as AslKernelAttrs;
      const rowWise = perRow && options.reduction === 'none';
      // A reduced loss differentiated directly (tf.grad, minimize) has dy = 1: the saved
      // gradient is the answer, shared without a copy (its data is reference-counted).
      if (dy.size === 1 && dy.dataSync()[0] === 1) return { logits: () => saved[0].clone() };
      return { logits: () => mul(saved[0], rowWise ? reshape(dy, [-1, 1]) : dy) };
    },
  };
}

/** Registers both gradients (idempotent). */
export function registerAslGradients(): void {
  if (getGradient(AsymmetricLossMultiLabelKernel) === undefined)
    registerGradient(gradConfig(AsymmetricLossMultiLabelKernel, false));
  if (getGradient(AsymmetricLossSingleLabelKernel) === undefined)
    registerGradient(gradConfig(AsymmetricLossSingleLabelKernel, true));
}
