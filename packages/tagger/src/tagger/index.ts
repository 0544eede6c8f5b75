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
} from './adaptive.js';
export { compareLosses, type CompareOptions, type CompareRun } from './compare.js';
export {
  compareRunConfig,
  compareRunNames,
  defaultTrainConfig,
  type CompareRunName,
  type LearningRateSchedule,
  type TrainConfig,
} from './config.js';
export { prepareData, type PrepareOptions, type PreparedData } from './dataset.js';
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
} from './evaluate.js';
export {
  classesOf,
  encodeRecords,
  encodeTokens,
  type EncodedSet,
  type EncodedTokens,
  type TaskName,
} from './features.js';
export { bytesToText, isGzip } from './gzip.js';
export {
  lossPreset,
  resolveLoss,
  sectionLossNames,
  tagLossNames,
  type LossName,
  type LossOverrides,
  type LossSettings,
} from './loss.js';
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
} from './model.js';
export { Random } from './random.js';
export {
  DataError,
  parseRecordLine,
  parseRecords,
  type DebtagsRecord,
  type ParseRecordOptions,
  type ParseRecordsOptions,
} from './records.js';
export { sha1, toHex } from './sha1.js';
export { splitBucket, splitNames, splitOf, splitRecords, type SplitName } from './split.js';
export { modelFileNames, modelFormat, modelFormatVersion, weightsFile } from './model-files.js';
export {
  Tagger,
  type DataInfo,
  type LabelsFile,
  type ModelConfigFile,
  type Prediction,
  type TaggerFiles,
} from './tagger.js';
export { defaultMaxTokens, recordTokens, wordTokens, type TokenSource } from './tokenize.js';
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
} from './train.js';
export { Vocabulary, defaultMinCount } from './vocabulary.js';
