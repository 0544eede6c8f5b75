/**
 * The Explore panel: sliders for the multi-label loss's hyperparameters, the live loss and
 * gradient curves (the CLI's plot 4 spec in live mode), a readout of every curve at one p and the
 * seed's three sweeps with the user's point on them.
 */
import type { View } from 'vega';
import {
  type CurvePoint,
  clipSweepSpec,
  gammaNegFlatSpec,
  gammaNegSweepSpec,
  paperCurvesSpec,
  type CurveMarker,
  clipSweep,
  gammaNegSweep,
} from 'asymmetric-loss-tagger/plots';
import { Chart } from './charts.js';
import {
  epsChoices,
  exploreCurves,
  exploreMarkers,
  grid,
  gridIndex,
  initialSettings,
  formatEps,
  readoutAt,
  referenceSettings,
  sliderRanges,
  snapToRange,
  summaryOf,
  sweepHighlights,
  yAxisTops,
  type ExploreSettings,
} from './explore-model.js';

/** What the page exposes of the Explore panel (the end-to-end tests read it). */
export interface ExploreState {
  settings(): ExploreSettings;
  /** The rows the curves view currently plots (read from the vega view's dataset). */
  plotted(): CurvePoint[];
  /** The markers the view plots. */
  plottedMarkers(): CurveMarker[];
  /** The p of the readout. */
  probe(): number;
  /** Whether the clip's line is being dragged on the chart. */
  dragging(): boolean;
  /** Whether the y axes fit the user's curve. */
  fit(): boolean;
  /** The tops of the curves' y axes, as the view has them (signal name to value). */
  yTops(): Record<string, number>;
  /** Resolves once the views show the current settings. */
  settled(): Promise<void>;
  charts: Chart[];
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`explorer: element #${id} is missing`);
  return found as T;
}

/** Formats a value of the readout: 6 significant digits, as the core computed it. */
export function formatValue(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e5) return value.toExponential(5);
  return value.toPrecision(6);
}

