/**
 * `asymmetric-loss`: the Asymmetric Loss (ASL) for multi-label and single-label classification,
 * as framework-free kernels that compute the loss and its gradient in one fused pass.
 *
 * @packageDocumentation
 */
export { asymmetricLossMultiLabel, multiLabelDefaults } from './core/multi-label.js';
export type {
  MultiLabelCallOptions,
  MultiLabelLossOptions,
  MultiLabelOptions,
} from './core/multi-label.js';
export { unannotatedModes } from './core/partial.js';
export type { PartialLabelOptions, Unannotated } from './core/partial.js';
export { ClassAwareSelection, classAwareSelectionDefaults } from './core/class-aware-selection.js';
export type { ClassAwareSelectionOptions } from './core/class-aware-selection.js';
export { AsymmetricLossMultiLabel } from './core/multi-label-class.js';
export { asymmetricLossSingleLabel, singleLabelDefaults } from './core/single-label.js';
export type { SingleLabelLossOptions, SingleLabelOptions } from './core/single-label.js';
export { AsymmetricLossSingleLabel } from './core/single-label-class.js';
export { reductions } from './core/reduction.js';
export type { Reduction } from './core/reduction.js';
export type { CallOptions, GradValue, LossResult, LossValue } from './core/loss-result.js';
export type { IndexInput, MatrixInput } from './core/input.js';
export { precisions } from './core/wasm/precision.js';
export type { Precision } from './core/wasm/precision.js';
export { wasmReady } from './core/wasm/ready.js';
