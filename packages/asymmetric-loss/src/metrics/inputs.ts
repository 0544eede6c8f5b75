/**
 * Input types of the metrics and the first two stages every metric runs: validate (shape,
 * types and, unless `validate: false`, the values) and format (flatten to one row-major
 * array). Typed arrays and flat number arrays are used as they are, without copying.
 *
 * @internal
 */
import { argumentError, describe } from './errors.js';

/**
 * Scores of `n` samples for `c` classes: a row-major flat array (`scores[i * c + j]` is the
 * score of sample `i` for class `j`) or an array of `n` rows of length `c`.
 */
export type ScoresInput =
  Float32Array | Float64Array | readonly number[] | readonly (readonly number[])[];

/**
 * Targets laid out like {@link ScoresInput}, with every value exactly 0 or 1 (or -1 for an
 * unannotated label, where the metric's `unannotated: 'ignore'` accepts it).
 */
export type TargetsInput =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Int32Array
  | readonly number[]
  | readonly (readonly number[])[];

/** `[n, c]`: number of samples and number of classes. */
export type Shape = readonly [n: number, c: number];

/**
 * Which scores are acceptable: `'real'` for rank-based metrics (any number but NaN, so
 * logits work), `'probability'` for threshold metrics (finite numbers `>= 0`).
 *
 * The `'probability'` check exists to catch logits passed where probabilities are expected:
 * a negative score cannot be a probability, and the logits of a multi-label model are almost
 * all negative. Scores above 1 are accepted and compared with the threshold as they are:
 * shifted or calibrated scores slightly above 1 occur in practice (the public reference
 * set's reach 1.29) and a threshold comparison is still meaningful for them.
 */
export type ScoreDomain = 'real' | 'probability';

/** Inputs after validation and formatting: row-major flat arrays and the shape. */
export interface MatrixInputs {
  scores: ArrayLike<number>;
  targets: ArrayLike<number>;
  n: number;
  c: number;
}

const scoreArrayTypes = ['Float32Array', 'Float64Array'] as const;
const targetArrayTypes = ['Float32Array', 'Float64Array', 'Uint8Array', 'Int32Array'] as const;

/**
 * Checks that `shape` is `[n, c]` with `n` a non-negative integer and `c` a positive integer,
 * and returns it.
 */
export function checkShape(fn: string, shape: unknown): [number, number] {
  const expected = 'be [n, c] with two non-negative integers';
  if (!Array.isArray(shape) || shape.length !== 2) {
    throw argumentError(TypeError, fn, 'shape', expected, `it is ${describe(shape)}`);
  }
  const [n, c] = shape as unknown[];
  if (typeof n !== 'number' || typeof c !== 'number') {
    throw argumentError(TypeError, fn, 'shape', expected, `it is [${describe(n)}, ${describe(c)}]`);
  }
  if (!isCount(n) || !isCount(c)) {
    throw argumentError(
      RangeError,
      fn,
      'shape',
      expected,
      `it is [${describe(n)}, ${describe(c)}]`,
    );
  }
  if (c === 0) {
    throw argumentError(
      RangeError,
      fn,
      'shape',
      'have at least one class (c >= 1)',
      `it is [${n}, 0]`,
    );
  }
  return [n, c];
}

