/**
 * The source of a helper thread (a CommonJS script, run by `new Worker(source, { eval: true })`,
 * so that it needs no file of its own next to the compiled package). It instantiates the shared
 * memory build of the kernels, sends its memory to the parent, then runs jobs: the parent writes
 * a job's inputs into that memory and its parameters into `control`, sets the state to RUN and
 * waits; the helper computes, stores the result and sets the state back to IDLE.
 *
 * `control` layout: Int32 [0] state (0 IDLE, 1 RUN, 2 STOP), [1] 1 if the job failed; Float64
 * from byte 16: [0..9] the mlSetParams arguments, [10] logits, [11] targets, [12] gradient,
 * [13] losses (byte offsets, 0 for none), [14] padded length, [15] the result.
 */
export const IDLE = 0;
export const RUN = 1;
export const STOP = 2;
/** Bytes of the control buffer. */
export const CONTROL_BYTES = 16 + 16 * 8;

export const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const kernels = new WebAssembly.Instance(workerData.module, {}).exports;
const state = new Int32Array(workerData.control, 0, 4);
const num = new Float64Array(workerData.control, 16, 16);
parentPort.postMessage({ memory: kernels.memory, heapBase: kernels.heapBase() });
for (;;) {
  Atomics.wait(state, 0, ${IDLE});
  const command = Atomics.load(state, 0);
  if (command === ${STOP}) break;
  if (command !== ${RUN}) continue;
  try {
    kernels.mlSetParams(num[0], num[1], num[2], num[3], num[4], num[5], num[6], num[7], num[8], num[9]);
    num[15] = kernels.mlRun(num[10], num[11], num[12], num[13], num[14]);
    state[1] = 0;
  } catch (error) {
    state[1] = 1;
  }
  Atomics.store(state, 0, ${IDLE});
  Atomics.notify(state, 0);
}
`;
