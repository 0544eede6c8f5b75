/**
 * The Try panel: trains the debtags tagger twice, with BCE and with ASL, in two workers side
 * by side; shows their progress, the live training loss, the validation mAP per epoch (the CLI's
 * plot 5 spec, live), after each epoch what the models predict on the validation set (the
 * insight view), after training the AP of each tag against its frequency, and the tags each
 * model predicts for the user's text. Training can be paused, resumed, run one epoch at a time
 * and stopped. The GPU backends are offered once a probe worker has started them.
 */
import type { View } from 'vega';
import {
  negativePeak,
  trainingCurvesSpec,
  trainingRows,
  type TrainingCurve,
} from 'asymmetric-loss-tagger/plots';
import type { LossSettings } from 'asymmetric-loss-tagger';
import { gpuBackendNames, type BackendName, type GpuBackendName } from './backend-names.js';
import type { BackendProbe } from './backend.js';
import { Chart } from './charts.js';
import { debtagsUrl, downloadDebtags } from './data.js';
import { initialSettings, type ExploreSettings } from './explore-model.js';
import { toBase64, type InsightStats } from './insight.js';
import {
  binRows,
  insightSpec,
  shareRows,
  type BinRow,
  type InsightMarker,
  type ShareRow,
} from './insight-spec.js';
import { liveLossSpec, type StepRow } from './live-loss-spec.js';
import { perTagSpec, rareTagCount, summarizeTags, tagRows, type TagRow } from './per-tag.js';
import type { FromWorker, RunName, TagGuess, ToWorker } from './protocol.js';
import { runColors, runLabels, runNames } from './runs.js';

/** The panel's state, exposed for the end-to-end tests. */
export interface TryState {
  /** Per run: validation mAP (percent) of each epoch, and the final summary once done. */
  runs(): Record<RunName, RunState>;
  /** Resolves when the current (or next) training has finished in both workers. */
  finished(): Promise<void>;
  /** Whether a training runs, and whether it is paused (both workers waiting). */
  status(): { training: boolean; paused: boolean };
  /** The last predictions shown. */
  predictions(): Record<RunName, TagGuess[]>;
  /** Resolves when the predictions for the current text are shown. */
  predicted(): Promise<void>;
  /** What the backend probe found (null while it runs). */
  backends(): BackendProbe[] | null;
  /** Resolves when the backend probe has finished. */
  probed(): Promise<void>;
  /** The insight statistics shown, with the logits and targets they come from (base64). */
  insight(): InsightExport;
  /** The per-tag rows of the last training (empty before both runs report). */
  tags(): TagRow[];
  charts: Chart[];
}

/** What the page exports of its insight view: enough to recompute it elsewhere. */
export interface InsightExport {
  /** The validation targets (n × tags, one byte per label), base64. */
  valTargets: string;
  shape: [number, number];
  runs: Partial<Record<RunName, { loss: LossSettings; stats: InsightStats; logits: string }>>;
}

/** An insight the page shows: the run's loss, the statistics and the logits they come from. */
interface InsightEntry {
  loss: LossSettings;
  stats: InsightStats;
  logits: Float32Array;
}

/** What the page knows about one run. */
export interface RunState {
  requestedBackend: string;
  /** Training steps done. */
  globalStep: number;
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

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`explorer: element #${id} is missing`);
  return found as T;
}

