/**
 * Target URLs: resolving relative URLs and reading the `#ct=…&rt=…&tt=…&rc=…&rp=…` fragment that
 * overrides the failure policy for one URL (the Twilio/Plivo/jambonz convention). The fragment is
 * never sent: URL fragments are client-side by definition, and the customer's server must not see
 * our policy knobs.
 */

/** Which failure classes are retried. */
export interface RetryPolicy {
  /** Connection failures: refused, reset before any response byte, DNS failures, connect timeouts. */
  connect: boolean;
  /** 5xx statuses. */
  serverError: boolean;
  /** 4xx statuses (off by default: the app said no). */
  clientError: boolean;
  /** Read (headers/body idle) timeouts. */
  readTimeout: boolean;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { connect: true, serverError: true, clientError: false, readTimeout: false };

export interface UrlOverrides {
  connectMs?: number;
  readMs?: number;
  totalMs?: number;
  retries?: number;
  retryPolicy?: RetryPolicy;
}

export interface ParsedTarget {
  /** Absolute URL without fragment: what is requested and signed. */
  url: URL;
  overrides: UrlOverrides;
  /** Fragment entries that looked like overrides but had bad values (reported, then ignored). */
  ignored: string[];
}

const MAX_RETRIES = 5;
const MAX_TIMEOUT_MS = 600_000;

export type ResolveResult = { ok: true; target: ParsedTarget } | { ok: false; detail: string };

/**
 * Resolves `raw` against `base` (the document's URL), keeps only http/https, strips the fragment
 * and reads the overrides in it.
 */
export function resolveTarget(raw: string, base?: string): ResolveResult {
  const written = raw.trim();
  if (written === '') return { ok: false, detail: 'the URL is empty' };
  let url: URL;
  try {
    url = base ? new URL(written, base) : new URL(written);
  } catch {
    return { ok: false, detail: base ? `'${written}' is not a valid URL (base ${base})` : `'${written}' is not an absolute URL and there is no base URL to resolve it against` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, detail: `'${url.protocol}' URLs are not supported (only http and https): ${written}` };
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in URLs end up in logs and recordings; apps authenticate us by signature instead.
    return { ok: false, detail: `URLs with user:password are not supported: ${url.origin}${url.pathname}` };
  }
  const { overrides, ignored } = parseOverrides(url.hash);
  url.hash = '';
  return { ok: true, target: { url, overrides, ignored } };
}

/** Reads `#ct=500&rt=2000&tt=5000&rc=2&rp=ct,5xx`. Unknown keys are ignored silently (plain anchors). */
export function parseOverrides(hash: string): { overrides: UrlOverrides; ignored: string[] } {
  const overrides: UrlOverrides = {};
  const ignored: string[] = [];
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text === '') return { overrides, ignored };
  for (const [key, value] of new URLSearchParams(text)) {
    switch (key) {
      case 'ct':
      case 'rt':
      case 'tt': {
        const ms = parseInteger(value, 1, MAX_TIMEOUT_MS);
        if (ms === undefined) ignored.push(`${key}=${value}`);
        else if (key === 'ct') overrides.connectMs = ms;
        else if (key === 'rt') overrides.readMs = ms;
        else overrides.totalMs = ms;
        break;
      }
      case 'rc': {
        const n = parseInteger(value, 0, MAX_RETRIES);
        if (n === undefined) ignored.push(`${key}=${value}`);
        else overrides.retries = n;
        break;
      }
      case 'rp': {
        const policy = parseRetryPolicy(value);
        if (policy === undefined) ignored.push(`${key}=${value}`);
        else overrides.retryPolicy = policy;
        break;
      }
      default:
        break;
    }
  }
  return { overrides, ignored };
}

function parseInteger(value: string, min: number, max: number): number | undefined {
  if (!/^\d{1,7}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** `rp` is a list (comma, `+` or space separated) of `ct`, `rt`, `4xx`, `5xx`, `all`, `none`. */
export function parseRetryPolicy(value: string): RetryPolicy | undefined {
  const policy: RetryPolicy = { connect: false, serverError: false, clientError: false, readTimeout: false };
  const items = value.split(/[,+ ]/).map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (items.length === 0) return undefined;
  for (const item of items) {
    switch (item) {
      case 'ct':
        policy.connect = true;
        break;
      case 'rt':
        policy.readTimeout = true;
        break;
      case '4xx':
        policy.clientError = true;
        break;
      case '5xx':
        policy.serverError = true;
        break;
      case 'all':
        Object.assign(policy, { connect: true, serverError: true, clientError: true, readTimeout: true });
        break;
      case 'none':
        break;
      default:
        return undefined;
    }
  }
  return policy;
}

