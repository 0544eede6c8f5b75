/**
 * Core loss benchmarks: forward+backward in ns per element for the fused kernels (the exact
 * float64 JavaScript kernel, `kernel: 'float64-js'`, and the WebAssembly SIMD kernel,
 * `kernel: 'float32-simd'`) against two baselines measured in the same run: timm on PyTorch's
 * CPU with one thread (bench/pytorch/timm_asl.py, `pytorchNsPerElement`; timed first, in one
 * Python process, so it does not overlap our timings) and the operation-by-operation port of
 * timm (bench/timm-port.ts, `timmPortNsPerElement`).
 * PyTorch comes from Debian (`apt-get install -y --no-install-recommends python3-torch`); the
 * Python is `ASL_BENCH_PYTHON`, else `/usr/bin/python3` or `python3` with torch. Without one,
 * `pytorchNsPerElement` and `speedupVsPytorch` are null.
 * Large cases are also timed with one helper thread (`kernel:
 * 'float32-simd-2-threads'`, asymmetric-loss/threads), the optional two-core figure.
 * Multi-label [64, 80], [256, 9605], [1024, 1000] with the default integer gammas (4, 1) and with
 * fractional gammas (3.5, 0.5); single-label [256, 1000], [1024, 10000].
 * Logits are standard normal times 2; about one positive per 20 negatives.
 */
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel, wasmReady } from 'asymmetric-loss';
import { multiLabelBatch, singleLabelBatch } from '../src/cli/bench-inputs.js';
import { measure, type BenchOptions, type BenchRow, type Report } from './harness.js';
import { multiLabelSpec, pytorchNsPerElement, singleLabelSpec } from './pytorch.js';
import { timmMultiLabel, timmSingleLabel } from './timm-port.js';
import { startSimdThreads, stopSimdThreads } from 'asymmetric-loss/threads';

const multiSizes: [number, number][] = [
  [64, 80],
  [256, 9605],
  [1024, 1000],
];
const singleSizes: [number, number][] = [
  [256, 1000],
  [1024, 10000],
];

type Precision = 'float64' | 'float32';

/** One benchmark case; its inputs are built by `setup` when the case is timed. */
interface Case {
  name: string;
  /** Elements per call (n * c). */
  size: number;
  /** The same case for bench/pytorch/timm_asl.py. */
  pytorchSpec: string;
  /** Precisions also timed with `validate: false` (`nsPerElementNoValidate`). */
  noValidate: Precision[];
  /** Also timed with helper threads (batches of at least 2^18 elements). */
  threaded: boolean;
  /** Builds the inputs; returns our loss (by precision and input scan) and the timm port. */
  setup: () => {
    asl: (precision: Precision, validate: boolean) => unknown;
    timmPort: () => unknown;
  };
}

function multiLabelCases(): Case[] {
  return multiSizes.flatMap(([n, c]) =>
    [
      [4, 1],
      [3.5, 0.5],
    ].map(([gammaNeg, gammaPos]): Case => {
      const size = n * c;
      return {
        name: `multi-label [${n}, ${c}] gammaNeg ${gammaNeg} gammaPos ${gammaPos}`,
        size,
        pytorchSpec: multiLabelSpec(n, c, gammaNeg, gammaPos),
        noValidate: ['float64', 'float32'],
        threaded: size >= 1 << 18,
        setup: () => {
          const { logits, targets } = multiLabelBatch(n, c);
          const gradOut = new Float32Array(size);
          const options = { gammaNeg, gammaPos, clip: 0.05, eps: 1e-8, gradOut } as const;
          return {
            asl: (precision, validate) =>
              asymmetricLossMultiLabel(logits, targets, [n, c], {
                ...options,
                precision,
                validate,
              }),
            timmPort: () =>
              timmMultiLabel(logits, targets, gammaNeg, gammaPos, 0.05, 1e-8, gradOut),
          };
        },
      };
    }),
  );
}

