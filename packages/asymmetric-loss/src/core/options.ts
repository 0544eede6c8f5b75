/**
 * Validation of option objects shared by the losses: unknown names, numbers in ranges, enums.
 */
import { argumentError } from './errors.js';

/** Throws a `TypeError` naming the first key of `options` that is not in `allowed`. */
export function checkOptionNames(fn: string, options: object, allowed: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw argumentError(TypeError, fn, 'options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key))
      throw argumentError(
        TypeError,
        fn,
        'options',
        `an object with keys among ${allowed.map((k) => `'${k}'`).join(', ')}`,
        `unknown option '${key}'`,
      );
  }
}

/** Returns `value` (or `fallback` when undefined) after checking it is a finite number >= 0. */
export function checkGamma(fn: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw argumentError(TypeError, fn, name, 'a number >= 0', value);
  if (!(value >= 0 && value < Infinity))
    throw argumentError(RangeError, fn, name, 'a finite number >= 0', value);
  return value;
}

/**
 * Returns `value` (or `fallback` when undefined) after checking it is a number in `[lo, hi)`.
 */
export function checkHalfOpen(
  fn: string,
  name: string,
  value: unknown,
  fallback: number,
  lo: number,
  hi: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number')
    throw argumentError(TypeError, fn, name, `a number in [${lo}, ${hi})`, value);
  if (!(value >= lo && value < hi))
    throw argumentError(RangeError, fn, name, `a number in [${lo}, ${hi})`, value);
  return value;
}

/** Returns `value` (or `fallback` when undefined) after checking it is one of `choices`. */
export function checkChoice<T extends string>(
  fn: string,
  name: string,
  value: unknown,
  fallback: T,
  choices: readonly T[],
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !choices.includes(value as T))
    throw argumentError(
      typeof value === 'string' ? RangeError : TypeError,
      fn,
      name,
      `one of ${choices.map((c) => `'${c}'`).join(', ')}`,
      value,
    );
  return value as T;
}

/** Returns `value` (or `fallback` when undefined) after checking it is a boolean. */
export function checkBoolean(fn: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw argumentError(TypeError, fn, name, 'a boolean', value);
  return value;
}
