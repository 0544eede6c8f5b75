/**
 * Input files and output places, checked before any work starts and described in the user's
 * words: every
 * command that writes (`train --out`, `compare --out`, `plot --out`, `demo --out`) asks
 * {@link checkOutputPlace} first, so that an unwritable or invalid place fails at once, not after
 * an hour of training, and file-system errors read as one plain line instead of Node's
 * `EROFS: read-only file system, mkdir '.model.tmp-1234'`. Node only.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** What each file-system error code means, for messages. */
const reasons: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'on a read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** Why a file-system operation failed, in plain words (`permission denied`). */
export function pathReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && code in reasons) return reasons[code];
  return error instanceof Error ? error.message : String(error);
}

/** An error about a path that already names it, in the user's words. */
export class PathError extends Error {
  override name = 'PathError';
}

/**
 * A file-system error as one line: `<label>: <reason>` (`--out runs/model: permission denied`),
 * the original error kept as its `cause`; a {@link PathError} is returned as it is.
 */
export function pathError(error: unknown, label: string): Error {
  if (error instanceof PathError) return error;
  return new PathError(`${label}: ${pathReason(error)}`, { cause: error });
}

/**
 * Checks that `path` can be written as a file or a directory of the tool's: the nearest existing
 * ancestor is a directory, the missing directories can be created and a file can be written next
 * to `path` (a probe, removed at once). Creates the missing parent directories, nothing else.
 *
 * @param label - How the place is named in messages (`--out model`).
 * @throws Error `<label>: <reason>` when it cannot be written.
 */
export function checkOutputPlace(path: string, label: string): void {
  const target = resolve(path);
  const parent = dirname(target);
  try {
    makeDirectories(parent, label);
    const probe = resolve(parent, `.${basename(target)}.probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw pathError(error, label);
  }
}

/**
 * Checks that `path` is a readable file, before the work that reads it starts.
 *
 * @throws Error `<label>: <reason>` (`--data x.jsonl: no such file or directory`).
 */
export function checkInputFile(path: string, label: string): void {
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw pathError(error, label);
  }
}

/**
 * `mkdir -p dir`, one level at a time from the nearest existing ancestor (Node's recursive
 * `mkdirSync` never returns where the file system refuses a directory with ENOENT, as /proc
 * does, and reports a read-only parent as ENOENT).
 *
 * @throws PathError `<label>: <ancestor> is a file, not a directory`, or the file-system error.
 */
export function makeDirectories(dir: string, label: string): void {
  const missing: string[] = [];
  let ancestor = resolve(dir);
  while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) {
    missing.push(ancestor);
    ancestor = dirname(ancestor);
  }
  if (!statSync(ancestor).isDirectory())
    throw new PathError(`${label}: ${ancestor} is a file, not a directory`);
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
