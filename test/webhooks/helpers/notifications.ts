/** Realistic notifications as the engine builds them (design.md §7). */
import type { DocumentContext } from '../../../src/language/types.js';
import type { Notification, NotificationName } from '../../../src/webhooks/index.js';

export const COMMON = {
  CallId: 'c4ll-0001',
  Caller: '+15551230001',
  Callee: '+15559870002',
  ApiExtension: '9000',
  CallState: 'InCall',
  Direction: 'inbound',
  Timestamp: '2026-11-21T10:00:00Z',
} as const;

/** Per-kind parameters the engine adds. */
export const EXTRA: Record<NotificationName, Record<string, string>> = {
  IncomingCall: {},
  CallConnected: {},
  DtmfEntered: { DtmfDigits: '1234#' },
  RecordCompleted: { RecordURL: 'https://rec.example.com/r/7.wav', Duration: '12' },
  GoTo: {},
  CallChanged: {},
  TransferCompleted: { TransferCause: 'busy', Target: '+15550001111', Duration: '0' },
  SMSDeliveryReport: {},
  RoutingInterception: {
    CallerID: '2000', OriginalDialedNumber: '100', LastDialedNumber: '101', LastCalledExtension: '101',
    LastCallState: 'NoAnswer', CallerExtension: 'john',
  },
  Error: { ErrorCode: '11205', ErrorUrl: 'http://app.example/ivr', Detail: 'connection refused' },
};

export function notification(name: NotificationName, url: string, extra: Partial<Notification> = {}): Notification {
  const context: DocumentContext = name === 'CallChanged' ? 'third-party' : name === 'RoutingInterception' ? 'routing' : 'api-extension';
  return { name, url, params: { ...COMMON, ...EXTRA[name] }, context, ...extra };
}

/** A valid reply for each context. */
export const DOCS: Record<DocumentContext, string> = {
  'api-extension': '<Response><Speak>Hello</Speak><Hangup/></Response>',
  'third-party': '<Response><Hangup CallId="c4ll-0001"/></Response>',
  routing: '<Response><Route Destination="101"/></Response>',
};
