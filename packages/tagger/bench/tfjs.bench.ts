/**
 * TensorFlow.js benchmarks: forward+backward of the `asymmetric-loss/tfjs` op (fused kernel,
 * gradient scaled from the saved output) against a straightforward port of timm's
 * multi-label loss to tfjs ops (what a user would write today: sigmoid, clipByValue, log, pow,
 * mul, sum, differentiated by tfjs autograd), on the same backend in the same run.
 * Reports ms per step, and tensors and bytes allocated per step (from `tf.profile`); at the large
 * sizes also ms per step with one helper thread for the fused kernel (`msPerStep2Threads`,
 * asymmetric-loss/threads).
 *
 * A step is `tf.valueAndGrad` of the loss, both results disposed: the gradient stays on the
 * backend, where an optimizer applies it. The `cpu` and `wasm` backends run every kernel
 * synchronously, so the step's time is its computation; downloading the gradient to a
 * JavaScript array (`dataSync`, not part of forward + backward) would add a copy of `n * c`
 * floats to both sides.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { asymmetricLossMultiLabel } from 'asymmetric-loss/tfjs';
import { startSimdThreads, stopSimdThreads } from 'asymmetric-loss/threads';
import { measure, type BenchOptions, type Report } from './harness.js';
import { allocated, timmWithTfOps } from './tfjs-port.js';

const sizes: [number, number][] = [
  [64, 80],
  [256, 9605],
  [1024, 1000],
];

export async function run(report: Report, options: BenchOptions): Promise<void> {
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    for (const [n, c] of sizes) {
      const name = `tfjs ${backend} multi-label [${n}, ${c}]`;
      if (options.filter && !name.includes(options.filter)) continue;
      const x = tf.randomNormal([n, c], 0, 2, 'float32', 1);
      const y = tf.cast(tf.less(tf.randomUniform([n, c], 0, 1, 'float32', 2), 0.05), 'float32');
      const ours = tf.valueAndGrad((z: tf.Tensor) => asymmetricLossMultiLabel(z, y) as tf.Scalar);
      const port = tf.valueAndGrad((z: tf.Tensor) => timmWithTfOps(z, y));
      const step = (f: typeof ours) => () => {
        const { value, grad } = f(x);
        tf.dispose([value, grad]);
      };
      const large = n * c > 1e6;
      const fast = options.quick
        ? { minTimeMs: 100, warmupMs: 50, minRuns: 3 }
        : { minTimeMs: 1000, warmupMs: 200, minRuns: 5 };
      // The port's first step at the large sizes also grows the wasm heap by a gigabyte (about
      // twice a later step's time): one warm-up step, then the median of three.
      const slow = large ? { minTimeMs: 0, warmupMs: 1, minRuns: options.quick ? 1 : 3 } : fast;
      const oursMs = measure(step(ours), fast).medianNs / 1e6;
      // With one helper thread for the core kernel (asymmetric-loss/threads), large sizes only.
      let twoThreadsMs: number | null = null;
      if (large) {
        await startSimdThreads({ threads: 2 });
        twoThreadsMs = measure(step(ours), fast).medianNs / 1e6;
        await stopSimdThreads();
      }
      const portMs = measure(step(port), slow).medianNs / 1e6;
      const oursAlloc = await allocated(step(ours));
      const portAlloc = await allocated(step(port));
      report({
        bench: 'tfjs',
        name,
        backend,
        msPerStep: oursMs,
        portMsPerStep: portMs,
        speedup: portMs / oursMs,
        msPerStep2Threads: twoThreadsMs,
        speedup2Threads: twoThreadsMs === null ? null : portMs / twoThreadsMs,
        tensorsPerStep: oursAlloc.tensors,
        portTensorsPerStep: portAlloc.tensors,
        bytesPerStep: oursAlloc.bytes,
        portBytesPerStep: portAlloc.bytes,
        bytesRatio: portAlloc.bytes / oursAlloc.bytes,
      });
      tf.dispose([x, y]);
    }
  }
}
