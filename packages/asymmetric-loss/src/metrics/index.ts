/**
 * `asymmetric-loss/metrics`: multi-label evaluation metrics on typed arrays, without
 * dependencies. Average precision and mAP (scikit-learn's definition, or the ASL authors'),
 * the CP/CR/CF1/OP/OR/OF1 threshold and top-k metrics of the papers, and a streaming
 * accumulator.
 *
 * @packageDocumentation
 */
export { averagePrecision, type AveragePrecisionOptions } from './average-precision.js';
export {
  meanAveragePrecision,
  type MeanAveragePrecisionOptions,
  type MeanAveragePrecisionResult,
} from './mean-average-precision.js';
export {
  thresholdMetrics,
  type ThresholdMetricsOptions,
  type ThresholdMetricsResult,
} from './threshold-metrics.js';
export {
  MultiLabelMetrics,
  type MultiLabelMetricsOptions,
  type MultiLabelMetricsResult,
} from './multi-label-metrics.js';
export type { ScoresInput, Shape, TargetsInput } from './inputs.js';
export type { EmptyClasses, Ties, UnannotatedTargets } from './options.js';
