/**
 * The plots of `asl plot`, assembled from the seed walkthrough, the paper's view and an
 * `asl compare` result. Browser-safe (rendering is in render.ts).
 */
import { clipSweep, gammaNegSweep } from '../seed/walkthrough.js';
import { paperCurves, paperSettings, peakNegativeProbability } from './curves.js';
import {
  clipSweepSpec,
  gammaNegFlatSpec,
  gammaNegSweepSpec,
  paperCurvesSpec,
  trainingCurvesSpec,
  type CurveMarker,
  type TrainingCurve,
} from './specs.js';
import type { PlotFile } from './render.js';

/** The clip and p* markers of the ASL settings of the paper's view. */
export function paperMarkers(): CurveMarker[] {
  const markers: CurveMarker[] = [];
  for (const { name, options } of paperSettings) {
    if (options.gammaPos === options.gammaNeg) continue; // CE and focal: no clip, no p* marked
    markers.push({ loss: name, p: options.clip, label: `m = ${options.clip}` });
    const peak = peakNegativeProbability(options.gammaNeg, options.clip);
    markers.push({ loss: name, p: peak, label: `p* = ${peak.toFixed(3)}` });
  }
  return markers;
}

/** Plots 1 to 4: the seed's three sweeps and the paper's loss/gradient view. */
export function seedPlots(): PlotFile[] {
  const smoothed = gammaNegSweep(0.1);
  const flat = gammaNegSweep(0);
  const clip = clipSweep();
  const curves = paperCurves();
  const markers = paperMarkers();
  return [
    { name: '1-gamma-neg-sweep', spec: gammaNegSweepSpec(smoothed), data: smoothed },
    { name: '2-gamma-neg-sweep-eps0', spec: gammaNegFlatSpec(flat), data: flat },
    { name: '3-clip-sweep', spec: clipSweepSpec(clip), data: clip },
    {
      name: '4-loss-and-gradient',
      spec: paperCurvesSpec(curves, markers),
      data: { markers, curves },
    },
  ];
}

/** Plot 5: validation mAP per epoch per loss. */
export function trainingPlot(curves: TrainingCurve[], subtitle = ''): PlotFile {
  return { name: '5-training-curves', spec: trainingCurvesSpec(curves, subtitle), data: curves };
}
