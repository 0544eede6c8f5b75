/**
 * Headless rendering of the vega-lite plots in Node: vega-lite compiles the spec, vega's
 * `View.toSVG` draws it, resvg turns the SVG into PNG with the font shipped in
 * `assets/fonts/` (no system fonts needed). Files are written under a temporary name and
 * renamed, so an interrupted run never leaves a half-written plot.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { makeDirectories } from '../io/output-path.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { plotFont } from './specs.js';

/** The shipped font file. */
export const fontFile = fileURLToPath(
  new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url),
);

/** Renders a vega-lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG to PNG at `scale` times its size (2 gives sharp images at 800 px). */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: plotFont },
    fitTo: { mode: 'zoom', value: scale },
  });
  return resvg.render().asPng();
}

/** A plot to write: its file stem, spec and the data it was drawn from. */
export interface PlotFile {
  name: string;
  spec: TopLevelSpec;
  data: unknown;
}

/**
 * Writes `<name>.svg`, `<name>.png` and, with `json`, `<name>.json` (the plotted data) into
 * `dir`; returns the paths written.
 */
export async function writePlot(dir: string, plot: PlotFile, json: boolean): Promise<string[]> {
  makeDirectories(dir, dir);
  const svg = await renderSvg(plot.spec);
  const written: string[] = [];
  const put = (ext: string, data: string | Uint8Array) => {
    const path = join(dir, `${plot.name}.${ext}`);
    writeFileAtomic(path, data);
    written.push(path);
  };
  put('svg', svg);
  put('png', svgToPng(svg));
  if (json) put('json', `${JSON.stringify(plot.data, null, 2)}\n`);
  return written;
}
