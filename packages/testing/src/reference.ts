/**
 * The PyTorch reference vectors (packages/testing/fixtures/asl-public.json, copied from the project's
 * shared reference set; see packages/testing/fixtures/README.md).
 */
import { readFileSync } from 'node:fs';

export interface ReferenceCase {
  id: string;
  loss: 'multi_label' | 'single_label';
  impl: string;
  params: {
    gamma_neg: number;
    gamma_pos: number;
    clip?: number | null;
    eps: number;
    disable_torch_grad_focal_loss?: boolean;
    reduction?: 'mean' | 'sum' | 'none';
  };
  shape: [number, number];
  logits: number[];
  targets: number[];
  loss_f64: number | (number | null)[] | null;
  grad_f64: (number | null)[];
  loss_f32: number | (number | null)[] | null;
  grad_f32: (number | null)[];
  upstream?: number[];
}

const parsed = new Map<string, unknown[]>();

/** The `cases` of a fixture file, parsed once per process. */
function fixtureCases<T>(file: string): T[] {
  let cases = parsed.get(file);
  if (cases === undefined) {
    const text = readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8');
    cases = (JSON.parse(text) as { cases: T[] }).cases;
    parsed.set(file, cases);
  }
  return cases as T[];
}

/** All reference cases, parsed once per process. */
export function referenceCases(): ReferenceCase[] {
  return fixtureCases('asl-public.json');
}

/** One case of test/fixtures/metrics-public.json (scores and expected metrics, see its README). */
export interface MetricsCase {
  id: string;
  shape: [number, number];
  scores: number[];
  targets: number[];
  /** Whether the scores contain ties. */
  ties: boolean;
  /** Per-class AP, scikit-learn's definition (null: class without positives). */
  ap_per_class_tie_aware: (number | null)[];
  /** Per-class AP, the authors' formula after a stable descending sort. */
  ap_per_class_argsort: (number | null)[];
  mAP_tie_aware: number;
  classes_with_positives: number;
  threshold: number;
  CP: number;
  CR: number;
  CF1: number;
  OP: number;
  OR: number;
  OF1: number;
}

/** All metrics reference cases, parsed once per process. */
export function metricsCases(): MetricsCase[] {
  return fixtureCases('metrics-public.json');
}

/** One case of fixtures/partial-public.json (the authors' partial-annotation loss; see its README). */
export interface PartialCase {
  id: string;
  params: {
    clip: number;
    gamma_pos: number;
    gamma_neg: number;
    gamma_unann: number;
    alpha_pos: number;
    alpha_neg: 1;
    alpha_unann: 1;
    partial_loss_mode: 'negative' | 'ignore' | 'selective';
    likelihood_topk: number;
    prior_threshold: number;
    priors: number[] | null;
  };
  shape: [number, number];
  logits: number[];
  /** 1, 0, or -1 (unannotated). */
  targets: number[];
  /** The element weights the mode produced (1 everywhere for 'negative'). */
  weights: number[];
  loss_f64: number;
  grad_f64: number[];
  loss_f32: number;
  grad_f32: number[];
}

/** All partial-annotation reference cases, parsed once per process. */
export function partialCases(): PartialCase[] {
  return fixtureCases('partial-public.json');
}
