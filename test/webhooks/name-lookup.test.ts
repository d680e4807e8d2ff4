/**
 * The SSRF guard's name lookup (docs/webhooks.md §4), end to end with a real server on 127.0.0.1
 * and an injected resolver: every resolved address is vetted, an allowed name connects to the
 * vetted address, lookup errors and empty answers are connection failures, and IP literals
 * (bracketed or not) are refused before any dispatcher exists.
 */
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AddressPolicy, AddressRefusedError } from '../../src/webhooks/address-policy.js';
import { DeliveryAbort } from '../../src/webhooks/delivery-abort.js';
import { DispatcherPool } from '../../src/webhooks/dispatchers.js';
import { HttpScriptSource } from '../../src/webhooks/http-source.js';
import { TransportError, UndiciTransport } from '../../src/webhooks/transport.js';
import type { HttpRequest } from '../../src/webhooks/transport.js';
import { notification } from './helpers/notifications.js';
import { countClientSockets, startServer } from './helpers/server.js';
import type { SocketCounter, TestServer } from './helpers/server.js';

const DOC = '<Response><Speak>Hi</Speak></Response>';
let server: TestServer;
let port: string;
beforeAll(async () => {
  server = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/xml' }).end(DOC));
  port = new URL(server.origin).port;
});
afterAll(() => server.close());

let sockets: SocketCounter;
const sources: HttpScriptSource[] = [];
beforeEach(() => {
  sockets = countClientSockets();
  server.hits.length = 0;
});
afterEach(async () => {
  sockets.stop();
  await Promise.all(sources.splice(0).map((s) => s.close()));
});

/** A resolver that answers every name with `answer` (or an error), and remembers what it was asked. */
function resolver(answer: LookupAddress[] | NodeJS.ErrnoException): { lookup: LookupFunction; asked: string[] } {
  const asked: string[] = [];
  const lookup = ((hostname: string, _options: unknown, callback: (e: NodeJS.ErrnoException | null, a: LookupAddress[]) => void) => {
    asked.push(hostname);
    setImmediate(() => (answer instanceof Error ? callback(answer, []) : callback(null, answer)));
  }) as unknown as LookupFunction;
  return { lookup, asked };
}

function source(lookup: LookupFunction, allowAddresses: string[] = []): HttpScriptSource {
  const s = new HttpScriptSource({ app: { allowAddresses, errorUrl: '', retries: 0 }, lookup });
  sources.push(s);
  return s;
}

const v4 = (...addresses: string[]): LookupAddress[] => addresses.map((address) => ({ address, family: 4 }));

