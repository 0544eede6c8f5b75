/**
 * The bench baseline (bench/timm-port.ts) is a faithful port of timm: it reproduces the
 * PyTorch reference's float32 vectors wherever they are finite, outside the 'extreme' cases
 * (saturated logits, where float32 sigmoid and log-softmax implementations part ways). Tolerances: loss 1e-4 relative,
 * gradient 1e-4 of the case's largest |grad| (both run in float32 tensors).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timmMultiLabel, timmSingleLabel } from '../bench/timm-port.js';
import { referenceCases } from '@asymmetric-loss/testing/reference';
import { maxAbs } from '@asymmetric-loss/testing/oracle';

describe('the timm port used as bench baseline', () => {
  for (const cs of referenceCases()) {
    const { params } = cs;
    const finite = cs.grad_f32.every((g) => g !== null) && typeof cs.loss_f32 === 'number';
    const reduction = params.reduction ?? (cs.loss === 'multi_label' ? 'sum' : 'mean');
    const hard = cs.targets.every((t) => t === 0 || t === 1);
    const plain = !cs.upstream && !params.disable_torch_grad_focal_loss;
    if (!finite || !plain || cs.id.endsWith('extreme')) continue;
    if (cs.loss === 'multi_label' && (reduction !== 'sum' || !hard)) continue;
    if (cs.loss === 'single_label' && reduction !== 'mean') continue;
    it(cs.id, () => {
      const [n, c] = cs.shape;
      const grad = new Float32Array(n * c);
      const x = new Float32Array(cs.logits);
      const loss =
        cs.loss === 'multi_label'
          ? timmMultiLabel(
              x,
              new Float32Array(cs.targets),
              params.gamma_neg,
              params.gamma_pos,
              params.clip ?? 0,
              params.eps,
              grad,
            )
          : timmSingleLabel(
              x,
              Int32Array.from(cs.targets),
              n,
              c,
              params.gamma_pos,
              params.gamma_neg,
              params.eps,
              grad,
            );
      const ref = cs.loss_f32 as number;
      assert.ok(Math.abs(loss - ref) <= 1e-4 * Math.abs(ref) + 1e-12, `loss ${loss} vs ${ref}`);
      const scale = maxAbs(cs.grad_f32);
      for (let k = 0; k < n * c; k++)
        assert.ok(Math.abs(grad[k] - (cs.grad_f32[k] as number)) <= 1e-4 * scale, `grad[${k}]`);
    });
  }
});
