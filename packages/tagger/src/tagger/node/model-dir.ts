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
import { checkOutputPlace, PathError, pathError } from '../../io/output-path.js';
import { modelFileNames, modelFormat } from '../model-files.js';
import type { ModelConfigFile, Tagger, TaggerFiles } from '../tagger.js';

/**
 * Whether `dir` is a model directory the tool wrote: its `config.json` names the format
 * ({@link modelFormat}). Files merely named `config.json` and `model.json` are not enough.
 */
export function isModelDir(dir: string): boolean {
  try {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as unknown;
    return (config as { format?: unknown } | null)?.format === modelFormat;
  } catch {
    return false;
  }
}

/** The entries of a directory that are not among the files a model directory holds. */
function foreignEntries(dir: string): string[] {
  return readdirSync(dir).filter((name) => !modelFileNames.includes(name));
}

/**
 * Checks, before a long training run, that {@link writeModelDir} may write `dir`, and that it
 * can: `dir` does not exist, or is an empty directory, or a model directory (see
 * {@link isModelDir}) holding only the tool's files; and its parent can be written.
 *
 * @param label - How `dir` is named in messages (default: `dir` itself; the CLI: `--out dir`).
 * @throws Error `<label>: what is wrong` otherwise; nothing is deleted or replaced.
 */
export function checkModelDirTarget(dir: string, label = dir): void {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory())
      throw new PathError(`${label}: exists and is not a directory`);
    const entries = readdirSync(target);
    if (entries.length > 0) {
      if (!isModelDir(target))
        throw new PathError(
          `${label}: exists and is not a model directory written by asl (no config.json of ` +
            `format ${modelFormat}); choose another --out`,
        );
      const foreign = foreignEntries(target);
      if (foreign.length > 0)
        throw new PathError(
          `${label}: a model directory that also holds files asl did not write ` +
            `(${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); move them ` +
            'out or choose another --out: asl replaces a model directory whole',
        );
    }
  }
  checkOutputPlace(target, label);
}

/**
 * Writes the files of a model directory atomically: into a sibling temporary directory,
 * then renamed over `dir` (an existing model directory there is replaced; the old one stays
 * in place until the new one is complete). Only the tool's own files are ever replaced: see
 * {@link checkModelDirTarget}, checked again here.
 *
 * @throws Error when `dir` exists and is not an empty directory or a model directory holding
 *   only the tool's files, or cannot be written; a failed write leaves `dir` as it was.
 */
export function writeModelDir(dir: string, files: TaggerFiles, label = dir): void {
  for (const name of Object.keys(files))
    if (!modelFileNames.includes(name)) throw new Error(`writeModelDir: unexpected file ${name}`);
  const target = resolve(dir);
  recoverInterrupted(target);
  checkModelDirTarget(dir, label);
  const parent = dirname(target);
  const temp = join(parent, `.${basename(target)}.tmp-${process.pid}`);
  const old = join(parent, `.${basename(target)}.old-${process.pid}`);
  try {
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(temp, name), content);
    if (existsSync(target)) {
      rmSync(old, { recursive: true, force: true });
      renameSync(target, old);
      renameSync(temp, target);
      // `old` holds the previous model's files only (checked above).
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(temp, target);
    }
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(target) && existsSync(old)) renameSync(old, target);
    throw pathError(error, label);
  }
}

/** Whether a process with this id is running (signal 0 only asks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Tidies what a writer killed mid-way (`kill -9`, a power cut) left beside `target`, from a
 * process no longer running: `.NAME.tmp-PID` is an incomplete new model and is removed;
 * `.NAME.old-PID` is the previous model, put back when `target` itself is missing (the writer
 * died between its two renames) and removed otherwise. Only model directories are touched.
 */
function recoverInterrupted(target: string): void {
  const parent = dirname(target);
  if (!existsSync(parent)) return;
  const prefix = `.${basename(target)}.`;
  for (const name of readdirSync(parent)) {
    const match = /^(tmp|old)-(\d+)$/.exec(name.slice(prefix.length));
    if (!name.startsWith(prefix) || match === null || alive(Number(match[2]))) continue;
    const path = join(parent, name);
    if (!statSync(path).isDirectory() || (match[1] === 'old' && !isModelDir(path))) continue;
    if (match[1] === 'old' && !existsSync(target)) renameSync(path, target);
    else if (readdirSync(path).every((f) => modelFileNames.includes(f)))
      rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Reads the files of a model directory: the tool's files in it (never the user's), or `names`.
 *
 * @throws Error `dir: what is wrong` when it is missing or not a model directory.
 */
export function readModelFiles(dir: string, names?: readonly string[]): TaggerFiles {
  if (!existsSync(dir)) throw new Error(`${dir}: no such model directory`);
  if (!statSync(dir).isDirectory()) throw new Error(`${dir}: not a directory`);
  if (!isModelDir(dir))
    throw new Error(`${dir}: not a model directory (no config.json of format ${modelFormat})`);
  const files: TaggerFiles = {};
  for (const name of names ?? modelFileNames) {
    const path = join(dir, name);
    if (!existsSync(path) || !statSync(path).isFile()) continue;
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
