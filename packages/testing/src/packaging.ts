/**
 * Packaging checks shared by the library's and the tagger's tests: pack a workspace as
 * `npm publish` would (lifecycle scripts skipped), list the tarball, run publint and attw on
 * it, scan declaration files for their module specifiers, and spawn tools (npm, tsc) with a
 * clean environment. Everything runs offline.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import ts from 'typescript';

/** The repository root (this file is packages/testing/src/packaging.ts). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What a spawned command returned. */
export interface Exec {
  /** The exit status (null when killed by a signal, e.g. on timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** The command line, for messages. */
  command: string;
}

/** Options of {@link exec}. */
export interface ExecOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command after this many milliseconds (default 120 000). */
  timeoutMs?: number;
}

/**
 * Runs `command args` and resolves (never rejects) with its exit status and output. A command
 * that cannot start resolves with code null and the reason in `stderr`.
 */
export function exec(
  command: string,
  args: readonly string[],
  options: ExecOptions,
): Promise<Exec> {
  const line = [command, ...args].join(' ');
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
      shell: process.platform === 'win32',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) =>
      resolve({ code: null, stdout: '', stderr: String(error), command: line }),
    );
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        command: line,
      }),
    );
  });
}

/** A failure message for a command: its line, status and output. */
export function describeExec(result: Exec): string {
  return [
    `\`${result.command}\` exited with ${result.code}`,
    result.stdout.trim() && `stdout:\n${result.stdout.trim()}`,
    result.stderr.trim() && `stderr:\n${result.stderr.trim()}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The environment for a nested npm: this process's, without the `npm_*` variables that
 * `npm test` sets (`npm_config_*` would pass the outer npm's settings, such as a workspace
 * or a cache, on to the inner one), and without update checks, funding and audit messages.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  env.NO_UPDATE_NOTIFIER = '1';
  env.npm_config_update_notifier = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  return env;
}

/** Runs npm (the one on PATH) with {@link npmEnv}. */
export function npm(args: readonly string[], cwd: string, timeoutMs?: number): Promise<Exec> {
  return exec('npm', args, { cwd, env: npmEnv(), timeoutMs });
}

/** The path of a devDependency's bin script, from its package.json (run it with node). */
export function binPath(packageName: string, bin: string): string {
  const dir = join(repoRoot, 'node_modules', packageName);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const file = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (file === undefined) throw new Error(`${packageName} has no bin ${bin}`);
  return join(dir, file);
}

/**
 * Throws unless `file` exists in `packageDir`: the packaging tests read the built `dist/`,
 * which `npm test` builds first.
 */
export function assertBuilt(packageDir: string, file: string): void {
  const path = join(packageDir, file);
  if (!existsSync(path))
    throw new Error(
      `${relative(repoRoot, path)} is missing: build first with \`npm run build\` at the ` +
        'repository root (`npm test` builds before it tests)',
    );
}

/** A packed tarball, as `npm pack --json` describes it and `tar` lists it. */
export interface Packed {
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Size of the .tgz in bytes. */
  size: number;
  /** Sum of the files' sizes in bytes. */
  unpackedSize: number;
  /** Number of files. */
  entryCount: number;
  /** The files' paths inside the package (without tar's `package/` prefix), sorted. */
  files: string[];
}

/**
 * Packs `packageDir` into `destination` with `npm pack --ignore-scripts` (no prepack or
 * prepare script runs: the test packs what is built) and lists the tarball with `tar -tzf`,
 * checking that the listing equals npm's report.
 */
export async function packPackage(packageDir: string, destination: string): Promise<Packed> {
  mkdirSync(destination, { recursive: true });
  const packed = await npm(
    ['pack', '--ignore-scripts', '--json', '--pack-destination', destination],
    packageDir,
  );
  if (packed.code !== 0) throw new Error(describeExec(packed));
  const [report] = JSON.parse(packed.stdout) as {
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
    files: { path: string }[];
  }[];
  const tarball = join(destination, report.filename);
  const listed = await exec('tar', ['-tzf', tarball], { cwd: destination });
  if (listed.code !== 0) throw new Error(describeExec(listed));
  const files = listed.stdout
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
    .sort();
  const reported = report.files.map((file) => file.path).sort();
  if (JSON.stringify(files) !== JSON.stringify(reported))
    throw new Error(`tar -tzf ${tarball} lists other files than npm pack reported`);
  return {
    tarball,
    size: report.size,
    unpackedSize: report.unpackedSize,
    entryCount: report.entryCount,
    files,
  };
}

/** A kind of file that must not be published, and why. */
export interface FileRule {
  pattern: RegExp;
  why: string;
}

