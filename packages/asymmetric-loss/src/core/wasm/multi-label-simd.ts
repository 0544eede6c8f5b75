/**
 * The multi-label kernel on WebAssembly SIMD (assembly/multi-label.ts): the same entry point as
 * the float64 kernel (`MultiLabelKernelArgs`), float32 arithmetic, sums in float64.
 *
 * Inputs go through WebAssembly memory in chunks of {@link CHUNK} elements (copied in, computed,
 * the gradient and losses copied out) so that every pass of the kernel works in cache: one read
 * of the logits and targets and one write of the gradient from and to main memory, as the float64
 * kernel. Weights (class, sample, element) and a per-element upstream gradient are applied by a
 * second, in-cache pass.
 *
 * With helper threads installed (`asymmetric-loss/threads`, src/core/wasm/helpers.ts), a batch
 * of at least their `minElements` is split: the helpers compute the tail in their own memories
 * while this thread computes the head. A weighted batch's tail comes back unweighted (losses and
 * gradient) and this thread weighs it with the same in-cache pass.
 */
import type { MultiLabelKernelArgs } from '../multi-label-kernel.js';
import { Arena, align, CHUNK, chunkOf } from './arena.js';
import type { KernelExports } from './loader.js';
import { float32Safe } from './float32.js';
import { runWithHelpers, simdThreads, splitWork } from './helpers.js';
import type { MultiLabelJob, MultiLabelParams } from './helpers.js';
import { multiLabelThresholds } from './thresholds.js';

/** Smallest clip the float32 kernel takes. */
const MIN_CLIP = 1e-12;

/** Padding of the last vector: a negative far below any clip, whose loss is exactly 0. */
const PAD_LOGIT = -200;

/**
 * Fills logits `xs` and targets `ys` from index `length` to their end (the kernel's length, a
 * multiple of 8) with elements whose loss and gradient are exactly 0.
 */
export function padElements(xs: Float32Array, ys: Float32Array, length: number): void {
  xs.fill(PAD_LOGIT, length);
  ys.fill(0, length);
}

/**
 * The SIMD kernel: the float64 kernel's arguments and result, except that it returns NaN when
 * it met invalid inputs (NaN or infinite logits, targets outside [0, 1]; the outputs are still
 * written), and null for parameters float32 cannot carry (the caller then runs the float64
 * kernel).
 */
export type SimdMultiLabelKernel = (args: MultiLabelKernelArgs) => number | null;

