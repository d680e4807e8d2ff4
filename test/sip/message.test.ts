import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNameAddr, parseNameAddr, parseVia } from '../../src/calls/sip/header-values.js';
import { parseSipMessage, serializeSipMessage, SipHeaders, splitList } from '../../src/calls/sip/message.js';
import type { SipParseResult } from '../../src/calls/sip/message.js';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
const text = (data: Uint8Array): string => Buffer.from(data).toString('latin1');

/** The INVITE sipp's built-in `uac` scenario sends, with its SDP. */
const SDP = 'v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
const INVITE = [
  'INVITE sip:9000@127.0.0.1:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-1-0',
  'From: sipp <sip:sipp@127.0.0.2:5070>;tag=1',
  'To: 9000 <sip:9000@127.0.0.1:5060>',
  'Call-ID: 1-4242@127.0.0.2',
  'CSeq: 1 INVITE',
  'Contact: sip:sipp@127.0.0.2:5070',
  'Max-Forwards: 70',
  'Subject: Performance Test',
  'Content-Type: application/sdp',
  `Content-Length: ${SDP.length}`,
  '',
  SDP,
].join('\r\n');

function ok(result: SipParseResult) {
  if (!result.ok) throw new Error(`expected a message, got ${result.error.kind}: ${result.error.message}`);
  return result;
}