describe('host names through the address policy', () => {
  it('an allowed name connects to the vetted address; Host still carries the name', async () => {
    const { lookup, asked } = resolver(v4('127.0.0.1'));
    const url = `http://ivr.app.test:${port}/ivr?step=1`;
    const reply = await source(lookup, ['loopback']).fetch(notification('GoTo', url));
    expect(reply).toMatchObject({ kind: 'document', url });
    expect(asked).toEqual(['ivr.app.test']);
    expect(server.hits.map((h) => [h.url, h.headers.host])).toEqual([['/ivr?step=1', `ivr.app.test:${port}`]]);
  });

  it.each([
    [['1.2.3.4', '10.0.0.1'], 'mixed.test resolves to 10.0.0.1, a private address; add it to allowAddresses to allow it'],
    [['10.0.0.1', '1.2.3.4'], 'mixed.test resolves to 10.0.0.1, a private address; add it to allowAddresses to allow it'],
    [['1.2.3.4', '127.0.0.1'], 'mixed.test resolves to 127.0.0.1, a loopback address; add it to allowAddresses to allow it'],
  ])('a lookup answering %j is refused (11225) before any socket', async (addresses, detail) => {
    const { lookup } = resolver(v4(...addresses));
    const url = 'http://mixed.test/ivr';
    expect(await source(lookup).fetch(notification('GoTo', url))).toEqual({ kind: 'failed', code: 11225, url, detail });
    expect(sockets.opened).toBe(0);
  });

  it('an AAAA answer that embeds a private IPv4 address (NAT64) is refused', async () => {
    const { lookup } = resolver([{ address: '64:ff9b::a00:1', family: 6 }]);
    const url = 'http://nat64.test/ivr';
    expect(await source(lookup).fetch(notification('GoTo', url))).toEqual({
      kind: 'failed', code: 11225, url, detail: 'nat64.test resolves to 64:ff9b::a00:1, a private address; add it to allowAddresses to allow it',
    });
    expect(sockets.opened).toBe(0);
  });

  it('a lookup error is a connection failure (11205) with its code', async () => {
    const { lookup } = resolver(Object.assign(new Error('getaddrinfo ENOTFOUND gone.test'), { code: 'ENOTFOUND' }));
    const url = 'http://gone.test/ivr';
    expect(await source(lookup).fetch(notification('GoTo', url))).toEqual({
      kind: 'failed', code: 11205, url, detail: 'connection failed (ENOTFOUND): getaddrinfo ENOTFOUND gone.test',
    });
    expect(sockets.opened).toBe(0);
  });

  it('an empty answer is a connection failure (11205), never a connect to nothing', async () => {
    const { lookup } = resolver([]);
    const url = 'http://empty.test/ivr';
    expect(await source(lookup).fetch(notification('GoTo', url))).toEqual({
      kind: 'failed', code: 11205, url, detail: 'connection failed (ENOTFOUND): empty.test did not resolve',
    });
    expect(sockets.opened).toBe(0);
  });

  it('an answer arriving after the connect timeout is ignored (11210, no connection)', async () => {
    const lookup = ((_h: string, _o: unknown, callback: (e: null, a: LookupAddress[]) => void) => {
      setTimeout(() => callback(null, v4('127.0.0.1')), 150);
    }) as unknown as LookupFunction;
    const url = `http://late.test:${port}/ivr`;
    const before = server.connections;
    const reply = await source(lookup, ['loopback']).fetch(notification('GoTo', `${url}#ct=30&tt=2000`));
    expect(reply).toEqual({ kind: 'failed', code: 11210, url, detail: 'connect timeout: resolving late.test took longer than 30 ms' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.connections).toBe(before);
    expect(server.hits).toEqual([]);
  });
});

describe('guardLookup', () => {
  const base = (answer: string | LookupAddress[]): LookupFunction =>
    ((_h: string, _o: unknown, callback: (e: null, a: string | LookupAddress[], f?: number) => void) =>
      (typeof answer === 'string' ? callback(null, answer, 4) : callback(null, answer))) as unknown as LookupFunction;

  it('answers in the shape the caller asked for: one address unless all: true', () => {
    const lookup = new AddressPolicy().guardLookup(base(v4('8.8.8.8', '1.1.1.1')));
    const calls: unknown[][] = [];
    lookup('two.test', { all: false }, (...args: unknown[]) => calls.push(args));
    lookup('two.test', { all: true }, (...args: unknown[]) => calls.push(args));
    expect(calls).toEqual([[null, '8.8.8.8', 4], [null, v4('8.8.8.8', '1.1.1.1')]]);
  });

  it('vets a resolver that answers with a single address string', () => {
    const calls: unknown[][] = [];
    new AddressPolicy().guardLookup(base('10.1.2.3'))('one.test', {}, (...args: unknown[]) => calls.push(args));
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBeInstanceOf(AddressRefusedError);
    expect(String(calls[0]![0])).toBe('AddressRefusedError: one.test resolves to 10.1.2.3, a private address; add it to allowAddresses to allow it');
    const allowed: unknown[][] = [];
    new AddressPolicy(['10.0.0.0/8']).guardLookup(base('10.1.2.3'))('one.test', {}, (...args: unknown[]) => allowed.push(args));
    expect(allowed).toEqual([[null, '10.1.2.3', 4]]);
  });
});

describe('IP literals never reach a dispatcher', () => {
  class CountingPool extends DispatcherPool {
    gets = 0;
    override get(connectTimeoutMs: number, maxResponseBytes: number) {
      this.gets++;
      return super.get(connectTimeoutMs, maxResponseBytes);
    }
  }

  function request(url: string): HttpRequest {
    return {
      method: 'POST', url, headers: {}, body: '', connectTimeoutMs: 1000, readTimeoutMs: 1000, maxBodyBytes: 1024,
      abort: new DeliveryAbort(), notification: 'GoTo', attempt: 1, redirect: 0,
    };
  }

  it.each([
    ['http://[::1]:9/x', '::1 is a loopback address; add it to allowAddresses to allow it'],
    ['http://[::ffff:10.0.0.1]/x', '::ffff:a00:1 is a private address; add it to allowAddresses to allow it'],
    ['http://[64:ff9b::a9fe:a9fe]/x', '64:ff9b::a9fe:a9fe is a metadata address; add it to allowAddresses to allow it'],
    ['http://127.0.0.1:9/x', '127.0.0.1 is a loopback address; add it to allowAddresses to allow it'],
  ])('%s is refused by the transport itself', async (url, message) => {
    const policy = new AddressPolicy();
    const pool = new CountingPool({ policy });
    const transport = new UndiciTransport(pool, policy);
    try {
      const error = await transport.exchange(request(url)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ kind: 'address-refused', code: 11225, message });
      expect(pool.gets).toBe(0);
      expect(pool.stats()).toEqual({});
      expect(sockets.opened).toBe(0);
    } finally {
      await transport.close();
    }
  });

  it('the pool refuses a literal on its own too (a dispatcher used directly)', async () => {
    const pool = new DispatcherPool({ policy: new AddressPolicy() });
    const before = server.connections;
    try {
      const error = await pool.get(1000, 1024).request({ origin: server.origin, path: '/', method: 'GET' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AddressRefusedError);
      expect(String(error)).toBe('AddressRefusedError: 127.0.0.1 is a loopback address; add it to allowAddresses to allow it');
      expect(server.connections).toBe(before);
    } finally {
      await pool.destroy();
    }
  });

  it('with loopback allowed, the pool connects to a literal', async () => {
    const pool = new DispatcherPool({ policy: new AddressPolicy(['loopback']) });
    try {
      const response = await pool.get(1000, 1024).request({ origin: server.origin, path: '/lit', method: 'GET' });
      expect(response.statusCode).toBe(200);
      expect(await response.body.text()).toBe(DOC);
      expect(server.hits.map((h) => h.url)).toEqual(['/lit']);
    } finally {
      await pool.destroy();
    }
  });
});