export function createMultiLabelKernel(kernels: KernelExports, arena: Arena): SimdMultiLabelKernel {
  return (args: MultiLabelKernelArgs): number | null => {
    const { logits, targets, n, c, gammaNeg, gammaPos, clip, eps, focalGrad } = args;
    const { classWeights, sampleWeights, elementWeights, lossOut, gradOut, gradScale, upstream } =
      args;
    const size = n * c;
    if (size === 0) return 0;
    // Parameters float32 cannot carry are left to the float64 kernel: a gradient scale near its
    // limits, and clips below 1e-12. With a tiny clip a negative's gradient at a logit beyond 87,
    // q / (q + clip), is no longer tiny, but float32's q = exp(-x) is denormal there (a few
    // digits at most).
    if ((clip > 0 && clip < MIN_CLIP) || !float32Safe(gradScale)) return null;
    const upstreamPerRow = upstream !== null && upstream.length === n && size !== n;
    const upstreamPerElement = upstream !== null && !upstreamPerRow;
    const rowGrad = sampleWeights !== null || upstreamPerRow;
    const weighted =
      classWeights !== null || rowGrad || upstreamPerElement || elementWeights !== null;

    const t = multiLabelThresholds(clip, eps);
    const params: MultiLabelParams = [
      gammaNeg,
      gammaPos,
      clip,
      t.xcHi,
      t.xcLo,
      t.tPos,
      t.tNeg,
      t.logEps,
      focalGrad,
      weighted ? 1 : gradScale,
    ];
    kernels.mlSetParams(...params);

    // Layout: chunk buffers (logits, targets, gradient, losses, upstream, element weights), then
    // class weights and per-row loss and gradient factors.
    const chunkBytes = align((CHUNK + 8) * 4);
    const X = arena.base;
    const Y = X + chunkBytes;
    const G = Y + chunkBytes;
    const L = G + chunkBytes;
    const U = L + chunkBytes;
    const EW = U + chunkBytes;
    const CW = EW + chunkBytes;
    const RL = CW + align(c * 4);
    const RG = RL + align(n * 4);
    arena.reserve(RG + align(n * 4));

    if (classWeights !== null) arena.f32(CW, c).set(classWeights);
    if (sampleWeights !== null) arena.f32(RL, n).set(sampleWeights);
    if (rowGrad) {
      const rowFactor = arena.f32(RG, n);
      for (let i = 0; i < n; i++)
        rowFactor[i] =
          gradScale *
          (sampleWeights === null ? 1 : sampleWeights[i]) *
          (upstreamPerRow ? upstream[i] : 1);
    }

    const wantLoss = lossOut !== null || weighted;
    /**
     * Weighs the chunk at `k0` of `len` elements, whose unweighted gradient and losses are in
     * the arena's G and L; returns the sum of the weighted losses.
     */
    const weigh = (k0: number, len: number): number => {
      const index = (k0 / CHUNK) | 0;
      if (upstreamPerElement) arena.f32(U, len).set(chunkOf(upstream, index, k0, len));
      if (elementWeights !== null) arena.f32(EW, len).set(chunkOf(elementWeights, index, k0, len));
      return kernels.mlWeight(
        gradOut !== null ? G : 0,
        L,
        k0,
        len,
        c,
        classWeights !== null ? CW : 0,
        sampleWeights !== null ? RL : 0,
        rowGrad ? RG : 0,
        upstreamPerElement ? U : 0,
        elementWeights !== null ? EW : 0,
        gradScale,
      );
    };
    /** Computes elements [from, to) in chunks; returns the sum of their losses. */
    const computeRange = (from: number, to: number): number => {
      let total = 0;
      for (let k0 = from; k0 < to; k0 += CHUNK) {
        const len = Math.min(CHUNK, to - k0);
        const index = (k0 / CHUNK) | 0;
        const padded = (len + 7) & ~7;
        const xs = arena.f32(X, padded);
        const ys = arena.f32(Y, padded);
        xs.set(chunkOf(logits, index, k0, len));
        ys.set(chunkOf(targets, index, k0, len));
        if (padded > len) padElements(xs, ys, len);
        let partial = kernels.mlRun(X, Y, gradOut !== null ? G : 0, wantLoss ? L : 0, padded);
        if (weighted && !Number.isNaN(partial)) partial = weigh(k0, len);
        total += partial;
        if (gradOut !== null) gradOut.set(arena.f32(G, len), k0);
        if (lossOut !== null) lossOut.set(arena.f32(L, len), k0);
      }
      return total;
    };
    /**
     * Weighs elements [from, to), computed unweighted by a helper into `gradOut` and `losses`,
     * in place (the losses into `lossOut` when given); returns the sum of the weighted losses.
     */
    const weighRange = (from: number, to: number, losses: Float32Array): number => {
      let total = 0;
      for (let k0 = from; k0 < to; k0 += CHUNK) {
        const len = Math.min(CHUNK, to - k0);
        if (gradOut !== null) arena.f32(G, len).set(gradOut.subarray(k0, k0 + len));
        arena.f32(L, len).set(losses.subarray(k0, k0 + len));
        total += weigh(k0, len);
        if (gradOut !== null) gradOut.set(arena.f32(G, len), k0);
        if (lossOut !== null) lossOut.set(arena.f32(L, len), k0);
      }
      return total;
    };

    const threads = simdThreads();
    if (threads === null || size < threads.minElements) return computeRange(0, size);
    // Helper threads take the tail of the batch in equal parts and the calling thread the head,
    // a smaller part since it also copies every helper's inputs in and outputs out. Weighted,
    // the helpers compute unweighted losses (into a scratch array when no lossOut is wanted)
    // and this thread weighs them.
    const { helpers } = threads;
    const { head, parts } = splitWork(size, helpers.length, CHUNK);
    const losses = weighted ? (lossOut ?? new Float32Array(size)) : lossOut;
    const jobs = parts.map(([start, length]): MultiLabelJob | null =>
      length === 0
        ? null
        : { kind: 'multi', logits, targets, start, length, gradOut, lossOut: losses, params },
    );
    return runWithHelpers(
      helpers,
      jobs,
      () => computeRange(0, head),
      (job) => computeRange(job.start, job.start + job.length),
      weighted
        ? (job, partial) =>
            Number.isNaN(partial) ? partial : weighRange(job.start, job.start + job.length, losses!)
        : undefined,
    );
  };
}
