import { describe, expect, it } from 'vitest';
import { notificationParams } from '../../src/webhooks/index.js';
import type { Notification } from '../../src/webhooks/index.js';
import { encodeNotification } from '../../src/webhooks/request-body.js';

function notification(params: Record<string, string>): Notification {
  return { name: 'IncomingCall', url: 'https://example.com/ivr', params, context: 'api-extension' };
}

/** What the body must equal byte for byte: the platform's form serializer over notificationParams. */
function reference(n: Notification): string {
  return new URLSearchParams(notificationParams(n)).toString();
}

describe('request body encoding', () => {
  it('writes the form body exactly as URLSearchParams does', () => {
    const values = [
      '', 'plain', 'a b', '+15551230001', "!'()*~-._", 'x&y=z', '%20', 'Jörg', '日本語', '😀', 'tab\there', 'line\r\nbreak',
      '/path?q=1#frag', '\u0000', '\u007f', '\ud800', 'a\udc00b', '\ud83d', 'mixed \ud800 and 😀',
    ];
    for (const value of values) {
      const n = notification({ CallId: value, [value || 'empty']: 'v', Caller: value });
      expect(encodeNotification(n, 'form')).toEqual({ body: reference(n), contentType: 'application/x-www-form-urlencoded' });
    }
  });

  it('writes every ASCII character as URLSearchParams does', () => {
    const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).join('');
    for (const value of [ascii, `x${ascii}y`, ascii.slice(32, 127), 'Zürich ~ (home)']) {
      const n = notification({ [value]: value, CallId: value });
      expect(encodeNotification(n, 'form').body).toBe(reference(n));
    }
  });

  it('keeps NotificationName first and drops a NotificationName parameter', () => {
    const n = notification({ CallId: 'c1', NotificationName: 'Other', Digits: '12#' });
    expect(encodeNotification(n, 'form').body).toBe('NotificationName=IncomingCall&CallId=c1&Digits=12%23');
    expect(encodeNotification(n, 'form').body).toBe(reference(n));
  });

  it('orders array-index parameter names as a JavaScript object does', () => {
    const n = notification({ CallId: 'c1', '7': 'seven', '02': 'zero-two' });
    expect(encodeNotification(n, 'form').body).toBe(reference(n));
  });

  it('writes JSON bodies with NotificationName first', () => {
    const n = notification({ CallId: 'c 1', Caller: 'Jörg' });
    expect(encodeNotification(n, 'json')).toEqual({ body: JSON.stringify(notificationParams(n)), contentType: 'application/json' });
  });
});
