/**
 * A trained tagger: the model with its vocabulary, classes and configuration; prediction from
 * text or records; conversion to and from the files of a model directory. Browser-safe (the
 * files are a map of names to contents; `node/model-dir.ts` reads and writes directories).
 */
import * as tf from '@tensorflow/tfjs';
import { sigmoidAll, softmaxRows } from './evaluate.js';
import { encodeTokens, type TaskName } from './features.js';
import { predictLogits, taggerVariables } from './model.js';
import type { TokenSource } from './tokenize.js';
import type { TrainConfig } from './train.js';
import { Vocabulary } from './vocabulary.js';
import { modelFormat, modelFormatVersion, weightsFile } from './model-files.js';

/** Where the training data came from (saved in `config.json`). */
export interface DataInfo {
  /** The data file as given. */
  file: string;
  /** SHA-256 of the file's bytes, hexadecimal. */
  sha256: string;
  /** Number of records in the file. */
  records: number;
}

/** `config.json` of a model directory. */
export interface ModelConfigFile {
  /** Always {@link modelFormat}. */
  format: string;
  /** Always {@link modelFormatVersion}. */
  version: number;
  /** The full training configuration. */
  config: TrainConfig;
  /** The training data, when known. */
  data: DataInfo | null;
  /** The tfjs backend the model was trained on. */
  backend: string;
  /** When the model was saved (ISO 8601). */
  created: string;
}

/** `labels.json`: the model's outputs in order. */
export interface LabelsFile {
  /** `tags` or `section`. */
  task: TaskName;
  /** Tags or sections, one per output. */
  labels: string[];
}

/**
 * The files of a model directory: `model.json` and `weights.bin` (a tfjs-layers model, the
 * usual tfjs format), `vocabulary.json` (tokens in id order, id 0 being padding),
 * `labels.json`, `config.json` and, when given, `metrics.json`.
 */
export type TaggerFiles = Record<string, string | Uint8Array>;

/** A predicted label. */
export interface Prediction {
  /** Tag or section. */
  label: string;
  /** Sigmoid (tags) or softmax (sections) probability. */
  probability: number;
}

/** The name of the weights file, as `model.json` references it. */

function text(files: TaggerFiles, name: string): string {
  const content = files[name];
  if (content === undefined) throw new Error(`missing ${name}`);
  return typeof content === 'string' ? content : new TextDecoder().decode(content);
}

function json(files: TaggerFiles, name: string): unknown {
  try {
    return JSON.parse(text(files, name));
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
  }
}

/** A trained model with what it needs to predict. */
export class Tagger {
  /** The tfjs-layers model (input: padded token ids; output: logits). */
  readonly model: tf.LayersModel;
  /** The vocabulary. */
  readonly vocabulary: Vocabulary;
  /** The outputs' labels (tags or sections). */
  readonly labels: readonly string[];
  /** The training configuration. */
  readonly config: TrainConfig;

  /**
   * @param model - The model; the tagger owns it ({@link dispose}).
   * @param vocabulary - Its vocabulary.
   * @param labels - One label per output.
   * @param config - Its training configuration (task, token cap, ...).
   */
  constructor(
    model: tf.LayersModel,
    vocabulary: Vocabulary,
    labels: readonly string[],
    config: TrainConfig,
  ) {
    this.model = model;
    this.vocabulary = vocabulary;
    this.labels = labels;
    this.config = config;
  }

  /** `tags` or `section`. */
  get task(): TaskName {
    return this.config.task;
  }

  /**
   * Probabilities of every label for each source, `[n, c]` row-major: sigmoids (tags) or a
   * softmax (sections).
   */
  probabilities(sources: readonly TokenSource[]): Float32Array {
    const tokens = encodeTokens(sources, this.vocabulary, this.config.maxTokens);
    const logits = predictLogits(taggerVariables(this.model), tokens);
    return this.task === 'tags' ? sigmoidAll(logits) : softmaxRows(logits, this.labels.length);
  }

  /**
   * The `top` most probable labels of each source, most probable first.
   *
   * @param sources - Records, partial records, or texts (a text is read as a description).
   * @param top - Labels per source, default 5.
   */
  predict(sources: readonly (TokenSource | string)[], top = 5): Prediction[][] {
    const records = sources.map((s) => (typeof s === 'string' ? { description: s } : s));
    const c = this.labels.length;
    const p = this.probabilities(records);
    const k = Math.max(0, Math.min(top, c));
    return records.map((_, i) => {
      const row = p.subarray(i * c, (i + 1) * c);
      const order = Array.from({ length: c }, (_, j) => j);
      order.sort((a, b) => row[b] - row[a] || a - b);
      return order.slice(0, k).map((j) => ({ label: this.labels[j], probability: row[j] }));
    });
  }

  /** Frees the model's tensors. */
  dispose(): void {
    this.model.dispose();
  }

