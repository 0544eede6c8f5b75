/**
 * The plots, declared once as vega-lite specifications (browser-safe: the CLI renders them
 * headless in Node, the web page renders the same specs with vega-embed).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CurvePoint } from './curves.js';
import type { SweepPoint } from '../seed/walkthrough.js';

/** Font shipped with the project (assets/fonts) so text renders the same on every machine. */
export const plotFont = 'DejaVu Sans';

/** The look every spec shares (font, title and axis sizes), for specs built elsewhere. */
export const plotConfig = {
  font: plotFont,
  background: 'white',
  title: { fontSize: 16, anchor: 'start' as const, subtitleFontSize: 12, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  view: { stroke: '#ddd' },
};

const config = plotConfig;

/** The vega-lite schema of the specs. */
export const plotSchema = 'https://vega.github.io/schema/vega-lite/v6.json';
const schema = plotSchema;

/**
 * Options of the sweep plots for the web page (the CLI uses the defaults): the size, and `live`,
 * which adds a point for the user's setting from a named dataset `highlight` (rows `{ x, loss }`,
 * initially `highlight`) that a live view replaces with `view.data('highlight', rows)`. The x
 * axis then keeps the sweep's range; a point outside it is not drawn and does not widen the y
 * axis.
 */
export interface SweepSpecOptions {
  width?: number;
  height?: number;
  live?: boolean;
  highlight?: SweepPoint;
  /** What the highlighted point is, shown in its tooltip. */
  highlightLabel?: string;
}

/** A line plot of loss against a swept parameter. */
function sweepSpec(
  points: readonly SweepPoint[],
  title: string,
  subtitle: string[],
  xTitle: string,
  options: SweepSpecOptions = {},
): TopLevelSpec {
  const xs = points.map((p) => p.x);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: xTitle,
    scale: options.live
      ? { zero: false, nice: false, domain: [xMin, xMax] }
      : { zero: false, nice: false },
  };
  const y = {
    field: 'loss',
    type: 'quantitative' as const,
    title: 'loss',
    scale: { zero: false, padding: 10 },
    axis: { format: '.4f' },
  };
  const tooltip = [
    { field: 'x', type: 'quantitative' as const, title: xTitle, format: '.2f' },
    { field: 'loss', type: 'quantitative' as const, format: '.7f' },
  ];
  const line = {
    mark: { type: 'line' as const, point: { size: 18 }, strokeWidth: 2 },
    encoding: { x, y, tooltip },
  };
  const size = { width: options.width ?? 680, height: options.height ?? 360 };
  const data = { values: points.map((p) => ({ x: p.x, loss: p.loss })) };
  if (!options.live)
    return { $schema: schema, title: { text: title, subtitle }, ...size, data, ...line, config };
  const label = options.highlightLabel ?? 'your setting';
  return {
    $schema: schema,
    title: { text: title, subtitle },
    ...size,
    datasets: { highlight: options.highlight ? [options.highlight] : [] },
    layer: [
      { data, ...line },
      {
        data: { name: 'highlight' },
        // Outside the sweep's range the point is left out, also of the y scale's domain (a
        // clipped point would still stretch it and flatten the curve).
        transform: [{ filter: `datum.x >= ${xMin} && datum.x <= ${xMax}` }],
        mark: {
          type: 'point',
          filled: true,
          size: 110,
          color: '#d62728',
          stroke: 'white',
          clip: true,
        },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'loss', type: 'quantitative' },
          tooltip: [
            { field: 'x', type: 'quantitative', title: `${xTitle} (${label})`, format: '.4f' },
            { field: 'loss', type: 'quantitative', format: '.7f' },
          ],
        },
      },
    ],
    config,
  } as TopLevelSpec;
}

/** Plot 1: single-label ASL against gamma_neg with label smoothing eps 0.1. */
export function gammaNegSweepSpec(
  points: readonly SweepPoint[],
  options: SweepSpecOptions = {},
): TopLevelSpec {
  return sweepSpec(
    points,
    'Single-label ASL against gamma_neg (label smoothing eps = 0.1)',
    [
      "logits 2·one_hot([0, 9, 0]) − 1, labels [0, 0, 0], reduction 'mean'.",
      'Easy negatives fade as gamma_neg grows.',
    ],
    'gamma_neg',
    options,
  );
}

