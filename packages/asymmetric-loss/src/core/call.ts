/**
 * Validation of the per-call options ({@link CallOptions}) shared by both losses: output
 * buffers, upstream gradient, sample weights.
 */
import { argumentError, argumentErrorAt, checkLength, describe, formatNumber } from './errors.js';
import { toWeights } from './input.js';
import type { CallOptions } from './loss-result.js';
import { checkBoolean } from './options.js';
import type { Reduction } from './reduction.js';

/** Per-call options after validation. */
export interface ResolvedCall {
  grad: boolean;
  validate: boolean;
  gradOut: Float32Array | null;
  lossOut: Float32Array | null;
  /** Scalar factor of the gradient (a numeric upstream). */
  upstreamScale: number;
  /** Per-element or per-sample upstream gradient (reduction 'none' only). */
  upstream: Float32Array | null;
  sampleWeights: Float32Array | null;
}

/**
 * Validates the per-call options for a batch of `n` samples with `gradSize` gradient elements
 * and `lossSize` unreduced losses; `upstreamSizes` lists the accepted upstream array lengths.
 */
export function resolveCall(
  fn: string,
  options: CallOptions,
  reduction: Reduction,
  n: number,
  gradSize: number,
  lossSize: number,
  upstreamSizes: readonly number[],
): ResolvedCall {
  const grad = checkBoolean(fn, 'grad', options.grad, true);
  const validate = checkBoolean(fn, 'validate', options.validate, true);
  const gradOut = checkBuffer(fn, 'gradOut', options.gradOut, gradSize);
  if (gradOut !== null && !grad)
    throw argumentErrorAt(TypeError, fn, 'gradOut', 'omitted when grad is false', 'it was given');
  const lossOut = checkBuffer(fn, 'lossOut', options.lossOut, lossSize);
  if (lossOut !== null && reduction !== 'none')
    throw argumentErrorAt(
      TypeError,
      fn,
      'lossOut',
      "given only with reduction 'none'",
      `reduction is '${reduction}'`,
    );
  if (gradOut !== null && lossOut !== null && overlap(gradOut, lossOut))
    throw argumentErrorAt(
      RangeError,
      fn,
      'lossOut',
      'memory apart from gradOut (the kernels write both in one pass)',
      `both use bytes ${overlap(gradOut, lossOut)} of the same buffer`,
    );
  let upstreamScale = 1;
  let upstream: Float32Array | null = null;
  const up = options.upstream;
  if (typeof up === 'number') {
    if (!Number.isFinite(up)) throw argumentError(RangeError, fn, 'upstream', 'finite', up);
    upstreamScale = up;
  } else if (up !== undefined) {
    if (reduction !== 'none')
      throw argumentErrorAt(
        TypeError,
        fn,
        'upstream',
        "a number unless reduction is 'none'",
        `got ${describe(up)} with reduction '${reduction}'`,
      );
    if (!ArrayBuffer.isView(up) && !Array.isArray(up))
      throw argumentError(TypeError, fn, 'upstream', 'a number, Float32Array or number[]', up);
    const length = (up as ArrayLike<number>).length;
    if (!upstreamSizes.includes(length))
      throw argumentErrorAt(
        RangeError,
        fn,
        'upstream',
        `of length ${upstreamSizes.join(' or ')}`,
        `it has length ${length}`,
      );
    upstream = up instanceof Float32Array ? up : Float32Array.from(up as ArrayLike<number>);
    if (validate)
      for (let k = 0; k < upstream.length; k++)
        if (!Number.isFinite(upstream[k]))
          throw argumentErrorAt(
            RangeError,
            fn,
            'upstream',
            'finite',
            `upstream[${k}] is ${formatNumber(upstream[k])}`,
          );
  }
  const sampleWeights = toWeights(fn, 'sampleWeights', options.sampleWeights, n);
  return { grad, validate, gradOut, lossOut, upstreamScale, upstream, sampleWeights };
}

/**
 * The bytes two views share, as `from..to` (end exclusive), or `''` when they share none. An
 * output may alias an input (each element is read before it is written), but two outputs must
 * not alias each other: one of them would end up holding the other's values.
 */
function overlap(a: Float32Array, b: Float32Array): string {
  if (a.buffer !== b.buffer) return '';
  const from = Math.max(a.byteOffset, b.byteOffset);
  const to = Math.min(a.byteOffset + a.byteLength, b.byteOffset + b.byteLength);
  return from < to ? `${from}..${to}` : '';
}

function checkBuffer(fn: string, name: string, value: unknown, size: number): Float32Array | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Float32Array))
    throw argumentError(TypeError, fn, name, `a Float32Array of length ${size}`, value);
  checkLength(fn, name, value.length, size);
  return value;
}
