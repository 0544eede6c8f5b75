/**
 * A property over the public API (losses, their classes, the metrics, the tfjs ops and layers
 * losses): with random arguments,
 * valid and hostile mixed (wrong kinds, shapes, lengths, NaN and infinities, values beyond
 * float32, unknown or ill-typed options, aliased outputs), every call either returns finite
 * results or throws a TypeError or RangeError whose message names the function and an argument,
 * in the one form `Argument '<arg>' passed to '<fn>' must ..., but ...`. Never another error type
 * (no internal TypeError from reading a property of null, no stack overflow), never a NaN, and
 * no tfjs tensor left behind, thrown or not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  AsymmetricLossMultiLabel,
  AsymmetricLossSingleLabel,
  asymmetricLossMultiLabel,
  asymmetricLossSingleLabel,
} from '../src/index.js';
import {
  MultiLabelMetrics,
  averagePrecision,
  meanAveragePrecision,
  thresholdMetrics,
} from '../src/metrics/index.js';
import * as tf from '@tensorflow/tfjs';
import * as asl from '../src/tfjs/index.js';

const [n, c] = [3, 4];

/** Numbers a hostile caller passes. */
const hostileNumber = fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 0.5, 1, 2, 1e39, -0, 1.5);

/** A matrix argument: valid, or wrong in one of many ways. */
function matrix(valid: () => unknown): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(null).map(valid),
    fc.constant(null).map(valid),
    fc.array(hostileNumber, { minLength: n * c, maxLength: n * c }),
    fc.array(hostileNumber, { maxLength: 20 }),
    fc.array(fc.array(hostileNumber, { minLength: c - 1, maxLength: c + 1 }), {
      minLength: n - 1,
      maxLength: n + 1,
    }),
    fc.constantFrom(
      new Float32Array(n * c - 1),
      new Float64Array(n * c).fill(1e39),
      new Int32Array(n * c),
      [[1, 2, 3, 4], 'row', [1, 2, 3, 4]],
      'text',
      42,
      {},
    ),
    fc.anything(),
  );
}

const shapes = fc.oneof(
  fc.constant([n, c]),
  fc.constant([n, c]),
  fc.constantFrom([n], [n, c, 1], [-1, c], [n, 0], [n, 1.5], ['3', '4'], null, 'shape', [0, c]),
  fc.anything(),
);

/** Options: valid ones, each option sometimes replaced by a hostile value, unknown keys. */
const optionValues = {
  gammaNeg: fc.oneof(fc.constantFrom(0, 1, 4, 3.5), hostileNumber, fc.anything()),
  gammaPos: fc.oneof(fc.constantFrom(0, 1, 0.5), hostileNumber, fc.anything()),
  clip: fc.oneof(fc.constantFrom(0, 0.05, null), hostileNumber, fc.anything()),
  eps: fc.oneof(fc.constantFrom(0, 1e-8, 0.1), hostileNumber, fc.anything()),
  focalGrad: fc.oneof(fc.constantFrom('full', 'detached'), fc.anything()),
  reduction: fc.oneof(fc.constantFrom('sum', 'mean', 'none', 'batchmean'), fc.anything()),
  precision: fc.oneof(fc.constantFrom('float32', 'float64'), fc.anything()),
  validate: fc.oneof(fc.boolean(), fc.anything()),
  grad: fc.oneof(fc.boolean(), fc.anything()),
  classWeights: fc.oneof(
    fc.constant([1, 2, 0.5, 1]),
    matrix(() => [1, 1, 1, 1]),
  ),
  sampleWeights: fc.oneof(
    fc.constant([1, 2, 0.5]),
    matrix(() => [1, 1, 1]),
  ),
  upstream: fc.oneof(
    hostileNumber,
    matrix(() => new Float32Array(n * c)),
  ),
  gradOut: fc.oneof(fc.constant(new Float32Array(n * c)), fc.anything()),
  lossOut: fc.oneof(fc.constant(new Float32Array(n * c)), fc.anything()),
  bogus: fc.anything(),
};
const options = fc.oneof(
  fc.record(optionValues, { requiredKeys: [] }),
  fc.constantFrom(undefined, null, 'options', 3, []),
);

function logitsValue(): Float32Array {
  return Float32Array.from({ length: n * c }, (_, k) => (k % 5) - 2);
}
function targetsValue(): Float32Array {
  return Float32Array.from({ length: n * c }, (_, k) => (k % 3 === 0 ? 1 : 0));
}

