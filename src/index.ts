/**
 * `asymmetric-loss`: the Asymmetric Loss (ASL) for multi-label and single-label classification,
 * as framework-free kernels that compute the loss and its gradient in one fused pass.
 *
 * @packageDocumentation
 */
export { asymmetricLossMultiLabel, multiLabelDefaults } from './core/multi-label.ts';
export type { MultiLabelLossOptions, MultiLabelOptions } from './core/multi-label.ts';
export { AsymmetricLossMultiLabel } from './core/multi-label-class.ts';
export { asymmetricLossSingleLabel, singleLabelDefaults } from './core/single-label.ts';
export type { SingleLabelLossOptions, SingleLabelOptions } from './core/single-label.ts';
export { AsymmetricLossSingleLabel } from './core/single-label-class.ts';
export { reductions } from './core/reduction.ts';
export type { Reduction } from './core/reduction.ts';
export type { CallOptions, GradValue, LossResult, LossValue } from './core/loss-result.ts';
export type { IndexInput, MatrixInput } from './core/input.ts';
export { precisions } from './core/wasm/precision.ts';
export type { Precision } from './core/wasm/precision.ts';
export { wasmReady } from './core/wasm/loader.ts';
