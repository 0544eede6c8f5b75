/**
 * The source of a helper thread (a CommonJS script, run by `new Worker(source, { eval: true })`,
 * so that it needs no file of its own next to the compiled package). It instantiates the shared
 * memory build of the kernels, sends its memory to the parent, then runs jobs: the parent writes
 * a job's inputs into that memory and its parameters into `control`, sets the state to RUN and
 * waits; the helper computes, stores the result and sets the state back to IDLE.
 *
 * `control` layout: Int32 [0] state (IDLE, RUN, STOP), [1] 1 if the job failed, [2] the kernel
 * (MULTI, SINGLE); Float64 from byte 16: [0..9] the kernel's set-params arguments (mlSetParams:
 * 10, slSetParams: 5), [10..18] its run arguments (mlRun: x, y, g, l, len; slRun: x, t, g, l, n,
 * c, scratch, rowW, rowUp; byte offsets, 0 for none), [19] the result.
 */
export const IDLE = 0;
export const RUN = 1;
export const STOP = 2;
export const MULTI = 0;
export const SINGLE = 1;
/** Float64 slots of the control buffer: parameters, run arguments, result. */
export const PARAMS = 0;
export const ARGS = 10;
export const RESULT = 19;
/** Bytes of the control buffer. */
export const CONTROL_BYTES = 16 + 20 * 8;

export const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const kernels = new WebAssembly.Instance(workerData.module, {}).exports;
const state = new Int32Array(workerData.control, 0, 4);
const num = new Float64Array(workerData.control, 16, 20);
parentPort.postMessage({ memory: kernels.memory, heapBase: kernels.heapBase() });
for (;;) {
  Atomics.wait(state, 0, ${IDLE});
  const command = Atomics.load(state, 0);
  if (command === ${STOP}) break;
  if (command !== ${RUN}) continue;
  try {
    const p = num.subarray(${PARAMS}, ${ARGS});
    const a = num.subarray(${ARGS}, ${RESULT});
    if (state[2] === ${MULTI}) {
      kernels.mlSetParams(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]);
      num[${RESULT}] = kernels.mlRun(a[0], a[1], a[2], a[3], a[4]);
    } else {
      kernels.slSetParams(p[0], p[1], p[2], p[3], p[4]);
      num[${RESULT}] = kernels.slRun(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
    }
    state[1] = 0;
  } catch (error) {
    state[1] = 1;
  }
  Atomics.store(state, 0, ${IDLE});
  Atomics.notify(state, 0);
}
`;
