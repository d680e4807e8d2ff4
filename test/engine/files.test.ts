/** MoveFile / DeleteFile act inside the configured storage root only; everything else is refused with an error event. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile, harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
let root: string;
let outside: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ozml-storage-'));
  outside = mkdtempSync(path.join(tmpdir(), 'ozml-outside-'));
  mkdirSync(path.join(root, 'voicemail', 'new'), { recursive: true });
  writeFileSync(path.join(root, 'voicemail', 'new', 'msg1.wav'), 'one');
  writeFileSync(path.join(root, 'voicemail', 'new', 'msg2.wav'), 'two');
  writeFileSync(path.join(outside, 'secret.txt'), 'keep');
});

afterEach(async () => {
  try {
    await h.dispose();
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

const STEPS = ['verb.started', 'verb.finished', 'file.changed', 'error', 'session.ended'];

describe('MoveFile', () => {
  it('moves a file into a directory (created when missing), by relative or absolute paths', async () => {
    h = harness({ engine: { storageRoot: root } });
    await h.inbound({}, `<Response>
      <MoveFile SourceFile="voicemail/new/msg1.wav" TargetDirectory="voicemail/old"/>
      <Var ID="old" Value="${path.join(root, 'voicemail', 'old')}"/>
      <MoveFile SourceFile="${path.join(root, 'voicemail', 'new', 'msg2.wav')}" TargetDirectory="$old"/>
    </Response>`);
    const old = path.join(root, 'voicemail', 'old');
    expect(h.trace(STEPS)).toEqual([
      '0 MoveFile', '0 moved voicemail/old/msg1.wav', '0 MoveFile → moved',
      '0 Var', '0 Var → set',
      '0 MoveFile', '0 moved voicemail/old/msg2.wav', '0 MoveFile → moved',
      '0 end normal',
    ]);
    expect(readFileSync(path.join(old, 'msg1.wav'), 'utf8')).toBe('one');
    expect(readFileSync(path.join(old, 'msg2.wav'), 'utf8')).toBe('two');
    expect(existsSync(path.join(root, 'voicemail', 'new', 'msg1.wav'))).toBe(false);
  });

  it('the storage root itself is an allowed target directory', async () => {
    h = harness({ engine: { storageRoot: root } });
    await h.inbound({}, '<Response><MoveFile SourceFile="voicemail/new/msg1.wav" TargetDirectory="."/></Response>');
    expect(h.trace(['file.changed'])).toEqual(['0 moved msg1.wav']);
  });

  it('refuses sources and targets outside the root: ../, absolute paths, symbolic links', async () => {
    h = harness({ engine: { storageRoot: root } });
    symlinkSync(outside, path.join(root, 'link'));
    await h.inbound({}, `<Response>
      <MoveFile SourceFile="../${path.basename(outside)}/secret.txt" TargetDirectory="voicemail"/>
      <MoveFile SourceFile="${path.join(outside, 'secret.txt')}" TargetDirectory="voicemail"/>
      <MoveFile SourceFile="voicemail/new/msg1.wav" TargetDirectory="${outside}"/>
      <MoveFile SourceFile="voicemail/new/msg1.wav" TargetDirectory="voicemail/../../x"/>
      <MoveFile SourceFile="link/secret.txt" TargetDirectory="voicemail"/>
      <MoveFile SourceFile="voicemail/new/msg1.wav" TargetDirectory="link/sub"/>
      <Beep/>
    </Response>`);
    const refused = (source: string) => `0 error storage: MoveFile: '${source}' is outside the storage root`;
    expect(h.trace(['error', 'verb.finished'])).toEqual([
      refused(`../${path.basename(outside)}/secret.txt`), '0 MoveFile → refused',
      refused(path.join(outside, 'secret.txt')), '0 MoveFile → refused',
      refused(outside), '0 MoveFile → refused',
      refused('voicemail/../../x'), '0 MoveFile → refused',
      refused('link/secret.txt'), '0 MoveFile → refused',
      refused('link/sub'), '0 MoveFile → refused',
      '0.5 Beep → completed',
    ]);
    expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('keep');
    expect(existsSync(path.join(root, 'voicemail', 'new', 'msg1.wav'))).toBe(true);
    expect(existsSync(path.join(outside, 'sub'))).toBe(false);
    expect(h.of('error')[0]).toMatchObject({ verb: 'MoveFile' });
  });

  it('a source that is not a file is refused', async () => {
    h = harness({ engine: { storageRoot: root } });
    await h.inbound({}, '<Response><MoveFile SourceFile="voicemail/new/none.wav" TargetDirectory="x"/><MoveFile SourceFile="voicemail" TargetDirectory="x"/></Response>');
    expect(h.trace(['error'])).toEqual([
      "0 error storage: MoveFile: 'voicemail/new/none.wav' is not a file",
      "0 error storage: MoveFile: 'voicemail' is not a file",
    ]);
  });
});

describe('DeleteFile', () => {
  it('deletes a file inside the root', async () => {
    h = harness({ engine: { storageRoot: root } });
    await h.inbound({}, '<Response><DeleteFile>voicemail/new/msg1.wav</DeleteFile></Response>');
    expect(h.trace(STEPS)).toEqual([
      '0 DeleteFile', '0 deleted voicemail/new/msg1.wav', '0 DeleteFile → deleted', '0 end normal',
    ]);
    expect(existsSync(path.join(root, 'voicemail', 'new', 'msg1.wav'))).toBe(false);
    expect(existsSync(path.join(root, 'voicemail', 'new', 'msg2.wav'))).toBe(true);
  });

  it('refuses paths outside the root and the root itself', async () => {
    h = harness({ engine: { storageRoot: root } });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt'));
    await h.inbound({}, `<Response>
      <DeleteFile>../${path.basename(outside)}/secret.txt</DeleteFile>
      <DeleteFile>${path.join(outside, 'secret.txt')}</DeleteFile>
      <DeleteFile>secret-link.txt</DeleteFile>
      <DeleteFile>.</DeleteFile>
    </Response>`);
    expect(h.trace(['error'])).toEqual([
      `0 error storage: DeleteFile: '../${path.basename(outside)}/secret.txt' is outside the storage root`,
      `0 error storage: DeleteFile: '${path.join(outside, 'secret.txt')}' is outside the storage root`,
      "0 error storage: DeleteFile: 'secret-link.txt' is outside the storage root",
      "0 error storage: DeleteFile: '.' is outside the storage root",
    ]);
    expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('keep');
  });

  it('without a storage root both verbs are refused', async () => {
    h = harness();
    const program = compile('<Response><DeleteFile>a.wav</DeleteFile><MoveFile SourceFile="a.wav" TargetDirectory="b"/></Response>');
    await h.inbound({}, { program });
    expect(h.trace(['error', 'verb.finished'])).toEqual([
      '0 error no-storage-root: DeleteFile: no storage root is configured', '0 DeleteFile → refused',
      '0 error no-storage-root: MoveFile: no storage root is configured', '0 MoveFile → refused',
    ]);
  });

  it('works in third-party context too', async () => {
    h = harness({ engine: { storageRoot: root } });
    const result = await h.run('<Response><DeleteFile>voicemail/new/msg2.wav</DeleteFile></Response>', 'third-party');
    expect(result.cause).toBe('normal');
    expect(existsSync(path.join(root, 'voicemail', 'new', 'msg2.wav'))).toBe(false);
  });
});