/** Sets up the panel; resolves once the charts are drawn. */
export async function setupExplore(): Promise<ExploreState> {
  const inputs = {
    gammaNeg: element<HTMLInputElement>('gamma-neg'),
    gammaPos: element<HTMLInputElement>('gamma-pos'),
    clip: element<HTMLInputElement>('clip'),
    eps: element<HTMLInputElement>('eps'),
    focalGrad: element<HTMLSelectElement>('focal-grad'),
    fit: element<HTMLInputElement>('fit-y'),
    probe: element<HTMLInputElement>('probe'),
  };
  const outputs = {
    gammaNeg: element<HTMLOutputElement>('gamma-neg-value'),
    gammaPos: element<HTMLOutputElement>('gamma-pos-value'),
    clip: element<HTMLOutputElement>('clip-value'),
    eps: element<HTMLOutputElement>('eps-value'),
    probe: element<HTMLOutputElement>('probe-value'),
  };
  inputs.eps.max = String(epsChoices.length - 1);
  for (const key of ['gammaNeg', 'gammaPos', 'clip'] as const) {
    const range = sliderRanges[key];
    inputs[key].min = String(range.min);
    inputs[key].max = String(range.max);
    inputs[key].step = String(range.step);
  }
  const tableScroll = element<HTMLElement>('readout-scroll');

  const read = (): ExploreSettings => ({
    gammaNeg: Number(inputs.gammaNeg.value),
    gammaPos: Number(inputs.gammaPos.value),
    clip: Number(inputs.clip.value),
    eps: epsChoices[Number(inputs.eps.value)],
    focalGrad: inputs.focalGrad.value === 'detached' ? 'detached' : 'full',
  });
  const write = (s: ExploreSettings) => {
    inputs.gammaNeg.value = String(s.gammaNeg);
    inputs.gammaPos.value = String(s.gammaPos);
    inputs.clip.value = String(s.clip);
    const epsIndex = epsChoices.indexOf(s.eps);
    inputs.eps.value = String(epsIndex < 0 ? 1 : epsIndex);
    inputs.focalGrad.value = s.focalGrad;
  };

  let settings = read();
  let rows = exploreCurves(settings);
  let markers = exploreMarkers(settings);
  let probeIndex = Number(inputs.probe.value);
  let tops = yAxisTops(rows, inputs.fit.checked);
  const presetButtons = [...document.querySelectorAll<HTMLButtonElement>('button[data-preset]')];

  const showValues = () => {
    outputs.gammaNeg.value = settings.gammaNeg.toFixed(1);
    outputs.gammaPos.value = settings.gammaPos.toFixed(1);
    outputs.clip.value = settings.clip.toFixed(2);
    outputs.eps.value = formatEps(settings.eps);
    inputs.eps.setAttribute('aria-valuetext', `eps ${formatEps(settings.eps)}`);
    element<HTMLElement>('summary').textContent = summaryOf(settings);
    for (const button of presetButtons) {
      const preset = JSON.parse(button.dataset.preset ?? '{}') as Partial<ExploreSettings>;
      const target = { ...initialSettings, ...preset };
      const active = (Object.keys(target) as (keyof ExploreSettings)[]).every(
        (k) => target[k] === settings[k],
      );
      button.setAttribute('aria-pressed', String(active));
    }
  };

  const showReadout = () => {
    const p = grid[probeIndex];
    inputs.probe.value = String(probeIndex);
    outputs.probe.value = p.toFixed(3);
    inputs.probe.setAttribute('aria-valuetext', `p ${p.toFixed(3)}`);
    const body = element<HTMLTableSectionElement>('readout-body');
    body.replaceChildren(
      ...readoutAt(rows, probeIndex).map((r) => {
        const tr = document.createElement('tr');
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = r.loss;
        tr.append(th);
        for (const value of [
          r.negativeLoss,
          r.negativeGradient,
          r.positiveLoss,
          r.positiveGradient,
        ]) {
          const td = document.createElement('td');
          td.textContent = formatValue(value);
          td.dataset.value = String(value);
          tr.append(td);
        }
        return tr;
      }),
    );
  };

  let curvesView: View | null = null;
  const setProbeSignal = () => {
    if (curvesView === null) return;
    curvesView.signal('probe', grid[probeIndex]);
    void curvesView.runAsync();
  };
  const hoverSignals = ['negative', 'positive'].flatMap((t) =>
    ['loss', 'gradient'].map((q) => `hover_${t}_${q}`),
  );
  const curves = new Chart(
    element('curves'),
    (width) => {
      const columns = width < 700 ? 1 : 2;
      const panelWidth = Math.min(
        420,
        Math.max(180, columns === 2 ? Math.floor((width - 150) / 2) : width - 80),
      );
      return paperCurvesSpec(rows, markers, {
        live: true,
        columns,
        panelWidth,
        panelHeight: columns === 2 ? 220 : 180,
        dashed: referenceSettings.map((s) => s.name),
        yMax: tops,
        title: 'Loss and gradient against p',
        subtitle: [
          'Solid: your setting. Dashed: cross-entropy and focal loss (γ = 2).',
          'Vertical dashes: the clip m and p*; dotted: the readout’s p.',
        ],
      });
    },
    (view) => {
      curvesView = view;
      for (const name of hoverSignals)
        view.addSignalListener(name, (_name, value: unknown) => {
          const ps = (value as { p?: unknown } | null)?.p;
          const p = Array.isArray(ps) ? ps[0] : undefined;
          hovered = typeof p === 'number' ? { negative: name.includes('negative'), p } : null;
          curvesElement.style.cursor = dragging || nearClip() ? 'ew-resize' : '';
          if (hovered === null) return;
          if (dragging) dragClipTo(hovered.p);
          probeIndex = gridIndex(hovered.p);
          showReadout();
          setProbeSignal();
        });
      setProbeSignal();
    },
  );

  // Direct manipulation: the clip's dashed line on a negative panel can be dragged.
  const curvesElement = element<HTMLElement>('curves');
  let hovered: { negative: boolean; p: number } | null = null;
  let dragging = false;
  const clipRange = sliderRanges.clip;
  /** Whether the pointer is on the clip's line (within 0.02 in p) of a negative panel. */
  const nearClip = () =>
    hovered !== null &&
    hovered.negative &&
    settings.clip > 0 &&
    Math.abs(hovered.p - settings.clip) <= 0.02;
  const dragClipTo = (p: number) => {
    const value = String(
      snapToRange(Math.min(clipRange.max, Math.max(clipRange.min, p)), clipRange),
    );
    if (inputs.clip.value === value) return;
    inputs.clip.value = value;
    // As a slider move: the same update, and the page's listeners (URL, Try) hear it.
    inputs.clip.dispatchEvent(new Event('input', { bubbles: true }));
  };
  curvesElement.addEventListener('pointerdown', (event) => {
    if (!nearClip()) return;
    dragging = true;
    event.preventDefault();
  });
  window.addEventListener('pointerup', () => {
    dragging = false;
  });

  const sweepWidth = (width: number) => Math.max(220, Math.min(680, width - 110));
  const sweepHeight = (width: number) => (width < 600 ? 240 : 320);
  const sweeps = [
    { id: 'sweep-smoothed', points: gammaNegSweep(0.1), spec: gammaNegSweepSpec, key: 'smoothed' },
    { id: 'sweep-flat', points: gammaNegSweep(0), spec: gammaNegFlatSpec, key: 'flat' },
    { id: 'sweep-clip', points: clipSweep(), spec: clipSweepSpec, key: 'clip' },
  ] as const;
  let highlights = sweepHighlights(settings);
  const sweepCharts = sweeps.map(
    (s) =>
      new Chart(element(s.id), (width) =>
        s.spec(s.points, {
          live: true,
          width: sweepWidth(width),
          height: sweepHeight(width),
          highlight: highlights[s.key],
          highlightLabel: s.key === 'clip' ? 'your clip' : 'your γ−',
        }),
      ),
  );

  // Slider moves are coalesced to one update per animation frame.
  let frame = 0;
  let settledPromise: Promise<void> = Promise.resolve();
  const update = async () => {
    settings = read();
    rows = exploreCurves(settings);
    markers = exploreMarkers(settings);
    highlights = sweepHighlights(settings);
    tops = yAxisTops(rows, inputs.fit.checked);
    showValues();
    showReadout();
    const runs: Promise<unknown>[] = [];
    const view = curves.view;
    if (view !== null) {
      view.data('curves', rows);
      view.data('markers', markers);
      for (const [name, value] of Object.entries(tops)) view.signal(name, value);
      runs.push(view.resize().runAsync());
    }
    sweeps.forEach((s, i) => {
      const v = sweepCharts[i].view;
      if (v === null) return;
      v.data('highlight', [highlights[s.key]]);
      runs.push(v.resize().runAsync());
    });
    await Promise.all(runs);
  };
  const schedule = () => {
    if (frame !== 0) return;
    let done: () => void = () => {};
    settledPromise = new Promise((resolve) => (done = resolve));
    frame = requestAnimationFrame(() => {
      frame = 0;
      void update().finally(done);
    });
  };
  for (const input of [
    inputs.gammaNeg,
    inputs.gammaPos,
    inputs.clip,
    inputs.eps,
    inputs.focalGrad,
    inputs.fit,
  ])
    input.addEventListener('input', schedule);
  tableScroll.addEventListener('scroll', () =>
    tableScroll.classList.toggle(
      'scrolled-end',
      tableScroll.scrollLeft + tableScroll.clientWidth >= tableScroll.scrollWidth - 1,
    ),
  );
  inputs.probe.addEventListener('input', () => {
    probeIndex = Number(inputs.probe.value);
    showReadout();
    setProbeSignal();
  });
  for (const button of presetButtons) {
    button.addEventListener('click', () => {
      const preset = JSON.parse(button.dataset.preset ?? '{}') as Partial<ExploreSettings>;
      write({ ...initialSettings, ...preset });
      schedule();
    });
  }

  showValues();
  showReadout();
  const charts = [curves, ...sweepCharts];
  await Promise.all(charts.map((c) => c.render()));

  return {
    settings: () => ({ ...settings }),
    plotted: () => (curves.view?.data('curves') ?? []) as CurvePoint[],
    plottedMarkers: () => (curves.view?.data('markers') ?? []) as CurveMarker[],
    probe: () => grid[probeIndex],
    fit: () => inputs.fit.checked,
    dragging: () => dragging,
    yTops: () =>
      Object.fromEntries(
        Object.keys(tops).map((name) => [name, Number(curves.view?.signal(name) ?? NaN)]),
      ),
    settled: () => settledPromise,
    charts,
  };
}
