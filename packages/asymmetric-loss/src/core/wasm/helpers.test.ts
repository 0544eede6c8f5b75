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

  it('weighted calls and small batches stay on the calling thread', () => {
    const jobs: HelperJob[] = [];
    setSimdThreads({ helpers: [standIn('refuse', jobs)], minElements: n * c + 1 });
    run();
    setSimdThreads({ helpers: [standIn('refuse', jobs)], minElements: 0 });
    asymmetricLossMultiLabel(x, y, [n, c], {
      precision: 'float32',
      classWeights: new Array(c).fill(2),
    });
    assert.equal(jobs.length, 0);
  });
});