function emptyRun(): RunState {
  return {
    requestedBackend: '',
    globalStep: 0,
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

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Sets up the panel. `exploreSettings` reads the Explore panel's current setting. */
export function setupTry(exploreSettings: () => ExploreSettings): TryState {
  const ui = {
    trainSize: element<HTMLSelectElement>('train-size'),
    epochs: element<HTMLInputElement>('epochs'),
    backend: element<HTMLSelectElement>('backend'),
    backendNote: element<HTMLElement>('backend-note'),
    useExplore: element<HTMLInputElement>('use-explore'),
    aslSetting: element<HTMLElement>('asl-setting'),
    train: element<HTMLButtonElement>('train'),
    pause: element<HTMLButtonElement>('pause'),
    epoch: element<HTMLButtonElement>('one-epoch'),
    stop: element<HTMLButtonElement>('stop'),
    status: { bce: element<HTMLElement>('status-bce'), asl: element<HTMLElement>('status-asl') },
    status0: element<HTMLElement>('train-status'),
    insightCaption: element<HTMLElement>('insight-caption'),
    insightText: element<HTMLElement>('insight-text'),
    tagText: element<HTMLElement>('per-tag-text'),
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

  // The GPU backends: offered once a short-lived worker has started them.
  let probes: BackendProbe[] | null = null;
  let probedDone: () => void = () => {};
  const probedPromise = new Promise<void>((resolve) => (probedDone = resolve));
  const option = (name: BackendName) =>
    ui.backend.querySelector<HTMLOptionElement>(`option[value="${name}"]`);
  const gpuLabels: Record<GpuBackendName, string> = { webgl: 'WebGL', webgpu: 'WebGPU' };
  const showProbes = (found: BackendProbe[]) => {
    probes = found;
    const notes: string[] = [];
    for (const probe of found) {
      const o = option(probe.name);
      if (o === null) continue;
      const label = gpuLabels[probe.name];
      o.disabled = !probe.available;
      o.textContent = !probe.available
        ? `${label}: not available`
        : probe.software
          ? `${label}: software renderer (slow)`
          : `${label} (GPU)`;
      if (!probe.available) notes.push(`${label}: ${probe.reason}.`);
      else if (probe.software) {
        const known = /swiftshader|llvmpipe|lavapipe|softpipe/i.exec(probe.renderer)?.[0];
        notes.push(
          `${label} runs on a software renderer here${known ? ` (${known})` : ''}: expect it to be much slower than wasm.`,
        );
      }
    }
    ui.backendNote.textContent = [
      'wasm runs the library’s fused ASL kernel on the CPU (SIMD where the browser has it).',
      ...notes,
    ].join(' ');
    if (option(ui.backend.value as BackendName)?.disabled) ui.backend.value = 'wasm';
    probedDone();
  };
  for (const name of gpuBackendNames) {
    const o = option(name);
    if (o !== null) {
      o.disabled = true;
      o.textContent = `${gpuLabels[name]}: checking…`;
    }
  }
  const prober = new Worker(new URL('./train-worker.ts', import.meta.url), {
    type: 'module',
    name: 'asl-backend-probe',
  });
  const probeFailed = (reason: string) =>
    showProbes(
      gpuBackendNames.map((name) => ({
        name,
        available: false,
        software: false,
        renderer: '',
        reason,
      })),
    );
  const endProbe = () => {
    clearTimeout(probeTimer);
    prober.terminate();
  };
  const probeTimer = setTimeout(() => {
    endProbe();
    probeFailed('the backend check did not finish in 20 s');
  }, 20_000);
  prober.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    if (event.data.type !== 'probes') return;
    endProbe();
    showProbes(event.data.probes);
  });
  prober.addEventListener('error', (event) => {
    endProbe();
    probeFailed(`the backend check failed (${event.message || 'worker error'})`);
  });
  prober.postMessage({ type: 'probe' } satisfies ToWorker);

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
  const aslSettings = (): ExploreSettings => ({ ...initialSettings, ...aslOverrides() });
  const showAslSetting = () => {
    const s = aslSettings();
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
  const pausedRuns = new Set<RunName>();
  let pauseWanted = false;

  const narrow = (width: number) => width < 640;
  const columnsOf = (width: number): 1 | 2 => (narrow(width) ? 1 : 2);
  const halfWidth = (width: number) =>
    Math.max(200, Math.min(360, narrow(width) ? width - 90 : Math.floor((width - 170) / 2)));

  // The validation mAP chart appears with the first validated epoch.
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
        width: Math.max(200, Math.min(680, width - 120)),
        height: narrow(width) ? 200 : 260,
      }),
    (view) => (chartView = view),
  );
  const updateChart = async () => {
    if (chartView === null) {
      await chart.render(true);
      return;
    }
    chartView.data('curves', trainingRows(curves()));
    await chartView.resize().runAsync();
  };

  // Live training loss, one panel per run.
  let stepRows: StepRow[] = [];
  let totalSteps = 1;
  let lossView: View | null = null;
  const lossChart = new Chart(
    element('loss-chart'),
    (width) =>
      liveLossSpec(
        stepRows,
        runNames.map((r) => ({ label: runLabels[r], color: runColors[r] })),
        { panelWidth: halfWidth(width), columns: columnsOf(width), totalSteps },
      ),
    (view) => (lossView = view),
  );
  let lossFrame = 0;
  let lossEmbedding = false;
  const updateLoss = () => {
    if (lossFrame !== 0 || lossEmbedding) return;
    lossFrame = requestAnimationFrame(() => {
      lossFrame = 0;
      if (lossView === null) {
        // The first embed takes the rows so far; later steps go in once it is there.
        lossEmbedding = true;
        void lossChart.render(true).finally(() => {
          lossEmbedding = false;
          if (lossView !== null) updateLoss();
        });
      } else {
        lossView.data('steps', stepRows);
        void lossView.resize().runAsync();
      }
    });
  };

  // The insight view: per epoch, what each model predicts on the validation set.
  let valTargets: Uint8Array | null = null;
  let valShape: [number, number] = [0, 0];
  const insights: Partial<Record<RunName, InsightEntry>> = {};
  const insightLoss: Partial<Record<RunName, LossSettings>> = {};
  let insightView: View | null = null;
  const insightData = () => {
    const bins: BinRow[] = [];
    const shares: ShareRow[] = [];
    const markers: InsightMarker[] = [];
    for (const r of runNames) {
      const entry = insights[r];
      if (entry === undefined) continue;
      bins.push(...binRows(runLabels[r], entry.stats));
      shares.push(...shareRows(runLabels[r], entry.stats));
      if (entry.stats.clip > 0)
        markers.push({
          run: runLabels[r],
          p: entry.stats.clip,
          label: `m = ${entry.stats.clip}`,
          line: 0,
        });
      const peak = negativePeak(entry.loss);
      if (peak !== null)
        markers.push({ run: runLabels[r], p: peak, label: `p* = ${peak.toFixed(2)}`, line: 1 });
    }
    return { bins, shares, markers };
  };
  const insightChart = new Chart(
    element('insight-chart'),
    (width) => {
      const { bins, shares, markers } = insightData();
      return insightSpec(bins, shares, markers, {
        runs: runNames.map((r) => runLabels[r]),
        panelWidth: halfWidth(width),
        columns: columnsOf(width),
      });
    },
    (view) => (insightView = view),
  );
  const describeInsight = () => {
    const parts: string[] = [];
    for (const r of runNames) {
      const s = insights[r]?.stats;
      if (s === undefined) continue;
      parts.push(
        `${runLabels[r]} (epoch ${s.epoch}): ${percent(s.easyNegatives / s.negatives)} of the negatives are easy (p < m = ${s.clip}); ` +
          `they give ${percent(s.shares.easyNegatives)} of its gradient, the other negatives ${percent(s.shares.otherNegatives)}, ` +
          `the positives ${percent(s.shares.positives)}.`,
      );
    }
    ui.insightText.textContent = parts.join(' ');
    const epochs = runNames
      .map((r) => insights[r]?.stats.epoch)
      .filter((e): e is number => e !== undefined);
    ui.insightCaption.textContent =
      epochs.length === 0 ? '' : `After epoch ${Math.max(...epochs)}.`;
  };
  const updateInsight = async () => {
    describeInsight();
    if (insightView === null) {
      await insightChart.render(true);
      return;
    }
    const { bins, shares, markers } = insightData();
    insightView.data('bins', bins);
    insightView.data('shares', shares);
    insightView.data('markers', markers);
    await insightView.resize().runAsync();
  };

  // The per-tag view, once both runs have reported.
  const tagReports: Partial<
    Record<RunName, { ap: number[]; trainCounts: number[]; classes: string[] }>
  > = {};
  let perTag: TagRow[] = [];
  const tagChart = new Chart(element('per-tag-chart'), (width) =>
    perTagSpec(perTag, Math.max(220, Math.min(680, width - 110)), narrow(width) ? 240 : 300),
  );
  const showPerTag = async () => {
    const bce = tagReports.bce;
    const asl = tagReports.asl;
    if (bce === undefined || asl === undefined) return;
    perTag = tagRows(asl.classes, asl.trainCounts, bce.ap, asl.ap);
    const s = summarizeTags(perTag);
    const name = (r: TagRow) =>
      `${r.tag} (${r.bce.toFixed(0)} → ${r.asl.toFixed(0)}, ${r.trainCount} training packages)`;
    ui.tagText.replaceChildren();
    const p = document.createElement('p');
    p.textContent =
      `${s.tags} tags have validation positives. ASL scores higher on ${s.aslBetter}, BCE on ${s.bceBetter}. ` +
      `Rare tags (at most ${rareTagCount} training packages, ${s.rare.tags} of them): mean AP ` +
      `${s.rare.bce.toFixed(1)}% with BCE, ${s.rare.asl.toFixed(1)}% with ASL; the other ${s.common.tags}: ` +
      `${s.common.bce.toFixed(1)}% and ${s.common.asl.toFixed(1)}%.`;
    const list = (title: string, rows: TagRow[]) => {
      const section = document.createElement('p');
      const strong = document.createElement('strong');
      strong.textContent = `${title}: `;
      section.append(strong, rows.length === 0 ? 'none' : rows.map(name).join('; '));
      return section;
    };
    ui.tagText.append(p, list('Largest gains with ASL', s.gains), list('Largest losses', s.losses));
    await tagChart.render(true);
  };

  const statusOf: Record<RunName, string> = { bce: '', asl: '' };
  const showStatus = () => {
    for (const r of runNames) ui.status[r].textContent = `${runLabels[r]}: ${statusOf[r]}`;
  };
  const setNote = (text: string) => (ui.status0.textContent = text);

  const setButtons = () => {
    ui.train.disabled = training;
    ui.stop.disabled = !training;
    ui.pause.disabled = !training;
    ui.epoch.disabled = !training;
    const paused = pauseWanted;
    ui.pause.textContent = paused ? 'Resume' : 'Pause';
    ui.pause.setAttribute('aria-pressed', String(paused));
  };

  const endTraining = () => {
    training = false;
    pauseWanted = false;
    pausedRuns.clear();
    setButtons();
    const ready = runNames.every((r) => runs[r].bestEpoch > 0);
    ui.predict.disabled = !ready;
    setNote(
      ready
        ? 'Done. The losses are sums over a package’s tags: ASL’s is smaller by design (it weighs the easy negatives down), so compare the mAP, not the losses.'
        : 'Stopped before an epoch ended: no model to predict with.',
    );
    if (ready) void predict();
    finish();
  };
  const ended = (r: RunName) => runs[r].done || runs[r].error !== null;
  const allEnded = () => runNames.every(ended);
  /** Whether every run waits before a step (or has ended). */
  const allPaused = () => runNames.every((r) => pausedRuns.has(r) || ended(r));

  const onMessage = (message: FromWorker) => {
    if (message.type === 'probes') return;
    const run = runs[message.run];
    switch (message.type) {
      case 'status':
        statusOf[message.run] = message.text;
        showStatus();
        break;
      case 'prepared':
        run.requestedBackend = message.requested;
        run.backend = message.backend;
        run.trainPackages = message.train;
        run.valPackages = message.val;
        valTargets = message.valTargets;
        insightLoss[message.run] = message.loss;
        valShape = [message.val, message.tags];
        statusOf[message.run] =
          `training on ${message.train.toLocaleString('en')} packages (${message.tags} tags, ` +
          `${message.vocabulary.toLocaleString('en')} tokens), ${message.backend}` +
          (message.backend !== message.requested
            ? ` (${message.requested} could not start here)`
            : '');
        showStatus();
        break;
      case 'step':
        progress[message.run].value = message.globalStep / message.totalSteps;
        run.globalStep = message.globalStep;
        totalSteps = message.totalSteps;
        stepRows.push({
          run: runLabels[message.run],
          step: message.globalStep,
          epoch: message.epoch,
          loss: message.recentLoss,
        });
        updateLoss();
        statusOf[message.run] =
          `epoch ${message.epoch}, step ${message.step}/${message.stepsPerEpoch}, ` +
          `loss ${message.loss.toFixed(3)}, ${Math.round(message.itemsPerSecond)} packages/s`;
        showStatus();
        break;
      case 'paused':
        pausedRuns.add(message.run);
        statusOf[message.run] =
          `paused before epoch ${message.epoch}, step ${message.step}/${message.stepsPerEpoch}`;
        showStatus();
        if (!pauseWanted) {
          // Paused by "one epoch": the panel is paused now.
          pauseWanted = true;
          setButtons();
        }
        if (allPaused())
          setNote('Paused: resume, run one more epoch, or stop (the best epoch so far is kept).');
        break;
      case 'resumed':
        pausedRuns.delete(message.run);
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
      case 'insight': {
        const loss = insightLoss[message.run];
        if (loss === undefined) break;
        insights[message.run] = { loss, stats: message.stats, logits: message.logits };
        void updateInsight();
        break;
      }
      case 'tags':
        tagReports[message.run] = {
          ap: message.ap,
          trainCounts: message.trainCounts,
          classes: message.classes,
        };
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
        if (allEnded()) {
          void showPerTag();
          endTraining();
        }
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
        if (allEnded()) endTraining();
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
  const sendAll = (message: ToWorker) => {
    for (const run of runNames) send(run, message);
  };

  let stopRequested = false;
  const abortStart = (note: string) => {
    setNote(note);
    training = false;
    setButtons();
    finish();
  };
  const train = async () => {
    if (training) return;
    training = true;
    stopRequested = false;
    pauseWanted = false;
    pausedRuns.clear();
    setButtons();
    ui.predict.disabled = true;
    finishedPromise = new Promise<void>((resolve) => (finish = resolve));
    runs = { bce: emptyRun(), asl: emptyRun() };
    for (const r of runNames) {
      progress[r].value = 0;
      mapText[r].textContent = '–';
      statusOf[r] = 'waiting…';
      delete insights[r];
      delete tagReports[r];
    }
    showStatus();
    setNote('');
    stepRows = [];
    perTag = [];
    ui.insightText.textContent = '';
    ui.insightCaption.textContent = '';
    ui.tagText.replaceChildren();
    chart.clear('The validation mAP of each epoch appears here.');
    lossChart.clear('The training loss appears here.');
    insightChart.clear('After each epoch: what the models predict on the validation packages.');
    tagChart.clear('After training: the AP of each tag against its frequency.');
    chartView = null;
    lossView = null;
    insightView = null;
    try {
      if (dataBytes === null) {
        setNote('downloading the data set…');
        // Kept as gzip bytes (4 MB) and copied to both workers, which decompress them.
        const bytes = await downloadDebtags((received, total) =>
          setNote(
            `downloading the data set… ${(received / 1e6).toFixed(1)}` +
              // (a server may send the file gzip-encoded: then the total is the smaller size)
              (total >= received ? ` of ${(total / 1e6).toFixed(1)} MB` : ' MB'),
          ),
        );
        dataBytes = bytes.buffer as ArrayBuffer;
        setNote('');
      }
    } catch (error) {
      abortStart(`could not load ${debtagsUrl}: ${(error as Error).message}`);
      return;
    }
    if (stopRequested) {
      abortStart('stopped before training started.');
      return;
    }
    workers ??= startWorkers();
    const epochs = Math.max(1, Math.min(20, Math.round(Number(ui.epochs.value) || 1)));
    plannedEpochs = epochs;
    const asl = aslSettings();
    for (const run of runNames)
      send(run, {
        type: 'train',
        run,
        data: dataBytes,
        overrides: run === 'asl' ? aslOverrides() : {},
        insightClip: asl.clip,
        epochs,
        trainSize: Number(ui.trainSize.value),
        backend: ui.backend.value as BackendName,
        seed: 1,
      });
  };

  const stop = () => {
    stopRequested = true;
    sendAll({ type: 'stop' });
    setNote('stopping after the current step…');
  };
  const togglePause = () => {
    if (!training) return;
    pauseWanted = !pauseWanted;
    if (pauseWanted) {
      sendAll({ type: 'pause' });
      setNote('pausing before the next step…');
    } else {
      pausedRuns.clear();
      sendAll({ type: 'resume' });
      setNote('');
    }
    setButtons();
  };
  const oneEpoch = () => {
    if (!training) return;
    pauseWanted = false;
    pausedRuns.clear();
    sendAll({ type: 'epoch' });
    setNote('running to the end of the current epoch, then pausing…');
    setButtons();
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
  ui.pause.addEventListener('click', togglePause);
  ui.epoch.addEventListener('click', oneEpoch);
  setButtons();

  return {
    runs: () => structuredClone(runs),
    finished: () => finishedPromise,
    status: () => ({ training, paused: training && allPaused() }),
    predictions: () => structuredClone(predictions),
    predicted: () => predictedPromise,
    backends: () => (probes === null ? null : structuredClone(probes)),
    probed: () => probedPromise,
    insight: () => ({
      valTargets: valTargets === null ? '' : toBase64(valTargets),
      shape: valShape,
      runs: Object.fromEntries(
        Object.entries(insights).map(([r, e]) => [
          r,
          {
            loss: { ...e.loss },
            stats: structuredClone(e.stats),
            logits: toBase64(new Uint8Array(e.logits.buffer)),
          },
        ]),
      ),
    }),
    tags: () => structuredClone(perTag),
    charts: [chart, lossChart, insightChart, tagChart],
  };
}
