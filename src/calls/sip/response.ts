/**
 * Responses built from the request they answer (RFC 3261 §8.2.6): the Via list, From, Call-ID and
 * CSeq copied as they arrived; To copied, with our tag added unless the request already had one;
 * Record-Route copied into responses that set up a dialog (§12.1.1), so the peer's ACK and BYE
 * follow the proxies that asked to stay in the path.
 */
import { parseNameAddr } from './header-values.js';
import { SipHeaders } from './message.js';
import type { SipRequest, SipResponse } from './message.js';

/** Reason phrases ozml writes (RFC 3261 §21, RFC 3515 for 202). */
export const REASON_PHRASES: Readonly<Record<number, string>> = Object.freeze({
  100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 202: 'Accepted',
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 407: 'Proxy Authentication Required',
  408: 'Request Timeout', 413: 'Request Entity Too Large', 415: 'Unsupported Media Type', 416: 'Unsupported URI Scheme',
  420: 'Bad Extension', 480: 'Temporarily Unavailable', 481: 'Call/Transaction Does Not Exist', 486: 'Busy Here',
  487: 'Request Terminated', 488: 'Not Acceptable Here', 491: 'Request Pending', 500: 'Server Internal Error',
  501: 'Not Implemented', 503: 'Service Unavailable', 603: 'Decline',
});

export interface ResponseOptions {
  /** Our To tag; added when the request's To has none (not on 100 Trying, §8.2.6.2). */
  toTag?: string;
  reason?: string;
  headers?: Iterable<readonly [string, string]>;
  body?: Uint8Array;
}

/** The headers a response copies from its request (a parsed request, or the headers read before a parse error). */
export function responseTo(request: Pick<SipRequest, 'headers'> & { method?: string }, status: number, options: ResponseOptions = {}): SipResponse {
  const from = request.headers;
  const headers = new SipHeaders();
  for (const via of from.all('Via')) headers.append('Via', via);
  const copy = (name: string): void => {
    const value = from.get(name);
    if (value !== undefined) headers.append(name, value);
  };
  copy('From');
  const to = from.get('To');
  if (to !== undefined) {
    const hasTag = parseNameAddr(to)?.params.has('tag') ?? /;\s*tag=/i.test(to);
    headers.append('To', !hasTag && options.toTag !== undefined && status > 100 ? `${to};tag=${options.toTag}` : to);
  }
  copy('Call-ID');
  copy('CSeq');
  const dialogForming = status > 100 && status < 300 && (request.method === 'INVITE' || request.method === 'SUBSCRIBE');
  if (dialogForming) for (const route of from.all('Record-Route')) headers.append('Record-Route', route);
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  return { kind: 'response', status, reason: options.reason ?? REASON_PHRASES[status] ?? 'Unknown', headers, body: options.body ?? new Uint8Array() };
}
