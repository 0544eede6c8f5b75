"""The PyTorch baseline of the core benchmarks: timm's AsymmetricLossMultiLabel and
AsymmetricLossSingleLabel (their forward, as in timm/loss/asymmetric_loss.py), timed forward +
backward on one thread.

Usage: python3 timm_asl.py SPEC [SPEC ...] [--min-time SECONDS] [--warmup SECONDS]
SPEC is "multi:N:C:GAMMA_NEG:GAMMA_POS" or "single:N:C". Each SPEC is warmed up for --warmup
seconds (default 0.3) and at least 3 calls, then timed for --min-time seconds (default 1.0) and
at least 5 calls; nsPerElement is the median call over N * C. Prints one JSON object per SPEC:
{"spec", "n", "c", "nsPerElement", "runs", "torch"}. Inputs follow bench/core.bench.ts: logits
2 x standard normal, about one positive per 20 negatives, clip 0.05, eps 1e-8; single-label eps
0.1 (label smoothing), gammas 4 and 1.

Needs PyTorch (Debian: apt-get install python3-torch, then run with /usr/bin/python3).
"""
import json
import sys
import time

import torch


def asl_multi_label(x, y, gamma_neg=4.0, gamma_pos=1.0, clip=0.05, eps=1e-8):
    # timm AsymmetricLossMultiLabel.forward, disable_torch_grad_focal_loss=False
    x_sigmoid = torch.sigmoid(x)
    xs_pos = x_sigmoid
    xs_neg = 1 - x_sigmoid
    if clip is not None and clip > 0:
        xs_neg = (xs_neg + clip).clamp(max=1)
    los_pos = y * torch.log(xs_pos.clamp(min=eps))
    los_neg = (1 - y) * torch.log(xs_neg.clamp(min=eps))
    loss = los_pos + los_neg
    if gamma_neg > 0 or gamma_pos > 0:
        pt0 = xs_pos * y
        pt1 = xs_neg * (1 - y)
        pt = pt0 + pt1
        one_sided_gamma = gamma_pos * y + gamma_neg * (1 - y)
        one_sided_w = torch.pow(1 - pt, one_sided_gamma)
        loss *= one_sided_w
    return -loss.sum()


def asl_single_label(inputs, target, gamma_pos=1.0, gamma_neg=4.0, eps=0.1):
    # timm AsymmetricLossSingleLabel.forward, reduction 'mean'
    num_classes = inputs.size()[-1]
    log_preds = torch.log_softmax(inputs, dim=-1)
    targets_classes = torch.zeros_like(inputs).scatter_(1, target.long().unsqueeze(1), 1)
    targets = targets_classes
    anti_targets = 1 - targets
    xs_pos = torch.exp(log_preds)
    xs_neg = 1 - xs_pos
    xs_pos = xs_pos * targets
    xs_neg = xs_neg * anti_targets
    asymmetric_w = torch.pow(1 - xs_pos - xs_neg, gamma_pos * targets + gamma_neg * anti_targets)
    log_preds = log_preds * asymmetric_w
    if eps > 0:
        targets_classes = targets_classes.mul(1 - eps).add(eps / num_classes)
    loss = -targets_classes.mul(log_preds)
    return loss.sum(-1).mean()


def median_ns(step, min_time, warmup):
    end = time.perf_counter() + warmup
    calls = 0
    while calls < 3 or time.perf_counter() < end:
        step()
        calls += 1
    samples = []
    end = time.perf_counter() + min_time
    while time.perf_counter() < end or len(samples) < 5:
        t0 = time.perf_counter_ns()
        step()
        samples.append(time.perf_counter_ns() - t0)
    samples.sort()
    return samples[len(samples) // 2], len(samples)


def main(argv):
    torch.set_num_threads(1)
    torch.manual_seed(1)
    min_time = 1.0
    warmup = 0.3
    specs = []
    i = 0
    while i < len(argv):
        if argv[i] == "--min-time":
            min_time = float(argv[i + 1])
            i += 2
        elif argv[i] == "--warmup":
            warmup = float(argv[i + 1])
            i += 2
        else:
            specs.append(argv[i])
            i += 1
    for spec in specs:
        kind, *rest = spec.split(":")
        n, c = int(rest[0]), int(rest[1])
        x = (2 * torch.randn(n, c)).requires_grad_()
        if kind == "multi":
            gamma_neg, gamma_pos = float(rest[2]), float(rest[3])
            y = (torch.rand(n, c) < 0.05).float()
            loss_fn = lambda: asl_multi_label(x, y, gamma_neg, gamma_pos)
        elif kind == "single":
            t = torch.randint(0, c, (n,))
            loss_fn = lambda: asl_single_label(x, t)
        else:
            raise SystemExit(f"timm_asl.py: unknown kind {kind!r} in {spec!r}")

        def step():
            x.grad = None
            loss_fn().backward()

        ns, runs = median_ns(step, min_time, warmup)
        print(json.dumps({"spec": spec, "n": n, "c": c, "nsPerElement": ns / (n * c),
                          "runs": runs, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
