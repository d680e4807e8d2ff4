/** MoveFile / DeleteFile act only inside one configured storage root. */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export class StorageError extends Error {
  override readonly name = 'StorageError';
}

/** Resolves `relativeOrAbsolute` and refuses anything outside `root` (after `..` and symlink-free normalisation). */
export function insideRoot(root: string, candidate: string): string {
  const base = path.resolve(root);
  const resolved = path.resolve(base, candidate);
  const relative = path.relative(base, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new StorageError(`'${candidate}' is outside the storage root`);
  }
  return resolved;
}

export async function moveFile(root: string, source: string, targetDirectory: string): Promise<string> {
  const from = insideRoot(root, source);
  const base = path.resolve(root);
  const directory = path.resolve(base, targetDirectory);
  if (directory !== base) insideRoot(root, targetDirectory);
  const info = await stat(from).catch(() => undefined);
  if (!info?.isFile()) throw new StorageError(`'${source}' is not a file`);
  await mkdir(directory, { recursive: true });
  const to = path.join(directory, path.basename(from));
  await rename(from, to);
  return to;
}

export async function deleteFile(root: string, source: string): Promise<string> {
  const target = insideRoot(root, source);
  const info = await stat(target).catch(() => undefined);
  if (!info?.isFile()) throw new StorageError(`'${source}' is not a file`);
  await rm(target);
  return target;
}