function singleLabelCases(): Case[] {
  return singleSizes.map(([n, c]): Case => {
    const size = n * c;
    return {
      name: `single-label [${n}, ${c}]`,
      size,
      pytorchSpec: singleLabelSpec(n, c),
      noValidate: ['float32'],
      threaded: size >= 1 << 18,
      setup: () => {
        const { logits, classes } = singleLabelBatch(n, c);
        const gradOut = new Float32Array(size);
        return {
          asl: (precision, validate) =>
            asymmetricLossSingleLabel(logits, classes, [n, c], { gradOut, precision, validate }),
          timmPort: () => timmSingleLabel(logits, classes, n, c, 1, 4, 0.1, gradOut),
        };
      },
    };
  });
}

/** Our kernel's figures for one case. */
interface KernelTiming {
  nsPerElement: number;
  nsPerElementNoValidate?: number;
}

/** One row: a kernel's timing with its speedups over the baselines (and over float64). */
function kernelRow(
  name: string,
  kernel: 'float64-js' | 'float32-simd' | 'float32-simd-2-threads',
  { nsPerElement, nsPerElementNoValidate }: KernelTiming,
  baselines: { timmPort: number; pytorch: number | null },
  float64NsPerElement?: number,
): BenchRow {
  return {
    bench: 'core',
    name,
    kernel,
    nsPerElement,
    ...(nsPerElementNoValidate === undefined ? {} : { nsPerElementNoValidate }),
    timmPortNsPerElement: baselines.timmPort,
    speedupVsTimmPort: baselines.timmPort / nsPerElement,
    pytorchNsPerElement: baselines.pytorch,
    speedupVsPytorch: baselines.pytorch === null ? null : baselines.pytorch / nsPerElement,
    ...(float64NsPerElement === undefined
      ? {}
      : { speedupVsFloat64: float64NsPerElement / nsPerElement }),
  };
}

export async function run(report: Report, options: BenchOptions): Promise<void> {
  // float32-simd rows need the WebAssembly SIMD kernels (compiled at once on Node).
  const simd = await wasmReady();
  const settings = options.quick
    ? { minTimeMs: 100, warmupMs: 50, minRuns: 3 }
    : { minTimeMs: 1000, warmupMs: 300, minRuns: 5 };
  const cases = [...multiLabelCases(), ...singleLabelCases()].filter(
    ({ name }) => !options.filter || name.includes(options.filter),
  );
  // PyTorch first, all cases in one process, so that it does not run during our timings.
  const pytorch = pytorchNsPerElement(
    cases.map((c) => c.pytorchSpec),
    settings,
  );

  for (const { name, size, pytorchSpec, noValidate, threaded, setup } of cases) {
    const { asl, timmPort } = setup();
    const nsPerElement = (fn: () => unknown) => measure(fn, settings).medianNs / size;
    const time = (precision: Precision): KernelTiming => ({
      nsPerElement: nsPerElement(() => asl(precision, true)),
      ...(noValidate.includes(precision)
        ? { nsPerElementNoValidate: nsPerElement(() => asl(precision, false)) }
        : {}),
    });
    const float64 = time('float64');
    const baselines = {
      timmPort: nsPerElement(timmPort),
      pytorch: pytorch.get(pytorchSpec) ?? null,
    };
    report(kernelRow(name, 'float64-js', float64, baselines));
    // The WebAssembly SIMD kernel (the default where WebAssembly SIMD is available).
    if (simd) {
      report(kernelRow(name, 'float32-simd', time('float32'), baselines, float64.nsPerElement));
      // The same with one helper thread (asymmetric-loss/threads): two threads in all.
      if (threaded) {
        await startSimdThreads({ threads: 2 });
        const twoThreads = { nsPerElement: nsPerElement(() => asl('float32', true)) };
        await stopSimdThreads();
        report(
          kernelRow(name, 'float32-simd-2-threads', twoThreads, baselines, float64.nsPerElement),
        );
      }
    }
  }
}
