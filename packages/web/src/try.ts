/**
 * The Try panel: trains the debtags tagger twice, with BCE and with ASL, in two workers side
 * by side; shows their progress and validation mAP per epoch (the CLI's plot 5 spec, live), a
 * stop button, and the tags each model predicts for the user's text.
 */
import type { View } from 'vega';
import { trainingCurvesSpec, trainingRows, type TrainingCurve } from 'asymmetric-loss-tagger/plots';
import { Chart } from './charts.js';
import { debtagsUrl, downloadDebtags } from './data.js';
import type { ExploreSettings } from './explore-model.js';
import type { FromWorker, RunName, TagGuess, ToWorker } from './protocol.js';

/** The panel's state, exposed for the end-to-end tests. */
export interface TryState {
  /** Per run: validation mAP (percent) of each epoch, and the final summary once done. */
  runs(): Record<RunName, RunState>;
  /** Resolves when the current (or next) training has finished in both workers. */
  finished(): Promise<void>;
  /** The last predictions shown. */
  predictions(): Record<RunName, TagGuess[]>;
  /** Resolves when the predictions for the current text are shown. */
  predicted(): Promise<void>;
  charts: Chart[];
}

/** What the page knows about one run. */
export interface RunState {
  backend: string;
  trainPackages: number;
  valPackages: number;
  epochs: { epoch: number; valMap: number; trainLoss: number; seconds: number }[];
  done: boolean;
  stopped: boolean;
  bestEpoch: number;
  bestMap: number;
  error: string | null;
}

const runNames: readonly RunName[] = ['bce', 'asl'];
const runLabels: Record<RunName, string> = { bce: 'BCE', asl: 'ASL' };

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`explorer: element #${id} is missing`);
  return found as T;
}

function emptyRun(): RunState {
  return {
    backend: '',
    trainPackages: 0,
    valPackages: 0,
    epochs: [],
    done: false,
    stopped: false,
    bestEpoch: 0,
    bestMap: NaN,
    error: null,
  };
}

