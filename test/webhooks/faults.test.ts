/**
 * The failure policy against misbehaving servers: for each fault the documented outcome, the
 * Error notification the app receives, and no sockets or timers left behind.
 */
import type http from 'node:http';
import type { LookupFunction } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpScriptSource, WebhookErrorCode } from '../../src/webhooks/index.js';
import type { WebhookApp, WebhookEvent } from '../../src/webhooks/index.js';
import { COMMON, DOCS, notification } from './helpers/notifications.js';
import { countClientSockets, eventually, expectNothingLeftBehind, startServer, trackTimers, xml } from './helpers/server.js';
import type { Hit, SocketCounter, TestServer, TimerTracker } from './helpers/server.js';

const DOC = DOCS['api-extension'];

/** Writes `chunk` every `ms` until the client goes away. */
function trickle(res: http.ServerResponse, chunk: string, ms: number): void {
  const timer = setInterval(() => res.write(chunk), ms);
  res.on('close', () => clearInterval(timer));
}

/** Calls `fn` after `ms` unless the client goes away first. */
function later(res: http.ServerResponse, ms: number, fn: () => void): void {
  const timer = setTimeout(fn, ms);
  res.on('close', () => clearTimeout(timer));
}

const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse, hit: Hit, hits: Hit[]) => void> = {
  '/ok': (_q, res) => xml(res, DOC),
  '/errors': (_q, res) => res.writeHead(204).end(),
  '/fallback': (_q, res) => xml(res, '<Response><Speak>Sorry, we have a problem.</Speak></Response>'),
  '/slow-headers': (_q, res) => later(res, 5_000, () => xml(res, DOC)),
  '/slow-body': (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/xml', 'content-length': 200 });
    res.write('<Response><Speak>');
    later(res, 5_000, () => res.end());
  },
  '/endless': (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.write('<Response>');
    trickle(res, '<Speak>more</Speak>', 40);
  },
  '/flaky': (_q, res, hit, hits) => {
    if (hits.filter((h) => h.url === hit.url).length === 1) res.writeHead(500).end('oops');
    else xml(res, DOC);
  },
  '/always-500': (_q, res) => res.writeHead(503).end(),
  '/missing': (_q, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'),
  '/huge': (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/xml', 'content-length': 10 * 1024 * 1024 });
    res.write('<Response><Speak>');
    const chunk = 'x'.repeat(64 * 1024);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
    };
    res.on('drain', pump);
    pump();
  },
  '/html': (_q, res) => xml(res, '<html><body>Welcome</body></html>', 200, 'text/html; charset=utf-8'),
  '/no-content-type': (_q, res) => res.writeHead(200).end(DOC),
  '/not-xml': (_q, res) => xml(res, '<Response><Speak>Hi</Response>'),
  '/lint-errors': (_q, res) => xml(res, '<Response>\n  <Spek>Hi</Spek>\n</Response>'),
  '/loop-a': (_q, res) => res.writeHead(302, { location: '/loop-b' }).end(),
  '/loop-b': (_q, res) => res.writeHead(302, { location: '/loop-a' }).end(),
  '/chain': (_q, res, hit) => {
    const n = Number(new URL(hit.url, 'http://x').searchParams.get('n') ?? '0');
    res.writeHead(301, { location: `/chain?n=${n + 1}` }).end();
  },
  '/to-metadata': (_q, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  '/to-private': (_q, res) => res.writeHead(307, { location: 'http://10.0.0.1/ivr' }).end(),
  '/to-name': (_q, res) => res.writeHead(307, { location: 'http://metadata.internal.test/ivr' }).end(),
  '/early-hints': (_q, res) => res.writeEarlyHints({ link: '</menu.xml>; rel=preload' }, () => xml(res, DOC)),
  '/reset-mid-body': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml', 'content-length': 500 });
    res.write('<Response><Speak>');
    later(res, 20, () => req.socket.resetAndDestroy());
  },
};

