/**
 * `asymmetric-loss/threads`: helper threads for the SIMD kernels in Node.
 *
 * After `await startSimdThreads()`, `asymmetricLossMultiLabel` and `asymmetricLossSingleLabel`
 * (and the tfjs ops on the `cpu` and `wasm` backends, which call them) split every large batch
 * between the calling thread and helper threads (`worker_threads`), each running the same
 * WebAssembly SIMD kernels on its own shared memory: multi-label by elements, single-label by
 * rows. Gradients and element-wise or per-row losses equal the single-thread kernels'; a reduced
 * loss may differ by about 1e-10 relative (partial sums are added in another order, and the
 * multi-label kernel adds float32 losses in pairs that shift with a range's start). The call
 * stays synchronous: the calling thread waits for its helpers with `Atomics.wait`.
 *
 * Not split (computed on the calling thread as before): batches under `minElements`, weighted
 * multi-label calls (class or sample weights, an upstream gradient), `precision: 'float64'`.
 * In browsers this module is not available (`Atomics.wait` is refused on a page's main thread).
 *
 * @example
 * ```ts
 * import { asymmetricLossMultiLabel } from 'asymmetric-loss';
 * import { startSimdThreads, stopSimdThreads } from 'asymmetric-loss/threads';
 * await startSimdThreads(); // one helper per further core
 * const { loss, grad } = asymmetricLossMultiLabel(logits, targets, [256, 9605]);
 * await stopSimdThreads();
 * ```
 */
import { availableParallelism } from 'node:os';
import { argumentError } from '../core/errors.js';
import { checkOptionNames } from '../core/options.js';
import { setSimdThreads, simdThreads } from '../core/wasm/helpers.js';
import { WorkerHelper } from './helper.js';
import { kernelModuleBytes } from '../core/wasm/loader.js';
import { sharedMemoryModule } from './shared-memory.js';

/** Options of {@link startSimdThreads}. */
export interface SimdThreadsOptions {
  /**
   * Threads in all, the calling one included (default: `os.availableParallelism()`, at least 2).
   * `threads - 1` helpers are started.
   */
  threads?: number;
  /**
   * Batches of fewer elements (`n * c`) stay on the calling thread (default 262144 = 2^18; the
   * hand-over costs some tens of microseconds).
   */
  minElements?: number;
}

let helpers: WorkerHelper[] = [];

/**
 * Starts helper threads for the SIMD kernels (stopping any started before). Resolves
 * to the number of threads now used, the calling one included. Starts and stops run one after
 * another in the order called, so concurrent calls leave exactly the helpers of the last one.
 *
 * @param options - `threads` in all (default: the available cores, at least 2) and
 *   `minElements` (default 2^18).
 * @returns The number of threads in use, the calling one included.
 * @throws (rejects) TypeError when `options` is not an object, has an unknown key, or `threads`
 *   or `minElements` is not a number; RangeError when `threads` is not an integer in [2, 64] or
 *   `minElements` not a non-negative integer.
 *
 * @example
 * ```ts
 * import { startSimdThreads } from 'asymmetric-loss/threads';
 * await startSimdThreads({ threads: 2, minElements: 1 << 16 });
 * ```
 */
export async function startSimdThreads(options: SimdThreadsOptions = {}): Promise<number> {
  const fn = 'startSimdThreads';
  checkOptionNames(fn, options, ['threads', 'minElements']);
  const threads = options.threads ?? Math.max(2, availableParallelism());
  const minElements = options.minElements ?? 1 << 18;
  if (typeof threads !== 'number')
    throw argumentError(TypeError, fn, 'threads', 'a number', threads);
  if (typeof minElements !== 'number')
    throw argumentError(TypeError, fn, 'minElements', 'a number', minElements);
  if (!Number.isInteger(threads) || threads < 2 || threads > 64)
    throw argumentError(RangeError, fn, 'threads', 'an integer in [2, 64]', threads);
  if (!Number.isInteger(minElements) || minElements < 0)
    throw argumentError(RangeError, fn, 'minElements', 'a non-negative integer', minElements);
  return serialized(async () => {
    await stopHelpers();
    const module = new WebAssembly.Module(sharedMemoryModule(kernelModuleBytes()) as BufferSource);
    const started = await Promise.allSettled(
      Array.from({ length: threads - 1 }, () => WorkerHelper.create(module)),
    );
    const ready = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      // All or nothing: stop the helpers that did start, and report why one did not.
      await Promise.all(ready.map((helper) => helper.stop()));
      throw failed.reason;
    }
    helpers = ready;
    setSimdThreads({ helpers, minElements });
    return threads;
  });
}

/** The end of the last start or stop: calls run one after another, in the order made. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `job` after every start and stop called before it has finished, so that concurrent
 * calls never start helpers that no call reports or stops: two starts end with the second's
 * helpers only, and a stop called (even unawaited) during a start stops what that start made.
 */
function serialized<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Stops the helper threads; every batch is computed on the calling thread again. Helpers do not
 * keep the process alive, so calling this is only needed to free their memory (each grows to
 * 12-16 bytes per element of the largest range it was given).
 *
 * @example
 * ```ts
 * await stopSimdThreads();
 * ```
 */
export async function stopSimdThreads(): Promise<void> {
  return serialized(stopHelpers);
}

async function stopHelpers(): Promise<void> {
  setSimdThreads(null);
  const stopping = helpers;
  helpers = [];
  await Promise.all(stopping.map((helper) => helper.stop()));
}

/**
 * Threads in use by the SIMD kernels, the calling one included (1 without helpers).
 *
 * @example
 * ```ts
 * simdThreadCount(); // 1, or 2 after `await startSimdThreads({ threads: 2 })`
 * ```
 */
export function simdThreadCount(): number {
  return (simdThreads()?.helpers.length ?? 0) + 1;
}
