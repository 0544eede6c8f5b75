/**
 * The examples of the seed walkthrough (timm's ASL documentation), computed with this library:
 * the all-zero-parameters example that equals cross-entropy, and the three sweeps it plots.
 * The CLI prints them (`asl demo`) and the plots draw them.
 */
import { asymmetricLossMultiLabel, asymmetricLossSingleLabel } from 'asymmetric-loss';

/** One point of a sweep: the swept parameter's value and the loss there. */
export interface SweepPoint {
  x: number;
  loss: number;
}

/** `F.one_hot(torch.tensor([0, 9, 0]))`: 3 rows of 10 classes. */
export function seedOneHot(): Float32Array {
  const out = new Float32Array(30);
  [0, 9, 0].forEach((j, i) => (out[i * 10 + j] = 1));
  return out;
}

/** `2 * F.one_hot(torch.tensor([0, 9, 0])) - 1`: the walkthrough's logits for the sweeps. */
export function seedLogits(): Float32Array {
  return seedOneHot().map((v) => 2 * v - 1);
}

/** The single-label targets `[0, 0, 0]`. */
export const seedLabels: readonly number[] = [0, 0, 0];

/** The multi-label targets `[[1,1,0,...],[1,0,...,0,1],[1,1,0,...]]` (3 × 10). */
export function seedMultiLabelTargets(): Float32Array {
  const out = new Float32Array(30);
  for (const [i, j] of [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 9],
    [2, 0],
    [2, 1],
  ])
    out[i * 10 + j] = 1;
  return out;
}

/**
 * `AsymmetricLossSingleLabel(gamma_pos=0, gamma_neg=0, eps=0)(F.one_hot([0, 9, 0]), [0, 0, 0])`:
 * softmax cross-entropy, 1.7944835.
 */
export function seedCrossEntropy(): number {
  return asymmetricLossSingleLabel(seedOneHot(), seedLabels, [3, 10], {
    gammaPos: 0,
    gammaNeg: 0,
    eps: 0,
    grad: false,
  }).loss;
}

/**
 * Single-label loss against gamma_neg for the seed's logits and labels, reduction 'mean':
 * with `eps` 0.1, gamma_neg = 1 + 0.04 i for i < 80; with `eps` 0, gamma_neg = 0.02 i for
 * i < 100 (the flat line: without label smoothing the negatives carry no target mass).
 */
export function gammaNegSweep(eps: 0.1 | 0): SweepPoint[] {
  const count = eps === 0 ? 100 : 80;
  const logits = seedLogits();
  return Array.from({ length: count }, (_, i) => {
    const gammaNeg = eps === 0 ? 0.02 * i : 1 + 0.04 * i;
    const { loss } = asymmetricLossSingleLabel(logits, seedLabels, [3, 10], {
      gammaNeg,
      eps,
      grad: false,
    });
    return { x: gammaNeg, loss };
  });
}

/**
 * Multi-label loss (timm's defaults, reduction 'sum') against clip = i / 100, i < 100, for the
 * seed's logits and multi-label targets.
 */
export function clipSweep(): SweepPoint[] {
  const logits = seedLogits();
  const targets = seedMultiLabelTargets();
  return Array.from({ length: 100 }, (_, i) => {
    const { loss } = asymmetricLossMultiLabel(logits, targets, [3, 10], {
      clip: i / 100,
      grad: false,
    });
    return { x: i / 100, loss };
  });
}
