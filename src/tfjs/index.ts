/**
 * `asymmetric-loss/tfjs`: the Asymmetric Loss as TensorFlow.js ops with gradients (fused
 * kernels registered for the `cpu` and `wasm` backends, tfjs ops elsewhere) and as
 * tfjs-layers losses. Peer dependency: `@tensorflow/tfjs-core` 4.x (or the `@tensorflow/tfjs`
 * union package). Importing this module registers the kernels.
 *
 * @packageDocumentation
 */
import { registerAslKernels } from './kernels.ts';

export { asymmetricLossMultiLabel, type TfMultiLabelOptions } from './multi-label-op.ts';
export { asymmetricLossSingleLabel, type TfSingleLabelOptions } from './single-label-op.ts';
export {
  aslLoss,
  aslSingleLabelLoss,
  type AslLossOptions,
  type AslSingleLabelLossOptions,
} from './layers.ts';
export {
  AsymmetricLossMultiLabelKernel,
  AsymmetricLossSingleLabelKernel,
  registerAslKernels,
} from './kernels.ts';
export type { TensorInput } from './inputs.ts';

registerAslKernels();
