/**
 * Training progress on the terminal: a progress bar with the loss, items/s and ETA when
 * stderr is a TTY, plain lines otherwise (CI logs, pipes). Node only.
 */
import cliProgress from 'cli-progress';
import type { EpochInfo, StepInfo } from '../train.js';

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Shown before each line, e.g. the loss name of a comparison run. */
  label: string;
  /** Epochs of the run. */
  epochs: number;
  /** Name of the validation score in epoch lines, e.g. `val mAP`. */
  scoreName: string;
  /** Where to write, default `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** Force the bar (`true`) or plain lines (`false`); default: the stream's `isTTY`. */
  tty?: boolean;
  /** Print nothing. */
  quiet?: boolean;
}

/** Receives the trainer's callbacks and draws them. */
export interface Progress {
  /** For `TrainCallbacks.onStep`. */
  step(info: StepInfo): void;
  /** After each epoch (validated or partial). */
  epoch(info: EpochInfo): void;
  /** A message line (the bar is redrawn under it). */
  note(message: string): void;
  /** Removes the bar. */
  stop(): void;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** The line printed after an epoch. */
export function epochLine(
  label: string,
  epochs: number,
  scoreName: string,
  info: EpochInfo,
): string {
  const parts = [
    `${label}epoch ${info.epoch}/${epochs}`,
    `loss ${info.trainLoss.toFixed(4)}`,
    info.partial
      ? 'interrupted'
      : `${scoreName} ${info.valScore.toFixed(2)}${info.best ? ' (best)' : ''}`,
    `gamma_neg ${info.gammaNeg.toFixed(3)}`,
  ];
  if (!Number.isNaN(info.gap)) parts.push(`gap ${info.gap.toFixed(3)}`);
  parts.push(`${info.seconds.toFixed(1)} s`);
  return parts.join(', ');
}

/** Creates the progress display of one training run. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const label = options.label ? `${options.label}: ` : '';
  if (options.quiet) return { step: () => {}, epoch: () => {}, note: () => {}, stop: () => {} };
  const write = (line: string) => stream.write(`${line}\n`);
  if (!(options.tty ?? stream.isTTY)) {
    // Plain lines: a line at each quarter of an epoch, and one per epoch.
    let lastQuarter = -1;
    return {
      step(info) {
        const quarter = Math.floor((4 * info.step) / info.stepsPerEpoch);
        if (quarter === lastQuarter || quarter === 0 || quarter === 4) return;
        lastQuarter = quarter;
        write(
          `${label}epoch ${info.epoch}/${options.epochs} step ${info.step}/${info.stepsPerEpoch}, loss ${info.loss.toFixed(4)}, ${Math.round(info.itemsPerSecond)} items/s`,
        );
      },
      epoch: (info) => write(epochLine(label, options.epochs, options.scoreName, info)),
      note: write,
      stop: () => {},
    };
  }
  // A MultiBar (of one bar) because it can print lines above the bar (`log`); a SingleBar
  // restores the cursor to where it started when it stops, over anything printed since.
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: `${label}epoch {epoch} [{bar}] {percentage}% | loss {loss} | {speed} items/s | ETA {eta_formatted}`,
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 200,
      fps: 8,
      gracefulExit: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | null = null;
  return {
    step(info) {
      bar ??= bars.create(info.totalSteps, 0, {
        epoch: `1/${options.epochs}`,
        loss: '-',
        speed: '-',
      });
      bar.update(info.globalStep, {
        epoch: `${info.epoch}/${options.epochs}`,
        loss: info.loss.toFixed(4),
        speed: String(Math.round(info.itemsPerSecond)),
      });
    },
    epoch(info) {
      this.note(epochLine(label, options.epochs, options.scoreName, info));
    },
    note(message) {
      if (bar !== null) bars.log(`${message}\n`);
      else write(message);
    },
    stop() {
      if (bar === null) return;
      bars.update(); // flushes the lines logged since the last redraw
      bars.stop();
      bar = null;
    },
  };
}

export { formatSeconds };