/** Whether `x` is a non-negative safe integer. */
function isCount(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

/**
 * Validates and formats `scores` and `targets` of shape `shape`. Structure (types, lengths,
 * row lengths) is always checked; values (NaN, range of scores, targets other than 0 or 1)
 * only when `validate` is true, since that scan is O(n c).
 */
export function prepareInputs(
  fn: string,
  scores: unknown,
  targets: unknown,
  shape: unknown,
  validate: boolean,
  domain: ScoreDomain,
  unannotated = false,
): MatrixInputs {
  const [n, c] = checkShape(fn, shape);
  const scoresNested = checkStructure(fn, 'scores', scores, n, c, scoreArrayTypes);
  const targetsNested = checkStructure(fn, 'targets', targets, n, c, targetArrayTypes);
  if (validate) {
    checkValues(fn, 'scores', scores as ArrayLike<unknown>, scoresNested, c, domain);
    const labels = unannotated ? 'labels' : 'binary';
    checkValues(fn, 'targets', targets as ArrayLike<unknown>, targetsNested, c, labels);
  }
  return {
    scores: scoresNested
      ? flatten(scores as ArrayLike<number>[], c)
      : (scores as ArrayLike<number>),
    targets: targetsNested
      ? flatten(targets as ArrayLike<number>[], c)
      : (targets as ArrayLike<number>),
    n,
    c,
  };
}

/**
 * Checks the type and layout of one matrix argument; returns whether it is nested (an
 * array of rows) rather than flat.
 */
function checkStructure(
  fn: string,
  name: string,
  input: unknown,
  n: number,
  c: number,
  typedArrays: readonly string[],
): boolean {
  const kinds = `${typedArrays.join(', ')}, number[] or number[][]`;
  if (ArrayBuffer.isView(input)) {
    // Symbol.toStringTag names the typed array kind, also for subclasses and other realms.
    const kind = (input as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag];
    if (!typedArrays.includes(kind)) {
      throw argumentError(TypeError, fn, name, `be a ${kinds}`, `it is ${describe(input)}`);
    }
    checkLength(fn, name, (input as unknown as ArrayLike<number>).length, n, c);
    return false;
  }
  if (!Array.isArray(input)) {
    throw argumentError(TypeError, fn, name, `be a ${kinds}`, `it is ${describe(input)}`);
  }
  if (input.length === 0 || !Array.isArray(input[0])) {
    checkLength(fn, name, input.length, n, c);
    return false;
  }
  if (input.length !== n) {
    throw argumentError(
      RangeError,
      fn,
      name,
      `have n = ${n} rows for shape [${n}, ${c}]`,
      `it has ${input.length} rows`,
    );
  }
  for (let i = 0; i < n; i++) {
    const row: unknown = input[i];
    if (!Array.isArray(row)) {
      throw argumentError(
        TypeError,
        fn,
        name,
        'be an array of rows when its first element is an array',
        `${name}[${i}] is ${describe(row)}`,
      );
    }
    if (row.length !== c) {
      throw argumentError(
        RangeError,
        fn,
        name,
        `have rows of length c = ${c} for shape [${n}, ${c}]`,
        `${name}[${i}] has length ${row.length}`,
      );
    }
  }
  return true;
}

function checkLength(fn: string, name: string, length: number, n: number, c: number): void {
  if (length !== n * c) {
    throw argumentError(
      RangeError,
      fn,
      name,
      `have length n * c = ${n * c} for shape [${n}, ${c}]`,
      `it has length ${length}`,
    );
  }
}

/** `'binary'`: 0 or 1; `'labels'`: 0, 1 or -1 (unannotated). */
type ValueCheck = ScoreDomain | 'binary' | 'labels';

/** Scans the values of one matrix argument and throws at the first bad one. */
function checkValues(
  fn: string,
  name: string,
  input: ArrayLike<unknown>,
  nested: boolean,
  c: number,
  check: ValueCheck,
): void {
  if (!nested) {
    const k = firstInvalid(input, check);
    if (k >= 0)
      throw valueError(
        fn,
        name,
        input[k],
        `${name}[${k}] (row ${Math.floor(k / c)}, column ${k % c})`,
        check,
      );
    return;
  }
  const rows = input as ArrayLike<ArrayLike<unknown>>;
  for (let i = 0; i < rows.length; i++) {
    const j = firstInvalid(rows[i], check);
    if (j >= 0) throw valueError(fn, name, rows[i][j], `${name}[${i}][${j}]`, check);
  }
}

/** Index of the first value failing `check`, or -1. One tight loop per check. */
function firstInvalid(values: ArrayLike<unknown>, check: ValueCheck): number {
  const length = values.length;
  switch (check) {
    case 'real':
      for (let k = 0; k < length; k++) {
        const v = values[k];
        if (typeof v !== 'number' || v !== v) return k;
      }
      return -1;
    case 'probability':
      for (let k = 0; k < length; k++) {
        const v = values[k];
        if (typeof v !== 'number' || !(v >= 0 && v < Infinity)) return k;
      }
      return -1;
    case 'binary':
      for (let k = 0; k < length; k++) {
        const v = values[k];
        if (v !== 0 && v !== 1) return k;
      }
      return -1;
    case 'labels':
      for (let k = 0; k < length; k++) {
        const v = values[k];
        if (v !== 0 && v !== 1 && v !== -1) return k;
      }
      return -1;
  }
}

function valueError(
  fn: string,
  name: string,
  value: unknown,
  location: string,
  check: ValueCheck,
): TypeError | RangeError {
  const actual = `${location} is ${describe(value)}`;
  if (typeof value !== 'number') {
    return argumentError(TypeError, fn, name, 'contain only numbers', actual);
  }
  switch (check) {
    case 'real':
      return argumentError(RangeError, fn, name, 'not contain NaN', actual);
    case 'probability':
      return argumentError(
        RangeError,
        fn,
        name,
        'contain only probabilities (finite and >= 0) for threshold metrics; apply a sigmoid to logits first',
        actual,
      );
    case 'binary':
      return argumentError(
        RangeError,
        fn,
        name,
        'contain only 0 or 1',
        value === -1
          ? `${actual} (an unannotated label: the option unannotated: 'ignore' accepts -1)`
          : actual,
      );
    case 'labels':
      return argumentError(RangeError, fn, name, 'contain only 0, 1 or -1 (unannotated)', actual);
  }
}

/** Copies an array of rows into one row-major Float64Array. */
function flatten(rows: readonly ArrayLike<number>[], c: number): Float64Array {
  const out = new Float64Array(rows.length * c);
  for (let i = 0; i < rows.length; i++) out.set(rows[i], i * c);
  return out;
}
