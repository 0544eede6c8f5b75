/**
 * The plots, declared once as vega-lite specifications (browser-safe: the CLI renders them
 * headless in Node, the web page renders the same specs with vega-embed).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CurvePoint } from './curves.ts';
import type { SweepPoint } from '../seed/walkthrough.ts';

/** Font shipped with the project (assets/fonts) so text renders the same on every machine. */
export const plotFont = 'DejaVu Sans';

const config = {
  font: plotFont,
  background: 'white',
  title: { fontSize: 16, anchor: 'start' as const, subtitleFontSize: 12, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  view: { stroke: '#ddd' },
};

const schema = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A line plot of loss against a swept parameter. */
function sweepSpec(
  points: readonly SweepPoint[],
  title: string,
  subtitle: string[],
  xTitle: string,
): TopLevelSpec {
  return {
    $schema: schema,
    title: { text: title, subtitle },
    width: 680,
    height: 360,
    data: { values: points.map((p) => ({ x: p.x, loss: p.loss })) },
    mark: { type: 'line', point: { size: 18 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false, nice: false } },
      y: {
        field: 'loss',
        type: 'quantitative',
        title: 'loss',
        scale: { zero: false, padding: 10 },
        axis: { format: '.4f' },
      },
      tooltip: [
        { field: 'x', type: 'quantitative', title: xTitle, format: '.2f' },
        { field: 'loss', type: 'quantitative', format: '.7f' },
      ],
    },
    config,
  };
}

/** Plot 1: single-label ASL against gamma_neg with label smoothing eps 0.1. */
export function gammaNegSweepSpec(points: readonly SweepPoint[]): TopLevelSpec {
  return sweepSpec(
    points,
    'Single-label ASL against gamma_neg (eps = 0.1)',
    [
      "logits 2·one_hot([0, 9, 0]) − 1, labels [0, 0, 0], reduction 'mean'.",
      'Easy negatives fade as gamma_neg grows.',
    ],
    'gamma_neg',
  );
}

/** Plot 2: the same sweep without label smoothing: a flat line. */
export function gammaNegFlatSpec(points: readonly SweepPoint[]): TopLevelSpec {
  return sweepSpec(
    points,
    'Single-label ASL against gamma_neg (eps = 0)',
    [
      'The same inputs without label smoothing: the negatives carry no target',
      'mass, so gamma_neg has nothing to act on and the line is flat.',
    ],
    'gamma_neg',
  );
}

/** Plot 3: multi-label ASL against the probability shift (clip). */
export function clipSweepSpec(points: readonly SweepPoint[]): TopLevelSpec {
  return sweepSpec(
    points,
    'Multi-label ASL against clip (probability shift m)',
    [
      'Targets [[1,1,0,…], [1,0,…,0,1], [1,1,0,…]], timm defaults, sum. Negatives with p',
      'below the shift are discarded; here all have p = sigmoid(−1) = 0.27.',
    ],
    'clip',
  );
}

/** A marker on the paper-view plot: the clip or p* of one ASL setting. */
export interface CurveMarker {
  loss: string;
  p: number;
  label: string;
}

/** Plot 4: loss and |dL/dz| against p for negatives and positives, with clip and p* marked. */
export function paperCurvesSpec(
  rows: readonly CurvePoint[],
  markers: readonly CurveMarker[],
): TopLevelSpec {
  const color = {
    field: 'loss',
    type: 'nominal' as const,
    title: null,
    sort: null,
    legend: { orient: 'bottom' as const, columns: 2 },
  };
  const panel = (target: 'negative' | 'positive', quantity: 'loss' | 'gradient') => {
    const yTitle = quantity === 'loss' ? 'loss' : '|dL/dz|';
    const line = {
      data: { values: rows.filter((r) => r.target === target && r.quantity === quantity) },
      mark: { type: 'line' as const, strokeWidth: 2, clip: true },
      encoding: {
        x: { field: 'p', type: 'quantitative' as const, title: 'p = sigmoid(z)' },
        y: {
          field: 'value',
          type: 'quantitative' as const,
          title: yTitle,
          scale: quantity === 'loss' ? { domain: [0, target === 'negative' ? 3 : 5] } : {},
        },
        color,
        tooltip: [
          { field: 'loss', type: 'nominal' as const },
          { field: 'p', type: 'quantitative' as const, format: '.3f' },
          { field: 'value', type: 'quantitative' as const, title: yTitle, format: '.5f' },
        ],
      },
    };
    const layer: object[] = [line];
    if (target === 'negative')
      layer.push({
        data: { values: markers },
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'p', type: 'quantitative' }, color },
      });
    return {
      title: {
        text: `${target === 'negative' ? 'Negative' : 'Positive'}: ${yTitle}`,
        fontSize: 13,
      },
      width: 330,
      height: 220,
      layer,
    };
  };
  return {
    $schema: schema,
    title: {
      text: 'Loss and gradient against p: CE, focal loss and ASL',
      subtitle: [
        'Dashed: the clip m (negatives below it are discarded) and p*, where the negative gradient peaks;',
        'beyond p* ASL attenuates the gradient of very confident negatives (likely mislabeled).',
        'On positives ASL uses γ+ = 0, the same curve as CE.',
      ],
    },
    vconcat: [
      { hconcat: [panel('negative', 'loss'), panel('positive', 'loss')] },
      { hconcat: [panel('negative', 'gradient'), panel('positive', 'gradient')] },
    ],
    resolve: { scale: { color: 'shared' } },
    config,
  } as TopLevelSpec;
}

/** One training run's validation curve for plot 5. */
export interface TrainingCurve {
  loss: string;
  epochs: readonly { epoch: number; valMap: number }[];
}

/** Plot 5: validation mAP per epoch for each loss of an `asl compare` run. */
export function trainingCurvesSpec(curves: readonly TrainingCurve[], subtitle = ''): TopLevelSpec {
  return {
    $schema: schema,
    title: { text: 'Validation mAP per epoch', subtitle },
    width: 680,
    height: 360,
    data: {
      values: curves.flatMap((c) =>
        c.epochs.map((e) => ({ loss: c.loss, epoch: e.epoch, map: e.valMap })),
      ),
    },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: {
        field: 'map',
        type: 'quantitative',
        title: 'validation mAP (%)',
        scale: { zero: false },
      },
      color: { field: 'loss', type: 'nominal', title: 'loss', sort: null },
      tooltip: [
        { field: 'loss', type: 'nominal' },
        { field: 'epoch', type: 'quantitative' },
        { field: 'map', type: 'quantitative', format: '.2f' },
      ],
    },
    config,
  };
}
