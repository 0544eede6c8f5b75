#!/usr/bin/env node
/**
 * The `asl` command line. Each command lives in its own module and registers itself here.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerBench } from './bench.js';
import { registerCompare } from './compare.js';
import { registerDemo } from './demo.js';
import { registerEval } from './eval.js';
import { registerPlot } from './plot.js';
import { registerPredict } from './predict.js';
import { registerTrain } from './train.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  description: string;
};

const program = new Command('asl')
  .description(pkg.description)
  .version(pkg.version, '-V, --version', 'print the version')
  // A flag error is one line, as every other error (`asl: ...`); --help shows the usage.
  .configureOutput({
    outputError: (text, write) => write(`asl: ${text.replace(/^error: /, '').trimEnd()}\n`),
  });

registerDemo(program);
registerPlot(program);
registerTrain(program);
registerEval(program);
registerPredict(program);
registerCompare(program);
registerBench(program);

// Output piped into `head` and closed early: the reader wants no more output, but the work
// (a model being trained, a file being written) goes on to its end and its own exit status.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Bad input and failed runs end with a one-line message and a non-zero status, no stack.
  console.error(`asl: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
