/**
 * A dry run never changes the user's files: with a config `storageRoot`, MoveFile and DeleteFile
 * act on a copy-on-write view of it. The view is checked against the disk and sees its own
 * changes; the disk stays byte for byte as it was.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OverlayStorage, StorageError } from '../../src/engine/storage.js';
import { ozml, tempDir } from './helpers.js';

let dir: { path: string; remove: () => void };
let store: string;
let outside: { path: string; remove: () => void };

/** Every file under `root` with its content, sorted. */
/**
 * Every file (with its text) and directory below `root`; a link is listed, never followed (Node 24's
 * recursive readdir follows links to directories, Node 20's does not).
 */
function snapshot(root: string, at = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(at, { withFileTypes: true })) {
    const file = join(at, entry.name);
    if (entry.isSymbolicLink() || entry.isDirectory()) {
      out.push(`${file.slice(root.length)}/`);
      if (entry.isDirectory()) out.push(...snapshot(root, file));
    } else {
      out.push(`${file.slice(root.length)} ${readFileSync(file, 'utf8')}`);
    }
  }
  return out.sort();
}

beforeEach(() => {
  dir = tempDir();
  outside = tempDir();
  store = join(dir.path, 'store');
  mkdirSync(join(store, 'voicemail', 'new'), { recursive: true });
  writeFileSync(join(store, 'voicemail', 'new', 'msg1.wav'), 'one');
  writeFileSync(join(store, 'voicemail', 'new', 'msg2.wav'), 'two');
  writeFileSync(join(outside.path, 'secret.txt'), 'keep');
  symlinkSync(outside.path, join(store, 'escape'));
  writeFileSync(join(dir.path, 'ozml.config.json'), JSON.stringify({ storageRoot: 'store' }));
});
afterEach(() => {
  dir.remove();
  outside.remove();
});

const BEFORE = ['/escape/', '/voicemail/', '/voicemail/new/', '/voicemail/new/msg1.wav one', '/voicemail/new/msg2.wav two'];

describe('the dry run and the storage root', () => {
  it('ozml run moves and deletes in its view only; the files on disk do not change', async () => {
    writeFileSync(join(dir.path, 'files.xml'), [
      '<Response>',
      '  <MoveFile SourceFile="voicemail/new/msg1.wav" TargetDirectory="voicemail/old"/>',
      '  <DeleteFile SourceFile="voicemail/old/msg1.wav"/>',
      '  <DeleteFile SourceFile="voicemail/new/msg2.wav"/>',
      '</Response>',
    ].join('\n'));
    expect(snapshot(store)).toEqual(BEFORE);
    const r = await ozml(['run', 'files.xml', '-c', 'ozml.config.json', '-f', 'ndjson'], { cwd: dir.path });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const changes = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; action?: string; path?: string })
      .filter((e) => e.type === 'file.changed' || e.type === 'error')
      .map((e) => `${e.type} ${e.action ?? ''} ${e.path ?? ''}`);
    expect(changes).toEqual([
      'file.changed moved voicemail/old/msg1.wav',
      'file.changed deleted voicemail/old/msg1.wav',
      'file.changed deleted voicemail/new/msg2.wav',
    ]);
    expect(snapshot(store)).toEqual(BEFORE);
  });

  it('ozml test: what the view no longer has is refused as on disk, and still nothing changes', async () => {
    writeFileSync(join(dir.path, 'twice.xml'), '<Response><DeleteFile SourceFile="voicemail/new/msg1.wav"/><DeleteFile SourceFile="voicemail/new/msg1.wav"/></Response>');
    writeFileSync(join(dir.path, 'twice.scenario.yaml'), [
      'script: twice.xml',
      'config: ozml.config.json',
      'expect:',
      '  - event: { type: file.changed, action: deleted }',
      '  - error: storage',
      '    verb: DeleteFile',
      `    text: "DeleteFile: 'voicemail/new/msg1.wav' is not a file"`,
    ].join('\n'));
    const r = await ozml(['test', 'twice.scenario.yaml'], { cwd: dir.path });
    expect(r.stdout).toBe('✓ twice.scenario.yaml (2 expectations, 0.000s of call)\n\n1 passed, 0 failed\n');
    expect(r.code).toBe(0);
    expect(snapshot(store)).toEqual(BEFORE);
  });
});

describe('OverlayStorage', () => {
  it('a moved file is where it was moved to, and can move on; deleted files are gone', async () => {
    const view = new OverlayStorage(store);
    expect(await view.moveFile('voicemail/new/msg1.wav', 'voicemail/old')).toBe(join(store, 'voicemail', 'old', 'msg1.wav'));
    await expect(view.moveFile('voicemail/new/msg1.wav', 'voicemail/old')).rejects.toThrow(new StorageError("'voicemail/new/msg1.wav' is not a file"));
    expect(await view.moveFile('voicemail/old/msg1.wav', '.')).toBe(join(store, 'msg1.wav'));
    expect(await view.deleteFile('msg1.wav')).toBe(join(store, 'msg1.wav'));
    await expect(view.deleteFile('msg1.wav')).rejects.toThrow(new StorageError("'msg1.wav' is not a file"));
    await expect(view.deleteFile('voicemail/old/msg1.wav')).rejects.toThrow(new StorageError("'voicemail/old/msg1.wav' is not a file"));
    expect(await view.deleteFile('voicemail/new/msg2.wav')).toBe(join(store, 'voicemail', 'new', 'msg2.wav'));
    expect(snapshot(store)).toEqual(BEFORE);
  });

  it('refuses what the disk refuses: outside the root, through a link, a file as a directory, a directory as a file', async () => {
    const view = new OverlayStorage(store);
    await expect(view.deleteFile('../ozml.config.json')).rejects.toThrow(new StorageError("'../ozml.config.json' is outside the storage root"));
    await expect(view.deleteFile('escape/secret.txt')).rejects.toThrow(new StorageError("'escape/secret.txt' is outside the storage root"));
    await expect(view.moveFile('voicemail/new/msg1.wav', 'voicemail/new/msg2.wav')).rejects.toThrow(new StorageError("'voicemail/new/msg2.wav' is a file, not a directory"));
    await expect(view.deleteFile('voicemail/new')).rejects.toThrow(new StorageError("'voicemail/new' is not a file"));
    expect(readFileSync(join(outside.path, 'secret.txt'), 'utf8')).toBe('keep');
    expect(snapshot(store)).toEqual(BEFORE);
  });
});
