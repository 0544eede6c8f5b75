/**
 * The fastText-style tagger: the mean of the token embeddings of a document (an embedding
 * bag), a ReLU hidden layer and one logit per class. Stored as a tfjs-layers model with one
 * custom layer, {@link EmbeddingBagMean}; trained and evaluated through a faster path on the
 * same weights ({@link taggerLogits}) that works on flat token lists instead of padded ones.
 * Browser-safe.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncodedTokens } from './features.js';
import { Random } from './random.js';

/** Sizes of the model. */
export interface ModelShape {
  /** Rows of the embedding table: vocabulary size plus the padding row 0. */
  vocabularySize: number;
  /** Embedding width (default 128). */
  embeddingDim: number;
  /** Units of the ReLU hidden layer (default 256). */
  hiddenUnits: number;
  /** Number of outputs: tags or sections. */
  numClasses: number;
}

/** Constructor arguments of {@link EmbeddingBagMean}. */
export interface EmbeddingBagMeanArgs {
  /** Rows of the table (id 0 is padding). */
  inputDim: number;
  /** Embedding width. */
  outputDim: number;
  /** Layer name. */
  name?: string;
}

/**
 * A tfjs-layers layer: `[batch, length]` token ids (0 = padding) to the mean of the
 * embeddings of the non-padding ids, `[batch, outputDim]`; a row of padding only gives zeros.
 * Registered for serialization under its class name, so `tf.loadLayersModel` finds it once
 * this module is imported.
 */
export class EmbeddingBagMean extends tf.layers.Layer {
  /** Name under which the class is serialized in `model.json`. */
  static readonly className = 'EmbeddingBagMean';
  /** Rows of the table. */
  readonly inputDim: number;
  /** Embedding width. */
  readonly outputDim: number;
  /** The `[inputDim, outputDim]` table, once built. */
  embeddings: tf.LayerVariable | null = null;

  /** @param args - Table size and width, and the layer's name. */
  constructor(args: EmbeddingBagMeanArgs) {
    super({ name: args.name });
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
  }

  /** Creates the table (zeros; the trainer sets the initial values). */
  override build(): void {
    this.embeddings = this.addWeight(
      'embeddings',
      [this.inputDim, this.outputDim],
      'float32',
      tf.initializers.zeros(),
    );
    this.built = true;
  }

  /** `[batch, length]` to `[batch, outputDim]`. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], this.outputDim];
  }

  /** The masked mean of the embeddings of each row. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const ids = tf.cast(Array.isArray(inputs) ? inputs[0] : inputs, 'int32') as tf.Tensor2D;
      const mask = tf.cast(tf.notEqual(ids, 0), 'float32');
      const vectors = tf.gather(this.embeddings!.read(), ids); // [b, l, d]
      const sums = tf.sum(tf.mul(vectors, tf.expandDims(mask, 2)), 1);
      const counts = tf.maximum(tf.sum(mask, 1, true), 1);
      return tf.div(sums, counts);
    });
  }

  /** Serializable configuration. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim };
  }
}
tf.serialization.registerClass(EmbeddingBagMean);

/** Names of the model's layers. */
export const layerNames = { embeddings: 'embedding_bag', hidden: 'hidden', output: 'logits' };

/**
 * Builds the tagger as a tfjs-layers model: `tokens` (`[batch, length]` int32 ids, 0 =
 * padding) → {@link EmbeddingBagMean} → dense ReLU → dense logits. Weights are zeros; set them
 * with {@link initializeWeights} or load them.
 */
export function buildTaggerModel(shape: ModelShape): tf.LayersModel {
  const input = tf.input({ shape: [null], dtype: 'int32', name: 'tokens' });
  const bag = new EmbeddingBagMean({
    inputDim: shape.vocabularySize,
    outputDim: shape.embeddingDim,
    name: layerNames.embeddings,
  });
  const pooled = bag.apply(input) as tf.SymbolicTensor;
  const hidden = tf.layers
    .dense({ units: shape.hiddenUnits, activation: 'relu', name: layerNames.hidden })
    .apply(pooled) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: shape.numClasses, name: layerNames.output })
    .apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'tagger' });
}

/** The model's trainable variables, for the fast path and the optimizer. */
export interface TaggerVariables {
  /** `[vocabularySize, embeddingDim]`, row 0 (padding) zero. */
  embeddings: tf.Variable;
  /** `[embeddingDim, hiddenUnits]`. */
  hiddenKernel: tf.Variable;
  /** `[hiddenUnits]`. */
  hiddenBias: tf.Variable;
  /** `[hiddenUnits, numClasses]`. */
  outputKernel: tf.Variable;
  /** `[numClasses]`. */
  outputBias: tf.Variable;
}

