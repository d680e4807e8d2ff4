import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpScriptSource, computeSignature, notificationParams, signatureHeader, verifySignature } from '../../src/webhooks/index.js';
import type { VerifySignatureResult } from '../../src/webhooks/index.js';
import { DOCS, notification } from './helpers/notifications.js';
import { startServer, xml } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';

const SECRET = 'whsec_3kWq9Zr7tPLm2VbX';
const NOW = 1_790_000_000_123; // ms; signatures carry seconds
const T = Math.floor(NOW / 1000);

describe('signature helpers', () => {
  const base = { secret: SECRET, timestamp: T, method: 'POST', url: 'https://app.example.com/ivr?x=1', body: 'NotificationName=GoTo&CallId=c1' };

  it('signs "t.METHOD.URL.body" with HMAC-SHA256 in hex', () => {
    const independent = createHmac('sha256', SECRET).update(`${T}.POST.https://app.example.com/ivr?x=1.NotificationName=GoTo&CallId=c1`).digest('hex');
    expect(computeSignature(base)).toBe(independent);
    expect(signatureHeader(base)).toBe(`t=${T},v1=${independent}`);
    expect(computeSignature({ ...base, method: 'post' })).toBe(independent);
    expect(computeSignature({ ...base, body: new TextEncoder().encode(base.body) })).toBe(independent);
  });

  const signed = { secret: SECRET, signature: signatureHeader(base), method: 'POST', url: base.url, body: base.body, now: NOW };

  it('accepts an untouched request', () => {
    expect(verifySignature(signed)).toEqual({ valid: true, timestamp: T, url: base.url });
  });

  it.each<[string, Partial<typeof signed>, string]>([
    ['a tampered body', { body: 'NotificationName=GoTo&CallId=c2' }, 'mismatch'],
    ['a tampered URL', { url: 'https://app.example.com/ivr?x=2' }, 'mismatch'],
    ['another method', { method: 'GET' }, 'mismatch'],
    ['another secret', { secret: 'whsec_other_secret_123' }, 'mismatch'],
    ['a stale timestamp (301 s old)', { now: NOW + 301_000 }, 'stale-timestamp'],
    ['a timestamp from the future (301 s ahead)', { now: NOW - 301_000 }, 'stale-timestamp'],
    ['no header', { signature: undefined }, 'missing-signature'],
    ['a malformed header', { signature: `t=${T},v1=xyz` }, 'malformed-signature'],
    ['a header without v1', { signature: `t=${T}` }, 'malformed-signature'],
  ])('refuses %s', (_label, change, reason) => {
    const result = verifySignature({ ...signed, ...change });
    expect(result).toMatchObject({ valid: false, reason });
  });

  it('accepts timestamps within the tolerance window, configurable', () => {
    expect(verifySignature({ ...signed, now: NOW + 300_000 }).valid).toBe(true);
    expect(verifySignature({ ...signed, now: NOW + 30_000, toleranceSeconds: 10 })).toMatchObject({ valid: false, reason: 'stale-timestamp' });
  });

  it('picks the secret by key id during rotation', () => {
    const secrets = { k2026a: 'old_secret_value_0001', k2026b: SECRET };
    expect(verifySignature({ ...signed, secret: secrets, keyId: 'k2026b' })).toEqual({ valid: true, timestamp: T, keyId: 'k2026b', url: base.url });
    expect(verifySignature({ ...signed, secret: secrets, keyId: 'k2026a' })).toMatchObject({ valid: false, reason: 'mismatch' });
    expect(verifySignature({ ...signed, secret: secrets, keyId: 'nope' })).toMatchObject({ valid: false, reason: 'unknown-key' });
    expect(verifySignature({ ...signed, secret: secrets })).toMatchObject({ valid: false, reason: 'unknown-key' });
  });

  it('accepts several v1 values (one per active secret)', () => {
    const other = computeSignature({ ...base, secret: 'another_secret_value' });
    expect(verifySignature({ ...signed, signature: `t=${T},v1=${other},v1=${computeSignature(base)}` }).valid).toBe(true);
  });

  it('rebuilds the URL from the request target and Host header', () => {
    const r = verifySignature({
      secret: SECRET, method: 'POST', body: base.body, now: NOW, url: '/ivr?x=1',
      headers: { host: 'app.example.com', 'x-forwarded-proto': 'https', 'x-ozml-signature': signatureHeader(base) },
    });
    expect(r).toMatchObject({ valid: true, url: 'https://app.example.com/ivr?x=1' });
  });
});

