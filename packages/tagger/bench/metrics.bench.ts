/**
 * Metrics benchmarks: mAP on a COCO-validation-sized matrix (40,504 × 80) and an
 * Open-Images-sized one (20,000 × 9,605), threshold metrics, and the memory held by the
 * streaming accumulator for 100,000 × 1,000 samples. Scores are random float32 in [0, 1);
 * each class has about one positive per 40 to 160 negatives.
 *
 * Baseline, measured in the same run on the 40,504 × 80 matrix: the textbook computation
 * (copy each class's column, sort all its indices by score with a comparator, scan the
 * distinct thresholds), which is what a direct port of scikit-learn's
 * `average_precision_score` does. The row reports its time, the ratio to `mAP 40504x80`
 * and the largest difference between the two per-class results.
 */
import { MultiLabelMetrics, meanAveragePrecision, thresholdMetrics } from 'asymmetric-loss/metrics';
import { measure, rng, type BenchOptions, type Report } from './harness.js';

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

/**
 * Baseline mAP (ties grouped, classes without positives ignored): per class, a full index
 * sort by decreasing score with a comparator, then one precision per distinct score.
 */
function baselineAveragePrecision(
  scores: Float32Array,
  targets: Uint8Array,
  n: number,
  c: number,
): Float64Array {
  const ap = new Float64Array(c);
  const column = new Float64Array(n);
  const order = new Uint32Array(n);
  for (let j = 0; j < c; j++) {
    let positives = 0;
    for (let i = 0; i < n; i++) {
      column[i] = scores[i * c + j];
      order[i] = i;
      positives += targets[i * c + j];
    }
    if (positives === 0) {
      ap[j] = NaN;
      continue;
    }
    order.sort((a, b) => column[b] - column[a]);
    let truePositives = 0;
    let sum = 0;
    let previousRecall = 0;
    for (let r = 0; r < n; r++) {
      truePositives += targets[order[r] * c + j];
      if (r + 1 < n && column[order[r + 1]] === column[order[r]]) continue;
      const recall = truePositives / positives;
      sum += (recall - previousRecall) * (truePositives / (r + 1));
      previousRecall = recall;
    }
    ap[j] = sum;
  }
  return ap;
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

  const baselineName = 'mAP 40504x80 baseline (per-class comparator sort)';
  if (['mAP 40504x80', baselineName, 'thresholdMetrics 40504x80'].some(wanted)) {
    const coco = randomProblem(40504, 80, 1);
    const { scores, targets, shape } = coco;
    let mapMs = NaN;
    if (wanted('mAP 40504x80')) {
      const { medianNs, minNs, runs } = measure(
        () => meanAveragePrecision(scores, targets, shape),
        small,
      );
      mapMs = medianNs / 1e6;
      report({ bench: 'metrics', name: 'mAP 40504x80', ms: mapMs, minMs: minNs / 1e6, runs });
    }
    if (wanted(baselineName)) {
      const { medianNs, minNs, runs } = measure(
        () => baselineAveragePrecision(scores, targets, ...shape),
        large,
      );
      const expected = baselineAveragePrecision(scores, targets, ...shape);
      const actual = meanAveragePrecision(scores, targets, shape).perClass;
      let maxDiff = 0;
      for (let j = 0; j < actual.length; j++) {
        if (Number.isNaN(actual[j]) && Number.isNaN(expected[j])) continue; // no positives
        maxDiff = Math.max(maxDiff, Math.abs(actual[j] - expected[j]));
      }
      report({
        bench: 'metrics',
        name: baselineName,
        ms: medianNs / 1e6,
        minMs: minNs / 1e6,
        runs,
        ratioToMap: medianNs / 1e6 / mapMs,
        maxApDiff: maxDiff,
      });
    }
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

  // In a function of its own so that the 0.9 GB problem can be collected afterwards.
  const openImages = () => {
    const { scores, targets, shape } = randomProblem(20000, 9605, 2);
    timed('mAP 20000x9605', () => meanAveragePrecision(scores, targets, shape), large);
  };
  if (wanted('mAP 20000x9605')) openImages();

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
