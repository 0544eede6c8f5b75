/**
 * The partial-annotation flags of `asl train` and `asl compare`: `--hide-labels <fraction>` and
 * `--partial negative|ignore|selective` (see `tagger/partial.ts` for what they do).
 */
import type { Command } from 'commander';
import { choiceOption, numberOption } from '../tagger/node/cli-helpers.js';
import { partialModes, partialSettings, type PartialMode } from '../tagger/partial.js';
import type { PartialSettings } from '../tagger/partial.js';

/** The flags as commander parses them. */
export interface PartialFlagValues {
  hideLabels?: number;
  partial?: PartialMode;
}

/** Adds `--hide-labels` and `--partial` to a command. */
export function partialFlags(command: Command): Command {
  return command
    .option(
      '--hide-labels <fraction>',
      'hide this fraction of each training and validation record’s labels, positives and negatives alike (seeded by --seed; the test split keeps every label)',
      numberOption({ min: 0, below: 1 }),
    )
    .option(
      '--partial <mode>',
      `how the loss treats hidden labels: ${partialModes.join(', ')} (default negative; needs --hide-labels)`,
      choiceOption(partialModes),
    );
}

/**
 * The partial settings of the flags, or null without `--hide-labels`.
 *
 * @throws RangeError for `--partial` without `--hide-labels`.
 */
export function partialFromFlags(values: PartialFlagValues): PartialSettings | null {
  if (values.hideLabels === undefined) {
    if (values.partial !== undefined) throw new RangeError('--partial needs --hide-labels');
    return null;
  }
  return partialSettings(values.hideLabels, values.partial ?? 'negative');
}

/** One line describing partial settings. */
export function describePartial(p: PartialSettings): string {
  const selective =
    p.mode === 'selective'
      ? ` (prior threshold ${p.priorThreshold}, likelihood top-k ${p.likelihoodTopK} per record)`
      : '';
  return `${Math.round(p.hideLabels * 1000) / 10} % of each training and validation record's labels hidden, treated as ${p.mode}${selective}`;
}
