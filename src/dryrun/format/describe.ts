/** Short human words for verbs and parameters, shared by the text timeline and the diagram. */
import type { ResolvedValue } from '../../engine/index.js';

/** The attribute that says what a verb is about (its main parameter). */
const MAIN_ATTRIBUTE: Readonly<Record<string, string>> = {
  Speak: 'Text',
  Play: 'AudioFile',
  BlindTransfer: 'Target',
  AttendedTransfer: 'Target',
  Forward: 'Destination',
  GoTo: 'Url',
  Delay: 'Time',
  Route: 'Destination',
  TransferToService: 'Service',
  Call: 'Dialled',
  CallSetup: 'Callee',
  SendSms: 'Recipient',
  SendEmail: 'Recipient',
  SendDTMF: 'Keys',
  Var: 'ID',
  Record: 'Format',
  Hold: 'CallId',
  Unhold: 'CallId',
  Request: 'DialedAddress',
};

/** Extra attributes worth showing next to the main one. */
const SHOWN_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  UserInput: ['Digits', 'MinDigits', 'MaxDigits', 'Timeout', 'BackKey'],
  AttendedTransfer: ['AcceptKey'],
  BlindTransfer: ['Whisper', 'CallerId'],
  Var: ['Value'],
  Route: ['RingTime'],
  SendDTMF: ['Party'],
};

export function shorten(text: string, max = 48): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function show(value: ResolvedValue): string {
  return typeof value === 'string' ? `"${shorten(value)}"` : String(value);
}

/** `Speak "Welcome to Example Corp."`, `UserInput Digits=1 Timeout=6`, `BlindTransfer "1001"`. */
export function describeVerb(verb: string, attributes: Readonly<Record<string, ResolvedValue>>): string {
  const parts = [verb];
  const main = MAIN_ATTRIBUTE[verb];
  const mainValue = main === undefined ? undefined : attributes[main];
  if (mainValue !== undefined && mainValue !== '') parts.push(show(mainValue));
  for (const name of SHOWN_ATTRIBUTES[verb] ?? []) {
    // UserInput's Digits (default 1) means nothing once a MinDigits/MaxDigits range is given.
    if (name === 'Digits' && (attributes['MinDigits'] !== undefined || attributes['MaxDigits'] !== undefined)) continue;
    const value = attributes[name];
    if (value !== undefined && value !== '' && value !== false) parts.push(`${name}=${show(value)}`);
  }
  return parts.join(' ');
}

/** The parameters common to every notification (docs/webhooks.md); the rest are what a notification is about. */
const COMMON = new Set(['NotificationName', 'CallId', 'Caller', 'Callee', 'ApiExtension', 'CallState', 'Direction', 'Timestamp']);

export function notificationDetails(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .filter(([key, value]) => !COMMON.has(key) && value !== '')
    .map(([key, value]) => `${key}=${shorten(value, 40)}`)
    .join(' ');
}
