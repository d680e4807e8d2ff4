/**
 * The structured header values a dialog needs: name-addr (From, To, Contact, Route, Refer-To …),
 * Via, and `;name=value` parameters (RFC 3261 §20, §25.1). Each parser answers undefined for a
 * value it cannot read, so the caller decides between 400 and ignoring the header.
 */
import { positionsOutside, splitOutside } from './quoted-scan.js';

/** `;name=value` parameters, names lower-cased; a parameter without a value maps to ''. */
export type SipParams = ReadonlyMap<string, string>;

export interface NameAddr {
  /** The display name, unquoted; '' when absent. */
  readonly displayName: string;
  readonly uri: string;
  /** Header parameters (after `>`, or after the URI when it has no angle brackets): `tag`, `expires` … */
  readonly params: SipParams;
}

/** Parses `"Alice" <sip:alice@host;transport=tcp>;tag=1` or `sip:bob@host;tag=2`. */
export function parseNameAddr(value: string): NameAddr | undefined {
  const text = value.trim();
  const open = angleOpen(text);
  if (open >= 0) {
    const close = text.indexOf('>', open);
    if (close < 0) return undefined;
    const uri = text.slice(open + 1, close).trim();
    if (!isUri(uri)) return undefined;
    const params = parseParams(text.slice(close + 1));
    if (!params) return undefined;
    return { displayName: displayName(text.slice(0, open)), uri, params };
  }
  // addr-spec without brackets: parameters after the URI belong to the header (RFC 3261 §20.10).
  const semi = text.indexOf(';');
  const uri = semi < 0 ? text : text.slice(0, semi);
  if (!isUri(uri) || /\s/.test(uri)) return undefined;
  const params = parseParams(semi < 0 ? '' : text.slice(semi));
  return params ? { displayName: '', uri, params } : undefined;
}

/** Writes a name-addr back, always with angle brackets (safe for URIs with parameters). */
export function formatNameAddr(value: NameAddr): string {
  const name = value.displayName === '' ? '' : `"${value.displayName.replace(/(["\\])/g, '\\$1')}" `;
  return `${name}<${value.uri}>${formatParams(value.params)}`;
}

export interface Via {
  /** `UDP`, `TCP`, … upper-cased. */
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: SipParams;
}

const VIA = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\s*(;.*)?$/;

/** Parses one Via value (`SIP/2.0/UDP host:5060;branch=z9hG4bK…;rport`). */
export function parseVia(value: string): Via | undefined {
  const match = VIA.exec(value.trim());
  if (!match) return undefined;
  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port < 1 || port > 65_535)) return undefined;
  const params = parseParams(match[4] ?? '');
  if (!params) return undefined;
  return { transport: match[1]!.toUpperCase(), host: match[2]!, port, params };
}

export function formatVia(via: Via): string {
  return `SIP/2.0/${via.transport} ${via.host}${via.port === undefined ? '' : `:${via.port}`}${formatParams(via.params)}`;
}

/** Parses `;a=1;b;c="x y"` (leading white space allowed); undefined when a parameter name is not a token. */
export function parseParams(text: string): Map<string, string> | undefined {
  const params = new Map<string, string>();
  const rest = text.trim();
  if (rest === '') return params;
  if (!rest.startsWith(';')) return undefined;
  for (const part of splitOutside(rest.slice(1), ';', false)) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!/^[a-z0-9.!%*_+`'~-]+$/.test(name)) return undefined;
    let raw = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) raw = raw.slice(1, -1).replace(/\\(.)/g, '$1');
    params.set(name, raw);
  }
  return params;
}

export function formatParams(params: SipParams): string {
  let out = '';
  for (const [name, value] of params) out += value === '' ? `;${name}` : `;${name}=${/^[A-Za-z0-9.!%*_+`'~:\[\]-]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`}`;
  return out;
}

/** The first `<` outside a quoted display name, or -1. */
function angleOpen(text: string): number {
  return positionsOutside(text, '<', false)[0] ?? -1;
}

function displayName(text: string): string {
  const name = text.trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) return name.slice(1, -1).replace(/\\(.)/g, '$1');
  return name;
}

/** A URI with a scheme (`sip:`, `sips:`, `tel:`, …) and something after it. */
function isUri(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(text);
}
