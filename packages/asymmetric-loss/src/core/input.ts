/**
 * Conversion and validation of array inputs shared by the losses (and, later, the metrics):
 * shapes, row-major matrices given flat or nested, class indices, weights. Every check throws
 * a `TypeError` (wrong kind of value) or `RangeError` (right kind, bad value) that names the
 * function and the argument.
 */
import {
  argumentError,
  argumentErrorAt,
  checkLength,
  describe,
  formatNumber,
  position,
} from './errors.js';
import { float32Max } from './saturate.js';

/** A row-major matrix given flat (`n * c` values) or nested (`n` rows of `c` values). */
export type MatrixInput =
  Float32Array | Float64Array | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** A vector of integers (class indices). */
export type IndexInput = Int32Array | Uint32Array | Uint16Array | Uint8Array | ArrayLike<number>;

/** Validates `shape` as `[n, c]` with `n >= 0` and `c >= 1` integers and returns it. */
export function checkShape(fn: string, shape: unknown): [number, number] {
  if (
    !Array.isArray(shape) ||
    shape.length !== 2 ||
    !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
  ) {
    throw argumentError(
      TypeError,
      fn,
      'shape',
      'an array [n, c] of two non-negative integers',
      shape,
    );
  }
  const [n, c] = shape as [number, number];
  if (c < 1)
    throw argumentErrorAt(
      RangeError,
      fn,
      'shape',
      'an array [n, c] with c >= 1 classes',
      `got [${n}, ${c}]`,
    );
  return [n, c];
}

const integerArrayTypes = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
];

function isIntegerTypedArray(value: unknown): boolean {
  return integerArrayTypes.some((T) => value instanceof T);
}

/**
 * `v` if it is a number, else a `TypeError` naming the element: `arg[k]`, or `arg[i][j]` for a
 * nested array (the index text is built only on failure).
 */
function numberAt(fn: string, arg: string, v: unknown, i: number, j?: number): number {
  // A finite number beyond float32's range would become Infinity in the kernels' float32 input
  // and be reported as such: say what it was.
  if (typeof v === 'number' && !(Math.abs(v) > float32Max && v - v === 0)) return v;
  const at = j === undefined ? `[${i}]` : `[${i}][${j}]`;
  if (typeof v === 'number')
    throw argumentErrorAt(
      RangeError,
      fn,
      arg,
      'within the float32 range (|x| <= 3.4028235e38)',
      `${arg}${at} is ${v}`,
    );
  throw argumentErrorAt(TypeError, fn, arg, 'an array of numbers', `${arg}${at} is ${describe(v)}`);
}

/**
 * Returns `value` as a row-major `Float32Array` of `n * c` values: a `Float32Array` is used as is
 * (no copy), other numeric arrays are converted, nested arrays flattened row by row.
 * `allowIntegers` admits integer typed arrays (useful for 0/1 targets given as `Uint8Array`).
 */
export function toMatrix(
  fn: string,
  arg: string,
  value: unknown,
  n: number,
  c: number,
  allowIntegers = false,
): Float32Array {
  const size = n * c;
  const shapeText = `[${n}, ${c}]`;
  const checkSize = (length: number) =>
    checkLength(fn, arg, length, size, `n * c = ${size} for shape ${shapeText}`);
  if (value instanceof Float32Array) {
    checkSize(value.length);
    return value;
  }
  if (allowIntegers && isIntegerTypedArray(value)) {
    const typed = value as ArrayLike<number>;
    checkSize(typed.length);
    return Float32Array.from(typed);
  }
  if (value instanceof Float64Array) {
    checkSize(value.length);
    const out = new Float32Array(size);
    for (let k = 0; k < size; k++) out[k] = numberAt(fn, arg, value[k], k);
    return out;
  }
  const expectedKind = allowIntegers
    ? 'a Float32Array, Float64Array, integer typed array, number[] or number[][]'
    : 'a Float32Array, Float64Array, number[] or number[][]';
  if (!Array.isArray(value)) throw argumentError(TypeError, fn, arg, expectedKind, value);
  if (value.length > 0 && (Array.isArray(value[0]) || ArrayBuffer.isView(value[0]))) {
    if (value.length !== n)
      throw argumentErrorAt(
        RangeError,
        fn,
        arg,
        `a nested array of n = ${n} rows for shape ${shapeText}`,
        `it has ${value.length} rows`,
      );
    const out = new Float32Array(size);
    for (let i = 0; i < n; i++) {
      const row = value[i] as unknown;
      if (!Array.isArray(row) && !ArrayBuffer.isView(row))
        throw argumentErrorAt(
          TypeError,
          fn,
          arg,
          'a nested array of numbers',
          `${arg}[${i}] is ${describe(row)}`,
        );
      const r = row as ArrayLike<unknown>;
      if (r.length !== c)
        throw argumentErrorAt(
          RangeError,
          fn,
          arg,
          `rows of c = ${c} values for shape ${shapeText}`,
          `${arg}[${i}] has ${r.length}`,
        );
      for (let j = 0; j < c; j++) out[i * c + j] = numberAt(fn, arg, r[j], i, j);
    }
    return out;
  }
  checkSize(value.length);
  const out = new Float32Array(size);
  for (let k = 0; k < size; k++) out[k] = numberAt(fn, arg, value[k], k);
  return out;
}

