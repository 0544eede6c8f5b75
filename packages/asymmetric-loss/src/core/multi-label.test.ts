import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { centralDifference, maxAbs, multiLabelElementLoss } from '@asymmetric-loss/testing/oracle';
import { referenceCases } from '@asymmetric-loss/testing/reference';
import { asymmetricLossMultiLabel } from './multi-label.js';
import type { MultiLabelOptions } from './multi-label.js';

const multiCases = referenceCases().filter((c) => c.loss === 'multi_label');

function optionsOf(
  params: (typeof multiCases)[number]['params'],
): Omit<MultiLabelOptions, 'reduction' | 'grad'> {
  return {
    gammaNeg: params.gamma_neg,
    gammaPos: params.gamma_pos,
    clip: params.clip,
    eps: params.eps,
    focalGrad: params.disable_torch_grad_focal_loss ? 'detached' : 'full',
  };
}

describe('asymmetricLossMultiLabel against the PyTorch reference vectors', () => {
  // Tolerances: loss within 1e-6 relative of the float64 reference; gradient element-wise
  // within 1e-5 of the case's largest |grad_f64| (the gradient is stored in float32).
  for (const cs of multiCases) {
    it(`${cs.id} (${JSON.stringify(cs.params)})`, () => {
      const { loss, grad } = asymmetricLossMultiLabel(
        new Float32Array(cs.logits),
        new Float32Array(cs.targets),
        cs.shape,
        optionsOf(cs.params),
      );
      const lossRef = cs.loss_f64 as number;
      assert.ok(
        Math.abs(loss - lossRef) <= 1e-6 * Math.max(Math.abs(lossRef), 1e-12),
        `loss ${loss} vs ${lossRef}`,
      );
      const scale = maxAbs(cs.grad_f64);
      const [n, c] = cs.shape;
      for (let k = 0; k < n * c; k++) {
        assert.ok(Number.isFinite(grad[k]), `grad[${k}] = ${grad[k]} is not finite`);
        const ref = cs.grad_f64[k];
        // Where PyTorch's gradient is NaN/Inf, ours must equal the mathematical limit: the
        // float64 central difference of the loss (the loss itself is smooth there).
        const expected =
          ref ??
          centralDifference(
            (x) =>
              multiLabelElementLoss(x, cs.targets[k], {
                gammaNeg: cs.params.gamma_neg,
                gammaPos: cs.params.gamma_pos,
                clip: cs.params.clip ?? 0,
                eps: cs.params.eps,
              }),
            cs.logits[k],
            1e-5 * Math.max(1, Math.abs(cs.logits[k])),
          );
        assert.ok(
          Math.abs(grad[k] - expected) <= 1e-5 * scale,
          `grad[${k}] = ${grad[k]} vs ${expected} (reference ${ref}), x = ${cs.logits[k]}, y = ${cs.targets[k]}`,
        );
      }
    });
  }
});

// Points where the loss is smooth enough for central differences: away from the clip kink
// (p = clip) and from the eps clamp (p = eps), by more than the step.
const smoothLogit = fc.double({ min: -30, max: 30, noNaN: true });
const gamma = fc.oneof(fc.constantFrom(0, 1, 2, 4), fc.double({ min: 0, max: 8, noNaN: true }));
const target = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
const clip = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.5, noNaN: true }));

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

