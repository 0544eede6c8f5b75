/**
 * The real PyTorch baseline of the core benchmarks: runs bench/pytorch/timm_asl.py (timm's loss
 * classes, forward + backward on one thread) for a list of cases in one Python process, so torch
 * is imported once. Python is `ASL_BENCH_PYTHON` when set, else the first of `/usr/bin/python3`
 * and `python3` that has torch (Debian: `apt-get install -y --no-install-recommends
 * python3-torch`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./pytorch/timm_asl.py', import.meta.url));

/** The timm_asl.py case of a multi-label benchmark. */
export function multiLabelSpec(n: number, c: number, gammaNeg: number, gammaPos: number): string {
  return `multi:${n}:${c}:${gammaNeg}:${gammaPos}`;
}

/** The timm_asl.py case of a single-label benchmark (gammas 4 and 1, label smoothing 0.1). */
export function singleLabelSpec(n: number, c: number): string {
  return `single:${n}:${c}`;
}

/** The first Python that can import torch (checked without importing it), or null. */
function findPython(): string | null {
  const override = process.env.ASL_BENCH_PYTHON;
  const probe = 'import importlib.util, sys; sys.exit(importlib.util.find_spec("torch") is None)';
  for (const python of override ? [override] : ['/usr/bin/python3', 'python3']) {
    if (spawnSync(python, ['-c', probe], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

/**
 * Times each spec with timm on PyTorch; returns ns per element by spec. A spec is missing from
 * the map when no Python with torch is found or the script fails (one line on stderr says why).
 */
export function pytorchNsPerElement(
  specs: string[],
  { minTimeMs, warmupMs }: { minTimeMs: number; warmupMs: number },
): Map<string, number> {
  const result = new Map<string, number>();
  if (specs.length === 0) return result;
  const python = findPython();
  if (python === null) {
    console.error(
      'bench: no Python with torch, so pytorchNsPerElement is null ' +
        '(apt-get install -y --no-install-recommends python3-torch, or set ASL_BENCH_PYTHON)',
    );
    return result;
  }
  const times = ['--min-time', `${minTimeMs / 1000}`, '--warmup', `${warmupMs / 1000}`];
  const run = spawnSync(python, [script, ...specs, ...times], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 20,
  });
  for (const line of (run.stdout ?? '').split('\n')) {
    if (!line.startsWith('{')) continue;
    const { spec, nsPerElement } = JSON.parse(line) as { spec: string; nsPerElement: number };
    result.set(spec, nsPerElement);
  }
  if (run.status !== 0) {
    const why = run.error?.message ?? (run.stderr ?? '').trim().split('\n').pop();
    console.error(`bench: ${python} ${script} failed (exit ${run.status}): ${why}`);
  }
  return result;
}