/** Every number in a result (numbers, typed arrays, arrays, plain objects), recursively. */
function numbersOf(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (ArrayBuffer.isView(value))
    out.push(...Array.from(value as unknown as ArrayLike<number>));
  else if (Array.isArray(value)) for (const v of value) numbersOf(v, out);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) numbersOf(v, out);
  return out;
}

/**
 * Runs `call`; asserts it returned numbers that pass `numberOk` or threw an argument error of
 * `fn`. Returns whether it threw (to check the property is not vacuous).
 */
function checkCall(fn: string, call: () => unknown, numberOk: (v: number) => boolean): boolean {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    assert.ok(
      error instanceof TypeError || error instanceof RangeError,
      `${fn} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    assert.match(
      error.message,
      new RegExp(`^Argument '[^']+' passed to '${fn}(\\.\\w+)?' must .+, but `),
    );
    return true;
  }
  const bad = numbersOf(result).find((v) => !numberOk(v));
  assert.equal(bad, undefined, `${fn} returned ${bad}`);
  return false;
}

const finite = (v: number) => Number.isFinite(v);
/** Metrics: NaN marks a class without positives (documented); never an infinity. */
const finiteOrEmpty = (v: number) => Number.isFinite(v) || Number.isNaN(v);

describe('the public API under random bad arguments', () => {
  const runs = { numRuns: 400, seed: 20261201 };

  it('multi-label loss: finite results or an argument error', () => {
    let threw = 0;
    let returned = 0;
    fc.assert(
      fc.property(matrix(logitsValue), matrix(targetsValue), shapes, options, (x, y, s, o) => {
        if (
          checkCall(
            'asymmetricLossMultiLabel',
            () => asymmetricLossMultiLabel(x as never, y as never, s as never, o as never),
            finite,
          )
        )
          threw++;
        else returned++;
      }),
      runs,
    );
    assert.ok(threw > 0 && returned > 0, `threw ${threw}, returned ${returned}`);
  });

  it('single-label loss: finite results or an argument error', () => {
    const indices = fc.oneof(
      fc.constant([0, 3, 1]),
      fc.array(fc.oneof(fc.integer({ min: -1, max: c }), hostileNumber), { maxLength: 5 }),
      fc.anything(),
    );
    fc.assert(
      fc.property(matrix(logitsValue), indices, shapes, options, (x, t, s, o) => {
        checkCall(
          'asymmetricLossSingleLabel',
          () => asymmetricLossSingleLabel(x as never, t as never, s as never, o as never),
          finite,
        );
      }),
      runs,
    );
  });

  it('the classes: bad hyperparameters at construction, bad calls at forward', () => {
    fc.assert(
      fc.property(options, matrix(logitsValue), shapes, (o, x, s) => {
        for (const [name, make, second] of [
          [
            'AsymmetricLossMultiLabel',
            (h: never) => new AsymmetricLossMultiLabel(h),
            targetsValue(),
          ],
          ['AsymmetricLossSingleLabel', (h: never) => new AsymmetricLossSingleLabel(h), [0, 3, 1]],
        ] as const) {
          let loss: { forward(...args: unknown[]): unknown } | undefined;
          checkCall(name, () => (loss = make(o as never) as never), finite);
          if (loss !== undefined) {
            const forward = loss.forward.bind(loss);
            checkCall(name, () => forward(x, second, s), finite);
          }
        }
      }),
      { ...runs, numRuns: 200 },
    );
  });

  it('metrics: documented values or an argument error', () => {
    const metricOptions = fc.oneof(
      fc.record(
        {
          ties: fc.oneof(fc.constantFrom('average', 'sklearn'), fc.anything()),
          emptyClasses: fc.oneof(fc.constantFrom('exclude', 'zero', 'nan'), fc.anything()),
          threshold: fc.oneof(fc.constantFrom(0.5, 0.3), hostileNumber, fc.anything()),
          topK: fc.oneof(fc.constantFrom(1, 2), hostileNumber, fc.anything()),
          validate: fc.oneof(fc.boolean(), fc.anything()),
          bogus: fc.anything(),
        },
        { requiredKeys: [] },
      ),
      fc.constantFrom(undefined, null, 7),
    );
    const scores = () => Float32Array.from({ length: n * c }, (_, k) => ((k * 7) % 10) / 10);
    fc.assert(
      fc.property(matrix(scores), matrix(targetsValue), shapes, metricOptions, (x, y, s, o) => {
        const args = [x, y, s, o] as never[];
        checkCall(
          'averagePrecision',
          () => averagePrecision(...(args as [never, never, never, never])),
          finiteOrEmpty,
        );
        checkCall(
          'meanAveragePrecision',
          () => meanAveragePrecision(...(args as [never, never, never, never])),
          finiteOrEmpty,
        );
        checkCall(
          'thresholdMetrics',
          () => thresholdMetrics(...(args as [never, never, never, never])),
          finiteOrEmpty,
        );
        const classes = Array.isArray(s) ? s[1] : s;
        let metrics: MultiLabelMetrics | undefined;
        checkCall(
          'MultiLabelMetrics',
          () => (metrics = new MultiLabelMetrics(classes as never, o as never)),
          finiteOrEmpty,
        );
        if (metrics !== undefined) {
          const m = metrics;
          checkCall(
            'MultiLabelMetrics',
            () => m.update(x as never, y as never, (Array.isArray(s) ? s[0] : s) as never),
            finiteOrEmpty,
          );
          checkCall('MultiLabelMetrics', () => m.compute(), finiteOrEmpty);
        }
      }),
      runs,
    );
  });

  it('tfjs ops and layers losses (cpu): finite tensors or an argument error, no leak', async () => {
    await tf.setBackend('cpu');
    const nested = (values: Float32Array) =>
      Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * c, (i + 1) * c)));
    const tensorOr = (valid: () => Float32Array) =>
      fc.oneof(
        fc.constant(null).map(() => nested(valid())),
        matrix(() => nested(valid())),
      );
    const tfOptions = fc.oneof(
      fc.record(
        {
          gammaNeg: optionValues.gammaNeg,
          clip: optionValues.clip,
          eps: optionValues.eps,
          reduction: optionValues.reduction,
          validate: optionValues.validate,
          sampleWeights: optionValues.sampleWeights,
          fromLogits: fc.oneof(fc.boolean(), fc.anything()),
          bogus: fc.anything(),
        },
        { requiredKeys: [] },
      ),
      fc.constantFrom(undefined, null, 'options'),
    );
    const tensorNumbers = (value: unknown): number[] =>
      value instanceof tf.Tensor ? Array.from(value.dataSync()) : [];
    const before = tf.memory().numTensors;
    fc.assert(
      fc.property(tensorOr(logitsValue), tensorOr(targetsValue), tfOptions, (x, y, o) => {
        const { fromLogits, ...opOptions } = (o ?? {}) as Record<string, unknown>;
        void fromLogits;
        for (const [fn, call] of [
          [
            'asymmetricLossMultiLabel',
            () =>
              asl.asymmetricLossMultiLabel(
                x as never,
                y as never,
                (o === undefined || o === null || typeof o !== 'object' ? o : opOptions) as never,
              ),
          ],
          [
            'aslLoss',
            () => {
              const { sampleWeights, reduction, ...layerOptions } = opOptions;
              void sampleWeights;
              void reduction;
              const loss = asl.aslLoss({
                ...layerOptions,
                ...(fromLogits === undefined ? {} : { fromLogits }),
              } as never);
              // A layers loss is given tensors: only inputs tfjs can make into tensors apply.
              const made: tf.Tensor[] = [];
              try {
                made.push(tf.tensor(y as number[][]));
                made.push(tf.tensor(x as number[][]));
              } catch {
                tf.dispose(made);
                return undefined;
              }
              const [yTrue, yPred] = made;
              try {
                return loss(yTrue, yPred);
              } finally {
                tf.dispose([yTrue, yPred]);
              }
            },
          ],
        ] as const) {
          let result: unknown;
          const count = tf.memory().numTensors;
          const threw = checkCall(fn, () => (result = call()), finite);
          if (threw) assert.equal(tf.memory().numTensors, count, `${fn} left tensors (thrown)`);
          else {
            const bad = tensorNumbers(result).find((v) => !Number.isFinite(v));
            assert.equal(bad, undefined, `${fn} gave ${bad}`);
            tf.dispose(result as tf.Tensor);
            assert.equal(tf.memory().numTensors, count, `${fn} left tensors`);
          }
        }
      }),
      { ...runs, numRuns: 150 },
    );
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  });
});
