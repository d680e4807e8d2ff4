/**
 * SIP messages (RFC 3261 §7) as values: parsing from bytes off the wire and writing back to
 * bytes. Parsing never throws on bad input; it answers a `SipParseError` value naming what is
 * wrong, so the transport can answer 400 or drop the datagram and count it (docs/sip.md).
 * Limits are explicit: a hostile peer cannot make the parser hold more than `maxBytes`.
 */
import { splitOutside } from './quoted-scan.js';

/** Header names in their canonical spelling, by lower-case long and compact form (RFC 3261 §7.3.3, RFC 3515, RFC 3892, RFC 6665). */
const CANONICAL: Readonly<Record<string, string>> = (() => {
  const names = [
    'Accept', 'Allow', 'Allow-Events', 'Authorization', 'Call-ID', 'Contact', 'Content-Disposition', 'Content-Encoding',
    'Content-Length', 'Content-Type', 'CSeq', 'Diversion', 'Event', 'Expires', 'From', 'Max-Forwards', 'P-Asserted-Identity',
    'Privacy', 'Proxy-Authenticate', 'Proxy-Authorization', 'Reason', 'Record-Route', 'Refer-To', 'Referred-By', 'Replaces',
    'Require', 'Route', 'Server', 'Session-Expires', 'Subject', 'Subscription-State', 'Supported', 'To', 'Unsupported',
    'User-Agent', 'Via', 'WWW-Authenticate',
  ];
  const table: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of names) table[name.toLowerCase()] = name;
  const compact: Record<string, string> = {
    i: 'Call-ID', m: 'Contact', e: 'Content-Encoding', l: 'Content-Length', c: 'Content-Type', f: 'From', s: 'Subject',
    k: 'Supported', t: 'To', v: 'Via', o: 'Event', r: 'Refer-To', b: 'Referred-By', x: 'Session-Expires', u: 'Allow-Events',
  };
  for (const [short, long] of Object.entries(compact)) table[short] = long;
  return table;
})();

/** The canonical spelling of a header name (compact forms expanded); unknown names keep their spelling. */
export function canonicalHeaderName(name: string): string {
  return CANONICAL[name.toLowerCase()] ?? name;
}

/** Headers in wire order; lookups are by canonical name, case-insensitively. */
export class SipHeaders {
  readonly #entries: Array<[name: string, value: string]> = [];

  constructor(entries: Iterable<readonly [string, string]> = []) {
    for (const [name, value] of entries) this.append(name, value);
  }

  append(name: string, value: string): void {
    this.#entries.push([canonicalHeaderName(name), value]);
  }

  /** Replaces every value of `name` by one. */
  set(name: string, value: string): void {
    this.delete(name);
    this.append(name, value);
  }

  delete(name: string): void {
    const key = canonicalHeaderName(name).toLowerCase();
    for (let i = this.#entries.length - 1; i >= 0; i--) if (this.#entries[i]![0].toLowerCase() === key) this.#entries.splice(i, 1);
  }

  /** The first value of `name`. */
  get(name: string): string | undefined {
    const key = canonicalHeaderName(name).toLowerCase();
    return this.#entries.find(([n]) => n.toLowerCase() === key)?.[1];
  }

  /**
   * Every value of `name`, with comma-separated lists split (RFC 3261 §7.3.1) for the headers
   * whose grammar is a list; commas inside quotes or `<…>` do not split.
   */
  all(name: string): string[] {
    const canonical = canonicalHeaderName(name);
    const key = canonical.toLowerCase();
    const values = this.#entries.filter(([n]) => n.toLowerCase() === key).map(([, v]) => v);
    return LIST_HEADERS.has(canonical) ? values.flatMap(splitList) : values;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  entries(): ReadonlyArray<readonly [string, string]> {
    return this.#entries;
  }

  get size(): number {
    return this.#entries.length;
  }
}

/** Headers whose value is a comma-separated list. Others (From, To, Call-ID, CSeq, dates, auth) are single. */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'Accept', 'Allow', 'Allow-Events', 'Contact', 'Content-Encoding', 'Diversion', 'P-Asserted-Identity', 'Record-Route',
  'Require', 'Route', 'Supported', 'Unsupported', 'Via',
]);

