/**
 * Metrics benchmarks: mAP on a COCO-validation-sized matrix (40,504 × 80) and an
 * Open-Images-sized one (20,000 × 9,605), threshold metrics, and the memory held by the
 * streaming accumulator for 100,000 × 1,000 samples. Scores are random float32 in [0, 1);
 * each class has about one positive per 40 to 160 negatives.
 */
import { MultiLabelMetrics, meanAveragePrecision, thresholdMetrics } from '../src/metrics/index.ts';
import { measure, rng, type BenchOptions, type Report } from './harness.ts';

interface Problem {
  scores: Float32Array;
  targets: Uint8Array;
  shape: [number, number];
}

/** Random scores, and targets with a per-class positive rate of 1 / (1 + r), r in [40, 160]. */
function randomProblem(n: number, c: number, seed: number): Problem {
  const random = rng(seed);
  const rate = Float64Array.from({ length: c }, () => 1 / (1 + 40 + 120 * random()));
  const scores = new Float32Array(n * c);
  const targets = new Uint8Array(n * c);
  fillRows(scores, targets, c, rate, random);
  return { scores, targets, shape: [n, c] };
}

function fillRows(
  scores: Float32Array,
  targets: Uint8Array,
  c: number,
  rate: Float64Array,
  random: () => number,
): void {
  for (let k = 0; k < scores.length; k++) {
    scores[k] = random();
    targets[k] = random() < rate[k % c] ? 1 : 0;
  }
}

export async function run(report: Report, options: BenchOptions): Promise<void> {
  const wanted = (name: string) => !options.filter || name.includes(options.filter);
  const timed = (name: string, fn: () => unknown, settings: Parameters<typeof measure>[1]) => {
    if (!wanted(name)) return;
    const { medianNs, minNs, runs } = measure(fn, settings);
    report({ bench: 'metrics', name, ms: medianNs / 1e6, minMs: minNs / 1e6, runs });
  };
  const small = options.quick
    ? { minTimeMs: 300, warmupMs: 100, minRuns: 3 }
    : { minTimeMs: 2000, warmupMs: 300, minRuns: 10 };
  const large = options.quick
    ? { minTimeMs: 0, warmupMs: 0, minRuns: 1 }
    : { minTimeMs: 0, warmupMs: 0, minRuns: 3 };

  if (['mAP 40504x80', 'thresholdMetrics 40504x80'].some(wanted)) {
    const coco = randomProblem(40504, 80, 1);
    const { scores, targets, shape } = coco;
    timed('mAP 40504x80', () => meanAveragePrecision(scores, targets, shape), small);
    timed(
      'mAP 40504x80 validate:false',
      () => meanAveragePrecision(scores, targets, shape, { validate: false }),
      small,
    );
    timed(
      'mAP 40504x80 ties:ordered',
      () => meanAveragePrecision(scores, targets, shape, { ties: 'ordered' }),
      small,
    );
    timed('thresholdMetrics 40504x80', () => thresholdMetrics(scores, targets, shape), small);
    timed(
      'thresholdMetrics 40504x80 topK:3',
      () => thresholdMetrics(scores, targets, shape, { topK: 3 }),
      small,
    );
  }

  if (wanted('mAP 20000x9605')) {
    let openImages: Problem | null = randomProblem(20000, 9605, 2);
    const { scores, targets, shape } = openImages;
    timed('mAP 20000x9605', () => meanAveragePrecision(scores, targets, shape), large);
    openImages = null;
  }

  const memoryCase = 'MultiLabelMetrics 100000x1000';
  if (wanted(memoryCase)) {
    const [n, c, batch] = [100_000, 1000, 1000];
    const random = rng(3);
    const rate = Float64Array.from({ length: c }, () => 1 / (1 + 40 + 120 * random()));
    const scores = new Float32Array(batch * c);
    const targets = new Uint8Array(batch * c);
    const metrics = new MultiLabelMetrics(c, { topK: 3 });
    let updateMs = 0;
    for (let done = 0; done < n; done += batch) {
      fillRows(scores, targets, c, rate, random);
      const t0 = performance.now();
      metrics.update(scores, targets, batch);
      updateMs += performance.now() - t0;
    }
    const t1 = performance.now();
    const result = metrics.compute();
    const computeMs = performance.now() - t1;
    const rawFloat32 = n * c * 4;
    report({
      bench: 'metrics',
      name: memoryCase,
      bufferMB: metrics.byteLength / 2 ** 20,
      rawFloat32MB: rawFloat32 / 2 ** 20,
      ratio: metrics.byteLength / rawFloat32,
      updateMs,
      computeMs,
      map: result.map,
    });
  }
}
