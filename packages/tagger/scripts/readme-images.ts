/**
 * Regenerates the plot images the README shows (docs/images/*.png) from the current code:
 * `npm run docs:images`. Plot 5 is drawn from docs/compare.json (an `asl compare` result)
 * when that file exists.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readTrainingCurves } from '../src/cli/plot.js';
import { seedPlots, trainingPlot } from '../src/plots/plots.js';
import { writePlot } from '../src/plots/render.js';

/** The repository (docs/ is the project's, at its root). */
const root = new URL('../../..', import.meta.url).pathname;
const out = join(root, 'docs', 'images');
const staging = join(root, 'docs', 'images.tmp');
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
const plots = seedPlots();
const compare = join(root, 'docs', 'compare.json');
if (existsSync(compare))
  plots.push(trainingPlot(readTrainingCurves(compare), 'asl compare, debtags'));
for (const plot of plots) await writePlot(staging, plot, false);
for (const file of plots.flatMap((p) => [`${p.name}.svg`])) rmSync(join(staging, file));
rmSync(out, { recursive: true, force: true });
renameSync(staging, out);
console.log(`wrote ${plots.length} images to ${out}`);
