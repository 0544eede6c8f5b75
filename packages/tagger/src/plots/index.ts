/**
 * `asymmetric-loss-tagger/plots`: the plots of `asl plot` and of the explorer page, browser-safe:
 * the paper's loss and gradient curves, the seed walkthrough's sweeps and the Vega-Lite specs that
 * draw them. Rendering to SVG and PNG files (Node, resvg) is in `asymmetric-loss-tagger/node`.
 *
 * @example
 * ```ts
 * import { paperCurves, paperCurvesSpec } from 'asymmetric-loss-tagger/plots';
 * const spec = paperCurvesSpec(paperCurves()); // a Vega-Lite spec, for vega-embed or writePlot
 * ```
 *
 * @packageDocumentation
 */
export {
  lossAndGradient,
  logit,
  negativeGradient,
  negativePeak,
  paperCurves,
  paperSettings,
  peakNegativeProbability,
  probabilityGrid,
  type CurvePoint,
  type LossSetting,
} from './curves.js';
export { paperMarkers, seedPlots, trainingPlot } from './plots.js';
export type { PlotFile } from './render.js';
export {
  clipSweepSpec,
  defaultYMax,
  gammaNegFlatSpec,
  gammaNegSweepSpec,
  paperCurvesSpec,
  plotConfig,
  plotFont,
  plotSchema,
  trainingCurvesSpec,
  trainingRows,
  yMaxSignal,
  type CurveMarker,
  type CurvesSpecOptions,
  type SweepSpecOptions,
  type TrainingCurve,
  type TrainingSpecOptions,
} from './specs.js';
export {
  clipSweep,
  gammaNegSweep,
  seedCrossEntropy,
  seedLabels,
  seedLogits,
  seedMultiLabelTargets,
  seedOneHot,
  type SweepPoint,
} from '../seed/walkthrough.js';
