// Runs every *.test.ts of the workspaces (packages/*/src, packages/*/test) with node's test runner.
// Node 20's `--test` does not expand globs or search a directory given as an argument,
// so the files are listed here and passed explicitly. Arguments narrow the run to some
// directories or files: `node scripts/run-tests.mjs packages/asymmetric-loss`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['packages'];
const files = [];
for (const root of roots) {
  if (root.endsWith('.test.ts')) {
    files.push(root);
    continue;
  }
  for (const entry of readdirSync(root, { recursive: true })) {
    const path = join(root, String(entry));
    if (path.endsWith('.test.ts') && !/(^|\/)(node_modules|dist)\//.test(path)) files.push(path);
  }
}
files.sort();
if (files.length === 0) {
  console.error(`run-tests: no *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