/** Plot 2: the same sweep without label smoothing: a flat line. */
export function gammaNegFlatSpec(
  points: readonly SweepPoint[],
  options: SweepSpecOptions = {},
): TopLevelSpec {
  return sweepSpec(
    points,
    'Single-label ASL against gamma_neg (no label smoothing, eps = 0)',
    [
      'The same inputs without label smoothing: the negatives carry no target',
      'mass, so gamma_neg has nothing to act on and the line is flat.',
    ],
    'gamma_neg',
    options,
  );
}

/** Plot 3: multi-label ASL against the probability shift (clip). */
export function clipSweepSpec(
  points: readonly SweepPoint[],
  options: SweepSpecOptions = {},
): TopLevelSpec {
  return sweepSpec(
    points,
    'Multi-label ASL against clip (probability shift m)',
    [
      'Targets [[1,1,0,…], [1,0,…,0,1], [1,1,0,…]], timm defaults, sum. Negatives with p',
      'below the shift are discarded; here all have p = sigmoid(−1) = 0.27.',
    ],
    'clip',
    options,
  );
}

/** A marker on the paper-view plot: the clip or p* of one ASL setting. */
export interface CurveMarker {
  loss: string;
  p: number;
  label: string;
}

/**
 * Options of the loss/gradient view for the web page (the CLI uses the defaults).
 * - `dashed`: names of the curves drawn dashed (the references, e.g. CE and focal loss).
 * - `live`: the curves and markers come from the named datasets `curves` and `markers`, which a
 *   live view replaces (`view.data('curves', rows)`); each panel gets a tooltip listing every
 *   curve's value at the nearest p (the param `hover_<target>_<quantity>`), a grey rule at the
 *   signal `probe` (a p the page sets) and text labels on the markers.
 *   The top of each panel's y axis is a signal too (`ymax_<target>_<quantity>`, initially
 *   `yMax` or {@link defaultYMax}).
 * - `columns`: 2 (a 2 × 2 grid) or 1 (the four panels stacked, for narrow screens).
 */
export interface CurvesSpecOptions {
  title?: string;
  subtitle?: string[];
  dashed?: readonly string[];
  panelWidth?: number;
  panelHeight?: number;
  columns?: 1 | 2;
  live?: boolean;
  /** Live: the initial tops of the y axes, by signal name (see {@link yMaxSignal}). */
  yMax?: Record<string, number>;
}

/** The name of the signal holding the top of a live panel's y axis. */
export function yMaxSignal(target: 'negative' | 'positive', quantity: 'loss' | 'gradient'): string {
  return `ymax_${target}_${quantity}`;
}

/**
 * The default tops of the live panels' y axes: 3 and 5 for the negative and positive losses
 * (the CLI's fixed domains), the largest value of any curve for the gradients.
 */
export function defaultYMax(rows: readonly CurvePoint[]): Record<string, number> {
  const top: Record<string, number> = {};
  for (const target of ['negative', 'positive'] as const)
    for (const quantity of ['loss', 'gradient'] as const) {
      const name = yMaxSignal(target, quantity);
      if (quantity === 'loss') top[name] = target === 'negative' ? 3 : 5;
      else
        top[name] = rows.reduce(
          (m, r) => (r.target === target && r.quantity === quantity ? Math.max(m, r.value) : m),
          0,
        );
    }
  return top;
}

/** A field name for vega-lite, with its nested-access characters escaped. */
function fieldName(name: string): string {
  return name.replace(/[.[\]\\]/g, '\\$&');
}

