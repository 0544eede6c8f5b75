/**
 * Choosing the TensorFlow.js backend in Node: `wasm` (default; its .wasm binary is loaded
 * from the installed package, no network) or `cpu`. Node only.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { backendNames, type BackendName } from './cli-helpers.js';

let quieted = false;

/**
 * Sets and initialises the backend.
 *
 * @throws Error for an unknown backend or one that fails to initialise.
 */
export async function useBackend(name: string): Promise<BackendName> {
  if (!(backendNames as readonly string[]).includes(name))
    throw new Error(`unknown backend '${name}' (expected ${backendNames.join(' or ')})`);
  if (!quieted) {
    // tfjs prints an advertisement for tfjs-node on first use in Node; PROD mode silences it.
    tf.env().set('PROD', true);
    quieted = true;
  }
  if (tf.getBackend() === name) return name as BackendName;
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to initialise`);
  await tf.ready();
  return name as BackendName;
}
