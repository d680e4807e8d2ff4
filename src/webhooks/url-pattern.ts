/**
 * Glob-ish URL patterns for LocalScriptSource routes:
 * - `http://app.test/ivr/menu` — exact (the query must match too, when the pattern has one);
 * - `*` matches within one path segment, `**` across segments: `http://app.test/ivr/*`, `http://*.test/**`;
 * - a pattern starting with `/` matches the path only, on any host: `/ivr/*.xml`.
 * A pattern without `?` ignores the URL's query string. `?` is literal, not a wildcard.
 */
export interface UrlPattern {
  source: string;
  matches(url: URL): boolean;
}

export function compileUrlPattern(pattern: string): UrlPattern {
  if (!pattern.includes('*') && !pattern.startsWith('/')) {
    // Exact URLs are compared after WHATWG normalisation (`http://A.test` = `http://a.test/`).
    try {
      const exact = new URL(pattern);
      exact.hash = '';
      const withQuery = exact.search !== '';
      const key = `${exact.origin}${exact.pathname}${exact.search}`;
      return { source: pattern, matches: (url) => `${url.origin}${url.pathname}${withQuery ? url.search : ''}` === key };
    } catch {
      // not a URL: treated as a pattern below
    }
  }
  const pathOnly = pattern.startsWith('/');
  const withQuery = pattern.includes('?');
  const body = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/?#]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${body}$`);
  return {
    source: pattern,
    matches(url: URL): boolean {
      const subject = pathOnly
        ? url.pathname + (withQuery ? url.search : '')
        : `${url.origin}${url.pathname}${withQuery ? url.search : ''}`;
      return regex.test(subject);
    },
  };
}
