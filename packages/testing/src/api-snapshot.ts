/**
 * API snapshots: the names each subpath of a package exports (values and types, each with its
 * kind), read from the built declaration files with the TypeScript compiler API, and compared
 * with a committed JSON file. A failure names the added, removed and changed names and says how
 * to rewrite the file; `UPDATE_API_SNAPSHOT=1` rewrites it instead of comparing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as prettier from 'prettier';
import ts from 'typescript';
import { repoRoot } from './packaging.js';

/** Per subpath (`.`, `./tfjs`, ...), the exported names and their kinds, sorted by name. */
export type Api = Record<string, Record<string, string>>;

/** The snapshot file's content. */
export interface ApiSnapshot {
  $comment: string;
  package: string;
  exports: Api;
}

/** The subpaths of `exports` that have a `types` condition, with their declaration files. */
export function typedSubpaths(packageDir: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports?: Record<string, unknown>;
  };
  const out: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const types = (target as { types?: unknown } | null)?.types;
    if (typeof types === 'string') out[subpath] = join(packageDir, types);
  }
  return out;
}

/** The value-side flags: an export type-only re-exported loses these. */
const valueFlags =
  ts.SymbolFlags.Function |
  ts.SymbolFlags.Class |
  ts.SymbolFlags.Variable |
  ts.SymbolFlags.Enum |
  ts.SymbolFlags.ValueModule;

/** How a declaration of a variable was declared: `const`, `let` or `var`. */
function variableKind(symbol: ts.Symbol): string {
  const declaration = symbol.declarations?.find(ts.isVariableDeclaration);
  const flags = declaration?.parent.flags ?? 0;
  if (flags & ts.NodeFlags.Const) return 'const';
  if (flags & ts.NodeFlags.Let) return 'let';
  return 'var';
}

/** Whether the alias chain from `symbol` passes an `export type` / `import type`. */
function isTypeOnlyAlias(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some(
    (d) => ts.isTypeOnlyImportOrExportDeclaration(d) || ts.isTypeOnlyExportDeclaration(d),
  );
}

/**
 * The kind of an exported symbol, after aliases: `function`, `class`, `interface`, `type`,
 * `enum`, `const`/`let`/`var`, `namespace`; merged declarations joined with ` + `
 * (e.g. `const + type`); `(type-only)` when a value is re-exported with `export type`.
 */
function kindOf(checker: ts.TypeChecker, exported: ts.Symbol): string {
  const typeOnly = exported.flags & ts.SymbolFlags.Alias ? isTypeOnlyAlias(exported) : false;
  const symbol =
    exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const f = symbol.flags;
  const kinds: string[] = [];
  if (f & ts.SymbolFlags.Function) kinds.push('function');
  if (f & ts.SymbolFlags.Class) kinds.push('class');
  if (f & ts.SymbolFlags.Enum) kinds.push('enum');
  if (f & ts.SymbolFlags.Variable) kinds.push(variableKind(symbol));
  if (f & ts.SymbolFlags.Interface && !(f & ts.SymbolFlags.Class)) kinds.push('interface');
  if (f & ts.SymbolFlags.TypeAlias) kinds.push('type');
  if (f & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) kinds.push('namespace');
  if (kinds.length === 0) return 'unresolved';
  const kind = kinds.join(' + ');
  return typeOnly && f & valueFlags ? `${kind} (type-only)` : kind;
}

/**
 * Reads the exported names of every typed subpath of the package in `packageDir` from its
 * built declaration files (one program for all; imports resolve as a `nodenext` consumer's).
 */
export function readApi(packageDir: string): Api {
  const subpaths = typedSubpaths(packageDir);
  for (const [subpath, file] of Object.entries(subpaths))
    if (!existsSync(file))
      throw new Error(
        `${relative(repoRoot, file)} (the types of ${subpath}) is missing: build first with ` +
          '`npm run build` (`npm test` builds before it tests)',
      );
  const program = ts.createProgram(Object.values(subpaths), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const api: Api = {};
  for (const [subpath, file] of Object.entries(subpaths).sort(([a], [b]) => a.localeCompare(b))) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`${file} is not a module`);
    const names = checker
      .getExportsOfModule(moduleSymbol)
      .map((symbol) => [symbol.name, kindOf(checker, symbol)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    api[subpath] = Object.fromEntries(names);
  }
  return api;
}

/** The differences between two APIs, one line each: `+` added, `-` removed, `~` changed. */
export function diffApi(expected: Api, actual: Api): string[] {
  const lines: string[] = [];
  const subpaths = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  for (const subpath of subpaths) {
    const before = expected[subpath];
    const after = actual[subpath];
    if (before === undefined) lines.push(`+ subpath ${subpath}`);
    if (after === undefined) lines.push(`- subpath ${subpath}`);
    const names = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
    for (const name of names) {
      const was = before?.[name];
      const is = after?.[name];
      if (was === undefined) lines.push(`+ ${subpath} ${is} ${name}`);
      else if (is === undefined) lines.push(`- ${subpath} ${was} ${name}`);
      else if (was !== is) lines.push(`~ ${subpath} ${name}: ${was} -> ${is}`);
    }
  }
  return lines;
}

/** Writes the snapshot file, formatted as Prettier formats it (so `npm run lint` passes). */
async function writeSnapshot(file: string, snapshot: ApiSnapshot): Promise<void> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(snapshot, null, 2), {
    ...config,
    filepath: file,
  });
  writeFileSync(file, text);
}

/**
 * Compares the API of the package in `packageDir` with the snapshot `snapshotFile`; fails with
 * the differences and the command that rewrites the file. With `UPDATE_API_SNAPSHOT=1` in the
 * environment it rewrites the file instead.
 */
export async function checkApiSnapshot(packageDir: string, snapshotFile: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
  };
  const testFile = relative(repoRoot, snapshotFile).replace(/api\.snapshot\.json$/, 'api.test.ts');
  const update = `UPDATE_API_SNAPSHOT=1 node scripts/run-tests.mjs ${testFile}`;
  const actual = readApi(packageDir);
  const snapshot: ApiSnapshot = {
    $comment:
      `The names each subpath of ${manifest.name} exports, with their kinds, read from the ` +
      `built .d.ts files; checked by ${testFile}. After an intended API change, rewrite it ` +
      `with \`npm run build && ${update}\` and commit it.`,
    package: manifest.name,
    exports: actual,
  };
  if (process.env.UPDATE_API_SNAPSHOT === '1') {
    await writeSnapshot(snapshotFile, snapshot);
    return;
  }
  const where = relative(repoRoot, snapshotFile);
  if (!existsSync(snapshotFile))
    assert.fail(`${where} is missing; write it with \`${update}\` (after \`npm run build\`)`);
  const expected = (JSON.parse(readFileSync(snapshotFile, 'utf8')) as ApiSnapshot).exports;
  const diff = diffApi(expected, actual);
  if (diff.length > 0)
    assert.fail(
      `The API of ${manifest.name} differs from ${where} (+ added, - removed, ~ kind changed):\n` +
        diff.map((line) => `  ${line}`).join('\n') +
        `\nIf the change is intended, rewrite the snapshot with \`${update}\` ` +
        '(after `npm run build`) and commit it.',
    );
}
