/**
 * `asymmetric-loss/tfjs`: the Asymmetric Loss as TensorFlow.js ops with gradients (fused
 * kernels registered for the `cpu`, `wasm`, `webgl` and `webgpu` backends, tfjs ops elsewhere) and as
 * tfjs-layers losses. Peer dependency: `@tensorflow/tfjs-core` 4.x (or the `@tensorflow/tfjs`
 * union package). Importing this module registers the kernels.
 *
 * @packageDocumentation
 */
import { registerAslKernels } from './kernels.js';

export { asymmetricLossMultiLabel, type TfMultiLabelOptions } from './multi-label-op.js';
export { asymmetricLossSingleLabel, type TfSingleLabelOptions } from './single-label-op.js';
export {
  aslLoss,
  aslSingleLabelLoss,
  type AslLossOptions,
  type AslSingleLabelLossOptions,
} from './layers.js';
export {
  AsymmetricLossMultiLabelKernel,
  AsymmetricLossSingleLabelKernel,
  registerAslKernels,
} from './kernels.js';
export type { TensorInput } from './inputs.js';

registerAslKernels();
