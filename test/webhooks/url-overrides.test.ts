import { describe, expect, it } from 'vitest';
import { parseOverrides, parseRetryPolicy, resolveTarget } from '../../src/webhooks/index.js';

describe('URL fragment overrides', () => {
  it('reads ct, rt, tt, rc and rp', () => {
    expect(parseOverrides('#ct=500&rt=2000&tt=5000&rc=3&rp=ct,rt')).toEqual({
      overrides: {
        connectMs: 500, readMs: 2000, totalMs: 5000, retries: 3,
        retryPolicy: { connect: true, readTimeout: true, serverError: false, clientError: false },
      },
      ignored: [],
    });
  });

  it('ignores bad values (reported) and unknown keys (plain anchors)', () => {
    expect(parseOverrides('#ct=fast&rc=9&tt=0&rp=sometimes&section=2')).toEqual({
      overrides: {},
      ignored: ['ct=fast', 'rc=9', 'tt=0', 'rp=sometimes'],
    });
    expect(parseOverrides('#top')).toEqual({ overrides: {}, ignored: [] });
  });

  it.each([
    ['all', { connect: true, readTimeout: true, serverError: true, clientError: true }],
    ['none', { connect: false, readTimeout: false, serverError: false, clientError: false }],
    ['5xx+4xx', { connect: false, readTimeout: false, serverError: true, clientError: true }],
    ['CT, 5XX', { connect: true, readTimeout: false, serverError: true, clientError: false }],
  ])('retry policy %s', (value, policy) => {
    expect(parseRetryPolicy(value)).toEqual(policy);
  });
});

describe('resolveTarget', () => {
  it('resolves relative URLs, keeps the query and strips the fragment', () => {
    const r = resolveTarget('../menu?Lang=de&x=%20#rc=0', 'https://ivr.example.com/app/flows/main.xml');
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    expect(r.target.url.href).toBe('https://ivr.example.com/app/menu?Lang=de&x=%20');
    expect(r.target.overrides).toEqual({ retries: 0 });
  });

  it.each([
    ['', undefined, 'the URL is empty'],
    ['menu.xml', undefined, "'menu.xml' is not an absolute URL and there is no base URL to resolve it against"],
    ['ftp://x.example/a', undefined, "'ftp:' URLs are not supported (only http and https): ftp://x.example/a"],
    ['https://user:pw@x.example/a', undefined, 'URLs with user:password are not supported: https://x.example/a'],
    ['http://[bad', 'http://ok.example/', "'http://[bad' is not a valid URL (base http://ok.example/)"],
  ])('refuses %j', (url, base, detail) => {
    expect(resolveTarget(url, base)).toEqual({ ok: false, detail });
  });
});