describe('failure policy against real faulty servers', () => {
  let server: TestServer;
  let errorServer: TestServer;
  let events: WebhookEvent[];
  let sources: HttpScriptSource[];
  let timers: TimerTracker;

  function source(app: WebhookApp = {}, extra: { lookup?: LookupFunction } = {}): HttpScriptSource {
    const s = new HttpScriptSource({
      app: { allowAddresses: ['127.0.0.1/32'], errorUrl: errorServer.url('/errors'), retryBackoffMs: 10, ...app },
      onEvent: (e) => events.push(e),
      ...extra,
    });
    sources.push(s);
    return s;
  }

  beforeEach(async () => {
    timers = trackTimers();
    events = [];
    sources = [];
    server = await startServer((req, res, hit) => {
      const route = routes[new URL(hit.url, 'http://x').pathname];
      if (route) route(req, res, hit, server.hits);
      else res.writeHead(500).end('no route');
    });
    errorServer = await startServer((_q, res) => res.writeHead(204).end());
  });

  afterEach(async () => {
    // Whatever happened, no request is left running once fetch has answered (aborts settle a tick later).
    await eventually(() => {
      for (const s of sources) for (const stats of Object.values(s.socketStats())) expect(stats.running).toBe(0);
    });
    await Promise.all(sources.map((s) => s.close()));
    await server.close();
    await errorServer.close();
    // No socket and no timer may survive a test, whatever the fault.
    await expectNothingLeftBehind(timers);
  });

  /** The Error notification the app received. */
  function errorNotification(): Record<string, string> {
    expect(errorServer.hits).toHaveLength(1);
    return errorServer.hits[0]!.form;
  }

  function expectErrorNotification(code: number, url: string, detail: RegExp): void {
    const form = errorNotification();
    expect(Object.keys(form)).toEqual(['NotificationName', ...Object.keys(COMMON), 'ErrorCode', 'ErrorUrl', 'Detail']);
    expect(form).toMatchObject({ NotificationName: 'Error', ...COMMON, ErrorCode: String(code), ErrorUrl: url });
    expect(form['Detail']).toMatch(detail);
  }

  it('slow headers: read timeout 11210, not retried', async () => {
    const url = server.url('/slow-headers');
    const s = source();
    const reply = await s.fetch(notification('GoTo', `${url}#rt=150&tt=2000`));
    expect(reply).toEqual({ kind: 'failed', code: WebhookErrorCode.Timeout, detail: 'read timeout: no response headers in time', url });
    expect(server.hits).toHaveLength(1);
    expect(s.socketStats()[server.origin]?.connected ?? 0).toBe(0); // the stalled socket was destroyed, not kept
    expectErrorNotification(11210, url, /^read timeout: no response headers in time$/);
  });

  it('slow body: read timeout 11210 while the body stalls', async () => {
    const url = server.url('/slow-body');
    const s = source({ timeouts: { readMs: 150 } });
    const reply = await s.fetch(notification('GoTo', url));
    expect(reply).toEqual({ kind: 'failed', code: 11210, detail: 'read timeout: the response body stalled', url });
    expect(s.socketStats()[server.origin]?.connected ?? 0).toBe(0);
    expectErrorNotification(11210, url, /body stalled/);
  });

  it('a body that never ends: the total timeout 11210 stops it', async () => {
    const url = server.url('/endless');
    const s = source();
    const reply = await s.fetch(notification('GoTo', `${url}#rt=1000&tt=300`));
    expect(reply).toEqual({ kind: 'failed', code: 11210, detail: 'no complete answer within the total time limit of 300 ms', url });
    expect(s.socketStats()[server.origin]?.connected ?? 0).toBe(0);
    expectErrorNotification(11210, url, /total time limit of 300 ms/);
  });

  it('500 then 200: one retry with the same idempotency key, no Error notification', async () => {
    const reply = await source().fetch(notification('GoTo', server.url('/flaky')));
    expect(reply.kind).toBe('document');
    expect(server.hits.map((h) => h.headers['x-ozml-attempt'])).toEqual(['1', '2']);
    const keys = server.hits.map((h) => h.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(server.hits[0]!.body).toBe(server.hits[1]!.body);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      { type: 'retry', notification: 'GoTo', url: server.url('/flaky'), nextAttempt: 2, delayMs: 10, reason: 'HTTP 500' },
    ]);
    expect(errorServer.hits).toHaveLength(0);
  });

  it('5xx every time: retries as configured, then 11200, Error notification, FallbackUrl with ErrorCode/ErrorUrl', async () => {
    const url = server.url('/always-500');
    const reply = await source({ retries: 2, fallbackUrl: server.url('/fallback') }).fetch(notification('IncomingCall', url));
    expect(reply).toMatchObject({ kind: 'document', url: server.url('/fallback') });
    expect(server.hits.map((h) => h.url)).toEqual(['/always-500', '/always-500', '/always-500', '/fallback']);
    expect(server.hits[3]!.form).toEqual({ NotificationName: 'IncomingCall', ...COMMON, ErrorCode: '11200', ErrorUrl: url });
    expectErrorNotification(11200, url, /^HTTP 503 from /);
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { delayMs: number }).delayMs)).toEqual([10, 20]);
  });

  it('#rc=0 turns retries off for one URL', async () => {
    const url = server.url('/always-500');
    const reply = await source().fetch(notification('GoTo', `${url}#rc=0`));
    expect(reply).toMatchObject({ kind: 'failed', code: 11200, url });
    expect(server.hits).toHaveLength(1);
  });

  it('404: not retried, 11200, then the call fails when the fallback fails too', async () => {
    const url = server.url('/missing');
    const reply = await source({ fallbackUrl: server.url('/html') }).fetch(notification('GoTo', url));
    expect(reply).toEqual({
      kind: 'failed', code: 11200, url,
      detail: `HTTP 404 from ${url}; FallbackUrl ${server.url('/html')} failed too: 11220 Content-Type 'text/html; charset=utf-8'; expected application/xml, text/xml, text/plain`,
    });
    expect(server.hits.map((h) => h.url)).toEqual(['/missing', '/html']);
    // One Error notification per failed URL.
    expect(errorServer.hits.map((h) => [h.form['ErrorCode'], h.form['ErrorUrl']])).toEqual([['11200', url], ['11220', server.url('/html')]]);
  });

  it('a 10 MiB body is cut off at the 64 KiB cap: 11215', async () => {
    const url = server.url('/huge');
    const s = source();
    const reply = await s.fetch(notification('GoTo', url));
    expect(reply).toEqual({ kind: 'failed', code: 11215, detail: 'the response body exceeds the size limit', url });
    expect(s.socketStats()[server.origin]?.connected ?? 0).toBe(0);
    expectErrorNotification(11215, url, /size limit/);
  });

  it('a body over a configured smaller cap is refused as well', async () => {
    const reply = await source({ maxBodyBytes: 20 }).fetch(notification('GoTo', server.url('/ok')));
    expect(reply).toMatchObject({ kind: 'failed', code: 11215 });
  });

  it.each([
    ['/html', "Content-Type 'text/html; charset=utf-8'; expected application/xml, text/xml, text/plain"],
    ['/no-content-type', 'no Content-Type; expected application/xml, text/xml, text/plain'],
  ])('wrong content type %s: 11220, not retried', async (path, detail) => {
    const url = server.url(path);
    expect(await source().fetch(notification('GoTo', url))).toEqual({ kind: 'failed', code: 11220, detail, url });
    expect(server.hits).toHaveLength(1);
    expectErrorNotification(11220, url, /Content-Type/);
  });

  it('invalid XML: 12100 with the position', async () => {
    const url = server.url('/not-xml');
    const reply = await source().fetch(notification('GoTo', url));
    expect(reply).toMatchObject({ kind: 'failed', code: 12100, url });
    expect((reply as { detail: string }).detail).toMatch(/^1:\d+ xml-syntax: <Speak> opened at line 1, column 11 is not closed before <\/Response>/);
    expectErrorNotification(12100, url, /xml-syntax/);
  });

  it('a document with lint errors: 12200 naming rule and position', async () => {
    const url = server.url('/lint-errors');
    const reply = await source().fetch(notification('GoTo', url));
    expect(reply).toMatchObject({ kind: 'failed', code: 12200, url });
    expect((reply as { detail: string }).detail).toMatch(/^2:3 unknown-verb: .*Spek/);
    expectErrorNotification(12200, url, /^2:3 unknown-verb/);
  });

  it('redirect loop: 11230 naming the loop', async () => {
    const url = server.url('/loop-a');
    const reply = await source().fetch(notification('GoTo', url));
    expect(reply).toEqual({
      kind: 'failed', code: 11230, url,
      detail: `redirect loop: ${url} -> ${server.url('/loop-b')} -> ${url}`,
    });
    expect(server.hits.map((h) => h.url)).toEqual(['/loop-a', '/loop-b']);
  });

  it('more than 5 redirects: 11230 after exactly 6 requests', async () => {
    const reply = await source().fetch(notification('GoTo', server.url('/chain')));
    expect(reply).toMatchObject({ kind: 'failed', code: 11230 });
    const chain = ['/chain', ...[1, 2, 3, 4, 5, 6].map((n) => `/chain?n=${n}`)].map((p) => server.url(p));
    expect((reply as { detail: string }).detail).toBe(`more than 5 redirects: ${chain.join(' -> ')}`);
    expect(server.hits.map((h) => h.url)).toEqual(['/chain', '/chain?n=1', '/chain?n=2', '/chain?n=3', '/chain?n=4', '/chain?n=5']);
  });

  describe('redirects to refused addresses: no connection is attempted', () => {
    let sockets: SocketCounter;
    beforeEach(() => {
      sockets = countClientSockets();
    });
    afterEach(() => sockets.stop());

    it.each([
      ['/to-metadata', 'http://169.254.169.254/latest/meta-data/', /^after redirect to http:\/\/169\.254\.169\.254\/latest\/meta-data\/: 169\.254\.169\.254 is a metadata address/],
      ['/to-private', 'http://10.0.0.1/ivr', /^after redirect to http:\/\/10\.0\.0\.1\/ivr: 10\.0\.0\.1 is a private address/],
    ])('%s → %s: 11225, and the only socket is the one to the redirecting server', async (path, _target, detail) => {
      const url = server.url(path);
      const s = source({ errorUrl: '' });
      const reply = await s.fetch(notification('GoTo', url));
      expect(reply).toMatchObject({ kind: 'failed', code: 11225, url });
      expect((reply as { detail: string }).detail).toMatch(detail);
      expect(sockets.opened).toBe(1);
      expect(server.connections).toBe(1);
      expect(Object.keys(s.socketStats())).toEqual([server.origin]);
    });

    it('a name resolving to a metadata address is refused before any socket exists', async () => {
      const resolved: string[] = [];
      const lookup: LookupFunction = (hostname, _options, callback) => {
        resolved.push(hostname);
        callback(null, [{ address: '169.254.169.254', family: 4 }]);
      };
      const url = server.url('/to-name');
      const reply = await source({ errorUrl: '' }, { lookup }).fetch(notification('GoTo', url));
      expect(reply).toMatchObject({ kind: 'failed', code: 11225, url });
      expect((reply as { detail: string }).detail).toBe(
        'after redirect to http://metadata.internal.test/ivr: metadata.internal.test resolves to 169.254.169.254, a metadata address; add it to allowAddresses to allow it',
      );
      expect(resolved).toEqual(['metadata.internal.test']);
      expect(sockets.opened).toBe(1);
    });

    it('a real server on a loopback address outside the allow list never sees a connection', async () => {
      const other = await startServer((_q, res) => xml(res, DOC), { host: '127.0.0.2' });
      try {
        const redirector = await startServer((_q, res) => res.writeHead(302, { location: other.url('/ivr') }).end());
        try {
          const reply = await source({ errorUrl: '' }).fetch(notification('GoTo', redirector.url('/')));
          expect(reply).toMatchObject({ kind: 'failed', code: 11225 });
          expect((reply as { detail: string }).detail).toBe(`after redirect to ${other.url('/ivr')}: 127.0.0.2 is a loopback address; add it to allowAddresses to allow it`);
          expect(other.connections).toBe(0);
          expect(sockets.opened).toBe(1);
        } finally {
          await redirector.close();
        }
      } finally {
        await other.close();
      }
    });

    it('without an allow list even 127.0.0.1 is refused, and nothing connects', async () => {
      const strict = new HttpScriptSource({});
      sources.push(strict);
      const reply = await strict.fetch(notification('GoTo', server.url('/ok')));
      expect(reply).toMatchObject({ kind: 'failed', code: 11225, detail: '127.0.0.1 is a loopback address; add it to allowAddresses to allow it' });
      expect(sockets.opened).toBe(0);
      expect(server.connections).toBe(0);
    });
  });

  it('connection reset mid-body: 11205, not retried', async () => {
    const url = server.url('/reset-mid-body');
    const s = source();
    const reply = await s.fetch(notification('GoTo', url));
    expect(s.socketStats()[server.origin]?.connected ?? 0).toBe(0);
    expect(reply).toMatchObject({ kind: 'failed', code: 11205, url });
    expect((reply as { detail: string }).detail).toMatch(/^connection lost while reading the response \((ECONNRESET|UND_ERR_SOCKET)\)/);
    expect(server.hits).toHaveLength(1);
    expectErrorNotification(11205, url, /connection lost while reading/);
  });

  it('connect timeout (a name that never resolves): 11210, retried once as a connect failure', async () => {
    const asked: string[] = [];
    const lookup: LookupFunction = (hostname) => {
      asked.push(hostname); // never answers
    };
    const url = 'http://hooks.never-resolves.test/ivr';
    const reply = await source({}, { lookup }).fetch(notification('GoTo', `${url}#ct=100&tt=3000`));
    expect(reply).toEqual({
      kind: 'failed', code: 11210, url,
      detail: 'connect timeout: resolving hooks.never-resolves.test took longer than 100 ms',
    });
    expect(asked).toEqual(['hooks.never-resolves.test', 'hooks.never-resolves.test']);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
    expectErrorNotification(11210, url, /^connect timeout: /);
  });

  it('connection refused: retried once (connect error), then 11205', async () => {
    const closed = await startServer(() => {});
    const url = closed.url('/gone');
    await closed.close();
    const reply = await source().fetch(notification('GoTo', url));
    expect(reply).toMatchObject({ kind: 'failed', code: 11205, url });
    expect((reply as { detail: string }).detail).toMatch(/^connection failed \(ECONNREFUSED\)/);
    expect(events.filter((e) => e.type === 'request' && e.url === url)).toHaveLength(2);
  });

  it('a server that closes idle keep-alive sockets: the next notification gets a fresh connection', async () => {
    const closing = await startServer((req, res) => {
      xml(res, DOC);
      // Close the connection once idle, without announcing it (no Connection: close).
      res.on('finish', () => setImmediate(() => req.socket.end()));
    });
    try {
      const s = source();
      expect((await s.fetch(notification('GoTo', closing.url('/a')))).kind).toBe('document');
      await eventually(() => expect(closing.openSockets()).toBe(0));
      expect((await s.fetch(notification('GoTo', closing.url('/b')))).kind).toBe('document');
      expect(closing.hits.map((h) => [h.url, h.connection])).toEqual([['/a', 1], ['/b', 2]]);
      expect(errorServer.hits).toHaveLength(0);
    } finally {
      await closing.close();
    }
  });

  it('a keep-alive socket closed just as a request is sent: retried on a new connection with the same key', async () => {
    let served = 0;
    const racing = await startServer((req, res, hit) => {
      served++;
      // The second request on the first connection meets a server that is closing it.
      if (served === 2 && hit.connection === 1) req.socket.destroy();
      else xml(res, DOC);
    });
    try {
      const s = source();
      expect((await s.fetch(notification('GoTo', racing.url('/a')))).kind).toBe('document');
      expect((await s.fetch(notification('GoTo', racing.url('/b')))).kind).toBe('document');
      expect(racing.hits.map((h) => [h.url, h.connection, h.headers['x-ozml-attempt']])).toEqual([['/a', 1, '1'], ['/b', 1, '1'], ['/b', 2, '2']]);
      expect(racing.hits[1]!.headers['idempotency-key']).toBe(racing.hits[2]!.headers['idempotency-key']);
      const retry = events.find((e) => e.type === 'retry');
      expect(retry).toMatchObject({ reason: expect.stringMatching(/^connection closed before a response/) });
      expect(errorServer.hits).toHaveLength(0);
    } finally {
      await racing.close();
    }
  });

  it('Call with an empty Url hangs up (vendor rule): 11100, Error notification, no FallbackUrl', async () => {
    const reply = await source({ fallbackUrl: server.url('/fallback') }).fetch(notification('CallConnected', '  '));
    expect(reply).toEqual({ kind: 'failed', code: 11100, detail: 'the URL is empty', url: '  ' });
    expect(server.hits).toHaveLength(0);
    expectErrorNotification(11100, '  ', /^the URL is empty$/);
  });

  it('Call with an unreachable Url hangs up without trying the FallbackUrl; the verb\'s own ErrorUrl is used', async () => {
    const closed = await startServer(() => {});
    const url = closed.url('/connected');
    await closed.close();
    const n = notification('CallConnected', url, { errorUrl: errorServer.url('/call-errors?call=1') });
    const reply = await source({ fallbackUrl: server.url('/fallback'), errorUrl: server.url('/errors') }).fetch(n);
    expect(reply).toMatchObject({ kind: 'failed', code: 11205, url });
    expect(server.hits).toHaveLength(0);
    expect(errorServer.hits.map((h) => [h.url, h.form['ErrorCode']])).toEqual([['/call-errors?call=1', '11205']]);
  });

  it('other notifications with an invalid URL go to the FallbackUrl', async () => {
    const reply = await source({ fallbackUrl: server.url('/fallback') }).fetch(notification('GoTo', 'ftp://files.example.com/ivr.xml'));
    expect(reply).toMatchObject({ kind: 'document', url: server.url('/fallback') });
    expect(errorNotification()).toMatchObject({ ErrorCode: '11100', ErrorUrl: 'ftp://files.example.com/ivr.xml' });
  });

  it('an unreachable ErrorUrl does not change the outcome', async () => {
    const closed = await startServer(() => {});
    const errorUrl = closed.url('/errors');
    await closed.close();
    const reply = await source({ errorUrl }).fetch(notification('GoTo', server.url('/missing')));
    expect(reply).toMatchObject({ kind: 'failed', code: 11200 });
    expect(events.filter((e) => e.type === 'failure').map((e) => (e as { code: number }).code)).toEqual([11200, 11205]);
  });

  it('the caller aborting rejects fetch with the abort reason and sends no Error notification', async () => {
    const controller = new AbortController();
    const pending = source().fetch(notification('GoTo', server.url('/slow-headers')), { signal: controller.signal });
    await eventually(() => expect(server.hits).toHaveLength(1));
    controller.abort(new Error('caller hung up'));
    await expect(pending).rejects.toThrow('caller hung up');
    expect(errorServer.hits).toHaveLength(0);
  });

  it('the caller aborting while the body streams rejects with the abort reason and drops the socket', async () => {
    const controller = new AbortController();
    const s = source();
    const pending = s.fetch(notification('GoTo', server.url('/slow-body')), { signal: controller.signal });
    await eventually(() => expect(server.hits).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error('caller hung up mid-body'));
    await expect(pending).rejects.toThrow('caller hung up mid-body');
    expect(errorServer.hits).toHaveLength(0);
    await eventually(() => expect(s.socketStats()[server.origin]?.connected ?? 0).toBe(0));
  });

  it('the caller aborting while the connection is still being set up rejects with the abort reason', async () => {
    const controller = new AbortController();
    let resolving = false;
    const slowLookup: LookupFunction = (hostname, options, callback) => {
      resolving = true;
      setTimeout(() => callback(null, [{ address: '127.0.0.1', family: 4 }]), 100);
    };
    const s = source({}, { lookup: slowLookup });
    const pending = s.fetch(notification('GoTo', `http://webhooks.test:${new URL(server.origin).port}/ok`), { signal: controller.signal });
    await eventually(() => expect(resolving).toBe(true));
    controller.abort(new Error('caller hung up while connecting'));
    await expect(pending).rejects.toThrow('caller hung up while connecting');
    expect(server.hits).toHaveLength(0);
    expect(errorServer.hits).toHaveLength(0);
  });

  it('informational 1xx answers are skipped: the final answer is the reply', async () => {
    const reply = await source().fetch(notification('GoTo', server.url('/early-hints')));
    expect(reply).toMatchObject({ kind: 'document', url: server.url('/early-hints') });
    expect(errorServer.hits).toHaveLength(0);
  });

  it('close() aborts fetches in flight', async () => {
    const s = source();
    const pending = s.fetch(notification('GoTo', server.url('/slow-headers')));
    await eventually(() => expect(server.hits).toHaveLength(1));
    const rejected = expect(pending).rejects.toMatchObject({ name: 'AbortError', message: 'The script source was closed' });
    await s.close();
    await rejected;
    await expect(s.fetch(notification('GoTo', server.url('/ok')))).rejects.toMatchObject({ name: 'AbortError' });
  });
});