describe('asymmetricLossMultiLabel gradient against float64 central differences', () => {
  it('at random points, for any gammas, clip and soft or hard targets', () => {
    fc.assert(
      fc.property(
        smoothLogit,
        target,
        gamma,
        gamma,
        clip,
        fc.boolean(),
        (x, y, gn, gp, cl, eps0) => {
          const eps = eps0 ? 0 : 1e-8;
          const p = 1 / (1 + Math.exp(-x));
          fc.pre(Math.abs(p - cl) > 1e-3 && Math.abs(p - eps) > 1e-3 * eps);
          // A fractional gamma below 1 makes the loss non-differentiable where its base is 0.
          fc.pre(gn >= 1 || gn === 0 || p - cl > 1e-3);
          const o = { gammaNeg: gn, gammaPos: gp, clip: cl, eps };
          const { grad } = asymmetricLossMultiLabel([x], [y], [1, 1], o);
          const h = 1e-6;
          const fd = centralDifference((z) => multiLabelElementLoss(z, y, o), x, h);
          assert.ok(
            Math.abs(grad[0] - fd) <= 2e-6 * Math.max(1, Math.abs(fd)),
            `x=${x} y=${y} grad ${grad[0]} vs ${fd}`,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('near the clip boundary and the eps clamp, on both sides', () => {
    const o = { gammaNeg: 4, gammaPos: 1, clip: 0.05, eps: 1e-8 };
    const points: [number, number][] = [
      [logit(0.05 + 1e-3), 0],
      [logit(0.05 + 1e-6), 0],
      [logit(0.05 - 1e-3), 0],
      [logit(1e-8) + 1e-3, 1],
      [logit(1e-8) - 1e-3, 1],
      [logit(1e-8) + 1e-3, 0.5],
      [logit(0.05 + 1e-4), 0.3],
    ];
    for (const [x, y] of points) {
      const { grad } = asymmetricLossMultiLabel([x], [y], [1, 1], o);
      const fd = centralDifference((z) => multiLabelElementLoss(z, y, o), x, 1e-8);
      assert.ok(
        Math.abs(grad[0] - fd) <= 1e-6 * Math.max(1, Math.abs(fd)),
        `x=${x} y=${y}: ${grad[0]} vs ${fd}`,
      );
    }
  });

  it('with detached focusing, equals the gradient of the log term times the weight', () => {
    fc.assert(
      fc.property(smoothLogit, fc.constantFrom(0, 1), gamma, gamma, (x, y, gn, gp) => {
        const o = { gammaNeg: gn, gammaPos: gp, clip: 0, eps: 0 };
        const { grad } = asymmetricLossMultiLabel([x], [y], [1, 1], {
          ...o,
          focalGrad: 'detached',
        });
        // The logit is stored in float32 first; q = 1 - p is computed without cancellation.
        const xf = Math.fround(x);
        const p = 1 / (1 + Math.exp(-xf));
        const q = 1 / (1 + Math.exp(xf));
        const w = y === 1 ? Math.pow(q, gp) : Math.pow(p, gn);
        const expected = Math.fround(y === 1 ? -q * w : p * w);
        assert.ok(
          Math.abs(grad[0] - expected) <= 1e-6 * Math.max(1e-30, Math.abs(expected)) + 1e-30,
        );
      }),
    );
  });
});

function bce(x: number, y: number): number {
  // Stable binary cross-entropy with logits: max(x, 0) - x y + log(1 + exp(-|x|)).
  return Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
}

describe('asymmetricLossMultiLabel special cases', () => {
  const logits = fc.double({ min: -15, max: 15, noNaN: true });
  it('gammas 0 and clip 0 give binary cross-entropy and its gradient sigmoid(x) - y', () => {
    fc.assert(
      fc.property(logits, target, (x, y) => {
        const { loss, grad } = asymmetricLossMultiLabel([x], [y], [1, 1], {
          gammaNeg: 0,
          gammaPos: 0,
          clip: 0,
          eps: 0,
        });
        // Inputs are stored in float32 before the float64 arithmetic.
        const [xf, yf] = [Math.fround(x), Math.fround(y)];
        assert.ok(Math.abs(loss - bce(xf, yf)) <= 1e-12 * Math.max(1, bce(xf, yf)));
        const p = 1 / (1 + Math.exp(-xf));
        assert.ok(Math.abs(grad[0] - (p - yf)) <= 1e-7);
      }),
    );
  });

  it('gammaPos = gammaNeg = g and clip 0 give the sigmoid focal loss', () => {
    fc.assert(
      fc.property(
        logits,
        fc.constantFrom(0, 1),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (x, y, g) => {
          const { loss } = asymmetricLossMultiLabel([x], [y], [1, 1], {
            gammaNeg: g,
            gammaPos: g,
            clip: 0,
            eps: 0,
          });
          const xf = Math.fround(x);
          const p = 1 / (1 + Math.exp(-xf));
          const pt = y === 1 ? p : 1 / (1 + Math.exp(xf));
          const focal = Math.pow(1 - pt, g) * bce(xf, y);
          assert.ok(Math.abs(loss - focal) <= 1e-12 * Math.max(1, focal));
        },
      ),
    );
  });

  it('easy negatives below the clip change neither the loss nor the gradient', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.9, noNaN: true }),
        fc.double({ min: -60, max: 0, noNaN: true }),
        (cl, x) => {
          fc.pre(1 / (1 + Math.exp(-x)) < cl * (1 - 1e-9));
          const base = asymmetricLossMultiLabel([0.3, 2], [1, 0], [1, 2], { clip: cl });
          const more = asymmetricLossMultiLabel([0.3, 2, x], [1, 0, 0], [1, 3], { clip: cl });
          assert.equal(more.loss, base.loss);
          assert.equal(more.grad[2], 0);
          assert.deepEqual(Array.from(more.grad.subarray(0, 2)), Array.from(base.grad));
        },
      ),
    );
  });
});

const anyLogit = fc.oneof(
  fc.double({ min: -1e4, max: 1e4, noNaN: true }),
  fc.constantFrom(1e4, -1e4, 88, -88, 17, -17, 745, -745, 1e30, -1e30, 0),
);

describe('asymmetricLossMultiLabel properties', () => {
  it('loss >= 0, loss and gradient finite for every finite logit and gamma >= 0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(anyLogit, target), { minLength: 1, maxLength: 12 }),
        gamma,
        gamma,
        clip,
        fc.constantFrom(0, 1e-8, 1e-3),
        fc.constantFrom('full', 'detached') as fc.Arbitrary<'full' | 'detached'>,
        (pairs, gn, gp, cl, eps, focalGrad) => {
          const x = pairs.map(([v]) => v);
          const y = pairs.map(([, t]) => t);
          const o = { gammaNeg: gn, gammaPos: gp, clip: cl, eps, focalGrad };
          const { loss, grad } = asymmetricLossMultiLabel(x, y, [1, x.length], {
            ...o,
            reduction: 'none',
          });
          for (let k = 0; k < x.length; k++) {
            assert.ok(loss[k] >= 0 && Number.isFinite(loss[k]), `loss[${k}] = ${loss[k]}`);
            assert.ok(Number.isFinite(grad[k]), `grad[${k}] = ${grad[k]} at x=${x[k]}, y=${y[k]}`);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('with eps 0 a saturated positive keeps its gradient (the reference clamps it to 0)', () => {
    const { loss, grad } = asymmetricLossMultiLabel([-40], [1], [1, 1], { gammaPos: 0, eps: 0 });
    assert.ok(Math.abs(loss - 40) < 1e-12);
    assert.ok(Math.abs(grad[0] + 1) < 1e-7);
    const clamped = asymmetricLossMultiLabel([-40], [1], [1, 1], { gammaPos: 0 });
    assert.ok(Math.abs(clamped.loss + Math.log(1e-8)) < 1e-12);
    assert.ok(clamped.grad[0] === 0, `grad ${clamped.grad[0]}`);
  });

  it('the gradient of the element-wise loss is the gradient of the sum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(smoothLogit, target), { minLength: 1, maxLength: 20 }),
        (pairs) => {
          const x = new Float32Array(pairs.map(([v]) => v));
          const y = new Float32Array(pairs.map(([, t]) => t));
          const none = asymmetricLossMultiLabel(x, y, [1, x.length], { reduction: 'none' });
          const sum = asymmetricLossMultiLabel(x, y, [1, x.length]);
          const total = none.loss.reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(total - sum.loss) <= 1e-6 * Math.max(1, sum.loss));
          assert.deepEqual(Array.from(none.grad), Array.from(sum.grad));
        },
      ),
    );
  });
});

