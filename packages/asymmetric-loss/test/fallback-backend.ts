/**
 * A tfjs backend with every cpu kernel but the fused ASL ones, for the tests: the ops take the
 * path of the backends without a fused kernel (the composed fallback), in Node.
 */
import * as tf from '@tensorflow/tfjs';
import {
  AsymmetricLossMultiLabelKernel,
  AsymmetricLossSingleLabelKernel,
} from '../src/tfjs/index.js';

export const fallbackBackend = 'cpu-without-fused-asl';

/** A backend with every cpu kernel but the fused ASL ones, to exercise the fallback. */
export function registerFallbackBackend(): void {
  if (tf.findBackend(fallbackBackend)) return;
  tf.registerBackend(
    fallbackBackend,
    () => new (tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend)(),
  );
  for (const kernel of tf.getKernelsForBackend('cpu'))
    if (
      kernel.kernelName !== AsymmetricLossMultiLabelKernel &&
      kernel.kernelName !== AsymmetricLossSingleLabelKernel
    )
      tf.registerKernel({ ...kernel, backendName: fallbackBackend });
}
