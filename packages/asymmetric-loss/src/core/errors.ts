/**
 * Error helpers shared by every public function. Messages follow tfjs' style: they name the
 * argument and the function, say what was expected and what came instead.
 *
 * @example
 * ```ts
 * throw argumentError(RangeError, 'asymmetricLossMultiLabel', 'clip', 'a number in [0, 1)', 1.5);
 * // RangeError: Argument 'clip' passed to 'asymmetricLossMultiLabel' must be a number in [0, 1), but got 1.5
 * ```
 */
export function argumentError(
  kind: typeof TypeError | typeof RangeError,
  fn: string,
  arg: string,
  expected: string,
  got: unknown,
): Error {
  return argumentErrorAt(kind, fn, arg, expected, `got ${describe(got)}`);
}

/**
 * Like {@link argumentError}, with the end of the message written by the caller, for errors that
 * point into an array: `..., but logits[5] (row 1, column 1) is NaN`.
 */
export function argumentErrorAt(
  kind: typeof TypeError | typeof RangeError,
  fn: string,
  arg: string,
  expected: string,
  what: string,
): Error {
  return requirementError(kind, fn, arg, `be ${expected}`, what);
}

/**
 * The one message form of every argument error:
 * `Argument '<arg>' passed to '<fn>' must <requirement>, but <what>`.
 */
export function requirementError(
  kind: typeof TypeError | typeof RangeError,
  fn: string,
  arg: string,
  requirement: string,
  what: string,
): Error {
  return new kind(`Argument '${arg}' passed to '${fn}' must ${requirement}, but ${what}`);
}

/**
 * Throws a `RangeError` unless `length` equals `expected`; `expectedText` says how the expected
 * length is made (`n * c = 12 for shape [3, 4]`).
 */
export function checkLength(
  fn: string,
  arg: string,
  length: number,
  expected: number,
  expectedText = String(expected),
): void {
  if (length !== expected)
    throw argumentErrorAt(
      RangeError,
      fn,
      arg,
      `of length ${expectedText}`,
      `it has length ${length}`,
    );
}

/** A short, readable description of any value for error messages (`NaN`, `Int32Array(12)`, ...). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    return 'length' in value ? `${name}(${(value as unknown as ArrayLike<unknown>).length})` : name;
  }
  if (Array.isArray(value)) {
    const short = value.length <= 6 && value.every((v) => typeof v === 'number');
    return short ? `[${value.map(formatNumber).join(', ')}]` : `Array(${value.length})`;
  }
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object'
    ? `an object (${Object.keys(value).slice(0, 4).join(', ')})`
    : typeof value;
}

/**
 * A number as a message shows it: a value that is exactly a float32 (what the kernels read) by the
 * shortest decimal that gives back that float32, so the user's `-0.1` reads `-0.1`, not
 * `-0.10000000149011612`; any other number as JavaScript prints it.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v) || Math.fround(v) !== v) return String(v);
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(v.toPrecision(digits)));
    if (Math.fround(Number(text)) === v) return text;
  }
  return String(v);
}

/** Position of a flat index `k` in a row-major `[n, c]` matrix, for messages. */
export function position(k: number, c: number): string {
  return `row ${Math.floor(k / c)}, column ${k % c}`;
}
