/**
 * Messages between the Try panel (main thread) and its training workers (one per loss, so
 * that BCE and ASL train side by side on two cores while the page stays responsive).
 */
import type { LossOverrides, LossSettings } from 'asymmetric-loss-tagger';
import type { BackendName } from './backend-names.js';
import type { BackendProbe } from './backend.js';
import type { InsightStats } from './insight.js';

/** The two runs of the panel. */
export type RunName = 'bce' | 'asl';

/** What a worker is asked to train. */
export interface TrainRequest {
  type: 'train';
  run: RunName;
  /** The data file's bytes (gzip), downloaded once by the page. */
  data: ArrayBuffer;
  /** Overrides of the tagger's preset for `run` (ASL: the Explore panel's setting). */
  overrides: LossOverrides;
  /** The clip m of the ASL run: the insight's easy negatives (p < m), for both runs. */
  insightClip: number;
  epochs: number;
  /** Training packages used (the first ones of the training split), or 0 for all. */
  trainSize: number;
  backend: BackendName;
  seed: number;
}

/**
 * Messages to a worker: train, stop, pause before the next step, resume, run to the end of
 * the current epoch and pause there (`epoch`), predict tags for a text, or try the GPU backends
 * (`probe`: the page asks a worker it then terminates).
 */
export type ToWorker =
  | TrainRequest
  | { type: 'probe' }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'epoch' }
  | { type: 'predict'; id: number; text: string; k: number };

/** A predicted tag. */
export interface TagGuess {
  tag: string;
  probability: number;
}

/** Messages from a worker. */
export type FromWorker =
  | { type: 'probes'; probes: BackendProbe[] }
  | { type: 'status'; run: RunName; text: string }
  | {
      type: 'prepared';
      run: RunName;
      /** The backend asked for, and the one running (they differ when it could not start). */
      requested: BackendName;
      backend: string;
      train: number;
      val: number;
      tags: number;
      vocabulary: number;
      /** The run's loss, resolved from the preset and the overrides. */
      loss: LossSettings;
      /** The validation targets (n × tags, 0/1), for the insight's export. */
      valTargets: Uint8Array;
    }
  | {
      type: 'step';
      run: RunName;
      epoch: number;
      step: number;
      stepsPerEpoch: number;
      globalStep: number;
      totalSteps: number;
      /** Mean loss per package over the epoch so far. */
      loss: number;
      /** Mean loss per package of the steps since the previous message. */
      recentLoss: number;
      itemsPerSecond: number;
    }
  | { type: 'paused'; run: RunName; epoch: number; step: number; stepsPerEpoch: number }
  | { type: 'resumed'; run: RunName }
  | {
      type: 'epoch';
      run: RunName;
      epoch: number;
      trainLoss: number;
      valMap: number;
      seconds: number;
    }
  | {
      type: 'insight';
      run: RunName;
      stats: InsightStats;
      /** The validation logits of this epoch's model (n × tags, float32). */
      logits: Float32Array;
    }
  | {
      type: 'tags';
      run: RunName;
      /** The best model's validation AP per tag, percent (NaN: no positive in validation). */
      ap: number[];
      /** Training packages carrying each tag. */
      trainCounts: number[];
      classes: string[];
    }
  | {
      type: 'done';
      run: RunName;
      bestEpoch: number;
      bestMap: number;
      stopped: boolean;
      seconds: number;
      msPerStep: number;
    }
  | { type: 'prediction'; run: RunName; id: number; tags: TagGuess[]; known: number }
  | { type: 'error'; run: RunName; message: string };
