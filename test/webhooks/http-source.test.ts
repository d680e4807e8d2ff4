import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpScriptSource, NOTIFICATION_NAMES } from '../../src/webhooks/index.js';
import type { ScriptReply, WebhookEvent } from '../../src/webhooks/index.js';
import { COMMON, DOCS, EXTRA, notification } from './helpers/notifications.js';
import { expectNothingLeftBehind, startServer, trackTimers, xml } from './helpers/server.js';
import type { TestServer, TimerTracker } from './helpers/server.js';

const LOOPBACK = { allowAddresses: ['127.0.0.1/32'] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function docOf(reply: ScriptReply) {
  if (reply.kind !== 'document') throw new Error(`expected a document, got ${JSON.stringify(reply)}`);
  return reply;
}

describe('HttpScriptSource happy paths', () => {
  let server: TestServer;
  let source: HttpScriptSource;
  let timers: TimerTracker;
  beforeEach(async () => {
    timers = trackTimers();
    server = await startServer((req, res, hit) => {
      if (hit.url.startsWith('/empty204')) {
        res.writeHead(204).end();
      } else if (hit.url.startsWith('/empty-body')) {
        res.writeHead(200).end();
      } else if (hit.url.startsWith('/empty-response')) {
        xml(res, '<?xml version="1.0"?>\n<Response/>');
      } else if (hit.url.startsWith('/moved')) {
        res.writeHead(307, { location: '/docs/final?step=2' }).end();
      } else if (hit.url.startsWith('/see-other')) {
        res.writeHead(303, { location: '/docs/after-303' }).end();
      } else if (hit.url.startsWith('/third')) {
        xml(res, DOCS['third-party']);
      } else if (hit.url.startsWith('/route')) {
        xml(res, DOCS.routing);
      } else if (hit.url.startsWith('/latin1')) {
        const body = Buffer.from('<Response><Speak>Grüße</Speak></Response>', 'latin1');
        res.writeHead(200, { 'content-type': 'text/xml; charset=ISO-8859-1', 'content-length': body.length }).end(body);
      } else {
        xml(res, DOCS['api-extension'], 200, hit.url.includes('plain') ? 'text/plain; charset=utf-8' : 'application/xml');
      }
    });
    source = new HttpScriptSource({ app: LOOPBACK });
  });

  afterEach(async () => {
    await source.close();
    await server.close();
    // No socket and no timer may survive a test, whatever the fault.
    await expectNothingLeftBehind(timers);
  });

  it.each(NOTIFICATION_NAMES)('%s: form POST with exactly the notification parameters, reply compiled in its context', async (name) => {
    const path = name === 'CallChanged' ? '/third' : name === 'RoutingInterception' ? '/route' : '/ivr';
    const n = notification(name, server.url(path));
    const reply = docOf(await source.fetch(n));

    expect(server.hits).toHaveLength(1);
    const hit = server.hits[0]!;
    expect(hit.method).toBe('POST');
    expect(hit.url).toBe(path);
    expect(hit.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(hit.body).toBe(new URLSearchParams({ NotificationName: name, ...COMMON, ...EXTRA[name] }).toString());
    expect(hit.headers['idempotency-key']).toMatch(UUID);
    expect(hit.headers['x-ozml-attempt']).toBe('1');
    expect(hit.headers['user-agent']).toBe('ozml-webhooks/1');
    expect(hit.headers['x-ozml-signature']).toBeUndefined();

    expect(reply.url).toBe(server.url(path));
    expect(reply.program.context).toBe(n.context);
    expect(reply.program.url).toBe(server.url(path));
    const expectedVerbs = { 'api-extension': ['Speak', 'Hangup'], 'third-party': ['Hangup'], routing: ['Route'] }[n.context];
    expect(reply.program.instructions.map((i) => i.name)).toEqual(expectedVerbs);
  });

  it('sends JSON when the app asks for it', async () => {
    const json = new HttpScriptSource({ app: { ...LOOPBACK, bodyFormat: 'json' } });
    try {
      await json.fetch(notification('DtmfEntered', server.url('/ivr')));
      const hit = server.hits[0]!;
      expect(hit.headers['content-type']).toBe('application/json');
      expect(JSON.parse(hit.body)).toEqual({ NotificationName: 'DtmfEntered', ...COMMON, DtmfDigits: '1234#' });
      expect(Object.keys(JSON.parse(hit.body))[0]).toBe('NotificationName');
    } finally {
      await json.close();
    }
  });

  it('keeps custom query parameters, resolves relative URLs against the document URL and strips the override fragment', async () => {
    const n = notification('GoTo', 'next?AppDate=2026-12-01&Who=J%C3%B6rg#ct=900&rt=800&rc=0', { baseUrl: server.url('/flows/main.xml?v=1') });
    const reply = docOf(await source.fetch(n));
    expect(server.hits.map((h) => h.url)).toEqual(['/flows/next?AppDate=2026-12-01&Who=J%C3%B6rg']);
    expect(reply.url).toBe(server.url('/flows/next?AppDate=2026-12-01&Who=J%C3%B6rg'));
  });

  it('reports fragment overrides with bad values and still delivers', async () => {
    const events: WebhookEvent[] = [];
    const traced = new HttpScriptSource({ app: LOOPBACK, onEvent: (e) => events.push(e) });
    try {
      const reply = await traced.fetch(notification('GoTo', `${server.url('/ivr')}#ct=soon&rc=7&tt=900`));
      expect(reply.kind).toBe('document');
      expect(events[0]).toEqual({ type: 'overrides-ignored', url: server.url('/ivr'), entries: ['ct=soon', 'rc=7'] });
    } finally {
      await traced.close();
    }
  });

  it('reuses one keep-alive connection for many notifications', async () => {
    for (let i = 0; i < 12; i++) await source.fetch(notification('GoTo', server.url(`/ivr?i=${i}`)));
    expect(server.hits).toHaveLength(12);
    expect(server.connections).toBe(1);
    expect(new Set(server.hits.map((h) => h.connection))).toEqual(new Set([1]));
    expect(source.socketStats()[server.origin]).toEqual({ connected: 1, running: 0 });
  });

  it('uses a fresh idempotency key per notification', async () => {
    await source.fetch(notification('GoTo', server.url('/ivr')));
    await source.fetch(notification('GoTo', server.url('/ivr')));
    const [a, b] = server.hits.map((h) => h.headers['idempotency-key']);
    expect(a).not.toBe(b);
  });

  it.each([
    ['/empty204', '204 No Content'],
    ['/empty-body', '200 with an empty body and no content type'],
    ['/empty-response', '<Response/>'],
  ])('%s (%s) is an empty reply: the script continues', async (path) => {
    expect(await source.fetch(notification('DtmfEntered', server.url(path)))).toEqual({ kind: 'empty', url: server.url(path) });
  });

  it('accepts text/plain and decodes a declared charset', async () => {
    expect(docOf(await source.fetch(notification('GoTo', server.url('/plain')))).program.instructions).toHaveLength(2);
    const latin = docOf(await source.fetch(notification('GoTo', server.url('/latin1'))));
    expect(latin.program.instructions[0]!.attributes['Text']).toMatchObject({ value: 'Grüße' });
  });

  it('follows a 307 with the same POST and reports the final URL as the document URL', async () => {
    const events: WebhookEvent[] = [];
    const traced = new HttpScriptSource({ app: LOOPBACK, onEvent: (e) => events.push(e) });
    try {
      const reply = docOf(await traced.fetch(notification('GoTo', server.url('/moved'))));
      expect(reply.url).toBe(server.url('/docs/final?step=2'));
      expect(reply.program.url).toBe(server.url('/docs/final?step=2'));
      expect(server.hits.map((h) => [h.method, h.url, h.form['NotificationName']])).toEqual([
        ['POST', '/moved', 'GoTo'],
        ['POST', '/docs/final?step=2', 'GoTo'],
      ]);
      expect(server.hits[0]!.headers['idempotency-key']).toBe(server.hits[1]!.headers['idempotency-key']);
      expect(events.map((e) => e.type)).toEqual(['request', 'response', 'redirect', 'request', 'response']);
    } finally {
      await traced.close();
    }
  });

  it('follows a 303 with GET and no body', async () => {
    const reply = docOf(await source.fetch(notification('GoTo', server.url('/see-other'))));
    expect(reply.url).toBe(server.url('/docs/after-303'));
    expect(server.hits.map((h) => [h.method, h.url, h.body, h.headers['content-type']])).toEqual([
      ['POST', '/see-other', expect.stringContaining('NotificationName=GoTo'), 'application/x-www-form-urlencoded'],
      ['GET', '/docs/after-303', '', undefined],
    ]);
  });

  it('send() delivers the notification and ignores the reply', async () => {
    await expect(source.send(notification('TransferCompleted', server.url('/finished?call=7')))).resolves.toBeUndefined();
    expect(server.hits.map((h) => [h.url, h.form])).toEqual([
      ['/finished?call=7', { NotificationName: 'TransferCompleted', ...COMMON, ...EXTRA.TransferCompleted }],
    ]);
  });

  it('passes warnings of the reply along with the document', async () => {
    const warned = await startServer((_req, res) => xml(res, '<OzML><Speak>Hi</Speak></OzML>'));
    try {
      const reply = docOf(await source.fetch(notification('GoTo', warned.url('/'))));
      expect(reply.diagnostics?.map((d) => [d.rule, d.severity])).toEqual([['unknown-root', 'warning']]);
    } finally {
      await warned.close();
    }
  });

  it('treats notification parameters as known variables of the reply', async () => {
    const vars = await startServer((_req, res) => xml(res, '<Response><Speak>You pressed $DtmfDigits</Speak></Response>'));
    try {
      const reply = docOf(await source.fetch(notification('DtmfEntered', vars.url('/'))));
      expect(reply.diagnostics).toBeUndefined();
    } finally {
      await vars.close();
    }
  });
});
