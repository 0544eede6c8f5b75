/**
 * `asymmetric-loss-tagger/node`: the tagger's Node helpers for programs: load a model directory
 * that `asl train` wrote and predict with it, read data files (plain or gzip JSONL, checked line
 * by line), choose the tfjs backend, and render plots to SVG and PNG files.
 *
 * @example
 * ```ts
 * import { loadModelDir, useBackend } from 'asymmetric-loss-tagger/node';
 * await useBackend('wasm');
 * const tagger = await loadModelDir('debtags-model');
 * console.log(tagger.predict(['vim: Vi IMproved, an enhanced vi editor'])); // top 5 tags, with p
 * ```
 *
 * @packageDocumentation
 */
export { useBackend } from './backend.js';
export { backendNames, type BackendName } from './cli-helpers.js';
export {
  decodeDataBytes,
  defaultDataFile,
  readDataFile,
  sha256Hex,
  type DataFile,
} from './data-file.js';
export {
  checkModelDirTarget,
  isModelDir,
  loadModelDir,
  readModelConfig,
  readModelFiles,
  writeModelDir,
} from './model-dir.js';
export { fontFile, renderSvg, svgToPng, writePlot } from '../../plots/render.js';
