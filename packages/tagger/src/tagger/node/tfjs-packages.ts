/**
 * The TensorFlow.js packages the tagger trains and predicts with, found before any work starts:
 * a command that needs them and does not find them says which to install, in one line, instead
 * of failing later with Node's `Cannot find package`. Node only.
 */
import { readFileSync } from 'node:fs';

/** The packages, in the versions this package depends on (read from its package.json). */
export function tfjsPackages(): { name: string; version: string }[] {
  const pkg = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as {
    dependencies: Record<string, string>;
  };
  return ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'].map((name) => ({
    name,
    version: pkg.dependencies[name],
  }));
}

/**
 * The names of the TensorFlow.js packages that cannot be imported from here.
 *
 * @param resolve - How a specifier is resolved (default `import.meta.resolve`, which throws for
 *   a package that is not installed).
 */
export function missingTfjsPackages(
  resolve: (specifier: string) => string = (specifier) => import.meta.resolve(specifier),
): string[] {
  return tfjsPackages()
    .map((p) => p.name)
    .filter((name) => {
      try {
        resolve(name);
        return false;
      } catch {
        return true;
      }
    });
}

/**
 * Throws an `Error` naming the command, the missing packages and the `npm i` line that installs
 * them, when TensorFlow.js is not installed; returns otherwise.
 *
 * @example
 * ```ts
 * requireTfjs('train'); // Error: the train command needs TensorFlow.js, not installed here (missing: ...): npm i ...
 * ```
 */
export function requireTfjs(command: string, missing: string[] = missingTfjsPackages()): void {
  if (missing.length === 0) return;
  const install = tfjsPackages()
    .map((p) => `${p.name}@${p.version}`)
    .join(' ');
  throw new Error(
    `the ${command} command needs TensorFlow.js, which is not installed here (missing: ${missing.join(', ')}); ` +
      `install it beside asymmetric-loss-tagger: npm i ${install}`,
  );
}

/** {@link requireTfjs}, then the backend module (which imports TensorFlow.js). */
export async function importBackend(command: string): Promise<typeof import('./backend.js')> {
  requireTfjs(command);
  return import('./backend.js');
}
