import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalScriptSource } from '../../src/webhooks/index.js';
import type { ScriptReply, WebhookEvent } from '../../src/webhooks/index.js';
import { COMMON, DOCS, notification } from './helpers/notifications.js';
import { trackTimers } from './helpers/server.js';

const MENU = '<Response><UserInput Digits="1" ForwardToUrl="/menu/choice"><InitialCommands><Speak>Press 1</Speak></InitialCommands></UserInput></Response>';

function verbs(reply: ScriptReply): string[] {
  if (reply.kind !== 'document') throw new Error(`expected a document, got ${JSON.stringify(reply)}`);
  return reply.program.instructions.map((i) => i.name);
}

describe('LocalScriptSource', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ozml-local-'));
    writeFileSync(path.join(dir, 'welcome.xml'), DOCS['api-extension']);
    writeFileSync(path.join(dir, 'broken.xml'), '<Response><Speak>unclosed</Response>');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps exact URLs, globs and path patterns to files and inline OzML, first match wins', async () => {
    const source = new LocalScriptSource({
      baseDir: dir,
      routes: [
        ['http://app.test/ivr', 'welcome.xml'],
        ['http://app.test/menu/*', MENU],
        ['http://*.test/deep/**', '<Response><Hangup/></Response>'],
        ['/any-host/*.xml', { ozml: '<Response><Beep/></Response>' }],
      ],
    });
    expect(verbs(await source.fetch(notification('IncomingCall', 'http://APP.test/ivr?from=pstn')))).toEqual(['Speak', 'Hangup']);
    expect(verbs(await source.fetch(notification('GoTo', 'http://app.test/menu/main')))).toEqual(['UserInput']);
    expect(await source.fetch(notification('GoTo', 'http://app.test/menu/a/b'))).toMatchObject({ kind: 'failed', code: 11200 });
    expect(verbs(await source.fetch(notification('GoTo', 'http://other.test/deep/a/b/c')))).toEqual(['Hangup']);
    expect(verbs(await source.fetch(notification('GoTo', 'https://x.example/any-host/page.xml')))).toEqual(['Beep']);
  });

  it('resolves relative URLs against the document URL and strips override fragments', async () => {
    const source = new LocalScriptSource({ routes: { 'http://app.test/menu/choice': DOCS['api-extension'] } });
    const reply = await source.fetch(notification('DtmfEntered', 'choice#ct=100&rc=0', { baseUrl: 'http://app.test/menu/main' }));
    expect(reply).toMatchObject({ kind: 'document', url: 'http://app.test/menu/choice' });
    expect(reply.kind === 'document' && reply.program.url).toBe('http://app.test/menu/choice');
  });

  it('an unmapped URL fails with a detail that lists the routes', async () => {
    const source = new LocalScriptSource({ routes: { 'http://app.test/ivr': DOCS['api-extension'], '/menu/*': MENU } });
    expect(await source.fetch(notification('GoTo', 'http://app.test/nowhere'))).toEqual({
      kind: 'failed', code: 11200, url: 'http://app.test/nowhere',
      detail: 'no local route for http://app.test/nowhere (routes: http://app.test/ivr, /menu/*)',
    });
  });

  it('status codes: 204 is an empty reply, 500 a failure', async () => {
    const source = new LocalScriptSource({ routes: { 'http://app.test/empty': { status: 204 }, 'http://app.test/down': { status: 500, ozml: DOCS['api-extension'] } } });
    expect(await source.fetch(notification('DtmfEntered', 'http://app.test/empty'))).toEqual({ kind: 'empty', url: 'http://app.test/empty' });
    expect(await source.fetch(notification('GoTo', 'http://app.test/down'))).toEqual({
      kind: 'failed', code: 11200, url: 'http://app.test/down', detail: 'HTTP 500 from http://app.test/down (local route http://app.test/down)',
    });
  });

  it('documents are compiled like fetched ones: parse errors 12100, a missing file 11200, too large 11215', async () => {
    const source = new LocalScriptSource({
      baseDir: dir,
      maxBodyBytes: 100,
      routes: { 'http://app.test/broken': 'broken.xml', 'http://app.test/missing': 'missing.xml', 'http://app.test/big': `<Response><Speak>${'x'.repeat(200)}</Speak></Response>` },
    });
    expect(await source.fetch(notification('GoTo', 'http://app.test/broken'))).toMatchObject({ kind: 'failed', code: 12100, detail: expect.stringMatching(/^1:\d+ xml-syntax/) });
    expect(await source.fetch(notification('GoTo', 'http://app.test/missing'))).toMatchObject({
      kind: 'failed', code: 11200, detail: expect.stringContaining(`cannot read ${path.join(dir, 'missing.xml')}`),
    });
    expect(await source.fetch(notification('GoTo', 'http://app.test/big'))).toMatchObject({ kind: 'failed', code: 11215, detail: 'the document is 236 bytes; the limit is 100' });
  });

  it('applies the same failure policy: Error notification, then FallbackUrl with ErrorCode and ErrorUrl', async () => {
    const events: WebhookEvent[] = [];
    const source = new LocalScriptSource({
      routes: { 'http://app.test/errors': { status: 204 }, 'http://app.test/fallback': '<Response><Speak>Sorry</Speak></Response>' },
      errorUrl: 'http://app.test/errors',
      fallbackUrl: 'http://app.test/fallback',
      onEvent: (e) => events.push(e),
    });
    const reply = await source.fetch(notification('IncomingCall', 'http://app.test/ivr'));
    expect(verbs(reply)).toEqual(['Speak']);
    expect(source.deliveries).toEqual([
      { kind: 'fetch', name: 'IncomingCall', url: 'http://app.test/ivr', params: { NotificationName: 'IncomingCall', ...COMMON } },
      {
        kind: 'send', name: 'Error', url: 'http://app.test/errors', route: 'http://app.test/errors',
        params: { NotificationName: 'Error', ...COMMON, ErrorCode: '11200', ErrorUrl: 'http://app.test/ivr', Detail: 'no local route for http://app.test/ivr (routes: http://app.test/errors, http://app.test/fallback)' },
      },
      {
        kind: 'fetch', name: 'IncomingCall', url: 'http://app.test/fallback', route: 'http://app.test/fallback',
        params: { NotificationName: 'IncomingCall', ...COMMON, ErrorCode: '11200', ErrorUrl: 'http://app.test/ivr' },
      },
    ]);
    expect(events.map((e) => e.type)).toEqual(['failure', 'error-notification', 'fallback']);
  });

  it('send() records the notification and ignores the reply', async () => {
    const source = new LocalScriptSource({ routes: { 'http://app.test/finished': DOCS['api-extension'] } });
    await source.send(notification('TransferCompleted', 'http://app.test/finished'));
    await source.send(notification('SMSDeliveryReport', 'http://app.test/unmapped'));
    expect(source.deliveries.map((d) => [d.kind, d.name, d.url, d.route])).toEqual([
      ['send', 'TransferCompleted', 'http://app.test/finished', 'http://app.test/finished'],
      ['send', 'SMSDeliveryReport', 'http://app.test/unmapped', undefined],
    ]);
  });

  it('delays go through the injected sleep (a virtual clock can drive them) and honour aborts', async () => {
    const slept: number[] = [];
    const source = new LocalScriptSource({
      routes: { 'http://app.test/slow': { ozml: DOCS['api-extension'], delayMs: 2_500 } },
      sleep: async (ms, signal) => {
        slept.push(ms);
        signal?.throwIfAborted();
      },
    });
    expect(verbs(await source.fetch(notification('GoTo', 'http://app.test/slow')))).toEqual(['Speak', 'Hangup']);
    expect(slept).toEqual([2_500]);

    const timers = trackTimers();
    try {
      const real = new LocalScriptSource({ routes: { 'http://app.test/slow': { ozml: DOCS['api-extension'], delayMs: 60_000 } } });
      const controller = new AbortController();
      const pending = real.fetch(notification('GoTo', 'http://app.test/slow'), { signal: controller.signal });
      await new Promise((r) => setImmediate(r));
      expect(timers.pending()).toHaveLength(1); // the delay is running
      controller.abort(new Error('hung up'));
      await expect(pending).rejects.toThrow('hung up');
      expect(timers.pending()).toEqual([]);
    } finally {
      timers.restore();
    }
  });

  it('compiles in the notification\'s context', async () => {
    const source = new LocalScriptSource({ routes: { '/route': DOCS.routing, '/speak': DOCS['api-extension'] } });
    expect(verbs(await source.fetch(notification('RoutingInterception', 'http://pbx.test/route')))).toEqual(['Route']);
    expect(await source.fetch(notification('RoutingInterception', 'http://pbx.test/speak'))).toMatchObject({
      kind: 'failed', code: 12200, detail: '1:11 verb-not-allowed-in-context: <Speak> is not allowed in routing documents (only in api-extension, third-party).; '
        + '1:31 verb-not-allowed-in-context: <Hangup> is not allowed in routing documents (only in api-extension, third-party).',
    });
  });
});
