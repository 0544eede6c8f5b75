/**
 * Option parsing shared by the metrics: rejects unknown option names and bad values with
 * errors naming the function and the option, and fills in defaults.
 *
 * @internal
 */
import { argumentError, describe } from './errors.js';

/**
 * How tied scores are ranked when computing average precision.
 *
 * - `'grouped'`: scikit-learn's `average_precision_score`; all samples sharing a score form one
 *   threshold, so precision is evaluated once per distinct score.
 * - `'ordered'`: the ASL authors' formula; samples are ranked by a stable descending sort (ties
 *   keep their sample order) and precision is taken at each positive's own rank.
 */
export type Ties = 'grouped' | 'ordered';

/**
 * What to do with classes that have no positive sample.
 *
 * - `'ignore'`: their AP is `NaN` and they are left out of the mean.
 * - `'zero'`: their AP is 0 and they count in the mean (the ASL authors' repository).
 */
export type EmptyClasses = 'ignore' | 'zero';

/**
 * What the metrics do with a target of -1 (an unannotated label, as the partial-annotation
 * losses take them).
 *
 * - `'error'`: -1 is refused, as any target other than 0 or 1 (default).
 * - `'ignore'`: an element with target -1 is left out of every count: it is neither a positive
 *   nor a negative of its class's AP, and neither a true nor a false positive, nor a missed
 *   positive, of the threshold and top-k metrics (how the ASL authors evaluate the partially
 *   annotated Open Images).
 */
export type UnannotatedTargets = 'error' | 'ignore';

/** The choices of the metrics' `unannotated`, the default first. */
export const unannotatedTargets: readonly UnannotatedTargets[] = ['error', 'ignore'];

/** Reads `unannotated`: whether targets of -1 are accepted (and left out of every count). */
export function readUnannotated(fn: string, options: Record<string, unknown>): boolean {
  return readChoice(fn, options, 'unannotated', unannotatedTargets, 'error') === 'ignore';
}

/**
 * Checks that `options` is `undefined` or a plain object whose keys are all in `known`, and
 * returns it as a record.
 */
export function checkOptionNames(
  fn: string,
  options: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw argumentError(TypeError, fn, 'options', 'be an object', `got ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      const list = known.map((k) => `'${k}'`).join(', ');
      throw argumentError(
        TypeError,
        fn,
        'options',
        `only have the options ${list}`,
        `it has an unknown option '${name}'`,
      );
    }
  }
  return options as Record<string, unknown>;
}

/** Reads a string option restricted to `values`, or its default when absent. */
export function readChoice<T extends string>(
  fn: string,
  options: Record<string, unknown>,
  name: string,
  values: readonly T[],
  fallback: T,
): T {
  const value = options[name];
  if (value === undefined) return fallback;
  if ((values as readonly unknown[]).includes(value)) return value as T;
  const list = values.map((v) => `'${v}'`).join(' or ');
  const Kind = typeof value === 'string' ? RangeError : TypeError;
  throw argumentError(Kind, fn, `options.${name}`, `be ${list}`, `it is ${describe(value)}`);
}

/** Reads a boolean option, or its default when absent. */
export function readBoolean(
  fn: string,
  options: Record<string, unknown>,
  name: string,
  fallback: boolean,
): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw argumentError(TypeError, fn, `options.${name}`, 'be a boolean', `it is ${describe(value)}`);
}

/** Constraints for {@link readNumber}; the number must also be finite. */
export interface NumberRange {
  min: number;
  max: number;
  integer?: boolean;
}

/** Reads a finite number option within `[min, max]`, or its default when absent. */
export function readNumber<T extends number | undefined>(
  fn: string,
  options: Record<string, unknown>,
  name: string,
  range: NumberRange,
  fallback: T,
): number | T {
  const value = options[name];
  if (value === undefined) return fallback;
  checkNumber(fn, `options.${name}`, value, range);
  return value as number;
}

/** Throws unless `value` is a number within `range` (an integer when `range.integer`). */
export function checkNumber(
  fn: string,
  argument: string,
  value: unknown,
  range: NumberRange,
): void {
  const what = range.integer ? 'an integer' : 'a number';
  const bounds = range.max === Infinity ? `>= ${range.min}` : `in [${range.min}, ${range.max}]`;
  if (typeof value !== 'number') {
    throw argumentError(
      TypeError,
      fn,
      argument,
      `be ${what} ${bounds}`,
      `it is ${describe(value)}`,
    );
  }
  const ok =
    Number.isFinite(value) &&
    value >= range.min &&
    value <= range.max &&
    (!range.integer || Number.isInteger(value));
  if (!ok) {
    throw argumentError(
      RangeError,
      fn,
      argument,
      `be ${what} ${bounds}`,
      `it is ${describe(value)}`,
    );
  }
}

/** Options common to the average-precision metrics, resolved with their defaults. */
export interface ResolvedAveragePrecisionOptions {
  ties: Ties;
  emptyClasses: EmptyClasses;
  epsilon: number;
  /** Whether targets of -1 are accepted (`unannotated: 'ignore'`). */
  unannotated: boolean;
}

/** Names of the average-precision options, for {@link checkOptionNames}. */
export const averagePrecisionOptionNames = [
  'ties',
  'emptyClasses',
  'epsilon',
  'unannotated',
] as const;

/** Reads `ties`, `emptyClasses`, `epsilon` and `unannotated` with their defaults. */
export function readAveragePrecisionOptions(
  fn: string,
  options: Record<string, unknown>,
): ResolvedAveragePrecisionOptions {
  return {
    ties: readChoice(fn, options, 'ties', ['grouped', 'ordered'], 'grouped'),
    emptyClasses: readChoice(fn, options, 'emptyClasses', ['ignore', 'zero'], 'ignore'),
    epsilon: readNumber(fn, options, 'epsilon', { min: 0, max: Infinity }, 0),
    unannotated: readUnannotated(fn, options),
  };
}
