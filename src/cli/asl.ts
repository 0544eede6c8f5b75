#!/usr/bin/env node
/**
 * The `asl` command line. Commands: `demo` (the seed walkthrough's numbers). Training,
 * evaluation, prediction, comparison, plots and benchmarks come with their issues.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { seedReport } from './demo.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  description: string;
};

const program = new Command('asl')
  .description(pkg.description)
  .version(pkg.version, '-V, --version', 'print the version')
  .showHelpAfterError();

program
  .command('demo')
  .description("print the seed walkthrough's examples computed with this library")
  .action(() => {
    console.log(seedReport());
  });

await program.parseAsync(process.argv);
