/**
 * Partial annotations: forward+backward of the multi-label loss with half the labels
 * unannotated (-1), by treatment, against the same call on targets with -1 replaced by 0 and no
 * partial option (the plain fused pass), in the same run: `ratioVsPlain`. Treatments:
 * `'negative'` (gammaUnannotated = gammaNeg: one kernel pass with per-element weights),
 * `'negative'` with gammaUnannotated 2 (two passes), `'ignore'`, and the selective approach
 * (`ClassAwareSelection.elementWeights` plus the loss; `selectionNsPerElement` alone). float64
 * and float32 (SIMD) kernels; [256, 9605] and [1024, 1000], logits N(0, 4), 1 positive in 20.
 */
import { ClassAwareSelection, asymmetricLossMultiLabel } from 'asymmetric-loss';
import type { MultiLabelOptions } from 'asymmetric-loss';
import { multiLabelBatch } from '../src/cli/bench-inputs.js';
import { measure, rng, type BenchOptions, type Report } from './harness.js';

const sizes: [number, number][] = [
  [256, 9605],
  [1024, 1000],
];

export function run(report: Report, options: BenchOptions): void {
  const settings = options.quick
    ? { minTimeMs: 100, warmupMs: 50, minRuns: 3 }
    : { minTimeMs: 1000, warmupMs: 300, minRuns: 5 };
  for (const [n, c] of sizes) {
    const name = `multi-label [${n}, ${c}], half unannotated`;
    if (options.filter && !name.includes(options.filter)) continue;
    const size = n * c;
    const { logits, targets } = multiLabelBatch(n, c);
    const u = rng(5);
    const partial = targets.map((y) => (u() < 0.5 ? -1 : y));
    const zeroed = partial.map((y) => (y === -1 ? 0 : y));
    const gradOut = new Float32Array(size);
    const selection = new ClassAwareSelection(c);
    selection.observe(logits, [n, c]);
    const ns = (fn: () => unknown) => measure(fn, settings).medianNs / size;
    for (const precision of ['float64', 'float32'] as const) {
      const base = { gammaNeg: 4, gammaPos: 0, clip: 0.05, precision, gradOut } as const;
      const call = (y: Float32Array, extra: MultiLabelOptions = {}) =>
        asymmetricLossMultiLabel(logits, y, [n, c], { ...base, ...extra });
      const plain = ns(() => call(zeroed));
      const cases: [string, () => unknown][] = [
        ['negative', () => call(partial, { unannotated: 'negative' })],
        [
          'negative, gammaUnannotated 2',
          () => call(partial, { unannotated: 'negative', gammaUnannotated: 2 }),
        ],
        ['ignore', () => call(partial, { unannotated: 'ignore' })],
        [
          'selective',
          () =>
            call(partial, {
              unannotated: 'negative',
              elementWeights: selection.elementWeights(logits, partial, [n, c]),
            }),
        ],
      ];
      for (const [treatment, fn] of cases) {
        const nsPerElement = ns(fn);
        report({
          bench: 'partial',
          name,
          precision,
          treatment,
          nsPerElement,
          plainNsPerElement: plain,
          ratioVsPlain: nsPerElement / plain,
          ...(treatment === 'selective'
            ? { selectionNsPerElement: ns(() => selection.elementWeights(logits, partial, [n, c])) }
            : {}),
        });
      }
    }
  }
}
