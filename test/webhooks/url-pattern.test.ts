/** Route patterns of LocalScriptSource and dry-run scenarios (docs/webhooks.md §7). */
import { describe, expect, it } from 'vitest';
import { compileUrlPattern } from '../../src/webhooks/url-pattern.js';

const matches = (pattern: string, url: string): boolean => compileUrlPattern(pattern).matches(new URL(url));

describe('compileUrlPattern', () => {
  it.each<[string, string, boolean]>([
    // exact, compared after normalisation; without ? the query is ignored, with ? it must match
    ['http://App.test', 'http://app.test/', true],
    ['http://app.test/ivr', 'http://app.test/ivr?x=1', true],
    ['http://App.test/x/', 'http://app.test/x/', true],
    ['http://app.test/ivr', 'http://app.test/ivr/', false],
    ['http://app.test/ivr', 'https://app.test/ivr', false],
    ['http://app.test/ivr?x=1', 'http://app.test/ivr?x=1', true],
    ['http://app.test/ivr?x=1', 'http://app.test/ivr?x=2', false],
    ['http://app.test/ivr?x=1', 'http://app.test/ivr', false],
    ['http://app.test/ivr#frag', 'http://app.test/ivr', true],
    // * within a segment, ** across segments
    ['http://app.test/ivr/*', 'http://app.test/ivr/menu', true],
    ['http://app.test/ivr/*', 'http://app.test/ivr/a/b', false],
    ['http://app.test/ivr/*', 'http://app.test/ivr/', true],
    ['http://app.test/**', 'http://app.test/a/b/c', true],
    ['http://*.test/x', 'http://app.test/x', true],
    ['http://*.test/x', 'http://app.other/x', false],
    ['http://app.test/*.xml', 'http://app.test/menu.xml', true],
    ['http://app.test/*.xml', 'http://app.test/menuxxml', false],
    // path-only patterns match on any host
    ['/errors', 'http://any.test/errors', true],
    ['/errors', 'http://any.test/errors/x', false],
    ['/ivr/*.xml', 'https://h.test/ivr/a.xml?q=1', true],
    ['/ivr/*.xml', 'https://h.test/other/ivr/a.xml', false],
    ['/s?x=1', 'http://h.test/s?x=1', true],
    ['/s?x=1', 'http://h.test/sax=1', false],
    ['/s?x=1', 'http://h.test/s?x=2', false],
    // regex characters are literal
    ['http://app.test/a+b/*', 'http://app.test/a+b/c', true],
    ['http://app.test/a+b/*', 'http://app.test/aab/c', false],
    ['/(x)|y', 'http://h.test/(x)|y', true],
    ['/(x)|y', 'http://h.test/y', false],
    ['/a$', 'http://h.test/a$', true],
  ])('%s matches %s: %s', (pattern, url, expected) => {
    expect(matches(pattern, url)).toBe(expected);
  });

  it('keeps the pattern as written as its source', () => {
    expect(compileUrlPattern('http://App.test').source).toBe('http://App.test');
    expect(compileUrlPattern('/x/*').source).toBe('/x/*');
  });

  it('a pattern that is no URL and has no * is matched as text against origin and path', () => {
    expect(matches('not a url', 'http://h.test/')).toBe(false);
    expect(matches('http://h.test/a b', 'http://h.test/a%20b')).toBe(true);
  });
});
