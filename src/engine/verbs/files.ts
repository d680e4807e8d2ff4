/** MoveFile / DeleteFile inside the configured storage (the disk, or a dry run's overlay); anything outside its root is refused. */
import path from 'node:path';
import type { FileStorage } from '../storage.js';
import { outcome } from '../verb.js';
import type { VerbExecutor } from '../verb.js';
import type { VerbScope } from '../runtime.js';

async function inStorage(scope: VerbScope, verb: string, action: (storage: FileStorage) => Promise<string>, kind: 'moved' | 'deleted') {
  const storage = scope.session.services.storage;
  if (!storage) {
    scope.session.emit({ type: 'error', code: 'no-storage-root', message: `${verb}: no storage root is configured`, verb });
    return outcome('refused');
  }
  const release = scope.session.services.clock.hold();
  try {
    const result = await action(storage);
    // Relative to the storage root with `/` separators: the event stream holds no machine paths (docs/dry-run.md).
    scope.session.emit({ type: 'file.changed', action: kind, path: path.relative(storage.root, result).split(path.sep).join('/') });
    return outcome(kind);
  } catch (error) {
    scope.session.emit({ type: 'error', code: 'storage', message: `${verb}: ${error instanceof Error ? error.message : String(error)}`, verb });
    return outcome('refused');
  } finally {
    release();
  }
}

export const moveFile: VerbExecutor<'MoveFile'> = async (_node, { values: a }, scope) =>
  inStorage(scope, 'MoveFile', (storage) => storage.moveFile(a.SourceFile, a.TargetDirectory), 'moved');

export const deleteFile: VerbExecutor<'DeleteFile'> = async (_node, { values: a }, scope) =>
  inStorage(scope, 'DeleteFile', (storage) => storage.deleteFile(a.SourceFile), 'deleted');
