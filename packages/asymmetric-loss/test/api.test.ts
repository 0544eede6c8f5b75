/**
 * The public API of `asymmetric-loss`, subpath by subpath (`.`, `./tfjs`, `./metrics`,
 * `./threads`): the names the built declaration files export, values and types, each with its
 * kind, must equal test/api.snapshot.json. A name added, removed or changed in kind shows up
 * in review as a change of that file, never by accident. Reads dist/ (`npm test` builds it);
 * `UPDATE_API_SNAPSHOT=1` rewrites the snapshot.
 */
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkApiSnapshot } from '@asymmetric-loss/testing/api-snapshot';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const snapshot = fileURLToPath(new URL('api.snapshot.json', import.meta.url));

describe('the API of asymmetric-loss', () => {
  it('equals test/api.snapshot.json', async () => {
    await checkApiSnapshot(packageDir, snapshot);
  });
});
