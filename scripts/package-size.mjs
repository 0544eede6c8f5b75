// What a user installs, measured: for each published package, the tarball and unpacked sizes
// and the file count (`npm pack --dry-run`); the packages and bytes `npm i` brings into an empty
// project; and the minified + gzip size of browser bundles (esbuild) that import one function.
// Prints one JSON object per line (`npm run size`; run `npm run build` first).
//
//   node scripts/package-size.mjs            all figures
//   node scripts/package-size.mjs --offline  installs from the npm cache only (no network)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { offline: { type: 'boolean', default: false } } });
const npm = (args, cwd) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const print = (row) => console.log(JSON.stringify(row));

/** Bytes under `dir`, and the number of package.json files that name a package there. */
function walk(dir) {
  let bytes = 0;
  let packages = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    bytes += statSync(path).size;
    // A package's own package.json sits right under node_modules/<name> or <@scope>/<name>.
    if (entry.name === 'package.json' && /node_modules\/(@[^/]+\/)?[^/@]+$/.test(entry.parentPath))
      packages++;
  }
  return { bytes, packages };
}

const work = mkdtempSync(join(tmpdir(), 'asl-size-'));
try {
  for (const [name, dir] of [
    ['asymmetric-loss', 'packages/asymmetric-loss'],
    ['asymmetric-loss-tagger', 'packages/tagger'],
  ]) {
    const [packed] = JSON.parse(
      npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], join(root, dir)),
    );
    const tarball = join(work, packed.filename);
    const row = {
      bench: 'package-size',
      name,
      tarballBytes: packed.size,
      unpackedBytes: packed.unpackedSize,
      files: packed.entryCount,
      installedPackages: null,
      installedBytes: null,
    };
    // `npm i <tarball>` into an empty project. The tagger's dependencies come from the registry
    // (or the cache with --offline); its own dependency on the library from the local tarball.
    const project = join(work, `install-${name}`);
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), '{"name":"size-probe","version":"0.0.0"}\n');
    const local = readdirSync(work)
      .filter((f) => f.endsWith('.tgz'))
      .map((f) => join(work, f));
    try {
      npm(
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          ...(values.offline ? ['--offline'] : []),
          ...(name === 'asymmetric-loss' ? [tarball] : local),
        ],
        project,
      );
      const installed = walk(join(project, 'node_modules'));
      row.installedPackages = installed.packages;
      row.installedBytes = installed.bytes;
    } catch (error) {
      row.installError = String(error.stderr ?? error).split('\n')[0];
    }
    print(row);
  }

  // Browser bundles of one import each, minified (esbuild), against the built library.
  for (const [name, source] of [
    ['asymmetricLossMultiLabel', "export { asymmetricLossMultiLabel } from 'asymmetric-loss';"],
    ['meanAveragePrecision', "export { meanAveragePrecision } from 'asymmetric-loss/metrics';"],
    [
      'tfjs asymmetricLossMultiLabel (tfjs-core external)',
      "export { asymmetricLossMultiLabel } from 'asymmetric-loss/tfjs';",
    ],
  ]) {
    const result = await build({
      stdin: { contents: source, resolveDir: root, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      external: ['@tensorflow/*'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].contents;
    print({
      bench: 'bundle-size',
      name,
      minifiedBytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