/** The variables of a model built by {@link buildTaggerModel} (or loaded). */
export function taggerVariables(model: tf.LayersModel): TaggerVariables {
  const weights = (name: string) =>
    model.getLayer(name).trainableWeights.map((w) => w.read() as tf.Variable);
  const [embeddings] = weights(layerNames.embeddings);
  const [hiddenKernel, hiddenBias] = weights(layerNames.hidden);
  const [outputKernel, outputBias] = weights(layerNames.output);
  return { embeddings, hiddenKernel, hiddenBias, outputKernel, outputBias };
}

/** The shape of a built model. */
export function modelShape(model: tf.LayersModel): ModelShape {
  const v = taggerVariables(model);
  const [vocabularySize, embeddingDim] = v.embeddings.shape as number[];
  const hiddenUnits = v.hiddenKernel.shape[1] as number;
  const numClasses = v.outputKernel.shape[1] as number;
  return { vocabularySize, embeddingDim, hiddenUnits, numClasses };
}

/** Options of {@link initializeWeights}. */
export interface InitializeOptions {
  /** Seed of the initial values. */
  seed: number;
  /**
   * Initial output biases (one per class), e.g. the log-odds of each class' prior for the
   * usual focal-loss prior initialisation; default: PyTorch's uniform initialisation.
   */
  outputBias?: Float32Array | null;
}

/**
 * Sets the initial weights as PyTorch initialises the anchor's modules: embeddings `N(0, 1)`
 * (`nn.EmbeddingBag`; the padding row 0 zero), linear weights and biases
 * `U(-1/sqrt(fan_in), 1/sqrt(fan_in))` (`nn.Linear`). Drawn from a seeded generator, so the
 * same seed gives the same weights on any backend.
 */
export function initializeWeights(model: tf.LayersModel, options: InitializeOptions): void {
  const random = new Random(options.seed);
  const { vocabularySize: v, embeddingDim: d, hiddenUnits: h, numClasses: c } = modelShape(model);
  const embeddings = new Float32Array(v * d);
  for (let k = d; k < embeddings.length; k++) embeddings[k] = random.normal();
  const uniform = (size: number, fanIn: number) => {
    const bound = 1 / Math.sqrt(fanIn);
    const values = new Float32Array(size);
    for (let k = 0; k < size; k++) values[k] = random.uniform(-bound, bound);
    return values;
  };
  const hiddenKernel = uniform(d * h, d);
  const hiddenBias = uniform(h, d);
  const outputKernel = uniform(h * c, h);
  let outputBias = uniform(c, h);
  if (options.outputBias != null) outputBias = Float32Array.from(options.outputBias);
  const values = tf.tidy(() => [
    tf.tensor2d(embeddings, [v, d]),
    tf.tensor2d(hiddenKernel, [d, h]),
    tf.tensor1d(hiddenBias),
    tf.tensor2d(outputKernel, [h, c]),
    tf.tensor1d(outputBias),
  ]);
  model.setWeights(values);
  tf.dispose(values);
}

/**
 * A batch of documents as flat token lists, ready for {@link embeddingBagMean}. Tensors are
 * owned by the caller (create and use them inside `tf.tidy`).
 */
export interface TokenBatch {
  /** Number of documents `b`. */
  rows: number;
  /** `[t]` int32 token ids of all documents, document after document. */
  ids: tf.Tensor1D;
  /** `[t, 1]` int32 ids (the scatter indices of the gradient). */
  scatterIds: tf.Tensor2D;
  /** `[t]` int32 document index of each token, non-decreasing. */
  segments: tf.Tensor1D;
  /** `[t]` int32 `0..t-1`. */
  positions: tf.Tensor1D;
  /** `[t, 1]` float32 `1 / length` of each token's document (0 for a padding id). */
  weights: tf.Tensor2D;
}

/**
 * Collects the documents `rows` of `tokens` into a {@link TokenBatch}. A document without
 * known tokens gets the padding id 0 with weight 0, so that its mean is zero (row 0 of the
 * table is zero and receives no gradient) and every document has a row in the output.
 */