/** Plot 4: loss and |dL/dz| against p for negatives and positives, with clip and p* marked. */
export function paperCurvesSpec(
  rows: readonly CurvePoint[],
  markers: readonly CurveMarker[],
  options: CurvesSpecOptions = {},
): TopLevelSpec {
  const { live = false, dashed = [], columns = 2 } = options;
  const legend = {
    orient: 'bottom' as const,
    columns: columns === 1 ? 1 : 2,
    // With dashed references the legend shows line samples, dashes included.
    ...(dashed.length > 0 ? { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400 } : {}),
  };
  const color = { field: 'loss', type: 'nominal' as const, title: null, sort: null, legend };
  const names = [...new Set(rows.map((r) => r.loss))];
  const strokeDash =
    dashed.length === 0
      ? {}
      : {
          strokeDash: {
            ...color,
            scale: {
              domain: names,
              range: names.map((n) => (dashed.includes(n) ? [6, 4] : [1, 0])),
            },
          },
        };
  const panel = (target: 'negative' | 'positive', quantity: 'loss' | 'gradient') => {
    const yTitle = quantity === 'loss' ? 'loss' : '|dL/dz|';
    const filter = `datum.target === '${target}' && datum.quantity === '${quantity}'`;
    const x = {
      field: 'p',
      type: 'quantitative' as const,
      title: 'p = sigmoid(z)',
      // Live: a fixed domain (the probe rule's signal must not enter the domain's union).
      ...(live ? { scale: { domain: [0, 1] } } : {}),
    };
    const line = {
      ...(live
        ? { transform: [{ filter }] }
        : { data: { values: rows.filter((r) => r.target === target && r.quantity === quantity) } }),
      mark: { type: 'line' as const, strokeWidth: 2, clip: true },
      encoding: {
        x,
        y: {
          field: 'value',
          type: 'quantitative' as const,
          title: yTitle,
          // Live: the top of each y axis is the signal `ymax_<target>_<quantity>` (the page
          // fits it to a curve or keeps the default); otherwise fixed for the losses.
          scale: live
            ? { domainMin: 0, domainMax: { expr: yMaxSignal(target, quantity) }, nice: false }
            : quantity === 'loss'
              ? { domain: [0, target === 'negative' ? 3 : 5] }
              : {},
        },
        color,
        ...strokeDash,
        tooltip: [
          { field: 'loss', type: 'nominal' as const },
          { field: 'p', type: 'quantitative' as const, format: '.3f' },
          { field: 'value', type: 'quantitative' as const, title: yTitle, format: '.5f' },
        ],
      },
    };
    const layer: object[] = [line];
    if (live)
      layer.push(
        {
          // Invisible rules at every p: the nearest one carries a tooltip with all the curves.
          transform: [{ filter }, { pivot: 'loss', value: 'value', groupby: ['p'] }],
          params: [
            {
              name: `hover_${target}_${quantity}`,
              select: {
                type: 'point',
                fields: ['p'],
                nearest: true,
                on: 'pointermove',
                clear: 'pointerout',
              },
            },
          ],
          mark: { type: 'rule', strokeWidth: 6 },
          encoding: {
            x,
            opacity: { value: 0 },
            tooltip: [
              { field: 'p', type: 'quantitative', format: '.3f' },
              ...names.map((n) => ({
                field: fieldName(n),
                type: 'quantitative',
                title: `${n}: ${yTitle}`,
                format: '.6f',
              })),
            ],
          },
        },
        {
          data: { values: [{}] },
          mark: { type: 'rule', color: '#888', strokeDash: [2, 2], strokeWidth: 1 },
          encoding: { x: { datum: { expr: 'probe' }, type: 'quantitative' } },
        },
      );
    if (target === 'negative') {
      const data = live ? { name: 'markers' } : { values: markers };
      layer.push({
        data,
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'p', type: 'quantitative' }, color },
      });
      // Labels right of their rule, or left of it near p = 1 (so they stay inside).
      if (live)
        for (const right of [false, true])
          layer.push({
            data,
            transform: [{ filter: right ? 'datum.p > 0.7' : 'datum.p <= 0.7' }],
            mark: {
              type: 'text',
              align: right ? 'right' : 'left',
              baseline: 'top',
              dx: right ? -3 : 3,
              dy: 2,
              fontSize: 11,
            },
            encoding: {
              x: { field: 'p', type: 'quantitative' },
              y: { value: 0 },
              text: { field: 'label' },
              color,
            },
          });
    }
    return {
      title: {
        text: `${target === 'negative' ? 'Negative' : 'Positive'}: ${yTitle}`,
        fontSize: 13,
      },
      width: options.panelWidth ?? 330,
      height: options.panelHeight ?? 220,
      ...(live ? { data: { name: 'curves' } } : {}),
      layer,
    };
  };
  const grid =
    columns === 1
      ? [
          panel('negative', 'loss'),
          panel('negative', 'gradient'),
          panel('positive', 'loss'),
          panel('positive', 'gradient'),
        ]
      : [
          { hconcat: [panel('negative', 'loss'), panel('positive', 'loss')] },
          { hconcat: [panel('negative', 'gradient'), panel('positive', 'gradient')] },
        ];
  return {
    $schema: schema,
    title: {
      text: options.title ?? 'Loss and gradient against p: CE, focal loss and ASL',
      subtitle: options.subtitle ?? [
        'Dashed: the clip m (negatives below it are discarded) and p*, where the negative gradient peaks;',
        'beyond p* ASL attenuates the gradient of very confident negatives (likely mislabeled).',
        'On positives ASL uses γ+ = 0, the same curve as CE.',
      ],
    },
    ...(live
      ? {
          datasets: { curves: rows, markers },
          params: [
            { name: 'probe', value: 0.5 },
            ...Object.entries({ ...defaultYMax(rows), ...options.yMax }).map(([name, value]) => ({
              name,
              value,
            })),
          ],
        }
      : {}),
    vconcat: grid,
    resolve: { scale: { color: 'shared' } },
    config,
  } as TopLevelSpec;
}

