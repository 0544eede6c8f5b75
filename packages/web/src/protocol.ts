/**
 * Messages between the Try panel (main thread) and its training workers (one per loss, so
 * that BCE and ASL train side by side on two cores while the page stays responsive).
 */
import type { LossOverrides } from 'asymmetric-loss-tagger';

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
  epochs: number;
  /** Training packages used (the first ones of the training split), or 0 for all. */
  trainSize: number;
  backend: 'wasm' | 'webgl' | 'cpu';
  seed: number;
}

/** Messages to a worker. */
export type ToWorker =
  TrainRequest | { type: 'stop' } | { type: 'predict'; id: number; text: string; k: number };

/** A predicted tag. */
export interface TagGuess {
  tag: string;
  probability: number;
}

/** Messages from a worker. */
export type FromWorker =
  | { type: 'status'; run: RunName; text: string }
  | {
      type: 'prepared';
      run: RunName;
      backend: string;
      train: number;
      val: number;
      tags: number;
      vocabulary: number;
    }
  | {
      type: 'step';
      run: RunName;
      epoch: number;
      step: number;
      stepsPerEpoch: number;
      globalStep: number;
      totalSteps: number;
      loss: number;
      itemsPerSecond: number;
    }
  | {
      type: 'epoch';
      run: RunName;
      epoch: number;
      trainLoss: number;
      valMap: number;
      seconds: number;
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
