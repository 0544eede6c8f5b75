/**
 * One helper thread of the multi-label SIMD kernel (Node `worker_threads`): a worker running the
 * shared-memory build of the kernels, driven through a small shared control buffer with
 * `Atomics.wait`/`Atomics.notify` so that the synchronous loss call can hand it a range and wait
 * for it. See src/threads/worker-source.ts for the protocol.
 */
import { Worker } from 'node:worker_threads';
import type { MultiLabelJob, SimdHelper } from '../core/wasm/helpers.ts';
import { PAD_LOGIT } from '../core/wasm/multi-label-simd.ts';
import { CONTROL_BYTES, IDLE, RUN, STOP, workerSource } from './worker-source.ts';

const PAGE = 65536;
/** The shared memory's maximum (`--maximumMemory` of scripts/build-wasm.mjs): 2 GiB. */
const MAX_BYTES = 32768 * PAGE;

export class WorkerHelper implements SimdHelper {
  private readonly worker: Worker;
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private readonly state: Int32Array;
  private readonly num: Float64Array;
  private view: Float32Array | null = null;
  private job: MultiLabelJob | null = null;
  private layout = { x: 0, y: 0, g: 0, l: 0 };

  private constructor(
    worker: Worker,
    memory: WebAssembly.Memory,
    base: number,
    control: SharedArrayBuffer,
  ) {
    this.worker = worker;
    this.memory = memory;
    this.base = (base + 15) & ~15;
    this.state = new Int32Array(control, 0, 4);
    this.num = new Float64Array(control, 16, 16);
  }

  /** Starts a worker on the compiled shared-memory module; resolves once it is ready. */
  static async create(module: WebAssembly.Module): Promise<WorkerHelper> {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const worker = new Worker(workerSource, { eval: true, workerData: { module, control } });
    const ready = await new Promise<{ memory: WebAssembly.Memory; heapBase: number }>(
      (resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`helper thread exited with code ${code}`)));
      },
    );
    worker.removeAllListeners();
    // A failed or ended worker must not take the process down; jobs then fall back (finish).
    worker.on('error', () => {});
    worker.unref();
    return new WorkerHelper(worker, ready.memory, ready.heapBase, control);
  }

  start(job: MultiLabelJob): boolean {
    if (Atomics.load(this.state, 0) !== IDLE) return false;
    const padded = (job.length + 7) & ~7;
    const bytes = padded * 4;
    const x = this.base;
    const y = x + bytes;
    const g = y + bytes;
    const l = g + bytes;
    const end = l + (job.lossOut !== null ? bytes : 0);
    if (end > MAX_BYTES) return false;
    const missing = end - this.memory.buffer.byteLength;
    if (missing > 0) {
      try {
        this.memory.grow(Math.ceil(missing / PAGE));
      } catch {
        return false;
      }
    }
    const view = this.floats();
    view.set(job.logits.subarray(job.start, job.start + job.length), x >> 2);
    view.set(job.targets.subarray(job.start, job.start + job.length), y >> 2);
    view.fill(PAD_LOGIT, (x >> 2) + job.length, (x >> 2) + padded);
    view.fill(0, (y >> 2) + job.length, (y >> 2) + padded);
    const num = this.num;
    job.params.forEach((value, i) => (num[i] = Number(value)));
    num[10] = x;
    num[11] = y;
    num[12] = job.gradOut !== null ? g : 0;
    num[13] = job.lossOut !== null ? l : 0;
    num[14] = padded;
    this.job = job;
    this.layout = { x, y, g, l };
    Atomics.store(this.state, 0, RUN);
    Atomics.notify(this.state, 0);
    return true;
  }

  finish(): number | null {
    const job = this.job;
    if (job === null) return null;
    this.job = null;
    // Node allows Atomics.wait on the main thread. A worker that died never resets the state:
    // give up after a generous timeout (the caller then computes the range itself).
    while (Atomics.load(this.state, 0) === RUN)
      if (Atomics.wait(this.state, 0, RUN, 10_000) === 'timed-out') return null;
    if (this.state[1] !== 0) return null;
    const view = this.floats();
    const { g, l } = this.layout;
    if (job.gradOut !== null)
      job.gradOut.set(view.subarray(g >> 2, (g >> 2) + job.length), job.start);
    if (job.lossOut !== null)
      job.lossOut.set(view.subarray(l >> 2, (l >> 2) + job.length), job.start);
    return this.num[15];
  }

  /** Ends the worker. */
  async stop(): Promise<void> {
    Atomics.store(this.state, 0, STOP);
    Atomics.notify(this.state, 0);
    await this.worker.terminate();
  }

  /** A Float32Array over the whole shared memory (renewed after it grows). */
  private floats(): Float32Array {
    const buffer = this.memory.buffer;
    if (this.view === null || this.view.buffer.byteLength !== buffer.byteLength)
      this.view = new Float32Array(buffer);
    return this.view;
  }
}