describe('published test vectors (docs/webhooks.md)', () => {
  const docs = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
  const block = /<!-- test-vectors -->\s*```json\n([\s\S]*?)```/.exec(docs);

  it('the docs contain a test-vector block', () => {
    expect(block).not.toBeNull();
  });

  const vectors = block ? (JSON.parse(block[1]!) as Array<{ name: string; secret: string; timestamp: number; method: string; url: string; body: string; signedText: string; header: string }>) : [];

  it('has several vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(3);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    expect(`${v.timestamp}.${v.method}.${v.url}.${v.body}`).toBe(v.signedText);
    expect(`t=${v.timestamp},v1=${createHmac('sha256', v.secret).update(v.signedText, 'utf8').digest('hex')}`).toBe(v.header);
    expect(signatureHeader(v)).toBe(v.header);
    expect(verifySignature({ secret: v.secret, signature: v.header, method: v.method, url: v.url, body: v.body, now: v.timestamp * 1000 }).valid).toBe(true);
  });
});

describe('signed notifications over real HTTP', () => {
  const servers: TestServer[] = [];
  let source: HttpScriptSource | undefined;
  afterEach(async () => {
    await source?.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  function signedSource(extra: { bodyFormat?: 'form' | 'json' } = {}): HttpScriptSource {
    source = new HttpScriptSource({ app: { allowAddresses: ['loopback'], secret: SECRET, keyId: 'k1', ...extra }, clock: () => NOW });
    return source;
  }

  it('round trip: the app verifies every request with verifySignature', async () => {
    const results: VerifySignatureResult[] = [];
    const server = await startServer((req, res, hit) => {
      results.push(verifySignature({ secret: { k1: SECRET }, headers: req.headers, method: hit.method, url: hit.url, body: hit.body, now: NOW + 2_000 }));
      xml(res, DOCS['api-extension']);
    });
    servers.push(server);
    const s = signedSource();
    await s.fetch(notification('IncomingCall', server.url('/ivr?tenant=7')));
    await s.fetch(notification('DtmfEntered', server.url('/menu')));
    expect(results).toEqual([
      { valid: true, timestamp: T, keyId: 'k1', url: server.url('/ivr?tenant=7') },
      { valid: true, timestamp: T, keyId: 'k1', url: server.url('/menu') },
    ]);
    const hit = server.hits[0]!;
    expect(hit.headers['x-ozml-key-id']).toBe('k1');
    expect(hit.headers['x-ozml-signature']).toBe(signatureHeader({ secret: SECRET, timestamp: T, method: 'POST', url: server.url('/ivr?tenant=7'), body: hit.body }));
  });

  it('JSON bodies are signed byte for byte', async () => {
    const results: VerifySignatureResult[] = [];
    const server = await startServer((req, res, hit) => {
      results.push(verifySignature({ secret: SECRET, headers: req.headers, method: hit.method, url: hit.url, body: hit.body, now: NOW }));
      xml(res, DOCS['api-extension']);
    });
    servers.push(server);
    const sent = notification('GoTo', server.url('/j'));
    await signedSource({ bodyFormat: 'json' }).fetch(sent);
    expect(results.map((r) => r.valid)).toEqual([true]);
    const body = server.hits[0]!.body;
    expect(body).toBe(JSON.stringify(notificationParams(sent)));
    expect(body.startsWith('{"NotificationName":"GoTo",')).toBe(true);
  });

  it('each redirect hop is signed for its own URL', async () => {
    const results: VerifySignatureResult[] = [];
    const server = await startServer((req, res, hit) => {
      results.push(verifySignature({ secret: SECRET, headers: req.headers, method: hit.method, url: hit.url, body: hit.body, now: NOW }));
      if (hit.url === '/old') res.writeHead(308, { location: '/new' }).end();
      else xml(res, DOCS['api-extension']);
    });
    servers.push(server);
    await signedSource().fetch(notification('GoTo', server.url('/old')));
    expect(results.map((r) => [r.valid, r.url])).toEqual([[true, server.url('/old')], [true, server.url('/new')]]);
  });

  it('a tampered request is refused by the app', async () => {
    // A man in the middle that changes one digit of the body.
    const app = await startServer((req, res, hit) => {
      const r = verifySignature({ secret: SECRET, headers: req.headers, method: hit.method, url: hit.url, body: hit.body, now: NOW });
      if (r.valid) xml(res, DOCS['api-extension']);
      else res.writeHead(403, { 'content-type': 'text/plain' }).end(r.reason);
    });
    servers.push(app);
    const tamperer = await startServer((req, _res, hit) => {
      forward(req, _res, app.url(hit.url), hit.body.replace('DtmfDigits=1234', 'DtmfDigits=9999'), req.headers.host!);
    });
    servers.push(tamperer);
    const reply = await signedSource().fetch(notification('DtmfEntered', tamperer.url('/menu')));
    expect(reply).toMatchObject({ kind: 'failed', code: 11200, detail: `HTTP 403 from ${tamperer.url('/menu')}` });
  });

  it('behind a proxy that rewrites host and path prefix, publicBaseUrl makes verification work', async () => {
    const outcomes: Array<[string, VerifySignatureResult]> = [];
    let proxy: TestServer | undefined;
    const app = await startServer((req, res, hit) => {
      outcomes.push(['without publicBaseUrl', verifySignature({ secret: SECRET, headers: req.headers, method: hit.method, url: hit.url, body: hit.body, now: NOW })]);
      outcomes.push(['with publicBaseUrl', verifySignature({
        secret: SECRET, headers: req.headers, method: hit.method, url: hit.url, body: hit.body, now: NOW, publicBaseUrl: proxy!.url('/hooks/'),
      })]);
      xml(res, DOCS['api-extension']);
    });
    servers.push(app);
    // The proxy serves the app under /hooks/ and forwards with the prefix stripped and its own Host.
    proxy = await startServer((req, res, hit) => forward(req, res, app.url(hit.url.replace(/^\/hooks/, '')), hit.body, new URL(app.origin).host));
    servers.push(proxy);
    await signedSource().fetch(notification('GoTo', proxy.url('/hooks/ivr/step?n=2')));
    expect(app.hits.map((h) => h.url)).toEqual(['/ivr/step?n=2']);
    expect(outcomes).toEqual([
      ['without publicBaseUrl', { valid: false, reason: 'mismatch', message: expect.stringContaining('set publicBaseUrl'), url: app.url('/ivr/step?n=2') }],
      ['with publicBaseUrl', { valid: true, timestamp: T, keyId: 'k1', url: proxy.url('/hooks/ivr/step?n=2') }],
    ]);
  });
});

/** A minimal reverse proxy hop with node:http. */
function forward(req: http.IncomingMessage, res: http.ServerResponse, target: string, body: string, host: string): void {
  const headers = { ...req.headers, host, 'content-length': String(Buffer.byteLength(body)) };
  const upstream = http.request(target, { method: req.method, headers, agent: false }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => res.destroy());
  upstream.end(body);
}

describe('verifySignature never throws on hostile input', () => {
  const base = { secret: SECRET, timestamp: T, method: 'POST', url: 'https://app.example.com/ivr', body: 'a=1' };
  const v1 = computeSignature(base);
  const good = { secret: SECRET, signature: `t=${T},v1=${v1}`, method: 'POST', url: base.url, body: base.body, now: NOW };

  it.each<[string, string]>([
    ['trailing non-hex after v1', `t=${T},v1=${v1}zz`],
    ['a non-hex prefix', `t=${T},v1=zz${v1.slice(2)}`],
    ['t=abc', `t=abc,v1=${v1}`],
    ['t=12x', `t=12x,v1=${v1}`],
  ])('%s is malformed-signature', (_label, signature) => {
    expect(verifySignature({ ...good, signature })).toMatchObject({ valid: false, reason: 'malformed-signature' });
  });

  it('an inherited member name as key id is unknown-key', () => {
    expect(verifySignature({ ...good, secret: { k1: SECRET }, keyId: 'toString' })).toEqual({ valid: false, reason: 'unknown-key', message: "unknown key id 'toString'" });
  });

  it('a space after the comma and unknown v0/v2 fields are accepted', () => {
    expect(verifySignature({ ...good, signature: `t=${T}, v1=${v1}` })).toEqual({ valid: true, timestamp: T, url: base.url });
    expect(verifySignature({ ...good, signature: `v0=abc,t=${T},v1=${v1},v2=zz` })).toEqual({ valid: true, timestamp: T, url: base.url });
  });

  it.each([NaN, -1, Infinity])('toleranceSeconds %s falls back to the default 300 s', (toleranceSeconds) => {
    expect(verifySignature({ ...good, toleranceSeconds, now: NOW + 301_000 })).toMatchObject({ valid: false, reason: 'stale-timestamp' });
    expect(verifySignature({ ...good, toleranceSeconds, now: NOW + 300_000 }).valid).toBe(true);
  });

  it.each([undefined, { a: 1 }])('a body of %s is a mismatch, not a throw', (body) => {
    expect(verifySignature({ ...good, body: body as unknown as string })).toEqual({
      valid: false, reason: 'mismatch', url: base.url, message: 'the body must be the raw bytes as received (a string or Uint8Array), not a parsed value',
    });
  });

  it('a relative URL without Host or publicBaseUrl is bad-url', () => {
    expect(verifySignature({ ...good, url: '/ivr' })).toEqual({ valid: false, reason: 'bad-url', message: "cannot build an absolute URL from '/ivr'" });
  });
});

describe('verifySignature results in full', () => {
  const base = { secret: SECRET, timestamp: T, method: 'POST', url: 'https://app.example.com/ivr?x=1', body: 'a=1' };
  const header = signatureHeader(base);
  const good = { secret: SECRET, signature: header, method: 'POST', url: base.url, body: base.body, now: NOW };

  it.each<[string, Partial<Parameters<typeof verifySignature>[0]>, VerifySignatureResult]>([
    ['no header', { signature: undefined }, { valid: false, reason: 'missing-signature', message: 'no X-OzML-Signature header' }],
    ['an empty header', { signature: '' }, { valid: false, reason: 'missing-signature', message: 'no X-OzML-Signature header' }],
    ['a part without =', { signature: `t=${T},v1` }, { valid: false, reason: 'malformed-signature', message: `X-OzML-Signature is not 't=<unix>,v1=<hex>': t=${T},v1` }],
    ['no t', { signature: header.replace(/^t=\d+,/, '') }, { valid: false, reason: 'malformed-signature', message: `X-OzML-Signature is not 't=<unix>,v1=<hex>': ${header.replace(/^t=\d+,/, '')}` }],
    ['a 13-digit t', { signature: header.replace(/^t=\d+/, 't=1234567890123') }, {
      valid: false, reason: 'malformed-signature', message: `X-OzML-Signature is not 't=<unix>,v1=<hex>': ${header.replace(/^t=\d+/, 't=1234567890123')}`,
    }],
    ['a map without key id', { secret: { k1: SECRET } }, { valid: false, reason: 'unknown-key', message: 'no X-OzML-Key-Id header to choose a secret' }],
    ['an unknown key id', { secret: { k1: SECRET }, keyId: 'k2' }, { valid: false, reason: 'unknown-key', message: "unknown key id 'k2'" }],
    ['a publicBaseUrl that is no URL', { url: '/ivr?x=1', publicBaseUrl: 'not a url' }, { valid: false, reason: 'bad-url', message: "cannot build an absolute URL from '/ivr?x=1'" }],
    ['a stale timestamp', { now: NOW + 301_000 }, {
      valid: false, reason: 'stale-timestamp', url: base.url, message: `timestamp ${T} is more than 300s from now (${T + 301})`,
    }],
    ['a tampered body', { body: 'a=2' }, {
      valid: false, reason: 'mismatch', url: base.url, message: `signature does not match the body and URL ${base.url} (behind a proxy? set publicBaseUrl)`,
    }],
  ])('%s', (_label, change, expected) => {
    expect(verifySignature({ ...good, ...change })).toEqual(expected);
  });

  it('upper-case hex and v1 before t verify; the key id comes back', () => {
    const v1 = computeSignature(base);
    expect(verifySignature({ ...good, signature: `v1=${v1.toUpperCase()},t=${T}` })).toEqual({ valid: true, timestamp: T, url: base.url });
    expect(verifySignature({ ...good, secret: { k1: SECRET }, headers: { 'X-OzML-Key-Id': 'k1', 'X-OzML-Signature': header }, signature: undefined }))
      .toEqual({ valid: true, timestamp: T, keyId: 'k1', url: base.url });
  });

  it('reads the first value of a repeated header and picks headers by name in any case', () => {
    expect(verifySignature({ ...good, signature: undefined, headers: { 'x-ozml-signature': [header, 't=1,v1=00'] } })).toEqual({ valid: true, timestamp: T, url: base.url });
  });

  it('a string secret ignores the key id', () => {
    expect(verifySignature({ ...good, keyId: 'anything' })).toEqual({ valid: true, timestamp: T, keyId: 'anything', url: base.url });
  });

  it('publicBaseUrl keeps its path prefix (trailing slashes dropped) and replaces scheme and host', () => {
    const signedUrl = 'https://hooks.example.com/ozml/ivr?x=1';
    const signature = signatureHeader({ ...base, url: signedUrl });
    expect(verifySignature({ ...good, signature, url: '/ivr?x=1', publicBaseUrl: 'https://hooks.example.com/ozml//' }))
      .toEqual({ valid: true, timestamp: T, url: signedUrl });
    expect(verifySignature({ ...good, signature, url: 'http://10.0.0.5:3000/ivr?x=1', publicBaseUrl: 'https://hooks.example.com/ozml' }))
      .toEqual({ valid: true, timestamp: T, url: signedUrl });
  });

  it('without X-Forwarded-Proto: https the rebuilt URL is http', () => {
    const url = 'http://app.example.com/ivr?x=1';
    const signature = signatureHeader({ ...base, url });
    expect(verifySignature({ ...good, signature: undefined, url: '/ivr?x=1', headers: { host: 'app.example.com', 'x-forwarded-proto': 'http', 'x-ozml-signature': signature } }))
      .toEqual({ valid: true, timestamp: T, url });
  });

  it('an absolute URL is normalised like the sender (WHATWG)', () => {
    const signature = signatureHeader({ ...base, url: 'https://app.example.com/ivr?x=1' });
    expect(verifySignature({ ...good, signature, url: 'HTTPS://APP.example.com:443/ivr?x=1' })).toEqual({ valid: true, timestamp: T, url: 'https://app.example.com/ivr?x=1' });
  });
});

describe('verifySignature edge cases the header parser must get right', () => {
  const base = { secret: SECRET, timestamp: T, method: 'POST', url: 'https://app.example.com/ivr', body: 'a=1' };
  const v1 = computeSignature(base);
  const good = { secret: SECRET, signature: `t=${T},v1=${v1}`, method: 'POST', url: base.url, body: base.body, now: NOW };
  const ok = { valid: true, timestamp: T, url: base.url };

  it('a part without = makes the header malformed even next to a good signature', () => {
    expect(verifySignature({ ...good, signature: `t=${T},v1=${v1},junk` })).toMatchObject({ valid: false, reason: 'malformed-signature' });
  });

  it('a part with an empty name is ignored like any unknown field', () => {
    expect(verifySignature({ ...good, signature: `t=${T},v1=${v1},=x` })).toStrictEqual(ok);
  });

  it('spaces around values are fine', () => {
    expect(verifySignature({ ...good, signature: ` t = ${T} , v1= ${v1} ` })).toStrictEqual(ok);
  });

  it('64 hex digits with a prefix are malformed (the pattern is anchored)', () => {
    expect(verifySignature({ ...good, signature: `t=${T},v1=zz${v1}` })).toMatchObject({ valid: false, reason: 'malformed-signature' });
  });

  it('toleranceSeconds 0 means the same second only', () => {
    expect(verifySignature({ ...good, toleranceSeconds: 0, now: T * 1000 + 999 })).toStrictEqual(ok);
    expect(verifySignature({ ...good, toleranceSeconds: 0, now: T * 1000 + 1000 })).toMatchObject({ valid: false, reason: 'stale-timestamp' });
  });

  it('without a key id the result has no keyId field at all', () => {
    expect(verifySignature(good)).toStrictEqual(ok);
  });

  it('a request target whose query holds a URL is still a request target', () => {
    const url = 'http://app.example.com/go?next=http://other.example/';
    const signature = signatureHeader({ ...base, url });
    expect(verifySignature({ ...good, signature: undefined, url: '/go?next=http://other.example/', headers: { host: 'app.example.com', 'x-ozml-signature': signature } }))
      .toStrictEqual({ valid: true, timestamp: T, url });
  });
});
