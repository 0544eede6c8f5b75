/**
 * The `asl` command line in a child process, for the tests: run from the sources with tsx (by its
 * URL, so that it also starts from a working directory outside the repository).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli/asl.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

/** How a run ended and what it printed. */
export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `asl` in a child process. `signalAfter` sends a signal that many ms after the start;
 * `closeStdout` destroys the reading end of stdout at once (as `| head -c0` does); `input` is
 * written to its stdin; `cwd` is its working directory.
 */
export function runAsl(
  args: string[],
  options: {
    signalAfter?: [NodeJS.Signals, number];
    closeStdout?: boolean;
    input?: string;
    cwd?: string;
  } = {},
): Promise<Run> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, cli, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: options.cwd,
    });
    child.stdin.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer =
      options.signalAfter === undefined
        ? undefined
        : setTimeout(() => child.kill(options.signalAfter![0]), options.signalAfter[1]);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - start });
    });
  });
}
