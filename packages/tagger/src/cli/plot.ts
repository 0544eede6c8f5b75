/**
 * `asl plot`: writes the plots (SVG, PNG and, with --json, their data) into a directory.
 */
import { join } from 'node:path';
import { checkOutputPlace } from '../io/output-path.js';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { seedPlots, trainingPlot } from '../plots/plots.js';
import { writePlot, type PlotFile } from '../plots/render.js';
import type { TrainingCurve } from '../plots/specs.js';

/** Options of `asl plot`. */
export interface PlotCommandOptions {
  out: string;
  json?: boolean;
  compare?: string;
}

/**
 * Reads the validation curves from an `asl compare` result file: `{ runs: [{ loss, history:
 * [{ epoch, valMap }] }] }` (valMap in percent).
 */
export function readTrainingCurves(file: string): TrainingCurve[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not a readable JSON file (${(error as Error).message})`, {
      cause: error,
    });
  }
  const runs = (parsed as { runs?: unknown }).runs;
  if (!Array.isArray(runs)) throw new Error(`${file}: expected an object with a 'runs' array`);
  return runs.map((run: unknown, i: number) => {
    const { loss, history } = run as { loss?: unknown; history?: unknown };
    if (typeof loss !== 'string' || !Array.isArray(history))
      throw new Error(`${file}: runs[${i}] needs 'loss' (string) and 'history' (array)`);
    const epochs = history.map((h: unknown, j: number) => {
      const { epoch, valMap } = h as { epoch?: unknown; valMap?: unknown };
      if (typeof epoch !== 'number' || typeof valMap !== 'number')
        throw new Error(`${file}: runs[${i}].history[${j}] needs numeric 'epoch' and 'valMap'`);
      return { epoch, valMap };
    });
    return { loss, epochs };
  });
}

/** Writes the plots; returns the files written. */
export async function runPlot(options: PlotCommandOptions): Promise<string[]> {
  checkOutputPlace(join(options.out, 'plot'), `--out ${options.out}`);
  const plots: PlotFile[] = seedPlots();
  if (options.compare)
    plots.push(trainingPlot(readTrainingCurves(options.compare), options.compare));
  const written: string[] = [];
  for (const plot of plots)
    written.push(...(await writePlot(options.out, plot, options.json ?? false)));
  return written;
}

/** Registers `asl plot` on the program. */
export function registerPlot(program: Command): void {
  program
    .command('plot')
    .description(
      "write the seed walkthrough's sweeps and the paper's loss/gradient curves as SVG and PNG (plus the training curves of an `asl compare` result with --compare)",
    )
    .option('-o, --out <dir>', 'output directory', 'asl-plots')
    .option('--json', 'also write each plot’s data as JSON')
    .option(
      '--compare <file>',
      'an `asl compare` result file: adds plot 5 (validation mAP per epoch)',
    )
    .action(async (options: PlotCommandOptions) => {
      const written = await runPlot(options);
      for (const file of written) console.log(file);
    });
}