/** Throws a `RangeError` at the first NaN or infinite value of a row-major `[n, c]` matrix. */
export function checkFinite(fn: string, arg: string, data: Float32Array, c: number): void {
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    // v - v is 0 for finite v and NaN for NaN and +-Infinity: one comparison per element.
    if (v - v !== 0)
      throw argumentErrorAt(
        RangeError,
        fn,
        arg,
        'finite',
        `${arg}[${k}] (${position(k, c)}) is ${formatNumber(v)}`,
      );
  }
}

/**
 * Throws a `RangeError` at the first value outside [0, 1] (or NaN) of a row-major `[n, c]`
 * matrix. With `unannotated` (targets of a loss), -1 is accepted when `unannotated.allowed`, and
 * otherwise its message names the option that accepts it.
 */
export function checkUnitInterval(
  fn: string,
  arg: string,
  data: Float32Array,
  c: number,
  unannotated?: { allowed: boolean },
): void {
  const allowed = unannotated?.allowed === true;
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (!(v >= 0 && v <= 1) && !(allowed && v === -1)) {
      const hint =
        unannotated !== undefined && v === -1
          ? " (an unannotated label: the option unannotated: 'negative' or 'ignore' accepts -1)"
          : '';
      throw argumentErrorAt(
        RangeError,
        fn,
        arg,
        allowed ? 'in [0, 1], or -1 (unannotated)' : 'in [0, 1]',
        `${arg}[${k}] (${position(k, c)}) is ${formatNumber(v)}${hint}`,
      );
    }
  }
}

/**
 * Returns `value` as an `Int32Array` of `n` class indices, each an integer in `[0, c)`.
 * An `Int32Array` is used as is when `check` is false.
 */
export function toClassIndices(
  fn: string,
  arg: string,
  value: unknown,
  n: number,
  c: number,
  check = true,
): Int32Array {
  const expectedKind = 'an Int32Array or array of n integer class indices';
  if (!(
    isIntegerTypedArray(value) ||
    Array.isArray(value) ||
    value instanceof Float32Array ||
    value instanceof Float64Array
  ))
    throw argumentError(TypeError, fn, arg, expectedKind, value);
  const list = value as ArrayLike<unknown>;
  checkLength(fn, arg, list.length, n, `n = ${n}`);
  if (value instanceof Int32Array && !check) return value;
  const out = value instanceof Int32Array ? value : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw argumentErrorAt(
        TypeError,
        fn,
        arg,
        'integer class indices',
        `${arg}[${i}] is ${describe(v)}`,
      );
    if (v < 0 || v >= c)
      throw argumentErrorAt(
        RangeError,
        fn,
        arg,
        `class indices in [0, ${c})`,
        `${arg}[${i}] is ${formatNumber(v)}`,
      );
    out[i] = v;
  }
  return out;
}

/**
 * Returns optional non-negative finite weights of length `length` as a `Float32Array`, or `null`
 * when `value` is `undefined` or `null`.
 */
export function toWeights(
  fn: string,
  arg: string,
  value: unknown,
  length: number,
): Float32Array | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Float32Array || value instanceof Float64Array || Array.isArray(value)))
    throw argumentError(
      TypeError,
      fn,
      arg,
      `a Float32Array or number[] of ${length} weights`,
      value,
    );
  const list = value as ArrayLike<unknown>;
  checkLength(fn, arg, list.length, length);
  const out = value instanceof Float32Array ? value : new Float32Array(length);
  for (let k = 0; k < length; k++) {
    const v = numberAt(fn, arg, list[k], k);
    if (!(v >= 0 && v < Infinity))
      throw argumentErrorAt(
        RangeError,
        fn,
        arg,
        'finite and non-negative',
        `${arg}[${k}] is ${formatNumber(v)}`,
      );
    out[k] = v;
  }
  return out;
}
