/**
 * The vega-lite spec of the Try panel's insight view: per run (BCE, ASL), the histograms of the
 * validation negatives' and positives' p on a log axis with the clip m and p* marked, and the
 * gradient shares (easy negatives, other negatives, positives) as stacked bars. Live: the page
 * replaces the datasets `bins`, `shares` and `markers` after each epoch.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotConfig, plotSchema } from 'asymmetric-loss-tagger/plots';
import { binEdges, probabilityBins, type InsightStats } from './insight.js';

/** A bar of a histogram. */
export interface BinRow {
  run: string;
  group: 'negatives' | 'positives';
  lo: number;
  hi: number;
  /** The share of the group in this bin. */
  fraction: number;
  count: number;
}

/** A part of a run's gradient. */
export interface ShareRow {
  run: string;
  part: string;
  order: number;
  share: number;
}

/** A vertical rule on a run's histogram (m, p*). */
export interface InsightMarker {
  run: string;
  p: number;
  label: string;
  /** The label's line from the top (0, 1, ...), so that close labels do not overlap. */
  line: number;
}

/** The names of the gradient's parts, in stacking order. */
export const shareParts = ['easy negatives (p < m)', 'other negatives', 'positives'] as const;

/** The histogram rows of one run's statistics. */
export function binRows(run: string, stats: InsightStats): BinRow[] {
  const edges = binEdges();
  const rows: BinRow[] = [];
  for (const group of ['negatives', 'positives'] as const) {
    const counts = group === 'negatives' ? stats.histogram.negative : stats.histogram.positive;
    const total = group === 'negatives' ? stats.negatives : stats.positives;
    counts.forEach((count, k) =>
      rows.push({
        run,
        group,
        lo: edges[k],
        hi: edges[k + 1],
        fraction: total > 0 ? count / total : 0,
        count,
      }),
    );
  }
  return rows;
}

/** The gradient-share rows of one run's statistics. */
export function shareRows(run: string, stats: InsightStats): ShareRow[] {
  const { easyNegatives, otherNegatives, positives } = stats.shares;
  return [easyNegatives, otherNegatives, positives].map((share, order) => ({
    run,
    part: shareParts[order],
    order,
    share,
  }));
}

/** Layout of the view. */
export interface InsightSpecOptions {
  runs: readonly string[];
  /** Width of one histogram, pixels. */
  panelWidth: number;
  /** 2: the runs' histograms side by side; 1: stacked. */
  columns: 1 | 2;
}

/** The insight view (live datasets `bins`, `shares`, `markers`). */
export function insightSpec(
  bins: readonly BinRow[],
  shares: readonly ShareRow[],
  markers: readonly InsightMarker[],
  options: InsightSpecOptions,
): TopLevelSpec {
  const { runs, panelWidth, columns } = options;
  const groupColor = {
    field: 'group',
    type: 'nominal' as const,
    title: null,
    scale: { domain: ['negatives', 'positives'], range: ['#4c78a8', '#e45756'] },
    legend: { orient: 'top' as const },
  };
  const histogram = (run: string) => ({
    title: { text: `${run}: p of the validation labels`, fontSize: 13 },
    width: panelWidth,
    height: 170,
    layer: [
      {
        data: { name: 'bins' },
        transform: [{ filter: { field: 'run', equal: run } }],
        mark: { type: 'rect' as const, opacity: 0.6 },
        encoding: {
          x: {
            field: 'lo',
            type: 'quantitative' as const,
            title: 'p = sigmoid(z)',
            scale: { type: 'log' as const, domain: [probabilityBins.min, 1] },
            axis: { values: [1e-4, 1e-3, 0.01, 0.1, 1], format: '~g' },
          },
          x2: { field: 'hi' },
          y: {
            field: 'fraction',
            type: 'quantitative' as const,
            title: 'share of the group',
            axis: { format: '.0%' },
          },
          y2: { datum: 0 },
          color: groupColor,
          tooltip: [
            { field: 'group', type: 'nominal' as const },
            { field: 'lo', type: 'quantitative' as const, title: 'p from', format: '.2g' },
            { field: 'hi', type: 'quantitative' as const, title: 'p to', format: '.2g' },
            { field: 'count', type: 'quantitative' as const, title: 'labels', format: ',' },
            { field: 'fraction', type: 'quantitative' as const, title: 'share', format: '.2%' },
          ],
        },
      },
      {
        data: { name: 'markers' },
        transform: [{ filter: { field: 'run', equal: run } }],
        mark: { type: 'rule' as const, strokeDash: [4, 3], color: '#333' },
        encoding: { x: { field: 'p', type: 'quantitative' as const } },
      },
      // Labels right of their rule, or left of it past p = 0.3 (so they stay inside).
      ...[false, true].map((left) => ({
        data: { name: 'markers' },
        transform: [
          { filter: { field: 'run', equal: run } },
          { filter: left ? 'datum.p > 0.3' : 'datum.p <= 0.3' },
          { calculate: '13 * datum.line', as: 'top' },
        ],
        mark: {
          type: 'text' as const,
          align: left ? ('right' as const) : ('left' as const),
          baseline: 'top' as const,
          dx: left ? -3 : 3,
          dy: 2,
          fontSize: 11,
        },
        encoding: {
          x: { field: 'p', type: 'quantitative' as const },
          y: { field: 'top', type: 'quantitative' as const, scale: null },
          text: { field: 'label' },
        },
      })),
    ],
  });
  const shareChart = {
    title: { text: 'Where the gradient comes from (share of Σ|dL/dz|)', fontSize: 13 },
    width: columns === 2 ? 2 * panelWidth + 60 : panelWidth,
    height: 28 * runs.length,
    data: { name: 'shares' },
    mark: { type: 'bar' as const },
    encoding: {
      y: { field: 'run', type: 'nominal' as const, title: null, sort: runs as string[] },
      x: {
        field: 'share',
        type: 'quantitative' as const,
        title: null,
        stack: 'normalize' as const,
        axis: { format: '.0%' },
      },
      color: {
        field: 'part',
        type: 'nominal' as const,
        title: null,
        scale: { domain: [...shareParts], range: ['#9ecae9', '#4c78a8', '#e45756'] },
        legend: { orient: 'bottom' as const, columns: columns === 2 ? 3 : 1 },
      },
      order: { field: 'order' },
      tooltip: [
        { field: 'run', type: 'nominal' as const },
        { field: 'part', type: 'nominal' as const },
        { field: 'share', type: 'quantitative' as const, format: '.2%' },
      ],
    },
  };
  const histograms = runs.map(histogram);
  return {
    $schema: plotSchema,
    datasets: { bins: [...bins], shares: [...shares], markers: [...markers] },
    vconcat: [
      {
        ...(columns === 2 ? { hconcat: histograms } : { vconcat: histograms }),
        resolve: { scale: { y: 'shared' } },
      },
      shareChart,
    ],
    resolve: { scale: { color: 'independent' } },
    config: plotConfig,
  } as TopLevelSpec;
}
