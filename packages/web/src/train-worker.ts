/**
 * A training worker of the Try panel: decompresses and parses the data, prepares the split,
 * trains one tagger (BCE or ASL) with the library, reports steps and epochs, stops on request,
 * and predicts tags for text. One worker per loss.
 */
import { bytesToText, resolveLoss, type Tagger } from 'asymmetric-loss-tagger';
import { useBackend } from './backend.js';
import type { FromWorker, RunName, ToWorker, TrainRequest } from './protocol.js';
import { parseDebtags, predictText, prepareSubset, runConfig, trainRun } from './tagger-session.js';

let run: RunName = 'bce';
let tagger: Tagger | null = null;
let stopper: AbortController | null = null;

function post(message: FromWorker): void {
  postMessage(message);
}

async function train(request: TrainRequest): Promise<void> {
  run = request.run;
  stopper = new AbortController();
  const signal = stopper.signal;
  tagger?.dispose();
  tagger = null;
  const loss = resolveLoss('tags', request.run, request.overrides);
  post({ type: 'status', run, text: 'starting the backend…' });
  const backend = await useBackend(request.backend);
  post({ type: 'status', run, text: 'decompressing and parsing the data…' });
  const text = await bytesToText(new Uint8Array(request.data));
  post({ type: 'status', run, text: 'building the vocabulary and features…' });
  const data = prepareSubset(parseDebtags(text), request.trainSize);
  post({
    type: 'prepared',
    run,
    backend,
    train: data.train.n,
    val: data.val.n,
    tags: data.classes.length,
    vocabulary: data.vocabulary.size - 1,
  });
  let lastStep = 0;
  const trained = await trainRun(data, runConfig(loss, request.epochs, request.seed), {
    signal,
    onStep: (info) => {
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
        itemsPerSecond: info.itemsPerSecond,
      });
    },
    onEpochEnd: (info) => {
      post({
        type: 'epoch',
        run,
        epoch: info.epoch,
        trainLoss: info.trainLoss,
        valMap: info.valScore,
        seconds: info.seconds,
      });
    },
  });
  tagger = trained.tagger;
  const { result } = trained;
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
  if (message.type === 'stop') {
    stopper?.abort();
    return;
  }
  if (message.type === 'predict') {
    if (tagger === null) {
      post({ type: 'prediction', run, id: message.id, tags: [], known: 0 });
      return;
    }
    const { tags, known } = predictText(tagger, message.text, message.k);
    post({ type: 'prediction', run, id: message.id, tags, known });
    return;
  }
  train(message).catch((error: unknown) => {
    post({ type: 'error', run, message: error instanceof Error ? error.message : String(error) });
  });
});
