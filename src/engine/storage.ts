/**
 * MoveFile / DeleteFile act only inside one configured storage root: on the disk, or — in a dry
 * run — on a copy-on-write view of it that never changes the user's files (docs/dry-run.md).
 */
import { mkdir, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export class StorageError extends Error {
  override readonly name = 'StorageError';
}

/** True when `candidate` is `base` or below it (a name like `..notes` is below it, `../x` is not). */
export function within(base: string, candidate: string): boolean {
  const relative = path.relative(base, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/**
 * Resolves a relative or absolute path and refuses anything outside `root`: first by its text
 * (after `..` normalisation), then by its real location, so a symbolic link inside the root that
 * points outside it does not open a way out. The root itself is refused unless `allowRoot`.
 */
export async function insideRoot(root: string, candidate: string, allowRoot = false): Promise<string> {
  const base = path.resolve(root);
  const resolved = path.resolve(base, candidate);
  const outside = new StorageError(`'${candidate}' is outside the storage root`);
  if (!within(base, resolved) || (!allowRoot && resolved === base)) throw outside;
  const realBase = await realpath(base);
  // The deepest part of the path that exists decides where it really is.
  let existing = resolved;
  for (;;) {
    const real = await realpath(existing).catch(() => undefined);
    if (real !== undefined) {
      if (!within(realBase, real)) throw outside;
      break;
    }
    const parent = path.dirname(existing);
    if (parent === existing) throw outside;
    existing = parent;
  }
  return resolved;
}

export async function moveFile(root: string, source: string, targetDirectory: string): Promise<string> {
  const from = await insideRoot(root, source);
  const directory = await insideRoot(root, targetDirectory, true);
  const info = await stat(from).catch(() => undefined);
  if (!info?.isFile()) throw new StorageError(`'${source}' is not a file`);
  await mkdir(directory, { recursive: true });
  const to = path.join(directory, path.basename(from));
  await rename(from, to);
  return to;
}

export async function deleteFile(root: string, source: string): Promise<string> {
  const target = await insideRoot(root, source);
  const info = await stat(target).catch(() => undefined);
  if (!info?.isFile()) throw new StorageError(`'${source}' is not a file`);
  await rm(target);
  return target;
}

/** Where MoveFile and DeleteFile act. Both return the resulting path; refusals are `StorageError`s. */
export interface FileStorage {
  readonly root: string;
  moveFile(source: string, targetDirectory: string): Promise<string>;
  deleteFile(source: string): Promise<string>;
}

/** The files on disk under `root`. */
export function diskStorage(root: string): FileStorage {
  return {
    root,
    moveFile: (source, targetDirectory) => moveFile(root, source, targetDirectory),
    deleteFile: (source) => deleteFile(root, source),
  };
}

/**
 * A copy-on-write view of the files under `root`: it reads the disk (so a missing file or a path
 * outside the root is refused exactly as on disk) and keeps every change in memory, so later
 * verbs of the run see moved and deleted files where they would be, and nothing on disk changes.
 */
export class OverlayStorage implements FileStorage {
  /** Real files the view no longer has (deleted, or moved away). */
  readonly #removed = new Set<string>();
  /** Files the view has that the disk does not have there: path → the real file it came from. */
  readonly #added = new Map<string, string>();

  constructor(readonly root: string) {}

  async #isFile(file: string): Promise<boolean> {
    if (this.#added.has(file)) return true;
    if (this.#removed.has(file)) return false;
    return (await stat(file).catch(() => undefined))?.isFile() ?? false;
  }

  async moveFile(source: string, targetDirectory: string): Promise<string> {
    const from = await insideRoot(this.root, source);
    const directory = await insideRoot(this.root, targetDirectory, true);
    if (!(await this.#isFile(from))) throw new StorageError(`'${source}' is not a file`);
    if (await this.#isFile(directory)) throw new StorageError(`'${targetDirectory}' is a file, not a directory`);
    const to = path.join(directory, path.basename(from));
    if (to === from) return to;
    const origin = this.#added.get(from) ?? from;
    this.#added.delete(from);
    this.#removed.add(from);
    this.#added.set(to, origin);
    return to;
  }

  async deleteFile(source: string): Promise<string> {
    const target = await insideRoot(this.root, source);
    if (!(await this.#isFile(target))) throw new StorageError(`'${source}' is not a file`);
    this.#added.delete(target);
    this.#removed.add(target);
    return target;
  }
}
