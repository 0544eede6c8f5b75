/**
 * `asl demo` (and `npm start`): the seed walkthrough's examples computed with this library,
 * printed, and the plots written.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { seedPlots, trainingPlot } from '../plots/plots.js';
import { writePlot } from '../plots/render.js';
import { requireTfjs } from '../tagger/node/tfjs-packages.js';
import { checkOutputPlace } from '../io/output-path.js';
import {
  clipSweep,
  gammaNegSweep,
  seedCrossEntropy,
  type SweepPoint,
} from '../seed/walkthrough.js';

/** Prints every `step`-th point of a sweep (and the last) as aligned columns. */
function sweepLines(points: SweepPoint[], label: string, step: number): string[] {
  const lines = [`  ${label.padEnd(10)} loss`];
  points.forEach((point, i) => {
    if (i % step === 0 || i === points.length - 1)
      lines.push(`  ${point.x.toFixed(2).padEnd(10)} ${point.loss.toFixed(7)}`);
  });
  return lines;
}

/** The demo's text: the cross-entropy example and the three sweeps of the walkthrough. */
export function seedReport(): string {
  const smoothed = gammaNegSweep(0.1);
  const flat = gammaNegSweep(0);
  const clip = clipSweep();
  return [
    "Asymmetric Loss: the seed walkthrough's examples, computed with asymmetric-loss",
    '',
    'logits = F.one_hot([0, 9, 0]) (3 x 10), labels = [0, 0, 0]',
    'AsymmetricLossSingleLabel(gamma_pos=0, gamma_neg=0, eps=0) equals cross-entropy:',
    `  loss = ${seedCrossEntropy().toFixed(7)}`,
    '',
    "logits = 2 * F.one_hot([0, 9, 0]) - 1, labels = [0, 0, 0], reduction 'mean'",
    `Single-label ASL against gamma_neg = 1 + 0.04 i, eps = 0.1 (${smoothed.length} points): easy`,
    'negatives fade as gamma_neg grows',
    ...sweepLines(smoothed, 'gamma_neg', 10),
    '',
    `The same with eps = 0, gamma_neg = 0.02 i (${flat.length} points): flat, since without label`,
    'smoothing the negatives carry no target mass',
    ...sweepLines(flat, 'gamma_neg', 20),
    '',
    'targets = [[1,1,0,...], [1,0,...,0,1], [1,1,0,...]] (3 x 10)',
    `Multi-label ASL (timm defaults, sum) against clip = i / 100 (${clip.length} points): the`,
    'probability shift discards more of the negatives as it grows',
    ...sweepLines(clip, 'clip', 10),
  ].join('\n');
}

/** Options of `asl demo`. */
export interface DemoOptions {
  out: string;
  plots: boolean;
  train: boolean;
  epochs: number;
  backend: string;
}

/**
 * Runs the demo: prints the seed report, writes plots 1 to 4, trains the debtags tagger briefly
 * with BCE and with ASL (`asl compare --losses bce,asl`), prints their table and writes plot 5.
 * Returns the files written.
 */
export async function runDemo(options: DemoOptions): Promise<string[]> {
  // Training needs TensorFlow.js: say so before anything is written, not after the plots.
  if (options.train) requireTfjs('demo');
  if (options.plots || options.train)
    checkOutputPlace(join(options.out, 'plot'), `--out ${options.out}`);
  console.log(seedReport());
  const written: string[] = [];
  if (options.plots) {
    console.log('');
    console.log(`Writing the plots to ${options.out}/ ...`);
    for (const plot of seedPlots()) written.push(...(await writePlot(options.out, plot, true)));
  }
  if (options.train) {
    console.log('');
    console.log(
      `Training the debtags tagger for ${options.epochs} epochs with BCE and with ASL ` +
        '(gamma_neg 4, gamma_pos 0, clip 0.05); a full run is `asl compare` (8 epochs).',
    );
    const { runCompare } = await import('./compare.js');
    const resultFile = join(options.out, 'compare.json');
    const report = await runCompare({
      losses: 'bce,asl',
      epochs: options.epochs,
      backend: options.backend,
      out: resultFile,
    });
    written.push(resultFile);
    if (options.plots) {
      const curves = report.runs.map((r) => ({ loss: r.loss, epochs: r.history }));
      const subtitle = `debtags, ${options.epochs} epochs, ${report.backend} backend`;
      written.push(...(await writePlot(options.out, trainingPlot(curves, subtitle), true)));
    }
  }
  return written;
}

/** Registers `asl demo` on the program. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      "the main job: the seed walkthrough's examples and plots, then the tagger trained briefly with BCE and ASL",
    )
    .option('-o, --out <dir>', 'output directory', 'asl-demo')
    .option('--no-plots', 'write no plots')
    .option('--no-train', 'skip the training')
    .option('--epochs <n>', 'epochs of each training run', (v) => Number.parseInt(v, 10), 3)
    .option('--backend <name>', 'TensorFlow.js backend: wasm or cpu', 'wasm')
    .action(async (options: DemoOptions) => {
      if (!Number.isInteger(options.epochs) || options.epochs < 1)
        throw new RangeError('--epochs must be a whole number >= 1');
      const t0 = performance.now();
      const written = await runDemo(options);
      if (written.length > 0) {
        console.log('');
        console.log('Files written:');
        for (const file of written) console.log(`  ${file}`);
      }
      console.log(`Done in ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
    });
}