describe('SIP message parsing', () => {
  it('reads a request: method, URI, headers in order and the body Content-Length announces', () => {
    const { message, length } = ok(parseSipMessage(bytes(INVITE)));
    expect(message.kind).toBe('request');
    if (message.kind !== 'request') return;
    expect(message.method).toBe('INVITE');
    expect(message.uri).toBe('sip:9000@127.0.0.1:5060');
    expect(message.headers.entries().map(([n]) => n)).toEqual([
      'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Max-Forwards', 'Subject', 'Content-Type', 'Content-Length',
    ]);
    expect(message.headers.get('call-id')).toBe('1-4242@127.0.0.2');
    expect(text(message.body)).toBe(SDP);
    expect(length).toBe(INVITE.length);
  });

  it('reads a response and its reason phrase', () => {
    const response = 'SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP a;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';
    const { message } = ok(parseSipMessage(bytes(response)));
    expect(message).toMatchObject({ kind: 'response', status: 486, reason: 'Busy Here' });
  });

  it('expands compact header names, unfolds continuation lines and splits lists outside quotes and brackets', () => {
    const wire = 'OPTIONS sip:x SIP/2.0\r\nv: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/TCP b;branch=z9hG4bK2\r\nf: <sip:a@b>;tag=9\r\nt: <sip:x>\r\ni: abc\r\nCSeq: 7\r\n  OPTIONS\r\nm: "Doe, John" <sip:j@h>, <sip:k@h;x=a,b>\r\nl: 0\r\n\r\n';
    const { message } = ok(parseSipMessage(bytes(wire)));
    expect(message.headers.get('CSeq')).toBe('7 OPTIONS');
    expect(message.headers.all('Via')).toEqual(['SIP/2.0/UDP a;branch=z9hG4bK1', 'SIP/2.0/TCP b;branch=z9hG4bK2']);
    expect(message.headers.all('Contact')).toEqual(['"Doe, John" <sip:j@h>', '<sip:k@h;x=a,b>']);
    expect(message.headers.get('From')).toBe('<sip:a@b>;tag=9');
  });

  it('skips keep-alive line ends before a message and takes bare LF line ends', () => {
    const wire = '\r\n\r\nBYE sip:x SIP/2.0\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\nTo: <sip:x>;tag=2\nCall-ID: c\nCSeq: 2 BYE\n\n';
    const { message } = ok(parseSipMessage(bytes(wire)));
    expect(message).toMatchObject({ kind: 'request', method: 'BYE' });
  });

  it('on a datagram, a missing Content-Length means the rest; bytes past Content-Length are discarded', () => {
    const head = 'MESSAGE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x>\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\n';
    expect(text(ok(parseSipMessage(bytes(`${head}\r\nhello`))).message.body)).toBe('hello');
    expect(text(ok(parseSipMessage(bytes(`${head}Content-Length: 3\r\n\r\nhello`))).message.body)).toBe('hel');
  });

  it('on a stream, frames one message and leaves the next', () => {
    const two = INVITE + INVITE;
    const first = ok(parseSipMessage(bytes(two), { stream: true }));
    expect(first.length).toBe(INVITE.length);
    const second = ok(parseSipMessage(bytes(two).subarray(first.length), { stream: true }));
    expect(second.length).toBe(INVITE.length);
  });

  it('names what is wrong, with the headers read so far for a 400', () => {
    const cases: Array<[string, string, string]> = [
      [INVITE.slice(0, 40), 'truncated', 'the message ends before the blank line that closes its headers'],
      [INVITE.slice(0, INVITE.length - 10), 'truncated', `the body has ${SDP.length - 10} of the ${SDP.length} bytes Content-Length announces`],
      [INVITE.replace('INVITE sip:9000@127.0.0.1:5060 SIP/2.0', 'INVITE sip:9000@127.0.0.1 SIP/3.0'), 'start-line', 'not a SIP/2.0 request or status line: "INVITE sip:9000@127.0.0.1 SIP/3.0"'],
      [INVITE.replace('Call-ID: 1-4242@127.0.0.2\r\n', ''), 'missing-header', 'the Call-ID header is missing'],
      [INVITE.replace('CSeq: 1 INVITE', 'CSeq: 1 BYE'), 'cseq', 'CSeq method BYE does not match the request method INVITE'],
      [INVITE.replace('CSeq: 1 INVITE', 'CSeq: one INVITE'), 'cseq', 'CSeq is not "number METHOD": "one INVITE"'],
      [INVITE.replace('Subject: Performance Test', 'Subject Performance Test'), 'header', 'not a header field: "Subject Performance Test"'],
      [INVITE.replace(`Content-Length: ${SDP.length}`, 'Content-Length: -1'), 'content-length', 'Content-Length is not a number of bytes: "-1"'],
      [INVITE.replace(`Content-Length: ${SDP.length}`, `Content-Length: ${SDP.length}\r\nl: 3`), 'content-length', `conflicting Content-Length values: ${SDP.length}, 3`],
    ];
    for (const [wire, kind, message] of cases) {
      const result = parseSipMessage(bytes(wire));
      expect(result.ok ? 'parsed' : { kind: result.error.kind, message: result.error.message }).toEqual({ kind, message });
    }
    const missing = parseSipMessage(bytes(INVITE.replace('Call-ID: 1-4242@127.0.0.2\r\n', '')));
    expect(!missing.ok && missing.error.partial?.headers.get('Via')).toBe('SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-1-0');
  });

  it('refuses a stream message without Content-Length, and anything over the limits', () => {
    const noLength = INVITE.replace(`Content-Length: ${SDP.length}\r\n`, '');
    expect(parseSipMessage(bytes(noLength), { stream: true })).toMatchObject({ ok: false, error: { kind: 'content-length' } });
    expect(parseSipMessage(bytes(INVITE), { maxBytes: 200 })).toMatchObject({ ok: false, error: { kind: 'too-large', message: 'the header section is longer than 200 bytes' } });
    expect(parseSipMessage(bytes(INVITE), { maxBytes: 400 })).toMatchObject({ ok: false, error: { kind: 'too-large', message: 'the message is longer than 400 bytes' } });
    expect(parseSipMessage(bytes(INVITE), { maxHeaders: 5 })).toMatchObject({ ok: false, error: { kind: 'too-large', message: 'more than 5 header fields' } });
  });

  it('writes canonical names and a Content-Length of the real body, and reads back what it wrote', () => {
    const { message } = ok(parseSipMessage(bytes(INVITE.replace('Call-ID:', 'i:'))));
    const written = text(serializeSipMessage(message));
    expect(written).toBe(INVITE);
    const headers = new SipHeaders([['v', 'SIP/2.0/UDP h;branch=z9hG4bK1'], ['f', '<sip:a@b>;tag=1'], ['t', '<sip:c@d>'], ['i', 'x'], ['CSeq', '1 OPTIONS'], ['Content-Length', '99']]);
    expect(text(serializeSipMessage({ kind: 'response', status: 200, reason: 'OK', headers, body: new Uint8Array() }))).toBe(
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
    );
    expect(() => serializeSipMessage({ kind: 'response', status: 200, reason: 'OK', headers: new SipHeaders([['X-A', 'a\r\nVia: evil']]), body: new Uint8Array() }))
      .toThrow('header X-A has a line break in its value');
  });

  it('never throws on truncated, mutated or random bytes (6,000 inputs)', () => {
    const source = bytes(INVITE);
    const mutated = fc.tuple(fc.nat(source.length), fc.array(fc.tuple(fc.nat(source.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }))
      .map(([cut, edits]) => {
        const copy = source.slice(0, cut);
        for (const [at, value] of edits) if (at < copy.length) copy[at] = value;
        return copy;
      });
    const random = fc.uint8Array({ maxLength: 2048 });
    fc.assert(fc.property(fc.oneof(mutated, random), fc.boolean(), (input, stream) => {
      const result = parseSipMessage(input, { stream });
      // Either a message whose length lies within the input, or an error with a message.
      if (result.ok) expect(result.length).toBeLessThanOrEqual(input.length);
      else expect(result.error.message.length).toBeGreaterThan(0);
    }), { numRuns: 6000, seed: 3261 });
  });
});

describe('SIP header values', () => {
  it('reads name-addr with and without brackets; parameters after the bracket belong to the header', () => {
    expect(parseNameAddr('"Doe, \\"J\\"" <sip:j@h;transport=tcp>;tag=abc;lr')).toEqual({
      displayName: 'Doe, "J"', uri: 'sip:j@h;transport=tcp', params: new Map([['tag', 'abc'], ['lr', '']]),
    });
    expect(parseNameAddr('sip:bob@h;tag=2')).toEqual({ displayName: '', uri: 'sip:bob@h', params: new Map([['tag', '2']]) });
    expect(parseNameAddr('Bob <tel:+15551234>')).toEqual({ displayName: 'Bob', uri: 'tel:+15551234', params: new Map() });
    for (const bad of ['<sip:a@b', 'no uri', '<>', '<sip:a@b>;bad name=1', 'sip:a b@c']) expect(parseNameAddr(bad)).toBeUndefined();
    expect(formatNameAddr({ displayName: 'A "B"', uri: 'sip:a@b', params: new Map([['tag', 'x y']]) })).toBe('"A \\"B\\"" <sip:a@b>;tag="x y"');
  });

  it('reads Via: transport, host, port and parameters, IPv6 included', () => {
    expect(parseVia('SIP/2.0/udp 127.0.0.2:5070;branch=z9hG4bK-1-0;rport')).toEqual({
      transport: 'UDP', host: '127.0.0.2', port: 5070, params: new Map([['branch', 'z9hG4bK-1-0'], ['rport', '']]),
    });
    expect(parseVia('SIP / 2.0 / TCP [::1];branch=z9hG4bKa')).toEqual({ transport: 'TCP', host: '[::1]', port: undefined, params: new Map([['branch', 'z9hG4bKa']]) });
    for (const bad of ['SIP/2.0/UDP', 'SIP/2.0/UDP h:0', 'SIP/2.0/UDP h:70000', 'HTTP/1.1 h', 'SIP/2.0/UDP h;=x']) expect(parseVia(bad)).toBeUndefined();
  });

  it('splits lists and keeps quoted commas', () => {
    expect(splitList('a, "b, c" <sip:x>, <sip:y,z>,,')).toEqual(['a', '"b, c" <sip:x>', '<sip:y,z>']);
  });
});
