/**
 * The Try panel's live training-loss view: per run, the loss per package of the recent steps
 * against the training step, one panel per run with its own y scale (BCE and ASL losses differ
 * in scale by design: ASL weighs the many easy negatives down). Live dataset `steps`.
 */
import type { TopLevelSpec } from 'vega-lite';
import { plotConfig, plotSchema } from 'asymmetric-loss-tagger/plots';

/** A point of the live loss curves. */
export interface StepRow {
  run: string;
  /** Training step of the run (1-based, over all epochs). */
  step: number;
  epoch: number;
  /** Loss per package, mean of the steps since the previous point. */
  loss: number;
}

/** The view: one panel per run, side by side (`columns` 2) or stacked (1). */
export function liveLossSpec(
  rows: readonly StepRow[],
  runs: readonly { label: string; color: string }[],
  options: { panelWidth: number; columns: 1 | 2; totalSteps: number },
): TopLevelSpec {
  const panel = ({ label, color }: { label: string; color: string }) => ({
    title: { text: `${label}: training loss per package`, fontSize: 13 },
    width: options.panelWidth,
    height: 140,
    transform: [{ filter: { field: 'run', equal: label } }],
    mark: { type: 'line' as const, strokeWidth: 1.5, color },
    encoding: {
      x: {
        field: 'step',
        type: 'quantitative' as const,
        title: 'training step',
        scale: { domain: [0, Math.max(1, options.totalSteps)] },
      },
      y: { field: 'loss', type: 'quantitative' as const, title: 'loss', scale: { zero: false } },
      tooltip: [
        { field: 'step', type: 'quantitative' as const },
        { field: 'epoch', type: 'quantitative' as const },
        { field: 'loss', type: 'quantitative' as const, format: '.4f' },
      ],
    },
  });
  const panels = runs.map(panel);
  return {
    $schema: plotSchema,
    datasets: { steps: [...rows] },
    data: { name: 'steps' },
    ...(options.columns === 2 ? { hconcat: panels } : { vconcat: panels }),
    resolve: { scale: { y: 'independent' } },
    config: plotConfig,
  } as TopLevelSpec;
}
