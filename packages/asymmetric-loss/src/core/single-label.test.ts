import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { centralDifference, maxAbs, singleLabelRowLoss } from '@asymmetric-loss/testing/oracle';
import { referenceCases } from '@asymmetric-loss/testing/reference';
import { asymmetricLossSingleLabel } from './single-label.js';

const singleCases = referenceCases().filter((c) => c.loss === 'single_label');

/** The row loss as a function of one logit, for finite differences. */
function rowLossAt(
  row: ArrayLike<number>,
  target: number,
  j: number,
  o: { gammaNeg: number; gammaPos: number; eps: number },
): (z: number) => number {
  return (z) => {
    const copy = Array.from(row);
    copy[j] = z;
    return singleLabelRowLoss(copy, target, o);
  };
}

describe('asymmetricLossSingleLabel against the PyTorch reference vectors', () => {
  // Tolerances: loss within 1e-6 relative of the float64 reference; gradient element-wise
  // within 1e-5 of the case's largest |grad_f64|. Where the reference is NaN (fractional
  // gammas) the gradient must equal the float64 central difference of the loss.
  for (const cs of singleCases) {
    it(`${cs.id} (${JSON.stringify(cs.params)})`, () => {
      const [n, c] = cs.shape;
      const o = {
        gammaNeg: cs.params.gamma_neg,
        gammaPos: cs.params.gamma_pos,
        eps: cs.params.eps,
      };
      // timm's reduction='sum' and 'none' return per-sample losses: our 'none'.
      const perSample = cs.params.reduction !== 'mean';
      const { loss, grad } = asymmetricLossSingleLabel(
        new Float32Array(cs.logits),
        Int32Array.from(cs.targets),
        cs.shape,
        {
          ...o,
          reduction: perSample ? 'none' : 'mean',
          ...(cs.upstream ? { upstream: cs.upstream } : {}),
        },
      );
      if (perSample) {
        const ref = cs.loss_f64 as number[];
        assert.ok(loss instanceof Float32Array);
        for (let i = 0; i < n; i++)
          // Float32 storage of each per-sample loss: 1e-6 relative covers its rounding.
          assert.ok(Math.abs(loss[i] - ref[i]) <= 1e-6 * Math.abs(ref[i]), `loss[${i}]`);
      } else {
        const ref = cs.loss_f64 as number;
        assert.ok(typeof loss === 'number');
        assert.ok(Math.abs(loss - ref) <= 1e-6 * Math.abs(ref), `loss ${loss} vs ${ref}`);
      }
      // A case whose reference gradient is NaN everywhere scales by our own largest |grad|.
      const scale = maxAbs(cs.grad_f64) || maxAbs(grad ?? []);
      for (let k = 0; k < n * c; k++) {
        assert.ok(grad !== null && Number.isFinite(grad[k]), `grad[${k}] not finite`);
        const i = Math.floor(k / c);
        const ref = cs.grad_f64[k];
        // Softmax is shift-invariant: differentiate the row shifted by its maximum, where
        // the float64 differences do not drown in the round-off of logits like 1e4.
        const raw = cs.logits.slice(i * c, (i + 1) * c);
        const top = Math.max(...raw);
        const row = raw.map((v) => v - top);
        const weight = cs.upstream ? cs.upstream[i] : 1 / n;
        const expected =
          ref ??
          weight * centralDifference(rowLossAt(row, cs.targets[i], k % c, o), row[k % c], 1e-6);
        assert.ok(
          Math.abs(grad[k] - expected) <= 1e-5 * scale,
          `grad[${k}] = ${grad[k]} vs ${expected} (reference ${ref})`,
        );
      }
    });
  }
});

const gamma = fc.oneof(fc.constantFrom(0, 1, 2, 4), fc.double({ min: 0, max: 8, noNaN: true }));

