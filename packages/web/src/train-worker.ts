/**
 * A training worker of the Try panel: decompresses and parses the data, prepares the split,
 * trains one tagger (BCE or ASL) with the library, reports steps and epochs (with the insight
 * statistics of each epoch's model on the validation set), pauses, resumes or runs one epoch
 * on request, stops, reports the best model's AP per tag, and predicts tags for text. One
 * worker per loss. A worker can also probe the GPU backends (then the page terminates it, so
 * that no backend state stays behind).
 */
import { meanAveragePrecision } from 'asymmetric-loss/metrics';
import { bytesToText, resolveLoss, type Tagger } from 'asymmetric-loss-tagger';
import { gpuBackendNames } from './backend-names.js';
import { probeBackend, useBackend } from './backend.js';
import { insightOf } from './insight.js';
import type { FromWorker, RunName, ToWorker, TrainRequest } from './protocol.js';
import { parseDebtags, predictText, prepareSubset, runConfig, trainRun } from './tagger-session.js';

let run: RunName = 'bce';
let tagger: Tagger | null = null;
let stopper: AbortController | null = null;

/**
 * The pause state: `run`, `pause` (before the next step) or `epoch` (run until the epoch
 * `untilEpoch` ends, then pause).
 */
let mode: 'run' | 'pause' | 'epoch' = 'run';
let untilEpoch = 0;
let pendingEpoch = 1;
let release: (() => void) | null = null;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  postMessage(message, { transfer });
}

/** Awaited before every training step: waits while paused. */
async function gate(epoch: number, step: number, stepsPerEpoch: number): Promise<void> {
  pendingEpoch = epoch;
  if (mode === 'epoch' && epoch > untilEpoch) mode = 'pause';
  if (mode !== 'pause' || stopper?.signal.aborted) return;
  post({ type: 'paused', run, epoch, step, stepsPerEpoch });
  await new Promise<void>((resolve) => (release = resolve));
  release = null;
  post({ type: 'resumed', run });
}

function resume(next: 'run' | 'epoch'): void {
  mode = next;
  untilEpoch = pendingEpoch;
  release?.();
}

async function train(request: TrainRequest): Promise<void> {
  run = request.run;
  stopper = new AbortController();
  mode = 'run';
  const signal = stopper.signal;
  tagger?.dispose();
  tagger = null;
  const loss = resolveLoss('tags', request.run, request.overrides);
  post({ type: 'status', run, text: 'starting the backend…' });
  const { requested, backend } = await useBackend(request.backend);
  post({ type: 'status', run, text: 'decompressing and parsing the data…' });
  const text = await bytesToText(new Uint8Array(request.data));
  post({ type: 'status', run, text: 'building the vocabulary and features…' });
  const data = prepareSubset(parseDebtags(text), request.trainSize);
  const c = data.classes.length;
  const valTargets = data.val.tagTargets!;
  post({
    type: 'prepared',
    run,
    requested,
    backend,
    train: data.train.n,
    val: data.val.n,
    tags: c,
    vocabulary: data.vocabulary.size - 1,
    loss,
    valTargets: valTargets.slice(),
  });
  let lastStep = 0;
  let recentSum = 0;
  let recentCount = 0;
  let bestLogits: Float32Array | null = null;
  const trained = await trainRun(data, runConfig(loss, request.epochs, request.seed), {
    signal,
    beforeStep: gate,
    onStep: (info) => {
      recentSum += info.batchLoss;
      recentCount++;
      const now = performance.now();
      if (now - lastStep < 100 && info.step !== info.stepsPerEpoch) return;
      lastStep = now;
      post({
        type: 'step',
        run,
        epoch: info.epoch,
        step: info.step,
        stepsPerEpoch: info.stepsPerEpoch,
        globalStep: info.globalStep,
        totalSteps: info.totalSteps,
        loss: info.loss,
        recentLoss: recentSum / recentCount,
        itemsPerSecond: info.itemsPerSecond,
      });
      recentSum = 0;
      recentCount = 0;
    },
    onEpochEnd: (info, _model, logits) => {
      post({
        type: 'epoch',
        run,
        epoch: info.epoch,
        trainLoss: info.trainLoss,
        valMap: info.valScore,
        seconds: info.seconds,
      });
      // The logits go to the page; the best epoch's stay here for the per-tag view.
      if (info.best) bestLogits = logits.slice();
      const stats = insightOf(
        info.epoch,
        logits,
        valTargets,
        [data.val.n, c],
        loss,
        request.insightClip,
      );
      post({ type: 'insight', run, stats, logits }, [logits.buffer]);
    },
  });
  tagger = trained.tagger;
  const { result } = trained;
  if (bestLogits !== null) {
    // The best model's AP per tag on the validation set, and each tag's training count.
    const { perClass } = meanAveragePrecision(bestLogits, valTargets, [data.val.n, c]);
    const trainCounts = new Array<number>(c).fill(0);
    const trainTargets = data.train.tagTargets!;
    for (let k = 0; k < trainTargets.length; k++) trainCounts[k % c] += trainTargets[k];
    post({
      type: 'tags',
      run,
      ap: Array.from(perClass, (ap) => 100 * ap),
      trainCounts,
      classes: data.classes,
    });
  }
  post({
    type: 'done',
    run,
    bestEpoch: result.bestEpoch,
    bestMap: result.bestScore,
    stopped: result.stopped,
    seconds: result.seconds,
    msPerStep: result.msPerStep,
  });
}

addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'stop':
      stopper?.abort();
      release?.();
      return;
    case 'pause':
      mode = 'pause';
      return;
    case 'resume':
      resume('run');
      return;
    case 'epoch':
      resume('epoch');
      return;
    case 'predict': {
      if (tagger === null) {
        post({ type: 'prediction', run, id: message.id, tags: [], known: 0 });
        return;
      }
      const { tags, known } = predictText(tagger, message.text, message.k);
      post({ type: 'prediction', run, id: message.id, tags, known });
      return;
    }
    case 'probe':
      // One after the other: each switches tfjs' backend.
      void (async () => {
        const probes = [];
        for (const name of gpuBackendNames) probes.push(await probeBackend(name));
        post({ type: 'probes', probes });
      })();
      return;
    case 'train':
      train(message).catch((error: unknown) => {
        post({
          type: 'error',
          run,
          message: error instanceof Error ? error.message : String(error),
        });
      });
  }
});
