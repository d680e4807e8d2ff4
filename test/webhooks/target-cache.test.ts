/**
 * Notification URLs resolved once per distinct (URL, base) and remembered within a bound: the
 * cache must give the same answer as resolving afresh, keep relative URLs of different bases
 * apart, and forget (not grow) past its bound, since URLs come from untrusted documents.
 */
import { describe, expect, it } from 'vitest';
import { appSettings, withOverrides } from '../../src/webhooks/settings.js';
import { TargetCache } from '../../src/webhooks/target-cache.js';

const base = Object.freeze(withOverrides(appSettings({}), {}));

describe('TargetCache', () => {
  it('resolves, strips the fragment, applies overrides, and shares the app settings when there are none', () => {
    const cache = new TargetCache(base);
    const plain = cache.resolve('http://a.test/x#top', undefined);
    expect(plain).toEqual({ ok: true, href: 'http://a.test/x', ignored: [], settings: base });
    expect(plain.ok && plain.settings).toBe(base);
    const tuned = cache.resolve('next?s=1#rc=3&tt=4000&ct=abc', 'http://a.test/dir/doc.xml');
    expect(tuned).toEqual({
      ok: true, href: 'http://a.test/dir/next?s=1', ignored: ['ct=abc'],
      settings: { ...base, retries: 3, totalMs: 4000, readMs: 4000 },
    });
    expect(Object.isFrozen(tuned.ok && tuned.settings)).toBe(true);
    expect(Object.isFrozen(tuned.ok && tuned.ignored)).toBe(true);
  });

  it('a failure is remembered as a failure', () => {
    const cache = new TargetCache(base);
    expect(cache.resolve('ftp://a.test/x', undefined)).toEqual({ ok: false, detail: expect.stringContaining('ftp:') });
    expect(cache.resolve('relative', undefined)).toMatchObject({ ok: false });
  });

  it('the same URL and base answer with the same entry', () => {
    const cache = new TargetCache(base);
    expect(cache.resolve('http://a.test/x', undefined)).toBe(cache.resolve('http://a.test/x', undefined));
    expect(cache.resolve('y', 'http://a.test/d/')).toBe(cache.resolve('y', 'http://a.test/d/'));
  });

  it('keys cannot collide: base + URL pairs that concatenate alike stay apart', () => {
    const cache = new TargetCache(base);
    expect(cache.resolve('b/c', 'http://x.test/a')).toMatchObject({ href: 'http://x.test/b/c' });
    expect(cache.resolve('/c', 'http://x.test/ab')).toMatchObject({ href: 'http://x.test/c' });
    expect(cache.resolve('b/c', 'http://x.test/a')).toMatchObject({ href: 'http://x.test/b/c' });
    expect(cache.resolve('x', 'http://a.test/')).toMatchObject({ href: 'http://a.test/x' });
    expect(cache.resolve('x', 'http://b.test/')).toMatchObject({ href: 'http://b.test/x' });
    // An absolute URL and the same text as a relative URL with a base are different entries.
    expect(cache.resolve('http://x.test/q', undefined)).not.toBe(cache.resolve('http://x.test/q', 'http://y.test/'));
  });

  it.each<[string, (i: number) => [string, string | undefined]]>([
    ['absolute', (i) => [`http://a.test/${i}`, undefined]],
    ['relative', (i) => [`p${i}`, 'http://a.test/']],
  ])('%s URLs: past 512 distinct entries the cache forgets instead of growing; answers stay right', (_kind, key) => {
    const cache = new TargetCache(base);
    const at = (i: number) => cache.resolve(...key(i));
    const first = at(0);
    for (let i = 1; i < 512; i++) at(i);
    expect(at(0)).toBe(first); // 512 entries: all still held
    at(512); // the 513th empties the map first
    const again = at(0);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
