/**
 * The core's side of helper threads, with stand-in helpers (no threads): the ranges handed out
 * cover the batch once, and a helper that refuses a job or fails leaves its range to the calling
 * thread, with the single-thread results (multi-label and single-label).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { asymmetricLossMultiLabel } from '../multi-label.js';
import { asymmetricLossSingleLabel } from '../single-label.js';
import { setSimdThreads, type HelperJob, type SimdHelper } from './helpers.js';

const [n, c] = [300, 1001];
const x = Float32Array.from({ length: n * c }, (_, i) => 4 * Math.sin(i * 0.37));
const y = Float32Array.from({ length: n * c }, (_, i) => (i % 13 === 0 ? 1 : 0));
const run = () => asymmetricLossMultiLabel(x, y, [n, c], { precision: 'float32' });

/** A helper that records its jobs and then refuses them or fails them. */
function standIn(mode: 'refuse' | 'fail', jobs: HelperJob[]): SimdHelper {
  return {
    start: (job) => (jobs.push(job), mode === 'fail'),
    finish: () => null,
  };
}

describe('helper threads (stand-ins)', () => {
  afterEach(() => setSimdThreads(null));

  for (const mode of ['refuse', 'fail'] as const) {
    it(`a helper that ${mode}s leaves its range to the calling thread`, () => {
      const one = run();
      const jobs: HelperJob[] = [];
      setSimdThreads({ helpers: [standIn(mode, jobs), standIn(mode, jobs)], minElements: 0 });
      const many = run();
      assert.equal(jobs.length, 2);
      // The ranges are contiguous and end at the batch's end.
      const [a, b] = jobs.map((job) => (job.kind === 'multi' ? [job.start, job.length] : [0, 0]));
      assert.equal(a[0] + a[1], b[0]);
      assert.equal(b[0] + b[1], n * c);
      assert.ok(a[0] > 0);
      assert.ok(Math.abs((many.loss as number) / (one.loss as number) - 1) <= 1e-8);
      assert.deepEqual(many.grad, one.grad);
    });
  }

  for (const mode of ['refuse', 'fail'] as const) {
    it(`single-label: a helper that ${mode}s leaves its rows to the calling thread`, () => {
      const classes = Int32Array.from({ length: n }, (_, i) => (i * 7) % c);
      const sampleWeights = Float32Array.from({ length: n }, (_, i) => 1 + (i % 3));
      const call = () =>
        asymmetricLossSingleLabel(x, classes, [n, c], {
          precision: 'float32',
          sampleWeights,
          reduction: 'none',
        });
      const one = call();
      const jobs: HelperJob[] = [];
      setSimdThreads({ helpers: [standIn(mode, jobs), standIn(mode, jobs)], minElements: 0 });
      const many = call();
      assert.deepEqual(
        jobs.map((job) => (job.kind === 'single' ? [job.row, job.rows] : [])),
        [
          [90, 105], // the caller takes 0.9 of a third of the 300 rows
          [195, 105],
        ],
      );
      assert.deepEqual(many.loss, one.loss);
      assert.deepEqual(many.grad, one.grad);
    });
  }

  it('small batches stay on the calling thread; weighted ones go to the helpers', () => {
    const jobs: HelperJob[] = [];
    setSimdThreads({ helpers: [standIn('refuse', jobs)], minElements: n * c + 1 });
    run();
    assert.equal(jobs.length, 0);
    setSimdThreads({ helpers: [standIn('refuse', jobs)], minElements: 0 });
    const weighted = { precision: 'float32', classWeights: new Array(c).fill(2) } as const;
    const many = asymmetricLossMultiLabel(x, y, [n, c], weighted);
    assert.equal(jobs.length, 1);
    setSimdThreads(null);
    const one = asymmetricLossMultiLabel(x, y, [n, c], weighted);
    assert.ok(Math.abs(many.loss / one.loss - 1) <= 1e-8);
    assert.deepEqual(many.grad, one.grad);
  });

  it('weighted: a helper result is weighed by the calling thread', () => {
    // A stand-in that computes its range unweighted, as a real helper does.
    const elementWeights = Float32Array.from({ length: n * c }, (_, k) => (k % 5) / 2);
    const options = {
      precision: 'float32',
      elementWeights,
      sampleWeights: new Array<number>(n).fill(3),
    } as const;
    const one = asymmetricLossMultiLabel(x, y, [n, c], options);
    let job: HelperJob | null = null;
    const computing: SimdHelper = {
      start: (j) => ((job = j), true),
      finish: () => {
        const j = job as Extract<HelperJob, { kind: 'multi' }>;
        const part = asymmetricLossMultiLabel(
          j.logits.subarray(j.start, j.start + j.length),
          j.targets.subarray(j.start, j.start + j.length),
          [1, j.length],
          { precision: 'float32', reduction: 'none' },
        );
        j.lossOut!.set(part.loss, j.start);
        j.gradOut!.set(part.grad, j.start);
        return (part.loss as Float32Array).reduce((a, b) => a + b, 0);
      },
    };
    setSimdThreads({ helpers: [computing], minElements: 0 });
    const many = asymmetricLossMultiLabel(x, y, [n, c], options);
    assert.ok(Math.abs((many.loss as number) / (one.loss as number) - 1) <= 1e-7);
    const largest = one.grad.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    many.grad.forEach((g, k) =>
      assert.ok(Math.abs(g - one.grad[k]) <= 1e-6 * largest, `grad[${k}]`),
    );
  });
});
