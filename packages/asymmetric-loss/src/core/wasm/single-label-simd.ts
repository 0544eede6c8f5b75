/**
 * The single-label kernel on WebAssembly SIMD (assembly/single-label.ts): the same entry point as
 * the float64 kernel (`SingleLabelKernelArgs`), float32 arithmetic, sums and the target class's
 * terms in float64. Rows go through WebAssembly memory in chunks of whole rows (at least one).
 * With helper threads installed (`asymmetric-loss/threads`), a batch of at least their
 * `minElements` is split by rows between them and this thread.
 */
import type { SingleLabelKernelArgs } from '../single-label-kernel.js';
import { Arena, align, CHUNK, chunkOf } from './arena.js';
import { float32Safe } from './float32.js';
import { runWithHelpers, simdThreads, splitWork } from './helpers.js';
import type { SingleLabelJob, SingleLabelParams } from './helpers.js';
import type { KernelExports } from './loader.js';

/**
 * The SIMD kernel: the float64 kernel's arguments and result, or null when the float64 kernel
 * must run instead: NaN or infinite logits (the caller's checks then throw), rows spanning more
 * than float32 can subtract, or a gradient scale near float32's limits.
 */
export type SimdSingleLabelKernel = (args: SingleLabelKernelArgs) => number | null;

/** Bytes of a logits or gradient buffer for `rows` rows (the kernel reads a vector past the end). */
export function rowsBytes(rows: number, c: number): number {
  return align((rows * c + 4) * 4);
}

/** Bytes of the kernel's per-row scratch (probabilities and weights) for `c` classes. */
export function scratchBytes(c: number): number {
  return align((2 * (c + 4) + 4) * 4);
}

export function createSingleLabelKernel(
  kernels: KernelExports,
  arena: Arena,
): SimdSingleLabelKernel {
  return (args: SingleLabelKernelArgs): number | null => {
    const { logits, targets, n, c, gammaPos, gammaNeg, eps, focalGrad } = args;
    const { sampleWeights, lossOut, gradOut, gradScale, upstream } = args;
    if (n === 0) return 0;
    if (!float32Safe(gradScale)) return null;
    const params: SingleLabelParams = [gammaPos, gammaNeg, eps, focalGrad, gradScale];
    kernels.slSetParams(...params);

    const rowsPerChunk = Math.max(1, Math.floor(CHUNK / c));
    const chunkBytes = rowsBytes(rowsPerChunk, c);
    const X = arena.base;
    const G = X + chunkBytes;
    const S = G + chunkBytes;
    const T = S + scratchBytes(c);
    const L = T + align(n * 4);
    const RW = L + align(n * 4);
    const RU = RW + align(n * 4);
    arena.reserve(RU + align(n * 4));

    arena.i32(T, n).set(targets);
    if (sampleWeights !== null) arena.f32(RW, n).set(sampleWeights);
    if (upstream !== null) arena.f32(RU, n).set(upstream);

    /** Computes rows [from, to) in chunks; the sum of their losses, NaN if the kernel refused. */
    const computeRows = (from: number, to: number): number => {
      let total = 0;
      for (let i0 = from; i0 < to; i0 += rowsPerChunk) {
        const rows = Math.min(rowsPerChunk, to - i0);
        const len = rows * c;
        const k0 = i0 * c;
        arena.f32(X, len).set(chunkOf(logits, Math.floor(i0 / rowsPerChunk), k0, len));
        const partial = kernels.slRun(
          X,
          T + i0 * 4,
          gradOut !== null ? G : 0,
          lossOut !== null ? L + i0 * 4 : 0,
          rows,
          c,
          S,
          sampleWeights !== null ? RW + i0 * 4 : 0,
          upstream !== null ? RU + i0 * 4 : 0,
        );
        // NaN: NaN or infinite logits, or a row spanning more than float32 can subtract.
        if (Number.isNaN(partial)) return NaN;
        total += partial;
        if (gradOut !== null) gradOut.set(arena.f32(G, len), k0);
      }
      if (lossOut !== null && to > from) lossOut.set(arena.f32(L + from * 4, to - from), from);
      return total;
    };

    const threads = simdThreads();
    let total: number;
    if (threads === null || n * c < threads.minElements) total = computeRows(0, n);
    else {
      // Helper threads take the last rows in equal parts, the calling thread the first ones
      // (fewer: it also copies every helper's inputs in and outputs out).
      const { helpers } = threads;
      const { head, parts } = splitWork(n, helpers.length, 1);
      const jobs = parts.map(([row, rows]): SingleLabelJob | null =>
        rows === 0
          ? null
          : {
              kind: 'single',
              logits,
              targets,
              row,
              rows,
              c,
              gradOut,
              lossOut,
              sampleWeights,
              upstream,
              params,
            },
      );
      total = runWithHelpers(
        helpers,
        jobs,
        () => computeRows(0, head),
        (job) => computeRows(job.row, job.row + job.rows),
      );
    }
    return Number.isNaN(total) ? null : total;
  };
}
