/** checkValue: every attribute type of the verb table, and values staying strings unless typed otherwise. */
import { describe, expect, it } from 'vitest';
import { checkValue, compileDocument } from '../../src/language/index.js';
import type { AttributeType } from '../../src/language/index.js';

const ok = (value: unknown) => ({ ok: true, value });
const bad = (message: string) => ({ ok: false, message });

describe('checkValue', () => {
  it('string: kept as written (trimmed), never converted to a number', () => {
    const type: AttributeType = { kind: 'string' };
    expect(checkValue(type, '+15551234567')).toEqual(ok('+15551234567'));
    expect(checkValue(type, '0123')).toEqual(ok('0123'));
    expect(checkValue(type, '007')).toEqual(ok('007'));
    expect(checkValue(type, '  John Smith ')).toEqual(ok('John Smith'));
    expect(checkValue(type, '   ')).toEqual(bad('must not be empty'));
  });

  it('string with allowEmpty keeps the raw text, spaces included', () => {
    expect(checkValue({ kind: 'string', allowEmpty: true }, '')).toEqual(ok(''));
    expect(checkValue({ kind: 'string', allowEmpty: true }, ' a b ')).toEqual(ok(' a b '));
  });

  it('string with a pattern', () => {
    const type: AttributeType = { kind: 'string', pattern: /^[0-9]{1,3}$/, patternHint: '1 to 3 digits' };
    expect(checkValue(type, '007')).toEqual(ok('007'));
    expect(checkValue(type, '1100')).toEqual(bad('must be 1 to 3 digits'));
  });

  it('integer: whole numbers within the range', () => {
    const type: AttributeType = { kind: 'integer', min: 1, max: 300 };
    expect(checkValue(type, '30')).toEqual(ok(30));
    expect(checkValue(type, ' 007 ')).toEqual(ok(7));
    expect(checkValue(type, '+5')).toEqual(ok(5));
    expect(checkValue(type, '1')).toEqual(ok(1));
    expect(checkValue(type, '300')).toEqual(ok(300));
    expect(checkValue(type, '0')).toEqual(bad('must be at least 1'));
    expect(checkValue(type, '301')).toEqual(bad('must be at most 300'));
    expect(checkValue(type, '-1')).toEqual(bad('must be at least 1'));
    expect(checkValue(type, '1.5')).toEqual(bad('must be a whole number'));
    expect(checkValue(type, 'ten')).toEqual(bad('must be a whole number'));
    expect(checkValue(type, '')).toEqual(bad('must be a whole number'));
    expect(checkValue(type, '1e2')).toEqual(bad('must be a whole number'));
  });

  it('boolean: true/false in any letter case', () => {
    const type: AttributeType = { kind: 'boolean' };
    expect(checkValue(type, 'true')).toEqual(ok(true));
    expect(checkValue(type, 'TRUE')).toEqual(ok(true));
    expect(checkValue(type, ' False ')).toEqual(ok(false));
    for (const raw of ['yes', '1', '0', 'on', '']) expect(checkValue(type, raw)).toEqual(bad('must be true or false'));
  });

  it('enum: matched case-insensitively and canonicalised', () => {
    const type: AttributeType = { kind: 'enum', values: ['caller', 'callee', 'all'] };
    expect(checkValue(type, 'ALL')).toEqual(ok('all'));
    expect(checkValue(type, 'Caller')).toEqual(ok('caller'));
    expect(checkValue(type, 'everyone')).toEqual(bad('must be one of caller, callee, all'));
    expect(checkValue({ kind: 'enum', values: ['NewEvent', 'NewRestore'] }, 'newrestore')).toEqual(ok('NewRestore'));
  });

  it('url: http(s) and relative URLs; not other schemes, not white space', () => {
    const type: AttributeType = { kind: 'url' };
    expect(checkValue(type, 'https://app.example.com/ivr?x=1&y=2')).toEqual(ok('https://app.example.com/ivr?x=1&y=2'));
    expect(checkValue(type, '/ozml/next')).toEqual(ok('/ozml/next'));
    expect(checkValue(type, 'file:///var/ozml/prompts/hello.wav')).toEqual(ok('file:///var/ozml/prompts/hello.wav'));
    expect(checkValue(type, 'prompts/menu.wav')).toEqual(ok('prompts/menu.wav'));
    expect(checkValue(type, 'ftp://files.example.com/a')).toEqual(bad('must be an http, https or file URL or a relative path, not ftp:'));
    expect(checkValue(type, 'mailto:a@example.com')).toEqual(bad('must be an http, https or file URL or a relative path, not mailto:'));
    expect(checkValue(type, 'http://example.com/a b')).toEqual(bad('must be a URL (it contains white space)'));
    expect(checkValue(type, 'http://[::1')).toEqual(bad('must be a URL'));
    expect(checkValue(type, '')).toEqual(bad('must not be empty'));
    expect(checkValue({ kind: 'url', allowEmpty: true }, '')).toEqual(ok(''));
  });

  it('dtmf: keys 0-9 * # A-D, upper-cased, with an optional length cap', () => {
    expect(checkValue({ kind: 'dtmf' }, '0123456789*#abcd')).toEqual(ok('0123456789*#ABCD'));
    expect(checkValue({ kind: 'dtmf' }, '007')).toEqual(ok('007'));
    expect(checkValue({ kind: 'dtmf' }, '12E')).toEqual(bad('must be DTMF keys (0-9, *, #, A-D)'));
    expect(checkValue({ kind: 'dtmf' }, '1 2')).toEqual(bad('must be DTMF keys (0-9, *, #, A-D)'));
    expect(checkValue({ kind: 'dtmf' }, '')).toEqual(bad('must be DTMF keys (0-9, *, #, A-D)'));
    expect(checkValue({ kind: 'dtmf', maxLength: 3 }, '1234')).toEqual(bad('must be at most 3 keys'));
  });

  it('dtmf-key: exactly one key', () => {
    expect(checkValue({ kind: 'dtmf-key' }, '*')).toEqual(ok('*'));
    expect(checkValue({ kind: 'dtmf-key' }, 'd')).toEqual(ok('D'));
    expect(checkValue({ kind: 'dtmf-key' }, '**')).toEqual(bad('must be one DTMF key (0-9, *, #, A-D)'));
    expect(checkValue({ kind: 'dtmf-key' }, 'x')).toEqual(bad('must be one DTMF key (0-9, *, #, A-D)'));
  });

  it('address: phone numbers stay strings with their + and leading zeros; extensions, SIP URIs, user@host', () => {
    const type: AttributeType = { kind: 'address' };
    for (const raw of ['+15551234567', '0123', '007', '1001', '*72#', 'sip:bob@pbx.example.com', 'tel:+15551234567', '102@localhost', 'voipservice1']) {
      expect(checkValue(type, raw)).toEqual(ok(raw));
    }
    for (const raw of ['call me', '+1 555 123', 'a,b', '<1001>']) {
      expect(checkValue(type, raw)).toEqual(bad('must be a phone number, extension or SIP address'));
    }
    expect(checkValue(type, '')).toEqual(bad('must not be empty'));
    expect(checkValue({ kind: 'address', allowEmpty: true }, '')).toEqual(ok(''));
  });

  it('caller-id: private, caller (any case) or a phone number, nothing else (not everyone, an extension name or a SIP URI)', () => {
    expect(checkValue({ kind: 'caller-id' }, 'PRIVATE')).toEqual(ok('private'));
    expect(checkValue({ kind: 'caller-id' }, 'Caller')).toEqual(ok('caller'));
    expect(checkValue({ kind: 'caller-id' }, '+15550001111')).toEqual(ok('+15550001111'));
    expect(checkValue({ kind: 'caller-id' }, '+1 (555) 000-1111')).toEqual(ok('+1 (555) 000-1111'));
    expect(checkValue({ kind: 'caller-id' }, '')).toEqual(bad('must be private, caller or a phone number'));
    expect(checkValue({ kind: 'caller-id' }, 'the boss')).toEqual(bad('must be private, caller or a phone number'));
    expect(checkValue({ kind: 'caller-id' }, 'everyone')).toEqual(bad('must be private, caller or a phone number'));
    expect(checkValue({ kind: 'caller-id' }, 'sip:1001@pbx.example.com')).toEqual(bad('must be private, caller or a phone number'));
    expect(checkValue({ kind: 'caller-id' }, '1')).toEqual(bad('must be private, caller or a phone number'));
  });

  it('phone-number: 2 to 15 digits with an optional leading +, punctuation aside (Route CallerId)', () => {
    const type: AttributeType = { kind: 'phone-number' };
    const refused = bad('must be a phone number (digits with an optional leading +)');
    expect(checkValue(type, ' +3611111111 ')).toEqual(ok('+3611111111'));
    expect(checkValue(type, '(06) 1-111.1111')).toEqual(ok('(06) 1-111.1111'));
    expect(checkValue(type, '12')).toEqual(ok('12'));
    expect(checkValue(type, '1'.repeat(15))).toEqual(ok('1'.repeat(15)));
    expect(checkValue(type, '1'.repeat(16))).toEqual(refused);
    expect(checkValue(type, '1')).toEqual(refused);
    expect(checkValue(type, 'reception')).toEqual(refused);
    expect(checkValue(type, '1+2')).toEqual(refused);
    expect(checkValue(type, '')).toEqual(refused);
  });

  it('enum aliases map to a listed value: WhisperLocale en is en_US, en-GB is en_UK; unknown spellings are still refused', () => {
    const type: AttributeType = { kind: 'enum', values: ['en_US', 'en_UK', 'fr'], aliases: { en: 'en_US', 'en-gb': 'en_UK' } };
    expect(checkValue(type, 'en')).toEqual(ok('en_US'));
    expect(checkValue(type, 'EN')).toEqual(ok('en_US'));
    expect(checkValue(type, 'en-GB')).toEqual(ok('en_UK'));
    expect(checkValue(type, 'FR')).toEqual(ok('fr'));
    expect(checkValue(type, 'english')).toEqual(bad('must be one of en_US, en_UK, fr'));
  });

  it('the catalogue accepts WhisperLocale="en" (Bandwidth\'s own example) and compiles it to en_US', () => {
    const result = compileDocument('<Response><BlindTransfer Whisper="Hello" WhisperLocale="en">2000</BlindTransfer></Response>');
    expect(result.diagnostics).toEqual([]);
    expect(result.program!.instructions[0]!.attributes['WhisperLocale']).toEqual({
      kind: 'literal', value: 'en_US', origin: 'written', range: { line: 1, column: 57, endLine: 1, endColumn: 59 },
    });
  });

  it('identifier: letters, digits and _, not starting with a digit', () => {
    expect(checkValue({ kind: 'identifier' }, 'sampleArray')).toEqual(ok('sampleArray'));
    expect(checkValue({ kind: 'identifier' }, '_x1')).toEqual(ok('_x1'));
    for (const raw of ['1st', 'a-b', 'a.b', '', '$x']) {
      expect(checkValue({ kind: 'identifier' }, raw)).toEqual(bad('must be a name of letters, digits and _ (not starting with a digit)'));
    }
  });

  it('tone: built-in names plus the tones of the config, canonicalised', () => {
    expect(checkValue({ kind: 'tone' }, 'Ringback-UK')).toEqual(ok('ringback-uk'));
    expect(checkValue({ kind: 'tone' }, 'chime')).toEqual(bad('must be a tone name: ringback-us, ringback-uk, ringback-eu, busy, beep, none'));
    expect(checkValue({ kind: 'tone' }, 'CHIME', { tones: ['chime'] })).toEqual(ok('chime'));
  });

  it('service: any name without a config; checked against the registered services with one', () => {
    expect(checkValue({ kind: 'service' }, 'payments')).toEqual(ok('payments'));
    expect(checkValue({ kind: 'service' }, '')).toEqual(bad('must not be empty'));
    expect(checkValue({ kind: 'service' }, 'PAYMENTS', { services: ['payments'] })).toEqual(ok('payments'));
    expect(checkValue({ kind: 'service' }, 'billing', { services: ['payments', 'survey'] })).toEqual(bad('is not a registered service (payments, survey)'));
    expect(checkValue({ kind: 'service' }, 'billing', { services: [] })).toEqual(bad('is not a registered service (none registered)'));
  });

  it('language: culture codes', () => {
    for (const raw of ['en-US', 'en-UK', 'pt_BR', 'hu', 'zh-Hant-TW']) expect(checkValue({ kind: 'language' }, raw)).toEqual(ok(raw));
    for (const raw of ['english', 'e', 'en US', '']) expect(checkValue({ kind: 'language' }, raw)).toEqual(bad('must be a language code such as en-US'));
  });
});

