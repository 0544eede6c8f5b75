/**
 * Writes files so that nothing a user had is lost and no reader sees half a file: the data goes
 * to a temporary name in the same directory, which is then renamed over the target. A failed
 * write leaves nothing behind (the temporary file is removed) and the target as it was.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** Writes `data` to `path` through a temporary file in the same directory. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
