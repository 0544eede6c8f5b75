/**
 * Error construction shared by the metrics: every message names the function, the argument,
 * what was expected and what came, in the form
 * `Argument 'targets' passed to 'averagePrecision' must contain only 0 or 1, but targets[7] (row 1, column 3) is 0.5`.
 *
 * @internal
 */

/** Which error class to throw: `TypeError` for wrong types, `RangeError` for bad values. */
export type ErrorKind = typeof TypeError | typeof RangeError;

/**
 * Creates an error whose message reads
 * `Argument '<argument>' passed to '<fn>' must <expected>, but <actual>`: the core's one message
 * form, shared by every public function of the package.
 */
export { requirementError as argumentError } from '../core/errors.js';

/**
 * Short human-readable description of an arbitrary value for error messages: numbers and
 * booleans as written, strings quoted, arrays and typed arrays by kind and length.
 */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'symbol':
      return String(value);
    case 'function':
      return 'a function';
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const length = 'length' in value ? `of length ${String(value.length)}` : '';
    return `${article(value.constructor.name)} ${length}`.trimEnd();
  }
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? article(name) : 'an object';
}

/**
 * `name` preceded by "an" before A, E, I, O and "a" otherwise: `'an Int16Array'`,
 * `'a Uint8Array'`.
 */
function article(name: string): string {
  return `${/^[AEIO]/i.test(name) ? 'an' : 'a'} ${name}`;
}
