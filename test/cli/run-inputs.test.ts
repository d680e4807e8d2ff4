/**
 * What `ozml run` and `ozml test` say about the files they are given: a huge script is refused
 * from its size without being read, local problems name the file, unsupported schemes and a
 * missing recording are usage errors, and a script given to `ozml test` says how to run it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAtMost } from '../../src/dryrun/read-limited.js';
import { ozml, tempDir } from './helpers.js';

const dir = tempDir();
afterAll(() => dir.remove());
const file = (name: string, text: string): string => {
  writeFileSync(join(dir.path, name), text);
  return join(dir.path, name);
};
const run = (args: string[]) => ozml(args, { cwd: dir.path });

const BIG = 300 * 1024 * 1024;
const big = join(dir.path, 'big.xml');
// Sparse: 300 MiB long, no blocks on disk.
writeFileSync(big, '');
truncateSync(big, BIG);

describe('readAtMost', () => {
  it('refuses a 300 MiB file from its size', async () => {
    expect(await readAtMost(big, 65_536)).toEqual({ ok: false, size: BIG });
  });

  it('reads a file of exactly the limit, and refuses one byte more', async () => {
    const at = file('at.xml', 'x'.repeat(100));
    const over = file('over.xml', 'x'.repeat(101));
    const read = await readAtMost(at, 100);
    expect(read.ok && Buffer.from(read.bytes).toString()).toBe('x'.repeat(100));
    expect(await readAtMost(over, 100)).toEqual({ ok: false, size: 101 });
  });

  it('reads at most limit + 1 bytes from a pipe, whose size is unknown', async () => {
    const fifo = join(dir.path, 'pipe.xml');
    execFileSync('mkfifo', [fifo]);
    // The writer sends limit + 1 bytes and then keeps the pipe open: reading one byte more would
    // wait for ever, so the test ends only if the reader stops at limit + 1.
    const writer = spawn(process.execPath, ['-e', `
      const fs = require('node:fs');
      const fd = fs.openSync(${JSON.stringify(fifo)}, 'w');
      fs.writeSync(fd, Buffer.alloc(101, 32));
      setInterval(() => {}, 1000);
    `], { stdio: 'ignore' });
    try {
      expect(await readAtMost(fifo, 100)).toEqual({ ok: false, size: undefined });
    } finally {
      writer.kill();
    }
  }, 20_000);

  it('passes on the file system error', async () => {
    await expect(readAtMost(join(dir.path, 'nope.xml'), 100)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('ozml run with local files', () => {
  it('refuses a 300 MiB script by its size, naming the file', () => {
    const result = run(['run', 'big.xml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '   +0.000s  ozml         error 11215: IncomingCall to https://app.invalid/big.xml failed: big.xml is 314572800 bytes; the limit is 65536\n',
    );
  });

  it('names the file in a document error', () => {
    file('bad.xml', '<Response>\n  <Speak>hi</Speek>\n</Response>\n');
    const result = run(['run', 'bad.xml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "error 12100: IncomingCall to https://app.invalid/bad.xml failed: bad.xml:2:12 xml-syntax: Expected closing tag 'Speak' (opened in line 2, col 3) instead of closing tag 'Speek'.\n",
    );
  });

  it('names the file a GoTo could not read by its path', () => {
    file('goto.xml', '<Response><GoTo>sub/next.xml</GoTo></Response>');
    const result = run(['run', 'goto.xml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'error 11200: GoTo to https://app.invalid/sub/next.xml failed: HTTP 404: cannot read sub/next.xml for https://app.invalid/sub/next.xml (ENOENT)\n',
    );
  });

  it('says which schemes it supports for a URL it cannot fetch', () => {
    expect(run(['run', 'ftp://example.com/a.xml'])).toEqual({
      code: 2, stdout: '',
      stderr: 'ozml: ftp://example.com/a.xml: the ftp: scheme is not supported; a script is a local file or an http:// or https:// URL\n',
    });
  });

  it('exits 2 when --replay names no directory', () => {
    file('ok.xml', '<Response><Hangup/></Response>');
    expect(run(['run', 'ok.xml', '--replay', 'nosuchdir'])).toEqual({
      code: 2, stdout: '', stderr: 'ozml: --replay nosuchdir: no such directory (make a recording with --record nosuchdir)\n',
    });
    expect(run(['run', 'ok.xml', '--replay', 'ok.xml'])).toEqual({
      code: 2, stdout: '', stderr: 'ozml: --replay ok.xml: not a directory (a recording is the directory --record wrote)\n',
    });
  });
});

describe('ozml test given a script', () => {
  it('says it runs scenario files and how to run the script', () => {
    file('main.xml', '<Response><Hangup/></Response>');
    expect(run(['test', 'main.xml'])).toEqual({
      code: 2, stdout: '',
      stderr: 'ozml: main.xml: ozml test runs scenario files (*.scenario.json, *.scenario.yaml), not OzML scripts; '
        + 'to run a script, use ozml run main.xml (or name it as script: in a scenario)\n',
    });
  });
});
