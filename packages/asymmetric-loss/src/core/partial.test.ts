/**
 * Partial annotations in the multi-label loss, by properties: `'ignore'` equals the loss with
 * those elements removed (weight 0), `'negative'` with `gammaUnannotated = gammaNeg` equals the
 * targets set to 0, a different `gammaUnannotated` equals the sum of the two parts, `posWeight`
 * scales the positives, the gradient matches central differences, `'mean'` counts what is not
 * ignored; and the class-aware selection picks what the authors' method picks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { centralDifference } from '@asymmetric-loss/testing/oracle';
import { rng } from '@asymmetric-loss/testing/random';
import { ClassAwareSelection, asymmetricLossMultiLabel as asl } from '../index.js';
import { topByLogit } from './class-aware-selection.js';

const [n, c] = [5, 7];
const u = rng(15);
const x = Float32Array.from({ length: n * c }, () => (u() - 0.5) * 8);
const y = Float32Array.from({ length: n * c }, () => {
  const r = u();
  return r < 0.2 ? 1 : r < 0.55 ? -1 : 0;
});
const zeroed = y.map((v) => (v === -1 ? 0 : v));
const annotated = y.map((v) => (v === -1 ? 0 : 1));
const exact = { precision: 'float64', focalGrad: 'detached', gammaPos: 0.5 } as const;
const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} against ${b}`);

describe('multi-label ASL with unannotated labels', () => {
  it('rejects -1 by default, naming the option that accepts it', () => {
    assert.throws(
      () => asl(x, y, [n, c]),
      /must be in \[0, 1\], but targets\[\d+\] \(row \d+, column \d+\) is -1 \(an unannotated label: the option unannotated: 'negative' or 'ignore' accepts -1\)$/,
    );
    assert.throws(
      () => asl(x, y, [n, c], { unannotated: 'drop' as 'ignore' }),
      /Argument 'unannotated'/,
    );
    assert.throws(
      () => asl(x, y, [n, c], { unannotated: 'ignore', gammaUnannotated: -1 }),
      /gammaUnannotated/,
    );
  });

  it("'negative' with gammaUnannotated = gammaNeg equals the targets set to 0", () => {
    const a = asl(x, y, [n, c], { ...exact, unannotated: 'negative' });
    const b = asl(x, zeroed, [n, c], exact);
    close(a.loss, b.loss);
    a.grad.forEach((g, k) => close(g, b.grad[k], 1e-6));
  });

  it("'ignore' equals the loss with those elements weighted 0; 'mean' counts the others", () => {
    for (const reduction of ['sum', 'mean', 'batchmean'] as const) {
      const a = asl(x, y, [n, c], { ...exact, unannotated: 'ignore', reduction });
      const b = asl(x, zeroed, [n, c], { ...exact, reduction: 'sum', elementWeights: annotated });
      const count = annotated.reduce((s, v) => s + v, 0);
      const divisor = reduction === 'mean' ? count : reduction === 'batchmean' ? n : 1;
      close(a.loss, b.loss / divisor);
      a.grad.forEach((g, k) => {
        close(g, b.grad[k] / divisor, 1e-6);
        if (y[k] === -1) assert.equal(g, 0);
      });
    }
  });

  it("'ignore' equals the loss of the batch with those elements removed", () => {
    // Each row's annotated elements as a row of their own: the sum of those losses, and their
    // gradients where they came from (0 elsewhere).
    let total = 0;
    const grad = new Float32Array(n * c);
    for (let i = 0; i < n; i++) {
      const kept = [...Array(c).keys()].filter((j) => y[i * c + j] !== -1);
      if (kept.length === 0) continue;
      const r = asl(
        kept.map((j) => x[i * c + j]),
        kept.map((j) => y[i * c + j]),
        [1, kept.length],
        exact,
      );
      total += r.loss;
      kept.forEach((j, t) => (grad[i * c + j] = r.grad[t]));
    }
    const a = asl(x, y, [n, c], { ...exact, unannotated: 'ignore' });
    close(a.loss, total);
    a.grad.forEach((g, k) => close(g, grad[k], 1e-6));
  });

  it("'negative' with another gammaUnannotated: the annotated part plus the unannotated part", () => {
    const a = asl(x, y, [n, c], { ...exact, unannotated: 'negative', gammaUnannotated: 1.5 });
    const known = asl(x, zeroed, [n, c], { ...exact, elementWeights: annotated });
    const unknown = asl(x, zeroed, [n, c], {
      ...exact,
      gammaNeg: 1.5,
      elementWeights: annotated.map((v) => 1 - v),
    });
    close(a.loss, known.loss + unknown.loss);
    a.grad.forEach((g, k) => close(g, known.grad[k] + unknown.grad[k], 1e-6));
  });

  it('posWeight multiplies the positives; soft targets are refused where it is not 1', () => {
    const a = asl(x, zeroed, [n, c], { ...exact, posWeight: 3 });
    const w = zeroed.map((v) => (v === 1 ? 3 : 1));
    const b = asl(x, zeroed, [n, c], { ...exact, elementWeights: w });
    close(a.loss, b.loss);
    const soft = zeroed.map((v, k) => (k === 4 ? 0.5 : v));
    assert.throws(
      () => asl(x, soft, [n, c], { posWeight: 2 }),
      /must be 0 or 1 where posWeight is not 1 \(posWeight\[4\] = 2\), but targets\[4\] \(row 0, column 4\) is 0.5/,
    );
    assert.throws(() => asl(x, zeroed, [n, c], { posWeight: [1, 2] }), /posWeight/);
  });

  it('the gradient equals central differences of the loss (full focal gradient)', () => {
    const options = {
      precision: 'float64',
      unannotated: 'negative',
      gammaUnannotated: 2,
      posWeight: 2,
      reduction: 'sum',
      clip: 0.05,
    } as const;
    const { grad } = asl(x, y, [n, c], options);
    for (const k of [0, 3, 8, 17, 30]) {
      const f = (v: number) => {
        const z = Float64Array.from(x);
        z[k] = v;
        return asl(z, y, [n, c], options).loss;
      };
      // The loss reads float32 logits: a step of 1e-3 keeps the rounding of x +- h small.
      const d = centralDifference(f, x[k], 1e-3);
      assert.ok(
        Math.abs(grad[k] - d) < 2e-4 * Math.max(1, Math.abs(d)),
        `grad[${k}] ${grad[k]} against ${d}`,
      );
    }
  });

  it('the SIMD kernel agrees with the float64 one', () => {
    const options = { unannotated: 'negative', gammaUnannotated: 2, posWeight: 2 } as const;
    const a = asl(x, y, [n, c], { ...options, precision: 'float32' });
    const b = asl(x, y, [n, c], { ...options, precision: 'float64' });
    close(a.loss, b.loss, 1e-5);
    const largest = Math.max(...b.grad.map(Math.abs));
    a.grad.forEach((g, k) => assert.ok(Math.abs(g - b.grad[k]) <= 1e-5 * largest));
  });
});

describe('ClassAwareSelection', () => {
  it('ignores unannotated labels of classes above the prior, then the k n most likely', () => {
    const priors = [0.9, 0.1, 0.1, 0.6, 0.1, 0.1, 0.1];
    const s = new ClassAwareSelection(c, { priors, priorThreshold: 0.5, likelihoodTopK: 1 });
    const w = s.elementWeights(x, y, [n, c]);
    const unann = [...y.keys()].filter((e) => y[e] === -1);
    const top = [...unann].sort((a, b) => x[b] - x[a] || a - b).slice(0, n);
    for (let e = 0; e < n * c; e++) {
      const expected = y[e] !== -1 ? 1 : priors[e % c] > 0.5 || top.includes(e) ? 0 : 1;
      assert.equal(w[e], expected, `element ${e}`);
    }
  });

  it('estimates the priors from observed predictions', () => {
    const s = new ClassAwareSelection(2, { likelihoodTopK: 0 });
    assert.equal(s.priors, null);
    s.observe([0, 100, 0, -100], [2, 2]);
    assert.deepEqual(Array.from(s.priors!), [0.5, 0.5]);
    assert.throws(() => s.observe([0, 0, 0], [1, 3]), /\[n, 2\]/);
    assert.throws(
      () => s.observe([0, NaN], [1, 2]),
      /^RangeError: Argument 'logits' passed to 'ClassAwareSelection.observe' must be finite, but logits\[1\] \(row 0, column 1\) is NaN$/,
    );
    assert.throws(() => new ClassAwareSelection(2, { likelihoodTopK: 0.5 }), /likelihoodTopK/);
  });

  it('selects the k highest logits as a full sort would, ties by position (quickselect)', () => {
    const v = rng(99);
    for (let trial = 0; trial < 200; trial++) {
      const m = 1 + Math.floor(v() * 300);
      // Few distinct values: many ties.
      const logits = Float32Array.from({ length: m }, () => Math.floor(v() * 8) - 4);
      const indices = Int32Array.from({ length: m }, (_, i) => i);
      const k = 1 + Math.floor(v() * m);
      const sorted = Array.from(indices).sort((a, b) => logits[b] - logits[a] || a - b);
      const picked = Array.from(topByLogit(logits, indices, k)).sort((a, b) => a - b);
      assert.deepEqual(
        picked,
        sorted.slice(0, k).sort((a, b) => a - b),
        `m ${m}, k ${k}`,
      );
    }
  });
});
