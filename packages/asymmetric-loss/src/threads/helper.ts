/**
 * One helper thread of the SIMD kernels (Node `worker_threads`): a worker running the
 * shared-memory build of the kernels, driven through a small shared control buffer with
 * `Atomics.wait`/`Atomics.notify` so that the synchronous loss call can hand it a range and wait
 * for it. See src/threads/worker-source.ts for the protocol.
 */
import { Worker } from 'node:worker_threads';
import type { HelperJob, MultiLabelJob, SimdHelper, SingleLabelJob } from '../core/wasm/helpers.js';
import { align } from '../core/wasm/arena.js';
import { padElements } from '../core/wasm/multi-label-simd.js';
import { rowsBytes, scratchBytes } from '../core/wasm/single-label-simd.js';
import {
  ARGS,
  CONTROL_BYTES,
  IDLE,
  MULTI,
  PARAMS,
  RESULT,
  RUN,
  SINGLE,
  STOP,
} from './worker-source.js';
import { workerSource } from './worker-source.js';
import { sharedMaximumPages } from './shared-memory.js';

const PAGE = 65536;
/** The shared memory's maximum: 2 GiB. */
const MAX_BYTES = sharedMaximumPages * PAGE;

/** An output the finished job copies back: `length` floats at `byteOffset` into `to[at...]`. */
interface CopyOut {
  byteOffset: number;
  length: number;
  to: Float32Array;
  at: number;
}

/** What a job puts in the helper's memory and gets back. */
interface Layout {
  /** Bytes of memory the job needs. */
  end: number;
  /** Writes the inputs (the memory is large enough) and returns the kernel's run arguments. */
  write(memory: ArrayBuffer): number[];
  outputs: CopyOut[];
}

function multiLabelLayout(job: MultiLabelJob, base: number): Layout {
  const { start, length } = job;
  const padded = (length + 7) & ~7;
  const bytes = padded * 4;
  const [x, y, g, l] = [base, base + bytes, base + 2 * bytes, base + 3 * bytes];
  const outputs: CopyOut[] = [];
  if (job.gradOut !== null) outputs.push({ byteOffset: g, length, to: job.gradOut, at: start });
  if (job.lossOut !== null) outputs.push({ byteOffset: l, length, to: job.lossOut, at: start });
  return {
    end: l + (job.lossOut !== null ? bytes : 0),
    outputs,
    write(memory) {
      const xs = new Float32Array(memory, x, padded);
      const ys = new Float32Array(memory, y, padded);
      xs.set(job.logits.subarray(start, start + length));
      ys.set(job.targets.subarray(start, start + length));
      padElements(xs, ys, length);
      return [x, y, job.gradOut !== null ? g : 0, job.lossOut !== null ? l : 0, padded];
    },
  };
}

function singleLabelLayout(job: SingleLabelJob, base: number): Layout {
  const { row, rows, c } = job;
  const len = rows * c;
  const x = base;
  const t = x + rowsBytes(rows, c);
  const g = t + align(rows * 4);
  const s = g + rowsBytes(rows, c);
  const l = s + scratchBytes(c);
  const rw = l + align(rows * 4);
  const ru = rw + align(rows * 4);
  const outputs: CopyOut[] = [];
  if (job.gradOut !== null)
    outputs.push({ byteOffset: g, length: len, to: job.gradOut, at: row * c });
  if (job.lossOut !== null) outputs.push({ byteOffset: l, length: rows, to: job.lossOut, at: row });
  return {
    end: ru + align(rows * 4),
    outputs,
    write(memory) {
      new Float32Array(memory, x, len).set(job.logits.subarray(row * c, row * c + len));
      new Int32Array(memory, t, rows).set(job.targets.subarray(row, row + rows));
      if (job.sampleWeights !== null)
        new Float32Array(memory, rw, rows).set(job.sampleWeights.subarray(row, row + rows));
      if (job.upstream !== null)
        new Float32Array(memory, ru, rows).set(job.upstream.subarray(row, row + rows));
      return [
        x,
        t,
        job.gradOut !== null ? g : 0,
        job.lossOut !== null ? l : 0,
        rows,
        c,
        s,
        job.sampleWeights !== null ? rw : 0,
        job.upstream !== null ? ru : 0,
      ];
    },
  };
}

export class WorkerHelper implements SimdHelper {
  private readonly worker: Worker;
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private readonly state: Int32Array;
  private readonly num: Float64Array;
  private outputs: CopyOut[] | null = null;

  private constructor(
    worker: Worker,
    memory: WebAssembly.Memory,
    base: number,
    control: SharedArrayBuffer,
  ) {
    this.worker = worker;
    this.memory = memory;
    this.base = align(base);
    this.state = new Int32Array(control, 0, 4);
    this.num = new Float64Array(control, 16, RESULT + 1);
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

  start(job: HelperJob): boolean {
    if (this.outputs !== null || Atomics.load(this.state, 0) !== IDLE) return false;
    const layout =
      job.kind === 'multi' ? multiLabelLayout(job, this.base) : singleLabelLayout(job, this.base);
    if (layout.end > MAX_BYTES) return false;
    const missing = layout.end - this.memory.buffer.byteLength;
    if (missing > 0) {
      try {
        this.memory.grow(Math.ceil(missing / PAGE));
      } catch {
        return false;
      }
    }
    const args = layout.write(this.memory.buffer as ArrayBuffer);
    job.params.forEach((value, i) => (this.num[PARAMS + i] = Number(value)));
    args.forEach((value, i) => (this.num[ARGS + i] = value));
    this.state[2] = job.kind === 'multi' ? MULTI : SINGLE;
    this.outputs = layout.outputs;
    Atomics.store(this.state, 0, RUN);
    Atomics.notify(this.state, 0);
    return true;
  }

  finish(): number | null {
    const outputs = this.outputs;
    if (outputs === null) return null;
    this.outputs = null;
    // Node allows Atomics.wait on the main thread. A worker that died never resets the state:
    // give up after a generous timeout (the caller then computes the range itself).
    while (Atomics.load(this.state, 0) === RUN)
      if (Atomics.wait(this.state, 0, RUN, 10_000) === 'timed-out') return null;
    if (this.state[1] !== 0) return null;
    const buffer = this.memory.buffer as ArrayBuffer;
    for (const { byteOffset, length, to, at } of outputs)
      to.set(new Float32Array(buffer, byteOffset, length), at);
    return this.num[RESULT];
  }

  /** Ends the worker. */
  async stop(): Promise<void> {
    Atomics.store(this.state, 0, STOP);
    Atomics.notify(this.state, 0);
    await this.worker.terminate();
  }
}
