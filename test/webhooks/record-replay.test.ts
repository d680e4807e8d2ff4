import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HttpScriptSource } from '../../src/webhooks/index.js';
import type { Notification, RecordedExchange, ScriptReply } from '../../src/webhooks/index.js';
import { COMMON, DOCS, notification } from './helpers/notifications.js';
import { countClientSockets, startServer, xml } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';

const NOW = 1_790_000_000_000;

describe('record and replay', () => {
  let server: TestServer;
  let dirs: string[];
  let sources: HttpScriptSource[];

  beforeEach(async () => {
    dirs = [];
    sources = [];
    let flaky = 0;
    server = await startServer((req, res, hit) => {
      const p = new URL(hit.url, 'http://x').pathname;
      if (p === '/ivr') xml(res, '<Response>\n  <Speak>Welcome</Speak>\n  <GoTo>/menu</GoTo>\n</Response>\n');
      else if (p === '/menu') xml(res, DOCS['api-extension']);
      else if (p === '/flaky') (flaky++ % 2 === 0 ? res.writeHead(502).end('bad gateway') : xml(res, DOCS['api-extension']));
      else if (p === '/slow') {
        const t = setTimeout(() => xml(res, DOCS['api-extension']), 5_000);
        res.on('close', () => clearTimeout(t));
      } else if (p === '/binary') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0, 1, 2, 255]));
      else if (p === '/done') res.writeHead(204).end();
      else res.writeHead(404).end();
    });
  });

  afterEach(async () => {
    await Promise.all(sources.map((s) => s.close()));
    await server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function tempDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'ozml-rec-'));
    dirs.push(dir);
    return dir;
  }

  function make(options: { recordDir?: string; replayDir?: string }): HttpScriptSource {
    let key = 0;
    const s = new HttpScriptSource({
      app: { allowAddresses: ['127.0.0.1/32'], secret: 'rec-secret-0123456789', keyId: 'k1', errorUrl: server.url('/done'), retryBackoffMs: 5 },
      clock: () => NOW,
      idempotencyKey: () => `key-${++key}`,
      ...options,
    });
    sources.push(s);
    return s;
  }

  /** The flow used throughout: a document, a retried 502, a timeout (with its Error notification), a binary reply. */
  const flow = (): Notification[] => [
    notification('IncomingCall', server.url('/ivr?tenant=7')),
    notification('GoTo', '/menu', { baseUrl: server.url('/ivr?tenant=7') }),
    notification('DtmfEntered', server.url('/flaky')),
    notification('GoTo', `${server.url('/slow')}#tt=200`),
    notification('GoTo', server.url('/binary')),
  ];

  async function run(source: HttpScriptSource): Promise<ScriptReply[]> {
    const replies: ScriptReply[] = [];
    for (const n of flow()) replies.push(await source.fetch(n));
    return replies;
  }

  it('writes one readable YAML file per exchange, named by sequence', async () => {
    const dir = tempDir();
    await run(make({ recordDir: dir }));
    expect(readdirSync(dir)).toEqual([
      '0001-IncomingCall.yaml', '0002-GoTo.yaml', '0003-DtmfEntered.yaml', '0004-DtmfEntered.yaml', '0005-GoTo.yaml', '0006-Error.yaml', '0007-GoTo.yaml', '0008-Error.yaml',
    ]);
    const first = parse(readFileSync(path.join(dir, '0001-IncomingCall.yaml'), 'utf8')) as RecordedExchange;
    expect(first).toEqual({
      sequence: 1,
      notification: 'IncomingCall',
      attempt: 1,
      redirect: 0,
      request: {
        method: 'POST',
        url: server.url('/ivr?tenant=7'),
        headers: {
          accept: 'application/xml, text/xml, text/plain;q=0.5',
          'content-type': 'application/x-www-form-urlencoded',
          'idempotency-key': 'key-1',
          'user-agent': 'ozml-webhooks/1',
          'x-ozml-attempt': '1',
          'x-ozml-key-id': 'k1',
          'x-ozml-signature': expect.stringMatching(/^t=1790000000,v1=[0-9a-f]{64}$/),
        },
        params: { NotificationName: 'IncomingCall', ...COMMON },
        body: new URLSearchParams({ NotificationName: 'IncomingCall', ...COMMON }).toString(),
      },
      response: {
        status: 200,
        headers: { 'content-type': 'application/xml' },
        body: '<Response>\n  <Speak>Welcome</Speak>\n  <GoTo>/menu</GoTo>\n</Response>\n',
      },
      timing: { elapsedMs: 0 },
    });
    // The response body is stored as a YAML block, as readable as the original.
    expect(readFileSync(path.join(dir, '0001-IncomingCall.yaml'), 'utf8')).toContain('  body: |\n    <Response>\n      <Speak>Welcome</Speak>\n');

    const retried = [3, 4].map((i) => parse(readFileSync(path.join(dir, `000${i}-DtmfEntered.yaml`), 'utf8')) as RecordedExchange);
    expect(retried.map((e) => [e.attempt, e.request.headers['idempotency-key'], e.response?.status])).toEqual([[1, 'key-3', 502], [2, 'key-3', 200]]);

    const timeout = parse(readFileSync(path.join(dir, '0005-GoTo.yaml'), 'utf8')) as RecordedExchange;
    expect(timeout.error).toEqual({ kind: 'total-timeout', code: 11210, message: 'no complete answer within the total time limit of 200 ms' });
    expect(timeout.response).toBeUndefined();

    const binary = parse(readFileSync(path.join(dir, '0007-GoTo.yaml'), 'utf8')) as RecordedExchange;
    expect(binary.response).toEqual({ status: 200, headers: { 'content-type': 'application/octet-stream' }, bodyBase64: 'AAEC/w==' });
  });

  it('recordings are byte-identical run to run with a fixed clock and keys', async () => {
    const a = tempDir();
    const b = tempDir();
    await run(make({ recordDir: a }));
    await run(make({ recordDir: b }));
    const files = readdirSync(a);
    expect(readdirSync(b)).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(b, f), 'utf8')).toBe(readFileSync(path.join(a, f), 'utf8'));
  });

  it('replay gives the same replies with no network at all', async () => {
    const dir = tempDir();
    const recorded = await run(make({ recordDir: dir }));
    expect(recorded.map((r) => (r.kind === 'failed' ? r.code : r.kind))).toEqual(['document', 'document', 'document', 11210, 11220]);
    await server.close();

    const sockets = countClientSockets();
    try {
      const replayed = await run(make({ replayDir: dir }));
      expect(replayed).toEqual(recorded);
      expect(sockets.opened).toBe(0);
    } finally {
      sockets.stop();
    }
  });

  it('a request with no recorded answer fails clearly (11290), naming what differs', async () => {
    const dir = tempDir();
    await make({ recordDir: dir }).fetch(notification('DtmfEntered', server.url('/menu')));
    const replay = make({ replayDir: dir });
    const changed = notification('DtmfEntered', server.url('/menu'));
    changed.params['DtmfDigits'] = '9';
    const reply = await replay.fetch(changed);
    expect(reply).toEqual({
      kind: 'failed', code: 11290, url: server.url('/menu'),
      detail: `no recorded exchange for POST ${server.url('/menu')} in ${dir}; 0001-DtmfEntered.yaml has a different body: DtmfDigits was "1234#", now "9"`,
    });
    const unknown = await replay.fetch(notification('GoTo', server.url('/elsewhere')));
    expect(unknown).toMatchObject({ kind: 'failed', code: 11290, detail: `no recorded exchange for POST ${server.url('/elsewhere')} in ${dir} (no unused recording for this URL; 1 unused for other URLs)` });
  });

  it('each recorded exchange answers once', async () => {
    const dir = tempDir();
    await make({ recordDir: dir }).fetch(notification('GoTo', server.url('/menu')));
    const replay = make({ replayDir: dir });
    expect((await replay.fetch(notification('GoTo', server.url('/menu')))).kind).toBe('document');
    expect(await replay.fetch(notification('GoTo', server.url('/menu')))).toMatchObject({
      kind: 'failed', code: 11290, detail: `no recorded exchange for POST ${server.url('/menu')} in ${dir} (every recorded exchange was already used)`,
    });
  });

  it('a new recording replaces the exchange files of an earlier one and leaves other files alone', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '0042-GoTo.yaml'), 'old: true\n');
    writeFileSync(path.join(dir, 'README.md'), 'golden files\n');
    await make({ recordDir: dir }).fetch(notification('GoTo', server.url('/menu')));
    expect(readdirSync(dir).sort()).toEqual(['0001-GoTo.yaml', 'README.md']);
  });

  it('refuses to record and replay at once, and reports an unreadable recording as 11290', async () => {
    expect(() => new HttpScriptSource({ recordDir: 'a', replayDir: 'b' })).toThrow('recordDir and replayDir cannot be used together');
    const missing = path.join(tempDir(), 'nope');
    const reply = await make({ replayDir: missing }).fetch(notification('GoTo', server.url('/menu')));
    expect(reply).toMatchObject({ kind: 'failed', code: 11290, detail: expect.stringContaining(`cannot read the recording directory ${missing}`) });
  });
});
