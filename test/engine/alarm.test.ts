/** Ademco Contact ID over DTMF: the codec, SendAlarmNotification and ReceiveAlarmNotification. */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeContactId, encodeContactId } from '../../src/engine/alarm/contact-id.js';
import type { ContactIdMessage } from '../../src/engine/alarm/contact-id.js';
import { harness } from './harness.js';
import type { Harness } from './harness.js';

/** The checksum rule, written independently: digit values (0 counts 10, hex B–F 11–15) sum to a multiple of 15. */
function checksumHolds(dtmf: string): boolean {
  const hex = [...dtmf].map((d) => ({ '*': 'B', '#': 'C', A: 'D', B: 'E', C: 'F' })[d] ?? d);
  const sum = hex.reduce((total, d) => total + (d === '0' ? 10 : parseInt(d, 16)), 0);
  return sum % 15 === 0;
}

describe('Contact ID codec', () => {
  it('encodes the textbook message: 1234 18 1 131 01 015, checksum 8', () => {
    // 1+2+3+4+1+8+1+1+3+1+10+1+10+1+5 = 52; the next multiple of 15 is 60.
    const dtmf = encodeContactId({ account: '1234', qualifier: 'NewEvent', eventCode: '131', partition: '01', zone: '015' });
    expect(dtmf).toBe('1234181131010158');
    expect(checksumHolds(dtmf)).toBe(true);
  });

  it('pads short fields, sends a checksum of 10 as 0 and of 15 as F (DTMF C)', () => {
    // 1111 18 1 110 01 008: sum 65 → checksum 10 → digit 0.
    expect(encodeContactId({ account: '1111', qualifier: 'NewEvent', eventCode: '110', partition: '1', zone: '8' })).toBe('1111181110010080');
    // 1111 18 1 110 01 003: sum 60 → checksum 15 → F, sent as DTMF C.
    expect(encodeContactId({ account: '1111', qualifier: 'NewEvent', eventCode: '110', partition: '1', zone: '3' })).toBe('111118111001003C');
  });

  it('maps hex account digits B–F to the DTMF keys * # A B C', () => {
    const dtmf = encodeContactId({ account: 'BCDE', qualifier: 'NewRestore', eventCode: '602', partition: '0', zone: '0' });
    expect(dtmf.slice(0, 7)).toBe('*#AB183');
    expect(checksumHolds(dtmf)).toBe(true);
  });

  it('round-trips every qualifier and many field values', () => {
    const qualifiers = ['NewEvent', 'NewRestore', 'StatusReport'] as const;
    for (let i = 0; i < 300; i++) {
      const message: ContactIdMessage = {
        account: String(1000 + ((i * 37) % 9000)),
        qualifier: qualifiers[i % 3]!,
        eventCode: String((i * 7) % 1000).padStart(3, '0'),
        partition: String(i % 100).padStart(2, '0'),
        zone: String((i * 13) % 1000).padStart(3, '0'),
      };
      const dtmf = encodeContactId(message);
      expect(dtmf).toHaveLength(16);
      expect(checksumHolds(dtmf)).toBe(true);
      expect(decodeContactId(dtmf)).toEqual({ ok: true, message });
    }
  });

  it('refuses bad input when decoding and encoding', () => {
    expect(decodeContactId('1234181131010159')).toEqual({ ok: false, reason: 'checksum mismatch' });
    expect(decodeContactId('123418113101015')).toEqual({ ok: false, reason: 'expected 16 digits, got 15' });
    expect(decodeContactId('123418113101015X')).toEqual({ ok: false, reason: 'invalid digit' });
    // Qualifier 2 with a checksum that holds.
    expect(decodeContactId('1234182131010157')).toEqual({ ok: false, reason: 'unknown event qualifier 2' });
    expect(() => encodeContactId({ account: '12', qualifier: 'NewEvent', eventCode: '1', partition: '1', zone: '1' })).toThrow(RangeError);
    expect(() => encodeContactId({ account: '1234', qualifier: 'NewEvent', eventCode: '1234', partition: '1', zone: '1' })).toThrow(RangeError);
  });
});

let h: Harness;
afterEach(async () => {
  await h?.dispose();
});

