/**
 * The layout of a model directory: its format marker and the files it holds. Browser-safe and
 * free of TensorFlow.js, so that the commands can check output places before loading it.
 */

/** Identifies the files of a model directory (the `format` of its `config.json`). */
export const modelFormat = 'asymmetric-loss-tagger';
/** Version of the model directory layout. */
export const modelFormatVersion = 1;
/** The model's weights, float32 little-endian, in the order of `model.json`'s manifest. */
export const weightsFile = 'weights.bin';

/**
 * The files a model directory holds, all written by `Tagger.toFiles` (`metrics.json` only with
 * metrics). Anything else in a model directory is the user's, and is never replaced.
 */
export const modelFileNames: readonly string[] = [
  'config.json',
  'model.json',
  weightsFile,
  'vocabulary.json',
  'labels.json',
  'metrics.json',
];