describe('asymmetricLossMultiLabel reductions, weights and buffers', () => {
  const x = new Float32Array([2, -1, 0.5, -3, 0.1, 4]);
  const y = new Float32Array([1, 0, 0, 1, 0.5, 0]);
  const shape: [number, number] = [2, 3];
  const sum = asymmetricLossMultiLabel(x, y, shape);

  it("'mean' divides by n * c and 'batchmean' by n, gradients included", () => {
    const mean = asymmetricLossMultiLabel(x, y, shape, { reduction: 'mean' });
    const batch = asymmetricLossMultiLabel(x, y, shape, { reduction: 'batchmean' });
    assert.ok(Math.abs(mean.loss - sum.loss / 6) < 1e-12);
    assert.ok(Math.abs(batch.loss - sum.loss / 2) < 1e-12);
    for (let k = 0; k < 6; k++) {
      assert.ok(Math.abs(mean.grad[k] - sum.grad[k] / 6) < 1e-7);
      assert.ok(Math.abs(batch.grad[k] - sum.grad[k] / 2) < 1e-7);
    }
  });

  it('class and sample weights multiply the losses and the gradients', () => {
    const classWeights = [1, 2, 0.5];
    const sampleWeights = [3, 0];
    const w = asymmetricLossMultiLabel(x, y, shape, {
      classWeights,
      sampleWeights,
      reduction: 'none',
    });
    const plain = asymmetricLossMultiLabel(x, y, shape, { reduction: 'none' });
    for (let k = 0; k < 6; k++) {
      const factor = classWeights[k % 3] * sampleWeights[Math.floor(k / 3)];
      assert.ok(
        Math.abs(w.loss[k] - plain.loss[k] * factor) <= 1e-6 * Math.abs(plain.loss[k] * factor),
      );
      assert.ok(
        Math.abs(w.grad[k] - plain.grad[k] * factor) <= 1e-6 * Math.abs(plain.grad[k] * factor),
      );
    }
  });

  it("upstream: a number scales; per-element or per-sample arrays with 'none'", () => {
    const scaled = asymmetricLossMultiLabel(x, y, shape, { upstream: -2 });
    assert.equal(scaled.loss, sum.loss);
    for (let k = 0; k < 6; k++) assert.ok(Math.abs(scaled.grad[k] + 2 * sum.grad[k]) < 1e-6);
    const perElement = [1, 2, 3, 4, 5, 6];
    const e = asymmetricLossMultiLabel(x, y, shape, { reduction: 'none', upstream: perElement });
    for (let k = 0; k < 6; k++) assert.ok(Math.abs(e.grad[k] - perElement[k] * sum.grad[k]) < 1e-6);
    const r = asymmetricLossMultiLabel(x, y, shape, { reduction: 'none', upstream: [10, -1] });
    for (let k = 0; k < 6; k++)
      assert.ok(Math.abs(r.grad[k] - (k < 3 ? 10 : -1) * sum.grad[k]) < 1e-6);
  });

  it('writes into gradOut and lossOut without allocating them, and skips the gradient with grad: false', () => {
    const gradOut = new Float32Array(6);
    const lossOut = new Float32Array(6);
    const r = asymmetricLossMultiLabel(x, y, shape, { reduction: 'none', gradOut, lossOut });
    assert.equal(r.grad, gradOut);
    assert.equal(r.loss, lossOut);
    assert.deepEqual(Array.from(gradOut), Array.from(sum.grad));
    const valueOnly = asymmetricLossMultiLabel(x, y, shape, { grad: false });
    assert.equal(valueOnly.grad, null);
    assert.equal(valueOnly.loss, sum.loss);
  });

  it('accepts nested arrays, Float64Array logits and Uint8Array targets alike', () => {
    const nested = asymmetricLossMultiLabel(
      [
        [2, -1, 0.5],
        [-3, 0.1, 4],
      ],
      [
        [1, 0, 0],
        [1, 0.5, 0],
      ],
      shape,
    );
    assert.equal(nested.loss, sum.loss);
    const typed = asymmetricLossMultiLabel(
      Float64Array.from(x),
      new Uint8Array([1, 0, 0, 1, 0, 0]),
      shape,
    );
    const hard = asymmetricLossMultiLabel(x, [1, 0, 0, 1, 0, 0], shape);
    assert.equal(typed.loss, hard.loss);
  });

  it('an empty batch gives loss 0 and an empty gradient', () => {
    for (const reduction of ['sum', 'mean', 'batchmean'] as const) {
      const r = asymmetricLossMultiLabel(new Float32Array(0), new Float32Array(0), [0, 5], {
        reduction,
      });
      assert.equal(r.loss, 0);
      assert.equal(r.grad.length, 0);
    }
    const none = asymmetricLossMultiLabel([], [], [0, 5], { reduction: 'none' });
    assert.equal(none.loss.length, 0);
  });

  it('validate: false skips the scans but still checks lengths', () => {
    const r = asymmetricLossMultiLabel(x, y, shape, { validate: false });
    assert.equal(r.loss, sum.loss);
    assert.throws(() => asymmetricLossMultiLabel(x, y, [3, 3], { validate: false }), RangeError);
  });
});
