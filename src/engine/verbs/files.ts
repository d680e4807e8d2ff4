/** MoveFile / DeleteFile inside the configured storage root; anything outside it is refused. */
import { deleteFile as remove, moveFile as move } from '../storage.js';
import { outcome } from '../verb.js';
import type { VerbExecutor } from '../verb.js';
import type { VerbScope } from '../runtime.js';

async function inStorage(scope: VerbScope, verb: string, action: (root: string) => Promise<string>, kind: 'moved' | 'deleted') {
  const root = scope.session.services.storageRoot;
  if (!root) {
    scope.session.emit({ type: 'error', code: 'no-storage-root', message: `${verb}: no storage root is configured`, verb });
    return outcome('refused');
  }
  const release = scope.session.services.clock.hold();
  try {
    const path = await action(root);
    scope.session.emit({ type: 'file.changed', action: kind, path });
    return outcome(kind);
  } catch (error) {
    scope.session.emit({ type: 'error', code: 'storage', message: `${verb}: ${error instanceof Error ? error.message : String(error)}`, verb });
    return outcome('refused');
  } finally {
    release();
  }
}

export const moveFile: VerbExecutor<'MoveFile'> = async (_node, { values: a }, scope) =>
  inStorage(scope, 'MoveFile', (root) => move(root, a.SourceFile, a.TargetDirectory), 'moved');

export const deleteFile: VerbExecutor<'DeleteFile'> = async (_node, { values: a }, scope) =>
  inStorage(scope, 'DeleteFile', (root) => remove(root, a.SourceFile), 'deleted');
