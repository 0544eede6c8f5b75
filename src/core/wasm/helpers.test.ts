/**
 * The core's side of helper threads, with stand-in helpers (no threads): the ranges handed out
 * cover the batch once, and a helper that refuses a job or fails leaves its range to the calling
 * thread, with the single-thread results.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { asymmetricLossMultiLabel } from '../multi-label.ts';
import { setSimdThreads, type MultiLabelJob, type SimdHelper } from './helpers.ts';

const [n, c] = [300, 1001];
const x = Float32Array.from({ length: n * c }, (_, i) => 4 * Math.sin(i * 0.37));
const y = Float32Array.from({ length: n * c }, (_, i) => (i % 13 === 0 ? 1 : 0));
const run = () => asymmetricLossMultiLabel(x, y, [n, c], { precision: 'float32' });

/** A helper that records its jobs and then refuses them or fails them. */
function standIn(mode: 'refuse' | 'fail', jobs: MultiLabelJob[]): SimdHelper {
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
      const jobs: MultiLabelJob[] = [];
      setSimdThreads({ helpers: [standIn(mode, jobs), standIn(mode, jobs)], minElements: 0 });
      const many = run();
      assert.equal(jobs.length, 2);
      // The ranges are contiguous and end at the batch's end.
      assert.equal(jobs[0].start + jobs[0].length, jobs[1].start);
      assert.equal(jobs[1].start + jobs[1].length, n * c);
      assert.ok(jobs[0].start > 0);
      assert.ok(Math.abs((many.loss as number) / (one.loss as number) - 1) <= 1e-8);
      assert.deepEqual(many.grad, one.grad);
    });
  }

  it('weighted calls and small batches stay on the calling thread', () => {
    const jobs: MultiLabelJob[] = [];
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
