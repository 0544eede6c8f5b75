/**
 * Helper threads of the SIMD kernels: with them a batch gives the single-thread
 * results (gradients and element-wise losses identical; the loss sum within 1e-8 relative, since
 * the kernel adds neighbouring float32 losses in pairs before its float64 sum and the pairs shift
 * with a range's start), invalid inputs in a helper's range raise the same errors, weighted calls
 * (class, sample and element weights, an upstream gradient, partial annotations) give the same
 * results, and the options are checked. Single-label batches are split by rows: their
 * results are identical but for the order of the float64 sum.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel, wasmReady } from '../index.js';
import { simdThreadCount, startSimdThreads, stopSimdThreads } from './index.js';

function batch(n: number, c: number, seed: number): { x: Float32Array; y: Float32Array } {
  let s = seed >>> 0;
  const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const x = Float32Array.from({ length: n * c }, () => 8 * (random() - 0.5));
  const y = Float32Array.from({ length: n * c }, () => (random() < 0.1 ? 1 : 0));
  return { x, y };
}

type Options = Parameters<typeof asymmetricLossMultiLabel>[3];

/** The call on one thread, then with the helpers (started with minElements 0). */
async function both(n: number, c: number, options: Options, seed = 1) {
  const { x, y } = batch(n, c, seed);
  await stopSimdThreads();
  const one = asymmetricLossMultiLabel(x, y, [n, c], { ...options, precision: 'float32' });
  await startSimdThreads({ threads: 3, minElements: 0 });
  const many = asymmetricLossMultiLabel(x, y, [n, c], { ...options, precision: 'float32' });
  return { one, many };
}

describe('startSimdThreads', () => {
  before(async () => {
    assert.equal(await wasmReady(), true);
  });
  after(stopSimdThreads);

  for (const [n, c] of [
    [256, 961],
    [37, 1001],
    [3, 5],
  ] as const) {
    for (const gammas of [
      { gammaNeg: 4, gammaPos: 1 },
      { gammaNeg: 3.5, gammaPos: 0.5, clip: 0 },
    ]) {
      it(`gives the single-thread results at [${n}, ${c}], ${JSON.stringify(gammas)}`, async () => {
        const { one, many } = await both(n, c, gammas);
        assert.equal(simdThreadCount(), 3);
        const rel = Math.abs((many.loss as number) - (one.loss as number)) / (one.loss as number);
        assert.ok(rel <= 1e-8, `loss ${many.loss} vs ${one.loss}`);
        assert.deepEqual(many.grad, one.grad);
      });
    }
  }

  it("gives the same element-wise losses ('none') and works without a gradient", async () => {
    const { one, many } = await both(64, 4001, { reduction: 'none', grad: false });
    assert.equal(many.grad, null);
    assert.deepEqual(many.loss, one.loss);
  });

  it('gives the single-thread results with weights (the helpers compute, this thread weighs)', async () => {
    const [n, c] = [100, 777];
    const classWeights = Array.from({ length: c }, (_, j) => 1 + (j % 3));
    const sampleWeights = Array.from({ length: n }, (_, i) => 0.5 + (i % 4));
    const elementWeights = Float32Array.from({ length: n * c }, (_, k) => (k % 7) / 3);
    const upstream = Float32Array.from({ length: n * c }, (_, k) => 1 - (k % 5) / 2);
    for (const options of [
      { classWeights },
      { sampleWeights, elementWeights },
      { classWeights, elementWeights, reduction: 'none', upstream },
      { unannotated: 'ignore', posWeight: 2, reduction: 'mean' },
    ] as const) {
      const { one, many } = await both(n, c, options);
      const [a, b] = [one.loss, many.loss].map((l) =>
        typeof l === 'number' ? [l] : Array.from(l as Float32Array),
      );
      if (a.length > 1) assert.deepEqual(b, a);
      else assert.ok(Math.abs(b[0] / a[0] - 1) <= 1e-8, `loss ${b[0]} vs ${a[0]}`);
      assert.deepEqual(many.grad, one.grad, JSON.stringify(Object.keys(options)));
    }
  });

  it("reports invalid inputs in a helper's range as on one thread", async () => {
    const [n, c] = [300, 1000];
    const { x, y } = batch(n, c, 7);
    x[n * c - 3] = Number.NaN;
    await startSimdThreads({ threads: 2, minElements: 0 });
    assert.throws(
      () => asymmetricLossMultiLabel(x, y, [n, c], { precision: 'float32' }),
      (error: Error) => error instanceof RangeError && /logits\[299997\].*NaN/.test(error.message),
    );
    x[n * c - 3] = 0;
    y[n * c - 5] = 2;
    assert.throws(
      () => asymmetricLossMultiLabel(x, y, [n, c], { precision: 'float32' }),
      (error: Error) => error instanceof RangeError && /targets\[299995\]/.test(error.message),
    );
  });

  for (const reduction of ['mean', 'none'] as const) {
    it(`single-label: gives the single-thread results (reduction '${reduction}')`, async () => {
      const [n, c] = [301, 1003];
      const { x } = batch(n, c, 11);
      const classes = Int32Array.from({ length: n }, (_, i) => (i * 31) % c);
      const sampleWeights = Float32Array.from({ length: n }, (_, i) => 0.5 + (i % 4));
      const options = { precision: 'float32', reduction, sampleWeights, gammaNeg: 3.5 } as const;
      await stopSimdThreads();
      const one = asymmetricLossSingleLabel(x, classes, [n, c], options);
      await startSimdThreads({ threads: 3, minElements: 0 });
      const many = asymmetricLossSingleLabel(x, classes, [n, c], options);
      if (reduction === 'none') assert.deepEqual(many.loss, one.loss);
      else assert.ok(Math.abs((many.loss as number) / (one.loss as number) - 1) <= 1e-12);
      assert.deepEqual(many.grad, one.grad);
    });
  }

  it("single-label: reports NaN logits in a helper's rows as on one thread", async () => {
    const [n, c] = [200, 500];
    const { x } = batch(n, c, 5);
    x[n * c - 1] = Number.POSITIVE_INFINITY;
    await startSimdThreads({ threads: 2, minElements: 0 });
    assert.throws(
      () => asymmetricLossSingleLabel(x, new Int32Array(n), [n, c], { precision: 'float32' }),
      (error: Error) => error instanceof RangeError && /logits\[99999\]/.test(error.message),
    );
  });

  it('leaves small batches on the calling thread', async () => {
    await startSimdThreads({ threads: 2, minElements: 1 << 20 });
    const { x, y } = batch(10, 100, 3);
    const a = asymmetricLossMultiLabel(x, y, [10, 100], { precision: 'float32' });
    await stopSimdThreads();
    assert.equal(simdThreadCount(), 1);
    const b = asymmetricLossMultiLabel(x, y, [10, 100], { precision: 'float32' });
    assert.equal(a.loss, b.loss);
  });

  it('checks its options', async () => {
    await assert.rejects(startSimdThreads({ threads: 1 }), {
      name: 'RangeError',
      message: /Argument 'threads' passed to 'startSimdThreads' must be an integer in \[2, 64\]/,
    });
    await assert.rejects(startSimdThreads({ threads: 2.5 }), { name: 'RangeError' });
    await assert.rejects(startSimdThreads({ threads: '2' as unknown as number }), {
      name: 'TypeError',
      message: /'threads'.*must be a number, but got "2"/,
    });
    await assert.rejects(startSimdThreads({ minElements: -1 }), {
      name: 'RangeError',
      message: /'minElements'.*non-negative integer/,
    });
    await assert.rejects(startSimdThreads(null as unknown as object), {
      name: 'TypeError',
      message: /Argument 'options' passed to 'startSimdThreads' must be an object, but got null/,
    });
    await assert.rejects(startSimdThreads({ thread: 2 } as object), {
      name: 'TypeError',
      message: /unknown option 'thread'/,
    });
  });
});