describe('SendAlarmNotification', () => {
  it('calls the receiver in the background, sends the message as DTMF and reports to ResultUrl', async () => {
    h = harness({ directory: { '101': { ringSeconds: 2 } }, routes: { 'http://app.example/alarm': '<Response/>' } });
    await h.inbound({}, `<Response>
      <SendAlarmNotification PhoneNumber="101" AccountNumber="1234" EventCode="131" PartitionNumber="1" ZoneNumber="15" ResultUrl="http://app.example/alarm"/>
      <Speak>Alarm sent.</Speak>
    </Response>`);
    await h.settle();
    expect(h.trace(['verb.finished', 'leg.state', 'dtmf.sent', 'alarm.sent', 'notification.requested', 'session.ended']).filter((l) => !l.includes('in-1'))).toEqual([
      '0 leg-1 Idle→Dialing',
      '0 SendAlarmNotification → placed',
      '1.3 Speak → completed',
      '1.3 end normal',
      '2 leg-1 Dialing→Established',
      '5.2 leg-1 sent 1234181131010158',
      '5.2 alarm to 101 1234181131010158 success',
      '5.2 → CallChanged http://app.example/alarm',
      '5.2 leg-1 Established→Released (normal)',
    ]);
    expect(h.sim.sentDtmf('leg-1')).toBe('1234181131010158');
    expect(h.of('leg.created').find((e) => e.legId === 'leg-1')).toMatchObject({ from: '9000', to: '101' });
    expect(h.source.deliveries[0]!.params).toMatchObject({ NotificationName: 'CallChanged', Result: 'success', PhoneNumber: '101' });
  });

  it('a receiver that does not answer is a failure', async () => {
    h = harness({ directory: { '101': { response: 'busy' } }, routes: { 'http://app.example/alarm': '<Response/>' } });
    await h.inbound({}, '<Response><SendAlarmNotification PhoneNumber="101" ApiExtension="9100" AccountNumber="1234" EventCode="110" PartitionNumber="1" ZoneNumber="1" ResultUrl="http://app.example/alarm"/><Delay>1</Delay></Response>');
    // 1234 18 1 110 01 001: sum 64 → checksum 11 = B, sent as DTMF *.
    expect(h.trace(['alarm.sent'])).toEqual(['0 alarm to 101 123418111001001* failure: busy']);
    expect(h.source.deliveries[0]!.params).toMatchObject({ Result: 'failure', Detail: 'busy', PhoneNumber: '101' });
    expect(h.of('leg.created').find((e) => e.legId === 'leg-1')).toMatchObject({ from: '9100' });
  });
});

describe('ReceiveAlarmNotification', () => {
  const RECEIVER = `<Response>
    <ReceiveAlarmNotification Timeout="30">
      <Received><SendEmail Recipient="ops@example.com" Subject="Alarm" Message="Account $account, $eventqualifier $eventcode $eventname, partition $partition, zone $zone"/></Received>
    </ReceiveAlarmNotification>
    <Speak>Bye.</Speak>
  </Response>`;

  it('decodes 16 digits, sets the alarm variables and runs Received', async () => {
    h = harness();
    const dtmf = encodeContactId({ account: '1234', qualifier: 'NewEvent', eventCode: '110', partition: '01', zone: '015' });
    await h.inbound({ behaviour: { presses: [{ digits: dtmf, gapSeconds: 0.1 }] } }, RECEIVER);
    // Digits from 1 s, one every 0.1 s: the 16th at 2.5 s.
    expect(h.trace(['verb.started', 'verb.finished', 'alarm.received', 'error', 'session.ended'])).toEqual([
      '0 ReceiveAlarmNotification',
      '2.5 alarm from 1234 event 110 zone 015',
      '2.5 SendEmail', '2.5 SendEmail → queued',
      '2.5 ReceiveAlarmNotification → received',
      '2.5 Speak', '3.4 Speak → completed',
      '3.4 end normal',
    ]);
    expect(h.outbox.messages).toEqual([{
      kind: 'email', recipient: 'ops@example.com', subject: 'Alarm', attachments: [], id: 'email-1',
      message: 'Account 1234, NewEvent 110 Fire, partition 01, zone 015',
    }]);
  });

  it('a wrong checksum is an error; Received does not run', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '1234181131010159', gapSeconds: 0.1 }] } }, RECEIVER);
    expect(h.trace(['verb.finished', 'error'])).toEqual([
      "2.5 error alarm-invalid: ReceiveAlarmNotification: checksum mismatch ('1234181131010159')",
      '2.5 ReceiveAlarmNotification → invalid',
      '3.4 Speak → completed',
    ]);
    expect(h.outbox.messages).toEqual([]);
  });

  it('Timeout bounds the whole message: digits that keep trickling in do not extend it', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '1234181131010158', gapSeconds: 2 }] } }, RECEIVER);
    expect(h.trace(['verb.finished', 'error'])).toEqual(['30 ReceiveAlarmNotification → timeout', '30.9 Speak → completed']);
  });
});
