/**
 * Ademco Contact ID (SIA DC-05) messages as DTMF strings: ACCT(4) MT(2, "18") Q(1) XYZ(3) GG(2)
 * CCC(3) S(1). Hex digits map to DTMF as B→*, C→#, D→A, E→B, F→C; a 0 counts 10 in the checksum,
 * and the checksum makes the digit sum a multiple of 15 (a checksum of 0 is sent as F).
 */

import type { ALARM_EVENT_QUALIFIERS } from '../../language/index.js';

export type EventQualifier = (typeof ALARM_EVENT_QUALIFIERS)[number];

export interface ContactIdMessage {
  account: string;
  qualifier: EventQualifier;
  eventCode: string;
  partition: string;
  zone: string;
}

const QUALIFIER_DIGIT: Record<EventQualifier, string> = { NewEvent: '1', NewRestore: '3', StatusReport: '6' };
const DIGIT_QUALIFIER: Record<string, EventQualifier> = { '1': 'NewEvent', '3': 'NewRestore', '6': 'StatusReport' };

const HEX_TO_DTMF: Record<string, string> = { B: '*', C: '#', D: 'A', E: 'B', F: 'C' };
const DTMF_TO_HEX: Record<string, string> = { '*': 'B', '#': 'C', A: 'D', B: 'E', C: 'F' };

/** Well-known event codes (SIA DC-05 excerpt) for `$eventname`. */
export const EVENT_NAMES: Readonly<Record<string, string>> = {
  '100': 'Medical', '101': 'Personal Emergency', '110': 'Fire', '111': 'Smoke', '113': 'Water Flow', '114': 'Heat',
  '120': 'Panic', '121': 'Duress', '122': 'Silent', '123': 'Audible', '130': 'Burglary', '131': 'Perimeter',
  '132': 'Interior', '133': '24 Hour', '134': 'Entry/Exit', '137': 'Tamper', '140': 'General Alarm',
  '150': '24 Hour Non-Burglary', '151': 'Gas Detected', '154': 'Water Leakage', '158': 'High Temperature',
  '162': 'Carbon Monoxide', '301': 'AC Loss', '302': 'Low System Battery', '401': 'Open/Close by User',
  '570': 'Zone Bypass', '602': 'Periodic Test Report',
};

function digitValue(hex: string): number {
  const v = parseInt(hex, 16);
  return v === 0 ? 10 : v;
}

function checksumDigit(hexDigits: string): string {
  let sum = 0;
  for (const d of hexDigits) sum += digitValue(d);
  const s = 15 - (sum % 15);
  // s is 1..15; 10 is transmitted as 0.
  return s === 10 ? '0' : s.toString(16).toUpperCase();
}

const pad = (value: string, width: number, what: string): string => {
  if (!/^[0-9]+$/.test(value) || value.length > width) throw new RangeError(`${what} must be at most ${width} digits, got '${value}'`);
  return value.padStart(width, '0');
};

/** Encodes a message as the 16 DTMF keys a panel sends. */
export function encodeContactId(message: ContactIdMessage): string {
  const account = message.account.toUpperCase();
  if (!/^[0-9B-F]{4}$/.test(account)) throw new RangeError(`account must be 4 digits (0-9, B-F), got '${message.account}'`);
  const body = account + '18' + QUALIFIER_DIGIT[message.qualifier]
    + pad(message.eventCode, 3, 'event code') + pad(message.partition, 2, 'partition') + pad(message.zone, 3, 'zone');
  const hex = body + checksumDigit(body);
  return [...hex].map((d) => HEX_TO_DTMF[d] ?? d).join('');
}

export type DecodeResult = { ok: true; message: ContactIdMessage } | { ok: false; reason: string };

/** Decodes and verifies 16 received DTMF keys. */
export function decodeContactId(dtmf: string): DecodeResult {
  if (dtmf.length !== 16) return { ok: false, reason: `expected 16 digits, got ${dtmf.length}` };
  const hex = [...dtmf.toUpperCase()].map((d) => DTMF_TO_HEX[d] ?? d).join('');
  if (!/^[0-9B-F]{16}$/.test(hex)) return { ok: false, reason: 'invalid digit' };
  let sum = 0;
  for (const d of hex) sum += digitValue(d);
  if (sum % 15 !== 0) return { ok: false, reason: 'checksum mismatch' };
  if (hex.slice(4, 6) !== '18' && hex.slice(4, 6) !== '98') return { ok: false, reason: `unknown message type ${hex.slice(4, 6)}` };
  const qualifier = DIGIT_QUALIFIER[hex[6]!];
  if (!qualifier) return { ok: false, reason: `unknown event qualifier ${hex[6]}` };
  return {
    ok: true,
    message: { account: hex.slice(0, 4), qualifier, eventCode: hex.slice(7, 10), partition: hex.slice(10, 12), zone: hex.slice(12, 15) },
  };
}
