/**
 * Bundles a snippet for the browser with esbuild, as an application's bundler would (tree
 * shaking, the packages' `sideEffects`), against the workspaces' built packages; tfjs stays
 * external. For the tests that check what a bundler keeps and drops.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** The repository's root, from which `asymmetric-loss` and `asymmetric-loss-tagger` resolve. */
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The bundled code of `source` (an ES module), unminified, and the modules it took. */
export async function bundle(source: string): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: ['@tensorflow/*'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}