describe('asymmetricLossSingleLabel gradient against float64 central differences', () => {
  it('at random rows, targets, gammas and smoothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 2, maxLength: 8 }),
        fc.nat(),
        fc.constantFrom(1, 2, 4, 3.5, 1.5),
        gamma,
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (raw, t, gn, gp, eps) => {
          const row = raw.map(Math.fround);
          const c = row.length;
          const target = t % c;
          const o = { gammaNeg: gn, gammaPos: gp, eps };
          const { grad } = asymmetricLossSingleLabel(row, [target], [1, c], o);
          for (let j = 0; j < c; j++) {
            const fd = centralDifference(rowLossAt(row, target, j, o), row[j], 1e-6);
            assert.ok(
              Math.abs(grad[j] - fd) <= 2e-6 * Math.max(1, Math.abs(fd)),
              `j=${j}: ${grad[j]} vs ${fd}`,
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('asymmetricLossSingleLabel special cases', () => {
  it("the seed's example: gammas 0 and eps 0 give softmax cross-entropy, 1.7944835", () => {
    const oneHot = (j: number) => Array.from({ length: 10 }, (_, k) => (k === j ? 1 : 0));
    const { loss } = asymmetricLossSingleLabel(
      [oneHot(0), oneHot(9), oneHot(0)],
      [0, 0, 0],
      [3, 10],
      {
        gammaPos: 0,
        gammaNeg: 0,
        eps: 0,
      },
    );
    assert.ok(Math.abs(loss - 1.7944835) < 5e-8, `${loss}`);
  });

  it('gammas 0 with smoothing eps give cross-entropy with label smoothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 2, maxLength: 10 }),
        fc.nat(),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (raw, t, eps) => {
          const row = raw.map(Math.fround);
          const c = row.length;
          const target = t % c;
          const { loss, grad } = asymmetricLossSingleLabel(row, [target], [1, c], {
            gammaPos: 0,
            gammaNeg: 0,
            eps,
          });
          const max = Math.max(...row);
          const lse = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
          let ce = 0;
          for (let j = 0; j < c; j++) {
            const s = (j === target ? 1 - eps : 0) + eps / c;
            ce -= s * (row[j] - lse);
            // d CE / d x_j = softmax_j - s_j.
            assert.ok(Math.abs(grad[j] - (Math.exp(row[j] - lse) - s)) < 1e-7);
          }
          assert.ok(Math.abs(loss - ce) <= 1e-12 * Math.max(1, ce));
        },
      ),
    );
  });
});

describe('asymmetricLossSingleLabel on confident rows', () => {
  it('keeps the digits of a tiny loss and of the target gradient (log1p, no cancellation)', () => {
    const row = [30, 3.4, 0];
    const rest = Math.exp(Math.fround(3.4) - 30) + Math.exp(-30);
    const { loss, grad } = asymmetricLossSingleLabel(row, [0], [1, 3], {
      gammaPos: 0,
      gammaNeg: 0,
      eps: 0,
      precision: 'float64',
    });
    // -log p_0 = log1p(rest); d/dx_0 = p_0 - 1 = -rest / (1 + rest).
    assert.ok(Math.abs(loss - Math.log1p(rest)) <= 1e-12 * Math.log1p(rest), `${loss}`);
    assert.ok(Math.abs(grad[0] + rest / (1 + rest)) <= 1e-6 * (rest / (1 + rest)), `${grad[0]}`);
  });

  it('huge logits do not tie the probabilities at 1', () => {
    const { loss, grad } = asymmetricLossSingleLabel([3e38, 2.9e38, 0], [1], [1, 3], {
      precision: 'float64',
    });
    assert.ok(Number.isFinite(loss) && loss > 0);
    assert.ok(Math.abs(grad.reduce((a, b) => a + b, 0)) < 1e-6);
  });
});

describe('asymmetricLossSingleLabel properties', () => {
  it('loss >= 0, loss and gradient finite for every finite logit and gamma >= 0', () => {
    const anyLogit = fc.oneof(
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.constantFrom(1e4, -1e4, 88, -88, 17, -17, 1e30, -1e30, 0),
    );
    fc.assert(
      fc.property(
        fc.array(anyLogit, { minLength: 1, maxLength: 12 }),
        fc.nat(),
        gamma,
        gamma,
        fc.constantFrom(0, 0.1, 0.5),
        fc.constantFrom('full', 'detached') as fc.Arbitrary<'full' | 'detached'>,
        (row, t, gn, gp, eps, focalGrad) => {
          const c = row.length;
          const { loss, grad } = asymmetricLossSingleLabel(row, [t % c], [1, c], {
            gammaNeg: gn,
            gammaPos: gp,
            eps,
            focalGrad,
          });
          assert.ok(loss >= 0 && Number.isFinite(loss), `loss ${loss}`);
          for (let j = 0; j < c; j++)
            assert.ok(Number.isFinite(grad[j]), `grad[${j}] = ${grad[j]}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the gradient of each row sums to 0 (softmax is shift-invariant)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 10 }),
        fc.nat(),
        gamma,
        gamma,
        (row, t, gn, gp) => {
          const c = row.length;
          const { grad } = asymmetricLossSingleLabel(row, [t % c], [1, c], {
            gammaNeg: gn,
            gammaPos: gp,
          });
          const total = grad.reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(total) < 1e-6, `${total}`);
        },
      ),
    );
  });
});

describe('asymmetricLossSingleLabel reductions, weights and buffers', () => {
  const x = new Float32Array([2, -1, 0.5, -3, 0.1, 4]);
  const t = [0, 2];
  const shape: [number, number] = [2, 3];
  const mean = asymmetricLossSingleLabel(x, t, shape);
  const none = asymmetricLossSingleLabel(x, t, shape, { reduction: 'none' });

  it("'sum' is the true sum over the batch, 'mean' and 'batchmean' divide by n", () => {
    const sum = asymmetricLossSingleLabel(x, t, shape, { reduction: 'sum' });
    const batch = asymmetricLossSingleLabel(x, t, shape, { reduction: 'batchmean' });
    assert.ok(Math.abs(sum.loss - (none.loss[0] + none.loss[1])) < 1e-6);
    assert.ok(Math.abs(mean.loss - sum.loss / 2) < 1e-12);
    assert.equal(batch.loss, mean.loss);
    for (let k = 0; k < 6; k++) assert.ok(Math.abs(sum.grad[k] - 2 * mean.grad[k]) < 1e-7);
  });

  it('per-sample weights and upstream scale rows', () => {
    const w = asymmetricLossSingleLabel(x, t, shape, { reduction: 'none', sampleWeights: [2, 0] });
    assert.ok(Math.abs(w.loss[0] - 2 * none.loss[0]) < 1e-6);
    assert.equal(w.loss[1], 0);
    const up = asymmetricLossSingleLabel(x, t, shape, { reduction: 'none', upstream: [3, -1] });
    for (let k = 0; k < 6; k++)
      assert.ok(Math.abs(up.grad[k] - (k < 3 ? 3 : -1) * none.grad[k]) < 1e-6);
  });

  it('writes into gradOut, skips the gradient with grad: false, empty batch gives 0', () => {
    const gradOut = new Float32Array(6);
    const r = asymmetricLossSingleLabel(x, t, shape, { gradOut });
    assert.equal(r.grad, gradOut);
    assert.deepEqual(Array.from(gradOut), Array.from(mean.grad));
    assert.equal(asymmetricLossSingleLabel(x, t, shape, { grad: false }).grad, null);
    const empty = asymmetricLossSingleLabel(new Float32Array(0), new Int32Array(0), [0, 3]);
    assert.equal(empty.loss, 0);
    assert.equal(empty.grad.length, 0);
  });
});
