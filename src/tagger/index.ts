/**
 * The debtags tagger, browser-safe: records and their validation, the fixed split, features,
 * the model, the training loop with adaptive asymmetry, evaluation, comparison of losses, and
 * model files. Node-only helpers (files, model directories, progress bars) are in `./node/`.
 * Importing this module registers the model's custom layer with tfjs.
 *
 * @packageDocumentation
 */
export {
  AdaptiveGammaController,
  defaultAdaptiveOptions,
  probabilityGap,
  type AdaptiveOptions,
} from './adaptive.ts';
export { compareLosses, type CompareOptions, type CompareRun } from './compare.ts';
export {
  compareRunConfig,
  compareRunNames,
  defaultTrainConfig,
  type CompareRunName,
  type LearningRateSchedule,
  type TrainConfig,
} from './config.ts';
export { prepareData, type PrepareOptions, type PreparedData } from './dataset.ts';
export {
  evaluateSections,
  evaluateTags,
  sigmoid,
  sigmoidAll,
  softmaxRows,
  type EvaluateTagsOptions,
  type SectionEvaluation,
  type TagEvaluation,
  type TagScore,
} from './evaluate.ts';
export {
  classesOf,
  encodeRecords,
  encodeTokens,
  type EncodedSet,
  type EncodedTokens,
  type TaskName,
} from './features.ts';
export { bytesToText, isGzip } from './gzip.ts';
export {
  lossPreset,
  resolveLoss,
  sectionLossNames,
  tagLossNames,
  type LossName,
  type LossOverrides,
  type LossSettings,
} from './loss.ts';
export {
  EmbeddingBagMean,
  buildTaggerModel,
  embeddingBagMean,
  initializeWeights,
  makeTokenBatch,
  modelShape,
  paddedIds,
  predictLogits,
  taggerLogits,
  taggerVariables,
  type EmbeddingBagMeanArgs,
  type InitializeOptions,
  type ModelShape,
  type TaggerVariables,
  type TokenBatch,
} from './model.ts';
export { Random } from './random.ts';
export {
  DataError,
  parseRecordLine,
  parseRecords,
  type DebtagsRecord,
  type ParseRecordOptions,
  type ParseRecordsOptions,
} from './records.ts';
export { sha1, toHex } from './sha1.ts';
export { splitBucket, splitNames, splitOf, splitRecords, type SplitName } from './split.ts';
export {
  Tagger,
  modelFormat,
  modelFormatVersion,
  type DataInfo,
  type LabelsFile,
  type ModelConfigFile,
  type Prediction,
  type TaggerFiles,
} from './tagger.ts';
export { defaultMaxTokens, recordTokens, wordTokens, type TokenSource } from './tokenize.ts';
export {
  batchLoss,
  evaluateModel,
  priorBiases,
  trainTagger,
  validationScore,
  type EpochInfo,
  type StepInfo,
  type TrainCallbacks,
  type TrainResult,
} from './train.ts';
export { Vocabulary, defaultMinCount } from './vocabulary.ts';