describe('values in compiled programs', () => {
  it('phone numbers, keys and codes written with + or leading zeros stay strings', () => {
    const result = compileDocument(`<Response>
  <SendSms Recipient="+062554670" Sender="007">0123</SendSms>
  <Var ID="pin">0042</Var>
  <SendAlarmNotification PhoneNumber="0123" AccountNumber="0012" EventCode="007" PartitionNumber="01" ZoneNumber="010"/>
</Response>`);
    expect(result.diagnostics).toEqual([]);
    const values = result.program!.instructions.map((n) => Object.fromEntries(Object.entries(n.attributes).map(([k, v]) => [k, v.kind === 'literal' ? v.value : v.template])));
    expect(values).toEqual([
      { Recipient: '+062554670', Sender: '007', Message: '0123' },
      { ID: 'pin', Value: '0042' },
      { PhoneNumber: '0123', AccountNumber: '0012', EventCode: '007', PartitionNumber: '01', ZoneNumber: '010', EventQualifier: 'NewEvent' },
    ]);
  });

  it('integers and booleans are converted; enums are canonicalised', () => {
    const result = compileDocument('<Response><Speak Party="ALL">x</Speak><Play Party="Callee" Repeat="TRUE" Timeout="007">a.wav</Play></Response>', { context: 'third-party' });
    expect(result.diagnostics).toEqual([]);
    const [speak, play] = result.program!.instructions;
    const written = (value: unknown, column: number, endColumn: number) =>
      ({ kind: 'literal', value, origin: 'written', range: { line: 1, column, endLine: 1, endColumn } });
    expect(speak!.attributes.Party).toEqual(written('all', 25, 28));
    expect(play!.attributes.Party).toEqual(written('callee', 52, 58));
    expect(play!.attributes.Repeat).toEqual(written(true, 68, 72));
    expect(play!.attributes.Timeout).toEqual(written(7, 83, 86));
  });
});
