/**
 * Core loss benchmarks: forward+backward in ns per element for the fused kernels (the exact
 * float64 JavaScript kernel, `kernel: 'float64-js'`, and the WebAssembly SIMD kernel,
 * `kernel: 'float32-simd'`) against the operation-by-operation port of timm
 * (bench/timm-port.ts), measured in the same run.
 * Multi-label [64, 80], [256, 9605], [1024, 1000] with the default integer gammas (4, 1) and with
 * fractional gammas (3.5, 0.5); single-label [256, 1000], [1024, 10000].
 * Logits are standard normal times 2; about one positive per 20 negatives.
 */
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel, wasmReady } from '../src/index.ts';
import { measure, normal, rng, type BenchOptions, type Report } from './harness.ts';
import { timmMultiLabel, timmSingleLabel } from './timm-port.ts';

const multiSizes: [number, number][] = [
  [64, 80],
  [256, 9605],
  [1024, 1000],
];
const singleSizes: [number, number][] = [
  [256, 1000],
  [1024, 10000],
];

function logitsOf(size: number, seed: number): Float32Array {
  const gauss = normal(rng(seed));
  return Float32Array.from({ length: size }, () => 2 * gauss());
}

export async function run(report: Report, options: BenchOptions): Promise<void> {
  // float32-simd rows need the WebAssembly SIMD kernels (compiled at once on Node).
  const simd = await wasmReady();
  const settings = options.quick
    ? { minTimeMs: 100, warmupMs: 50, minRuns: 3 }
    : { minTimeMs: 1000, warmupMs: 300, minRuns: 5 };
  const wanted = (name: string) => !options.filter || name.includes(options.filter);
  const nsPerElement = (fn: () => unknown, size: number) => measure(fn, settings).medianNs / size;

  for (const [n, c] of multiSizes) {
    for (const [gammaNeg, gammaPos] of [
      [4, 1],
      [3.5, 0.5],
    ]) {
      const name = `multi-label [${n}, ${c}] gammaNeg ${gammaNeg} gammaPos ${gammaPos}`;
      if (!wanted(name)) continue;
      const size = n * c;
      const logits = logitsOf(size, n + c);
      const random = rng(size);
      const targets = Float32Array.from({ length: size }, () => (random() < 0.05 ? 1 : 0));
      const gradOut = new Float32Array(size);
      const options = { gammaNeg, gammaPos, clip: 0.05, eps: 1e-8, gradOut } as const;
      const f64 = { ...options, precision: 'float64' } as const;
      const asl = nsPerElement(() => asymmetricLossMultiLabel(logits, targets, [n, c], f64), size);
      const aslNoScan = nsPerElement(
        () => asymmetricLossMultiLabel(logits, targets, [n, c], { ...f64, validate: false }),
        size,
      );
      const timm = nsPerElement(
        () => timmMultiLabel(logits, targets, gammaNeg, gammaPos, 0.05, 1e-8, gradOut),
        size,
      );
      report({
        bench: 'core',
        name,
        kernel: 'float64-js',
        nsPerElement: asl,
        nsPerElementNoValidate: aslNoScan,
        timmPortNsPerElement: timm,
        speedupVsTimmPort: timm / asl,
      });
      // The WebAssembly SIMD kernel (the default where WebAssembly SIMD is available).
      if (simd) {
        const f32 = { ...options, precision: 'float32' } as const;
        const fast = nsPerElement(
          () => asymmetricLossMultiLabel(logits, targets, [n, c], f32),
          size,
        );
        const fastNoScan = nsPerElement(
          () => asymmetricLossMultiLabel(logits, targets, [n, c], { ...f32, validate: false }),
          size,
        );
        report({
          bench: 'core',
          name,
          kernel: 'float32-simd',
          nsPerElement: fast,
          nsPerElementNoValidate: fastNoScan,
          timmPortNsPerElement: timm,
          speedupVsTimmPort: timm / fast,
          speedupVsFloat64: asl / fast,
        });
      }
    }
  }

  for (const [n, c] of singleSizes) {
    const name = `single-label [${n}, ${c}]`;
    if (!wanted(name)) continue;
    const size = n * c;
    const logits = logitsOf(size, n + c + 1);
    const random = rng(n);
    const classes = Int32Array.from({ length: n }, () => Math.floor(random() * c));
    const gradOut = new Float32Array(size);
    const asl = nsPerElement(
      () => asymmetricLossSingleLabel(logits, classes, [n, c], { gradOut, precision: 'float64' }),
      size,
    );
    const timm = nsPerElement(
      () => timmSingleLabel(logits, classes, n, c, 1, 4, 0.1, gradOut),
      size,
    );
    report({
      bench: 'core',
      name,
      kernel: 'float64-js',
      nsPerElement: asl,
      timmPortNsPerElement: timm,
      speedupVsTimmPort: timm / asl,
    });
    if (simd) {
      const fast = nsPerElement(
        () => asymmetricLossSingleLabel(logits, classes, [n, c], { gradOut, precision: 'float32' }),
        size,
      );
      const fastNoScan = nsPerElement(
        () =>
          asymmetricLossSingleLabel(logits, classes, [n, c], {
            gradOut,
            precision: 'float32',
            validate: false,
          }),
        size,
      );
      report({
        bench: 'core',
        name,
        kernel: 'float32-simd',
        nsPerElement: fast,
        nsPerElementNoValidate: fastNoScan,
        timmPortNsPerElement: timm,
        speedupVsTimmPort: timm / fast,
        speedupVsFloat64: asl / fast,
      });
    }
  }
}