  /**
   * The files of a model directory (see {@link TaggerFiles}).
   *
   * @param extra - `data` (the training file's name, SHA-256, records), `metrics` (any JSON
   *   value, written to `metrics.json`), `created` (default now).
   */
  async toFiles(
    extra: { data?: DataInfo | null; metrics?: unknown; created?: Date } = {},
  ): Promise<TaggerFiles> {
    const files: TaggerFiles = {};
    await this.model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weightData = tf.io.concatenateArrayBuffers(
          artifacts.weightData as ArrayBuffer | ArrayBuffer[],
        );
        const modelJson: tf.io.ModelJSON = {
          modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
          convertedBy: null,
          weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
        };
        files['model.json'] = JSON.stringify(modelJson);
        files[weightsFile] = new Uint8Array(weightData);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    files['vocabulary.json'] = JSON.stringify(this.vocabulary.toJSON());
    const labels: LabelsFile = { task: this.task, labels: this.labels.slice() };
    files['labels.json'] = JSON.stringify(labels, null, 1);
    const config: ModelConfigFile = {
      format: modelFormat,
      version: modelFormatVersion,
      config: this.config,
      data: extra.data ?? null,
      backend: tf.getBackend(),
      created: (extra.created ?? new Date()).toISOString(),
    };
    files['config.json'] = JSON.stringify(config, null, 2) + '\n';
    if (extra.metrics !== undefined)
      files['metrics.json'] = JSON.stringify(extra.metrics, null, 2) + '\n';
    return files;
  }

  /**
   * Rebuilds a tagger from the files of a model directory.
   *
   * @throws Error naming the file that is missing or invalid.
   */
  static async fromFiles(files: TaggerFiles): Promise<Tagger> {
    const config = json(files, 'config.json') as ModelConfigFile;
    if (config?.format !== modelFormat || config.version !== modelFormatVersion)
      throw new Error(
        `config.json: not a model directory of this library (expected format ${modelFormat} version ${modelFormatVersion}, found format ${JSON.stringify(config?.format)}, version ${JSON.stringify(config?.version)})`,
      );
    const labels = json(files, 'labels.json') as LabelsFile;
    if (!Array.isArray(labels?.labels) || !labels.labels.every((l) => typeof l === 'string'))
      throw new Error('labels.json: expected { task, labels: string[] }');
    let vocabulary: Vocabulary;
    try {
      vocabulary = Vocabulary.fromJSON(json(files, 'vocabulary.json'));
    } catch (error) {
      throw new Error(`vocabulary.json: ${(error as Error).message}`, { cause: error });
    }
    const modelJson = json(files, 'model.json') as tf.io.ModelJSON;
    const weights = files[weightsFile];
    if (!(weights instanceof Uint8Array)) throw new Error(`missing ${weightsFile}`);
    const weightSpecs = (modelJson.weightsManifest ?? []).flatMap((group) => group.weights);
    const buffer = weights.buffer.slice(
      weights.byteOffset,
      weights.byteOffset + weights.byteLength,
    );
    checkWeights(weightSpecs, buffer as ArrayBuffer);
    const artifacts = tf.io.getModelArtifactsForJSONSync(
      modelJson,
      weightSpecs,
      buffer as ArrayBuffer,
    );
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const tagger = new Tagger(model, vocabulary, labels.labels, config.config);
    const shape = taggerVariables(model);
    if (
      shape.embeddings.shape[0] !== vocabulary.size ||
      shape.outputKernel.shape[1] !== labels.labels.length
    ) {
      tagger.dispose();
      throw new Error(
        `model.json does not match vocabulary.json (${vocabulary.size} rows) or labels.json (${labels.labels.length} labels)`,
      );
    }
    return tagger;
  }
}

/**
 * Checks the weights against `model.json` before tfjs reads them: float32 only, the byte length
 * the manifest describes (a truncated or padded file is refused), and every value finite (a
 * corrupt file would otherwise predict NaN and score nonsense).
 *
 * @throws Error naming `weights.bin` and what is wrong.
 */
function checkWeights(specs: tf.io.WeightsManifestEntry[], buffer: ArrayBuffer): void {
  let expected = 0;
  for (const spec of specs) {
    if (spec.dtype !== undefined && spec.dtype !== 'float32')
      throw new Error(
        `model.json: weight ${spec.name} is ${spec.dtype}; this model format is float32`,
      );
    expected += spec.shape.reduce((a, b) => a * b, 1) * 4;
  }
  if (buffer.byteLength !== expected)
    throw new Error(
      `${weightsFile}: ${buffer.byteLength} bytes, but model.json describes ${expected} (the file is truncated or not this model's)`,
    );
  const values = new Float32Array(buffer);
  for (let k = 0; k < values.length; k++)
    if (!Number.isFinite(values[k]))
      throw new Error(
        `${weightsFile}: weight ${k} of ${values.length} is ${values[k]}; the file is corrupt (weights must be finite)`,
      );
}