/** Sets up the panel. `exploreSettings` reads the Explore panel's current setting. */
export function setupTry(exploreSettings: () => ExploreSettings): TryState {
  const ui = {
    trainSize: element<HTMLSelectElement>('train-size'),
    epochs: element<HTMLInputElement>('epochs'),
    backend: element<HTMLSelectElement>('backend'),
    useExplore: element<HTMLInputElement>('use-explore'),
    aslSetting: element<HTMLElement>('asl-setting'),
    train: element<HTMLButtonElement>('train'),
    stop: element<HTMLButtonElement>('stop'),
    status: element<HTMLElement>('train-status'),
    text: element<HTMLTextAreaElement>('predict-text'),
    predict: element<HTMLButtonElement>('predict'),
    predictStatus: element<HTMLElement>('predict-status'),
  };
  const progress = {
    bce: element<HTMLProgressElement>('progress-bce'),
    asl: element<HTMLProgressElement>('progress-asl'),
  };
  const mapText = { bce: element<HTMLElement>('map-bce'), asl: element<HTMLElement>('map-asl') };
  const lists = {
    bce: element<HTMLOListElement>('predictions-bce'),
    asl: element<HTMLOListElement>('predictions-asl'),
  };

  // WebGL is offered where the browser has it.
  const webgl = ui.backend.querySelector<HTMLOptionElement>('option[value="webgl"]');
  const canvas = document.createElement('canvas');
  if (webgl !== null && (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) === null) {
    webgl.disabled = true;
    webgl.textContent += ' (not available here)';
  }

  const aslOverrides = () => {
    if (!ui.useExplore.checked) return {};
    const s = exploreSettings();
    return {
      gammaNeg: s.gammaNeg,
      gammaPos: s.gammaPos,
      clip: s.clip,
      eps: s.eps,
      focalGrad: s.focalGrad,
    };
  };
  const showAslSetting = () => {
    const s = {
      gammaNeg: 4,
      gammaPos: 0,
      clip: 0.05,
      eps: 1e-8,
      focalGrad: 'full',
      ...aslOverrides(),
    };
    ui.aslSetting.textContent =
      `ASL: γ− ${s.gammaNeg}, γ+ ${s.gammaPos}, m ${s.clip}, eps ${s.eps}, ${s.focalGrad} focal gradient` +
      (ui.useExplore.checked
        ? ' (from Explore).'
        : ' (the paper’s γ−, γ+ and m, with timm’s default full focal gradient).');
  };
  ui.useExplore.addEventListener('change', showAslSetting);
  document.getElementById('controls')?.addEventListener('input', showAslSetting);
  document
    .getElementById('controls')
    ?.addEventListener('click', () => setTimeout(showAslSetting, 0));
  showAslSetting();

  let runs: Record<RunName, RunState> = { bce: emptyRun(), asl: emptyRun() };
  const predictions: Record<RunName, TagGuess[]> = { bce: [], asl: [] };
  let workers: Record<RunName, Worker> | null = null;
  let dataBytes: ArrayBuffer | null = null;
  let training = false;
  let plannedEpochs = 1;
  let finish: () => void = () => {};
  let finishedPromise = new Promise<void>((resolve) => (finish = resolve));

  // The chart appears with the first validated epoch.
  let chartView: View | null = null;
  const curves = (): TrainingCurve[] =>
    runNames.map((r) => ({
      loss: runLabels[r],
      epochs: runs[r].epochs.map((e) => ({ epoch: e.epoch, valMap: e.valMap })),
    }));
  const chart = new Chart(
    element('training-chart'),
    (width) =>
      trainingCurvesSpec(curves(), 'Debian debtags, validation packages', {
        live: true,
        losses: runNames.map((r) => runLabels[r]),
        epochs: plannedEpochs,
        width: Math.max(220, Math.min(680, width - 120)),
        height: width < 600 ? 220 : 300,
      }),
    (view) => (chartView = view),
  );
  const updateChart = async () => {
    if (chartView === null) {
      await chart.render(true);
      return;
    }
    chartView.data('curves', trainingRows(curves()));
    await chartView.runAsync();
  };

  const setStatus = (text: string) => (ui.status.textContent = text);
  const statusOf: Record<RunName, string> = { bce: '', asl: '' };
  const showStatus = () =>
    setStatus(runNames.map((r) => `${runLabels[r]}: ${statusOf[r]}`).join(' · '));

  const endTraining = () => {
    training = false;
    ui.train.disabled = false;
    ui.stop.disabled = true;
    const ready = runNames.every((r) => runs[r].bestEpoch > 0);
    ui.predict.disabled = !ready;
    if (ready) void predict();
    finish();
  };

  const onMessage = (message: FromWorker) => {
    const run = runs[message.run];
    switch (message.type) {
      case 'status':
        statusOf[message.run] = message.text;
        showStatus();
        break;
      case 'prepared':
        run.backend = message.backend;
        run.trainPackages = message.train;
        run.valPackages = message.val;
        statusOf[message.run] =
          `training on ${message.train} packages (${message.tags} tags, ` +
          `${message.vocabulary} tokens), ${message.backend} backend`;
        showStatus();
        break;
      case 'step':
        progress[message.run].value = message.globalStep / message.totalSteps;
        statusOf[message.run] =
          `epoch ${message.epoch}, step ${message.step}/${message.stepsPerEpoch}, ` +
          `loss ${message.loss.toFixed(3)}, ${Math.round(message.itemsPerSecond)} packages/s`;
        showStatus();
        break;
      case 'epoch':
        run.epochs.push({
          epoch: message.epoch,
          valMap: message.valMap,
          trainLoss: message.trainLoss,
          seconds: message.seconds,
        });
        mapText[message.run].textContent = `mAP ${message.valMap.toFixed(2)}%`;
        void updateChart();
        break;
      case 'done':
        Object.assign(run, {
          done: true,
          stopped: message.stopped,
          bestEpoch: message.bestEpoch,
          bestMap: message.bestMap,
        });
        statusOf[message.run] = message.stopped
          ? `stopped; best epoch ${message.bestEpoch || '–'}`
          : `done in ${message.seconds.toFixed(1)} s, best mAP ${message.bestMap.toFixed(2)}% (epoch ${message.bestEpoch})`;
        showStatus();
        if (runNames.every((r) => runs[r].done || runs[r].error !== null)) endTraining();
        break;
      case 'prediction':
        if (message.id === predictId) {
          predictions[message.run] = message.tags;
          known[message.run] = message.known;
          pending.delete(message.run);
          if (pending.size === 0) showPredictions();
        }
        break;
      case 'error':
        run.error = message.message;
        statusOf[message.run] = `error: ${message.message}`;
        showStatus();
        if (runNames.every((r) => runs[r].done || runs[r].error !== null)) endTraining();
        break;
    }
  };

  const startWorkers = (): Record<RunName, Worker> => {
    const make = (run: RunName) => {
      const worker = new Worker(new URL('./train-worker.ts', import.meta.url), {
        type: 'module',
        name: `asl-train-${run}`,
      });
      worker.addEventListener('message', (event: MessageEvent<FromWorker>) =>
        onMessage(event.data),
      );
      worker.addEventListener('error', (event) => {
        onMessage({ type: 'error', run, message: event.message || 'the worker failed to start' });
      });
      return worker;
    };
    return { bce: make('bce'), asl: make('asl') };
  };
  const send = (run: RunName, message: ToWorker) => workers?.[run].postMessage(message);

  let stopRequested = false;
  const train = async () => {
    if (training) return;
    training = true;
    stopRequested = false;
    ui.train.disabled = true;
    ui.stop.disabled = false;
    ui.predict.disabled = true;
    finishedPromise = new Promise<void>((resolve) => (finish = resolve));
    runs = { bce: emptyRun(), asl: emptyRun() };
    for (const r of runNames) {
      progress[r].value = 0;
      mapText[r].textContent = '–';
      statusOf[r] = 'waiting…';
    }
    chart.clear('The validation mAP of each epoch appears here.');
    chartView = null;
    try {
      if (dataBytes === null) {
        setStatus('downloading the data set…');
        // Kept as gzip bytes (4 MB) and copied to both workers, which decompress them.
        const bytes = await downloadDebtags((received, total) =>
          setStatus(
            `downloading the data set… ${(received / 1e6).toFixed(1)}` +
              // (a server may send the file gzip-encoded: then the total is the smaller size)
              (total >= received ? ` of ${(total / 1e6).toFixed(1)} MB` : ' MB'),
          ),
        );
        dataBytes = bytes.buffer as ArrayBuffer;
      }
    } catch (error) {
      setStatus(`could not load ${debtagsUrl}: ${(error as Error).message}`);
      training = false;
      ui.train.disabled = false;
      ui.stop.disabled = true;
      finish();
      return;
    }
    if (stopRequested) {
      // Stopped while downloading: nothing was trained.
      setStatus('stopped before training started.');
      training = false;
      ui.train.disabled = false;
      ui.stop.disabled = true;
      finish();
      return;
    }
    workers ??= startWorkers();
    const epochs = Math.max(1, Math.min(20, Math.round(Number(ui.epochs.value) || 1)));
    plannedEpochs = epochs;
    for (const run of runNames)
      send(run, {
        type: 'train',
        run,
        data: dataBytes,
        overrides: run === 'asl' ? aslOverrides() : {},
        epochs,
        trainSize: Number(ui.trainSize.value),
        backend: ui.backend.value as 'wasm' | 'webgl' | 'cpu',
        seed: 1,
      });
  };

  const stop = () => {
    stopRequested = true;
    for (const run of runNames) send(run, { type: 'stop' });
    setStatus('stopping after the current step…');
  };

  // Predictions: both models, the latest text wins.
  let predictId = 0;
  const pending = new Set<RunName>();
  const known: Record<RunName, number> = { bce: 0, asl: 0 };
  let predictDone: () => void = () => {};
  let predictedPromise = Promise.resolve();
  const showPredictions = () => {
    for (const run of runNames) {
      lists[run].replaceChildren(
        ...predictions[run].map((guess) => {
          const li = document.createElement('li');
          const tag = document.createElement('code');
          tag.textContent = guess.tag;
          li.append(tag, ` ${(100 * guess.probability).toFixed(1)}%`);
          return li;
        }),
      );
    }
    ui.predictStatus.textContent =
      known.asl === 0
        ? 'None of these words are in the vocabulary: the models only see their priors.'
        : `${known.asl} known tokens. Probabilities: sigmoid of each tag's logit.`;
    predictDone();
  };
  const predict = () => {
    if (workers === null || training) return predictedPromise;
    predictId++;
    predictedPromise = new Promise<void>((resolve) => (predictDone = resolve));
    for (const run of runNames) {
      pending.add(run);
      send(run, { type: 'predict', id: predictId, text: ui.text.value, k: 8 });
    }
    return predictedPromise;
  };
  let typing: ReturnType<typeof setTimeout> | undefined;
  ui.text.addEventListener('input', () => {
    clearTimeout(typing);
    if (!ui.predict.disabled) typing = setTimeout(() => void predict(), 250);
  });
  ui.predict.addEventListener('click', () => void predict());
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-example]'))
    button.addEventListener('click', () => {
      ui.text.value = button.dataset.example ?? '';
      void predict();
    });
  ui.train.addEventListener('click', () => void train());
  ui.stop.addEventListener('click', stop);

  return {
    runs: () => structuredClone(runs),
    finished: () => finishedPromise,
    predictions: () => structuredClone(predictions),
    predicted: () => predictedPromise,
    charts: [chart],
  };
}