export function makeTokenBatch(tokens: EncodedTokens, rows: ArrayLike<number>): TokenBatch {
  let total = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    total += Math.max(1, tokens.offsets[i + 1] - tokens.offsets[i]);
  }
  const ids = new Int32Array(total);
  const segments = new Int32Array(total);
  const positions = new Int32Array(total);
  const weights = new Float32Array(total);
  let t = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const start = tokens.offsets[i];
    const length = tokens.offsets[i + 1] - start;
    if (length === 0) {
      segments[t] = r;
      positions[t] = t;
      t++;
      continue;
    }
    const weight = 1 / length;
    for (let k = 0; k < length; k++) {
      ids[t] = tokens.ids[start + k];
      segments[t] = r;
      positions[t] = t;
      weights[t] = weight;
      t++;
    }
  }
  return {
    rows: rows.length,
    ids: tf.tensor1d(ids, 'int32'),
    scatterIds: tf.tensor2d(ids, [total, 1], 'int32'),
    segments: tf.tensor1d(segments, 'int32'),
    positions: tf.tensor1d(positions, 'int32'),
    weights: tf.tensor2d(weights, [total, 1]),
  };
}

/**
 * The mean embedding of each document of `batch`, `[b, d]`, differentiable with respect to
 * `table`. Forward is one `sparseSegmentMean`; the gradient scatters `dy` of each token's
 * document, times `1 / length`, into the table's rows (`scatterND` sums duplicate ids). Both
 * kernels exist on the cpu, wasm and webgl backends (`unsortedSegmentSum`, the gradient of
 * `tf.gather`, does not exist on wasm).
 */
export function embeddingBagMean(table: tf.Tensor2D, batch: TokenBatch): tf.Tensor2D {
  const bag = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([x]);
    const value = tf.sparse.sparseSegmentMean(x as tf.Tensor2D, batch.ids, batch.segments);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const perToken = tf.sparse.sparseSegmentSum(dy, batch.segments, batch.positions);
      return [tf.scatterND(batch.scatterIds, tf.mul(perToken, batch.weights), saved[0].shape)];
    };
    return { value, gradFunc };
  });
  return bag(table) as tf.Tensor2D;
}

/**
 * `x W + b` with a gradient that transposes explicitly: the wasm backend's matMul is several
 * times slower with its transpose flags (what tfjs' own matMul gradient uses) than with a
 * separate transpose.
 */
const denseLayer = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, kernel, bias, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([x, kernel]);
  const value = tf.add(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), bias);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
    const [input, weights] = saved as [tf.Tensor2D, tf.Tensor2D];
    return [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(weights)),
      tf.matMul(tf.transpose(input), dy as tf.Tensor2D),
      tf.sum(dy, 0),
    ];
  };
  return { value, gradFunc };
});

/**
 * The model's logits for a batch, `[b, c]`: the same function as the layers model on padded
 * ids, computed on flat token lists (no padding work) and differentiable with respect to the
 * variables.
 */
export function taggerLogits(variables: TaggerVariables, batch: TokenBatch): tf.Tensor2D {
  const pooled = embeddingBagMean(variables.embeddings as tf.Tensor2D, batch);
  const hidden = tf.relu(denseLayer(pooled, variables.hiddenKernel, variables.hiddenBias));
  return denseLayer(hidden, variables.outputKernel, variables.outputBias) as tf.Tensor2D;
}

/**
 * Logits of every document of `tokens`, computed in batches without a gradient; `[n, c]`
 * row-major in a Float32Array.
 */
export function predictLogits(
  variables: TaggerVariables,
  tokens: EncodedTokens,
  batchSize = 512,
): Float32Array {
  const c = variables.outputKernel.shape[1] as number;
  const out = new Float32Array(tokens.n * c);
  for (let start = 0; start < tokens.n; start += batchSize) {
    const end = Math.min(tokens.n, start + batchSize);
    const rows = Int32Array.from({ length: end - start }, (_, k) => start + k);
    const logits = tf.tidy(() => taggerLogits(variables, makeTokenBatch(tokens, rows)));
    out.set(logits.dataSync(), start * c);
    logits.dispose();
  }
  return out;
}

/**
 * Token ids padded with 0 to the longest document, `[n, length]` int32: the input of the
 * layers model.
 */
export function paddedIds(tokens: EncodedTokens): tf.Tensor2D {
  let length = 1;
  for (let i = 0; i < tokens.n; i++)
    length = Math.max(length, tokens.offsets[i + 1] - tokens.offsets[i]);
  const ids = new Int32Array(tokens.n * length);
  for (let i = 0; i < tokens.n; i++)
    ids.set(tokens.ids.subarray(tokens.offsets[i], tokens.offsets[i + 1]), i * length);
  return tf.tensor2d(ids, [tokens.n, length], 'int32');
}
