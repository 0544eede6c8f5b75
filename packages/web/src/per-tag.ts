/**
 * The Try panel's per-tag view after training: each tag's validation AP for BCE and ASL against
 * how many training packages carry it (the rare tags are where ASL should win), the tags with the
 * largest gains and losses, and the mean AP of the rare tags. No DOM.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotConfig, plotSchema } from 'asymmetric-loss-tagger/plots';
import { runColors, runLabels, runNames } from './runs.js';

/** A tag with its training count and the AP (percent) of each run. */
export interface TagRow {
  tag: string;
  trainCount: number;
  bce: number;
  asl: number;
}

/** Tags with at most this many training packages count as rare. */
export const rareTagCount = 20;

/**
 * The tags both runs scored (AP defined: at least one validation positive), with their
 * training counts. `classes` must be the same for both runs (they train on the same data).
 *
 * @throws RangeError when the runs' tag lists or lengths differ.
 */
export function tagRows(
  classes: readonly string[],
  trainCounts: readonly number[],
  bce: readonly number[],
  asl: readonly number[],
): TagRow[] {
  if (bce.length !== classes.length || asl.length !== classes.length)
    throw new RangeError(
      `tagRows: expected ${classes.length} AP values per run, got ${bce.length} (BCE) and ${asl.length} (ASL)`,
    );
  const rows: TagRow[] = [];
  classes.forEach((tag, j) => {
    if (Number.isFinite(bce[j]) && Number.isFinite(asl[j]))
      rows.push({ tag, trainCount: trainCounts[j], bce: bce[j], asl: asl[j] });
  });
  return rows;
}

/** A summary of the per-tag rows. */
export interface TagSummary {
  tags: number;
  /** Mean AP (percent) of each run over the rare tags (`trainCount <= rareTagCount`), and how many. */
  rare: { tags: number; bce: number; asl: number };
  /** The same over the other tags. */
  common: { tags: number; bce: number; asl: number };
  /** The `k` tags where ASL gains most over BCE, and where it loses most. */
  gains: TagRow[];
  losses: TagRow[];
  /** Tags where ASL's AP is higher, lower. */
  aslBetter: number;
  bceBetter: number;
}

function meanOf(rows: readonly TagRow[], run: 'bce' | 'asl'): number {
  return rows.length === 0 ? NaN : rows.reduce((sum, r) => sum + r[run], 0) / rows.length;
}

/** Summarizes the rows: rare against common tags, and the `k` largest gains and losses. */
export function summarizeTags(rows: readonly TagRow[], k = 5): TagSummary {
  const rare = rows.filter((r) => r.trainCount <= rareTagCount);
  const common = rows.filter((r) => r.trainCount > rareTagCount);
  const byGain = [...rows].sort(
    (a, b) => b.asl - b.bce - (a.asl - a.bce) || a.tag.localeCompare(b.tag),
  );
  return {
    tags: rows.length,
    rare: { tags: rare.length, bce: meanOf(rare, 'bce'), asl: meanOf(rare, 'asl') },
    common: { tags: common.length, bce: meanOf(common, 'bce'), asl: meanOf(common, 'asl') },
    gains: byGain.slice(0, k).filter((r) => r.asl > r.bce),
    losses: byGain
      .slice(-k)
      .reverse()
      .filter((r) => r.asl < r.bce),
    aslBetter: rows.filter((r) => r.asl > r.bce).length,
    bceBetter: rows.filter((r) => r.asl < r.bce).length,
  };
}

/** The view: AP against training count (log axis), a point per tag and run, with bucket means. */
export function perTagSpec(rows: readonly TagRow[], width: number, height: number): TopLevelSpec {
  const long = rows.flatMap((r) => [
    { tag: r.tag, trainCount: r.trainCount, run: runLabels.bce, ap: r.bce, other: r.asl },
    { tag: r.tag, trainCount: r.trainCount, run: runLabels.asl, ap: r.asl, other: r.bce },
  ]);
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: null,
    scale: {
      domain: runNames.map((r) => runLabels[r]),
      range: runNames.map((r) => runColors[r]),
    },
    legend: { orient: 'top' as const },
  };
  const x = {
    field: 'trainCount',
    type: 'quantitative' as const,
    title: 'training packages with the tag',
    scale: { type: 'log' as const },
    axis: { values: [1, 3, 10, 30, 100, 300, 1000, 3000, 10000], format: ',' },
  };
  return {
    $schema: plotSchema,
    title: {
      text: 'Validation AP of each tag against its training frequency',
      subtitle: 'Points: tags; lines: the mean AP of the tags in each frequency band.',
    },
    width,
    height,
    data: { values: long },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 22, opacity: 0.45 },
        encoding: {
          x,
          y: { field: 'ap', type: 'quantitative', title: 'AP (%)', scale: { domain: [0, 100] } },
          color,
          tooltip: [
            { field: 'tag', type: 'nominal' },
            { field: 'run', type: 'nominal' },
            { field: 'ap', type: 'quantitative', title: 'AP (%)', format: '.1f' },
            { field: 'other', type: 'quantitative', title: 'the other run', format: '.1f' },
            { field: 'trainCount', type: 'quantitative', title: 'training packages' },
          ],
        },
      },
      {
        transform: [
          { calculate: 'pow(2, floor(log(datum.trainCount) / log(2)) + 0.5)', as: 'band' },
          { aggregate: [{ op: 'mean', field: 'ap', as: 'meanAp' }], groupby: ['band', 'run'] },
        ],
        mark: { type: 'line', strokeWidth: 2.5, point: true },
        encoding: {
          x: { ...x, field: 'band' },
          y: { field: 'meanAp', type: 'quantitative' },
          color,
          tooltip: [
            { field: 'run', type: 'nominal' },
            { field: 'meanAp', type: 'quantitative', title: 'mean AP (%)', format: '.1f' },
          ],
        },
      },
    ],
    config: plotConfig,
  } as TopLevelSpec;
}