/** One training run's validation curve for plot 5. */
export interface TrainingCurve {
  loss: string;
  epochs: readonly { epoch: number; valMap: number }[];
}

/**
 * Options of the training curves for the web page: the size, and `live`, where the rows
 * `{ loss, epoch, map }` come from the named dataset `curves` that a live view replaces.
 */
export interface TrainingSpecOptions {
  width?: number;
  height?: number;
  live?: boolean;
  /** The losses in legend order (fixes their colours while curves arrive one by one). */
  losses?: readonly string[];
  /** The planned epochs: the x axis spans 1 to this from the start. */
  epochs?: number;
}

/** The rows of plot 5: one `{ loss, epoch, map }` per epoch of each curve. */
export function trainingRows(
  curves: readonly TrainingCurve[],
): { loss: string; epoch: number; map: number }[] {
  return curves.flatMap((c) =>
    c.epochs.map((e) => ({ loss: c.loss, epoch: e.epoch, map: e.valMap })),
  );
}

/** Plot 5: validation mAP per epoch for each loss of an `asl compare` run. */
export function trainingCurvesSpec(
  curves: readonly TrainingCurve[],
  subtitle = '',
  options: TrainingSpecOptions = {},
): TopLevelSpec {
  const values = trainingRows(curves);
  return {
    $schema: schema,
    title: { text: 'Validation mAP per epoch', subtitle },
    width: options.width ?? 680,
    height: options.height ?? 360,
    ...(options.live ? { datasets: { curves: values } } : {}),
    data: options.live ? { name: 'curves' } : { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'epoch',
        type: 'quantitative',
        title: 'epoch',
        axis: options.live ? { tickMinStep: 1, format: 'd' } : { tickMinStep: 1 },
        ...(options.epochs ? { scale: { domain: [1, Math.max(2, options.epochs)] } } : {}),
      },
      y: {
        field: 'map',
        type: 'quantitative',
        title: 'validation mAP (%)',
        scale: { zero: false },
      },
      color: {
        field: 'loss',
        type: 'nominal',
        title: 'loss',
        sort: null,
        ...(options.losses ? { scale: { domain: [...options.losses] } } : {}),
      },
      tooltip: [
        { field: 'loss', type: 'nominal' },
        { field: 'epoch', type: 'quantitative' },
        { field: 'map', type: 'quantitative', format: '.2f' },
      ],
    },
    config,
  };
}
