/**
 * OPTIONS outside a dialog (RFC 3261 §11): proxies and trunks (Kamailio's dispatcher, carriers)
 * probe a node with it and take it out of rotation when it stops answering. ozml answers 200
 * with what it supports, or 503 while it drains, so a proxy stops sending new calls.
 */
import { responseTo } from './response.js';
import type { SipRequest, SipResponse } from './message.js';

/** The methods ozml's SIP switch handles (Allow) and the extensions it supports. */
export const ALLOWED_METHODS = Object.freeze(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INFO', 'REFER', 'NOTIFY']);
export const SUPPORTED_EXTENSIONS = Object.freeze(['replaces']);

export function answerOptions(request: SipRequest, options: { toTag: string; draining?: boolean }): SipResponse {
  const headers: Array<[string, string]> = [
    ['Allow', ALLOWED_METHODS.join(', ')],
    ['Accept', 'application/sdp'],
    ['Supported', SUPPORTED_EXTENSIONS.join(', ')],
  ];
  if (options.draining) return responseTo(request, 503, { toTag: options.toTag, headers: [['Retry-After', '30'], ...headers] });
  return responseTo(request, 200, { toTag: options.toTag, headers });
}