/** Splits a header list on commas outside double quotes and angle brackets. */
export function splitList(value: string): string[] {
  return splitOutside(value, ',', true);
}

export interface SipRequest {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: string;
  readonly headers: SipHeaders;
  readonly body: Uint8Array;
}

export interface SipResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
  readonly headers: SipHeaders;
  readonly body: Uint8Array;
}

export type SipMessage = SipRequest | SipResponse;

/** Why bytes are not a SIP message. `truncated`: more bytes may complete it (a stream transport waits). */
export type SipParseErrorKind = 'truncated' | 'too-large' | 'start-line' | 'header' | 'content-length' | 'missing-header' | 'cseq';

export interface SipParseError {
  readonly kind: SipParseErrorKind;
  readonly message: string;
  /** Headers read before the error, when the start line and headers were readable (to build a 400). */
  readonly partial?: { readonly start: string; readonly headers: SipHeaders };
}

export interface SipParseLimits {
  /** Largest message accepted, start line to the end of the body. Default 65,535 (the largest UDP payload). */
  maxBytes?: number;
  /** Most header fields. Default 128. */
  maxHeaders?: number;
}

export const DEFAULT_SIP_LIMITS: Required<SipParseLimits> = Object.freeze({ maxBytes: 65_535, maxHeaders: 128 });

/** Headers every request and response must carry (RFC 3261 §8.1.1; Max-Forwards is added by us, not required of peers). */
const MANDATORY = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;

