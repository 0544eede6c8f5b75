/**
 * Model directories on disk: written under a temporary name and renamed into place, so that a
 * crash or Ctrl-C never leaves a half-written model; read back into a {@link Tagger}. Node only.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ModelConfigFile, Tagger, TaggerFiles } from '../tagger.js';

/** Files that mark a directory as a model directory. */
const markerFiles = ['config.json', 'model.json'];

/** Whether `dir` exists and looks like a model directory. */
export function isModelDir(dir: string): boolean {
  return markerFiles.every((f) => existsSync(join(dir, f)));
}

/**
 * Checks, before a long training run, that {@link writeModelDir} may write `dir`: it does not
 * exist, or is an empty directory or a model directory.
 *
 * @throws Error `dir: what is wrong` otherwise.
 */
export function checkModelDirTarget(dir: string): void {
  const target = resolve(dir);
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new Error(`${dir}: exists and is not a directory`);
  if (readdirSync(target).length > 0 && !isModelDir(target))
    throw new Error(`${dir}: exists and is not a model directory; choose another --out`);
}

/**
 * Writes the files of a model directory atomically: into a sibling temporary directory,
 * then renamed over `dir` (an existing model directory there is replaced; the old one stays
 * in place until the new one is complete).
 *
 * @throws Error when `dir` exists and is not an empty directory or a model directory, so that
 *   no unrelated directory is ever replaced.
 */
export function writeModelDir(dir: string, files: TaggerFiles): void {
  checkModelDirTarget(dir);
  const target = resolve(dir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const temp = join(parent, `.${basename(target)}.tmp-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(temp, name), content);
    if (existsSync(target)) {
      const old = join(parent, `.${basename(target)}.old-${process.pid}`);
      rmSync(old, { recursive: true, force: true });
      renameSync(target, old);
      renameSync(temp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(temp, target);
    }
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Reads the files of a model directory: every regular file in it, or only `names`.
 *
 * @throws Error `dir: what is wrong` when it is missing or not a model directory.
 */
export function readModelFiles(dir: string, names?: readonly string[]): TaggerFiles {
  if (!existsSync(dir)) throw new Error(`${dir}: no such model directory`);
  if (!statSync(dir).isDirectory()) throw new Error(`${dir}: not a directory`);
  if (!isModelDir(dir))
    throw new Error(`${dir}: not a model directory (no ${markerFiles.join(' and ')})`);
  const files: TaggerFiles = {};
  for (const name of names ?? readdirSync(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    files[name] = name.endsWith('.json')
      ? readFileSync(path, 'utf8')
      : new Uint8Array(readFileSync(path));
  }
  return files;
}

/**
 * Reads `config.json` of a model directory (without loading the model).
 *
 * @throws Error `dir: what is wrong` for a missing directory or an unreadable file.
 */
export function readModelConfig(dir: string): ModelConfigFile {
  const files = readModelFiles(dir, ['config.json']);
  try {
    return JSON.parse(String(files['config.json'])) as ModelConfigFile;
  } catch (error) {
    throw new Error(`${dir}: config.json: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Loads a model directory.
 *
 * @throws Error `dir: what is wrong` for a missing or invalid directory.
 */
export async function loadModelDir(dir: string): Promise<Tagger> {
  const files = readModelFiles(dir);
  // Loaded here so that commands that do not load models do not load TensorFlow.js.
  const { Tagger } = await import('../tagger.js');
  try {
    return await Tagger.fromFiles(files);
  } catch (error) {
    throw new Error(`${dir}: ${(error as Error).message}`, { cause: error });
  }
}