/** OS threads of this process (Linux: /proc/self/task), or null where that is not readable. */
function osThreads(): number | null {
  try {
    return readdirSync('/proc/self/task').length;
  } catch {
    return null;
  }
}

describe('startSimdThreads and stopSimdThreads called concurrently', () => {
  before(async () => {
    await stopSimdThreads();
  });
  after(stopSimdThreads);

  it('leave exactly the helpers of the last call, and stop stops them all', async () => {
    const baseline = osThreads();
    const counts = await Promise.all([
      startSimdThreads({ threads: 4 }),
      startSimdThreads({ threads: 3 }),
      startSimdThreads({ threads: 2 }),
    ]);
    assert.deepEqual(counts, [4, 3, 2]);
    assert.equal(simdThreadCount(), 2);
    if (baseline !== null) assert.equal(osThreads(), baseline + 1);
    await stopSimdThreads();
    assert.equal(simdThreadCount(), 1);
    if (baseline !== null) assert.equal(osThreads(), baseline);
  });

  it('an unawaited stop during a start stops what that start made', async () => {
    const baseline = osThreads();
    const starting = startSimdThreads({ threads: 3 });
    const stopping = stopSimdThreads();
    assert.equal(await starting, 3);
    await stopping;
    assert.equal(simdThreadCount(), 1);
    if (baseline !== null) assert.equal(osThreads(), baseline);
  });

  it('a failed start does not block the calls after it', async () => {
    await assert.rejects(startSimdThreads({ threads: 0 }), { name: 'RangeError' });
    assert.equal(await startSimdThreads({ threads: 2 }), 2);
    await stopSimdThreads();
  });
});
