/**
 * Parity with the PyTorch reference (not a speed benchmark): for each kernel, the largest loss
 * error relative to `loss_f64` and the largest gradient error relative to the case's largest
 * |grad_f64| over all cases of test/fixtures/asl-public.json (elements where PyTorch's gradient
 * is NaN are counted separately: ours must be finite there).
 */
import {
  asymmetricLossMultiLabel,
  asymmetricLossSingleLabel,
  type Precision,
} from 'asymmetric-loss';
import { maxAbs } from '@asymmetric-loss/testing/oracle';
import { referenceCases } from '@asymmetric-loss/testing/reference';
import type { BenchOptions, Report } from './harness.js';

export function run(report: Report, options: BenchOptions): void {
  for (const precision of ['float64', 'float32'] as Precision[]) {
    const name = `reference vectors, precision ${precision}`;
    if (options.filter && !name.includes(options.filter)) continue;
    let lossError = 0;
    let gradError = 0;
    let nanElements = 0;
    let nonFinite = 0;
    for (const cs of referenceCases()) {
      const p = cs.params;
      const multi = cs.loss === 'multi_label';
      const perSample = !multi && p.reduction !== 'mean';
      const common = { gammaNeg: p.gamma_neg, gammaPos: p.gamma_pos, eps: p.eps, precision };
      const focalGrad = p.disable_torch_grad_focal_loss ? ('detached' as const) : ('full' as const);
      const upstream = cs.upstream ? { upstream: cs.upstream } : {};
      const x = new Float32Array(cs.logits);
      const { loss, grad } = multi
        ? asymmetricLossMultiLabel(x, new Float32Array(cs.targets), cs.shape, {
            ...common,
            clip: p.clip ?? 0,
            focalGrad,
          })
        : asymmetricLossSingleLabel(x, Int32Array.from(cs.targets), cs.shape, {
            ...common,
            reduction: perSample ? 'none' : 'mean',
            ...upstream,
          });
      const refLoss = Array.isArray(cs.loss_f64) ? cs.loss_f64 : [cs.loss_f64 as number];
      const ours = typeof loss === 'number' ? [loss] : Array.from(loss);
      refLoss.forEach((ref, i) => {
        // A reference loss of 0 (all elements discarded) is compared absolutely.
        if (ref === null) return;
        const e = Math.abs(ours[i] - ref) / (ref === 0 ? 1 : Math.abs(ref));
        lossError = Math.max(lossError, e);
      });
      const scale = maxAbs(cs.grad_f64);
      cs.grad_f64.forEach((ref, k) => {
        if (!Number.isFinite(grad[k])) nonFinite++;
        if (ref === null) nanElements++;
        else if (scale > 0) gradError = Math.max(gradError, Math.abs(grad[k] - ref) / scale);
      });
    }
    report({
      bench: 'parity',
      name,
      cases: referenceCases().length,
      maxLossRelError: lossError,
      maxGradErrorOfMax: gradError,
      referenceNaNElements: nanElements,
      oursNonFinite: nonFinite,
    });
  }
}
