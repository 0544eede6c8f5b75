/**
 * The tagger as npm would publish it: `npm pack --ignore-scripts` of packages/tagger (what is
 * packed is the built dist/, which `npm test` builds first, from a clean dist/ so that no
 * stale output rides along). The tarball holds dist/, the data set, the plots' font and the
 * package's papers (package.json, LICENSE, README.md), and no tests, source maps, sources or
 * build configuration; the `asl` bin is a node script; the declarations import `.js` paths
 * only (as a `nodenext` consumer's TypeScript needs); and publint (`--strict`) and attw
 * (`--profile esm-only`: the package is ESM only) pass on the tarball. All offline.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  assertBuilt,
  attw,
  declarationSpecifierProblems,
  forbiddenFiles,
  lintTests,
  neverPublished,
  packPackage,
  publint,
  type Attw,
  type Exec,
  type Packed,
} from '@asymmetric-loss/testing/packaging';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};

describe('asymmetric-loss-tagger packed as npm would publish it', () => {
  let work = '';
  let packed: Packed;
  let publintRun: Promise<Exec>;
  let attwRun: Promise<Attw>;

  before(async () => {
    assertBuilt(packageDir, 'dist/tagger/index.js');
    work = realpathSync(mkdtempSync(join(tmpdir(), 'asl-tagger-package-')));
    packed = await packPackage(packageDir, join(work, 'pack'));
    console.log(
      `asymmetric-loss-tagger tarball: ${packed.size} bytes, unpacked ${packed.unpackedSize} ` +
        `bytes, ${packed.entryCount} files`,
    );
    // The linters read the tarball; they run while the other tests do.
    publintRun = publint(packed.tarball, work);
    attwRun = attw(packed.tarball, work);
  });

  after(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('holds dist/, the data set and the font, and no tests, maps, sources or configuration', () => {
    const problems = forbiddenFiles(packed.files, neverPublished);
    assert.deepEqual(problems, [], `files that must not be published:\n${problems.join('\n')}`);
    const allowed = /^(dist\/|assets\/fonts\/)|^(package\.json|LICENSE|README\.md)$/;
    const data = ['data/debtags-bookworm.jsonl.gz', 'data/README.md'];
    const outside = packed.files.filter((f) => !allowed.test(f) && !data.includes(f));
    assert.deepEqual(outside, [], 'only the `files` of package.json are packed');
    for (const file of [
      ...data,
      'assets/fonts/DejaVuSans.ttf',
      'assets/fonts/LICENSE-DejaVu.txt',
      'package.json',
      'LICENSE',
    ])
      assert.ok(packed.files.includes(file), `${file} is packed`);
    assert.equal(packed.entryCount, packed.files.length);
  });

  it('packs every file that bin and exports point at', () => {
    const targets = [
      ...Object.values(manifest.bin),
      ...Object.values(manifest.exports).flatMap((t) =>
        typeof t === 'string' ? [t] : Object.values(t),
      ),
    ].filter((t) => !t.includes('*'));
    for (const target of targets)
      assert.ok(packed.files.includes(target.replace(/^\.\//, '')), `${target} is packed`);
    const asl = readFileSync(join(packageDir, manifest.bin.asl), 'utf8');
    assert.match(asl, /^#!\/usr\/bin\/env node\n/, 'the asl bin starts with a node shebang');
  });

  it('the declarations import .js paths only', () => {
    const problems = declarationSpecifierProblems(packageDir, packed.files);
    assert.deepEqual(problems, [], `specifiers a consumer cannot follow:\n${problems.join('\n')}`);
  });

  lintTests(packageDir, () => ({ publint: publintRun, attw: attwRun }));
});
