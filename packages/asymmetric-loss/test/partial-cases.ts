/**
 * The library's options for a partial-annotation reference case (fixtures/partial-public.json):
 * the authors' loss is `focalGrad: 'detached'`, eps 1e-8, `'sum'`, `posWeight` = `alpha_pos`,
 * `gammaUnannotated` = `gamma_unann`; `selective` is `unannotated: 'negative'` with the
 * `elementWeights` of `ClassAwareSelection` (priors given).
 */
import type { PartialCase } from '@asymmetric-loss/testing/reference';
import { ClassAwareSelection } from '../src/index.js';
import type { MultiLabelLossOptions } from '../src/index.js';

export function partialOptionsOf(cs: PartialCase): {
  options: MultiLabelLossOptions;
  elementWeights: Float32Array | null;
} {
  const p = cs.params;
  const options: MultiLabelLossOptions = {
    gammaNeg: p.gamma_neg,
    gammaPos: p.gamma_pos,
    clip: p.clip,
    eps: 1e-8,
    focalGrad: 'detached',
    reduction: 'sum',
    unannotated: p.partial_loss_mode === 'ignore' ? 'ignore' : 'negative',
    gammaUnannotated: p.gamma_unann,
    posWeight: p.alpha_pos,
  };
  if (p.partial_loss_mode !== 'selective') return { options, elementWeights: null };
  const selection = new ClassAwareSelection(cs.shape[1], {
    priors: p.priors,
    priorThreshold: p.prior_threshold,
    likelihoodTopK: p.likelihood_topk,
  });
  return { options, elementWeights: selection.elementWeights(cs.logits, cs.targets, cs.shape) };
}