/** Files no published package of this repository holds. */
export const neverPublished: readonly FileRule[] = [
  { pattern: /(^|\/)[^/]*\.test\.[cm]?[jt]s$|(^|\/)(test|tests|__tests__)\//, why: 'a test' },
  { pattern: /\.map$/, why: 'a source map (dist has none; a stale one points at src/)' },
  { pattern: /^src\//, why: 'a source file' },
  { pattern: /(?<!\.d)\.[cm]?ts$/, why: 'a TypeScript source (only .d.ts is published)' },
  { pattern: /\.tsbuildinfo$|(^|\/)tsconfig[^/]*\.json$/, why: 'build configuration' },
  { pattern: /(^|\/)node_modules\/|\.tgz$/, why: 'installed or packed packages' },
];

/** The files among `files` that a rule forbids, as `path (why)`. */
export function forbiddenFiles(files: readonly string[], rules: readonly FileRule[]): string[] {
  return files.flatMap((file) => {
    const rule = rules.find((r) => r.pattern.test(file));
    return rule === undefined ? [] : [`${file} (${rule.why})`];
  });
}

/**
 * The module specifiers of the declaration files among `files` (relative to `root`) that a
 * consumer's TypeScript could not follow under `nodenext`: relative ones not ending in `.js`
 * (or `.json`), and any ending in `.ts`, `.mts`, `.cts` or `.tsx`. Read with TypeScript's
 * pre-processor, so comments (the TSDoc examples) are ignored. As `file: specifier`.
 */
export function declarationSpecifierProblems(root: string, files: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of files.filter((f) => /\.d\.[cm]?ts$/.test(f))) {
    const text = readFileSync(join(root, file), 'utf8');
    const info = ts.preProcessFile(text, true, true);
    for (const { fileName } of [...info.importedFiles, ...info.referencedFiles]) {
      const relativePath = fileName.startsWith('./') || fileName.startsWith('../');
      if (/\.[cm]?tsx?$/.test(fileName) || (relativePath && !/\.(js|json)$/.test(fileName)))
        problems.push(`${file}: ${fileName}`);
    }
  }
  return problems;
}

/**
 * Runs `publint run <tarball> --strict` (warnings count as errors; suggestions are printed but
 * do not fail). Resolves with the command's result; code 0 is a pass.
 */
export function publint(tarball: string, cwd: string): Promise<Exec> {
  return exec(process.execPath, [binPath('publint', 'publint'), 'run', tarball, '--strict'], {
    cwd,
  });
}

/** attw's JSON report (the parts the tests read). */
export interface AttwReport {
  analysis: {
    packageName: string;
    types: { kind: string };
    entrypoints: Record<string, unknown>;
    problems: { kind: string; entrypoint?: string; resolutionKind?: string }[];
  };
}

/** attw's result: the command's, and its report parsed. */
export interface Attw {
  result: Exec;
  report: AttwReport | null;
  /** The problems the `esm-only` profile does not ignore, as `kind entrypoint (resolution)`. */
  problems: string[];
}

/**
 * Runs `attw --profile esm-only --no-definitely-typed --format json <tarball>`: the packages
 * are ESM only, so the `node10` and `node16` (from CommonJS) resolutions are ignored (a
 * `require()` of ESM works in Node >= 20.19, and TypeScript 5.8+ types it under `nodenext`;
 * attw's own TypeScript is older). `--no-definitely-typed` keeps it offline (no @types
 * look-up). Code 0 is a pass.
 */
export async function attw(tarball: string, cwd: string): Promise<Attw> {
  const result = await exec(
    process.execPath,
    [
      binPath('@arethetypeswrong/cli', 'attw'),
      '--profile',
      'esm-only',
      '--no-definitely-typed',
      '--format',
      'json',
      tarball,
    ],
    { cwd, env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let report: AttwReport | null = null;
  try {
    report = JSON.parse(result.stdout) as AttwReport;
  } catch {
    // left null: the test reports the output
  }
  const ignored = new Set(['node10', 'node16-cjs']);
  const problems = (report?.analysis.problems ?? [])
    .filter((p) => p.resolutionKind === undefined || !ignored.has(p.resolutionKind))
    .map((p) => `${p.kind} ${p.entrypoint ?? ''} (${p.resolutionKind ?? 'any resolution'})`);
  return { result, report, problems };
}

/** The subpaths of a package.json `exports` field (a string or conditions: `.` only). */
export function exportSubpaths(packageDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports?: unknown;
  };
  const { exports } = manifest;
  if (exports === undefined) return [];
  if (typeof exports === 'string' || Array.isArray(exports)) return ['.'];
  const keys = Object.keys(exports as object);
  return keys.every((key) => key.startsWith('.')) ? keys : ['.'];
}

/**
 * Registers the two linter tests of a packed package: `publint --strict` and `attw --profile
 * esm-only` pass, attw sees the package's own types and every subpath of its `exports`.
 * `runs()` gives the linters' runs, started in the suite's `before` hook.
 */
export function lintTests(
  packageDir: string,
  runs: () => { publint: Promise<Exec>; attw: Promise<Attw> },
): void {
  it('publint --strict passes on the tarball', async () => {
    const result = await runs().publint;
    assert.equal(result.code, 0, describeExec(result));
  });

  it('attw --profile esm-only passes on the tarball, for every subpath', async () => {
    const { result, report, problems } = await runs().attw;
    assert.ok(report !== null, describeExec(result));
    assert.deepEqual(problems, [], `attw problems:\n${problems.join('\n')}`);
    assert.equal(result.code, 0, describeExec(result));
    assert.equal(report.analysis.types.kind, 'included');
    assert.deepEqual(Object.keys(report.analysis.entrypoints), exportSubpaths(packageDir));
  });
}