const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;
const REQUEST_LINE = /^([A-Za-z0-9.!%*_+`'~-]+) (\S+) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d) ?(.*)$/;
const CSEQ = /^(\d{1,10})\s+([A-Za-z0-9.!%*_+`'~-]+)$/;

export type SipParseResult =
  | { readonly ok: true; readonly message: SipMessage; /** Bytes used (the rest of a stream is the next message). */ readonly length: number }
  | { readonly ok: false; readonly error: SipParseError };

/**
 * Parses one message from `bytes`. `stream`: bytes from TCP, where Content-Length is required and
 * the message may be followed by the next one; otherwise a datagram, where a missing
 * Content-Length means the rest of the datagram and bytes beyond it are discarded (RFC 3261 §18.3).
 */
export function parseSipMessage(bytes: Uint8Array, options: SipParseLimits & { stream?: boolean } = {}): SipParseResult {
  const maxBytes = options.maxBytes ?? DEFAULT_SIP_LIMITS.maxBytes;
  const maxHeaders = options.maxHeaders ?? DEFAULT_SIP_LIMITS.maxHeaders;
  const fail = (kind: SipParseErrorKind, message: string, partial?: SipParseError['partial']): SipParseResult =>
    ({ ok: false, error: partial ? { kind, message, partial } : { kind, message } });

  // Keep-alives (RFC 5626 §3.5.1) and stray line ends before a message are skipped.
  let offset = 0;
  while (offset < bytes.length && (bytes[offset] === 0x0d || bytes[offset] === 0x0a)) offset++;
  const end = headerEnd(bytes, offset, Math.min(bytes.length, offset + maxBytes));
  if (end === undefined) {
    if (bytes.length - offset >= maxBytes) return fail('too-large', `the header section is longer than ${maxBytes} bytes`);
    return fail('truncated', 'the message ends before the blank line that closes its headers');
  }
  const head = latin1(bytes, offset, end.at);
  const lines = unfold(head.split(/\r?\n/));
  const start = lines.shift() ?? '';
  const headers = new SipHeaders();
  for (const line of lines) {
    if (headers.size >= maxHeaders) return fail('too-large', `more than ${maxHeaders} header fields`);
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trimEnd();
    if (colon <= 0 || !TOKEN.test(name)) return fail('header', `not a header field: ${quote(line)}`, { start, headers });
    headers.append(name, line.slice(colon + 1).trim());
  }
  const partial = { start, headers };

  const bodyStart = end.at + end.separator;
  const lengths = headers.all('Content-Length');
  let bodyLength: number;
  if (lengths.length === 0) {
    if (options.stream) return fail('content-length', 'a message on a stream transport must carry Content-Length', partial);
    bodyLength = bytes.length - bodyStart;
  } else {
    if (lengths.length > 1 && new Set(lengths).size > 1) return fail('content-length', `conflicting Content-Length values: ${lengths.join(', ')}`, partial);
    if (!/^\d{1,9}$/.test(lengths[0]!)) return fail('content-length', `Content-Length is not a number of bytes: ${quote(lengths[0]!)}`, partial);
    bodyLength = Number(lengths[0]);
  }
  if (bodyStart - offset + bodyLength > maxBytes) return fail('too-large', `the message is longer than ${maxBytes} bytes`, partial);
  if (bodyStart + bodyLength > bytes.length) {
    const have = bytes.length - bodyStart;
    return fail('truncated', `the body has ${have} of the ${bodyLength} bytes Content-Length announces`, partial);
  }
  const body = bytes.slice(bodyStart, bodyStart + bodyLength);
  const length = bodyStart + bodyLength;

  const request = REQUEST_LINE.exec(start);
  const status = request ? null : STATUS_LINE.exec(start);
  if (!request && !status) return fail('start-line', `not a SIP/2.0 request or status line: ${quote(start)}`, partial);
  for (const name of MANDATORY) if (!headers.has(name)) return fail('missing-header', `the ${name} header is missing`, partial);
  const cseq = CSEQ.exec(headers.get('CSeq')!);
  if (!cseq) return fail('cseq', `CSeq is not "number METHOD": ${quote(headers.get('CSeq')!)}`, partial);
  if (request) {
    if (cseq[2] !== request[1]) return fail('cseq', `CSeq method ${cseq[2]} does not match the request method ${request[1]}`, partial);
    return { ok: true, length, message: { kind: 'request', method: request[1]!, uri: request[2]!, headers, body } };
  }
  return { ok: true, length, message: { kind: 'response', status: Number(status![1]), reason: status![2]!, headers, body } };
}

/** Writes a message to bytes; Content-Length is always written from the body. */
export function serializeSipMessage(message: SipMessage): Uint8Array {
  const start = message.kind === 'request' ? `${message.method} ${message.uri} SIP/2.0` : `SIP/2.0 ${message.status} ${message.reason}`;
  let head = `${start}\r\n`;
  for (const [name, value] of message.headers.entries()) {
    if (name === 'Content-Length') continue;
    if (/[\r\n]/.test(value)) throw new TypeError(`header ${name} has a line break in its value`);
    head += `${name}: ${value}\r\n`;
  }
  head += `Content-Length: ${message.body.length}\r\n\r\n`;
  const out = new Uint8Array(Buffer.byteLength(head, 'latin1') + message.body.length);
  out.set(Buffer.from(head, 'latin1'), 0);
  out.set(message.body, out.length - message.body.length);
  return out;
}

/** Where the header section ends (exclusive) and how many bytes the line ends after it take; undefined: not within `limit`. */
function headerEnd(bytes: Uint8Array, from: number, limit: number): { at: number; separator: number } | undefined {
  for (let i = from; i < limit; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return { at: i, separator: 2 };
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) {
      const at = bytes[i - 1] === 0x0d ? i - 1 : i;
      return { at, separator: i + 3 - at };
    }
  }
  return undefined;
}

/** Header folding (a line starting with white space continues the previous one, RFC 3261 §7.3.1). */
function unfold(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && out.length > 1) out[out.length - 1] += ` ${line.trim()}`;
    else out.push(line);
  }
  return out;
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');
}

/** A line for a diagnostic: quoted, control characters visible, clipped. */
function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
