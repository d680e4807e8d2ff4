/** MoveFile / DeleteFile act only inside one configured storage root. */
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
