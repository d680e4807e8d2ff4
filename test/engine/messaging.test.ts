/** SendSms, SendEmail, SendMsg: handed to the outbox without blocking the call. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Outbox, OutboxMessage } from '../../src/engine/outbox.js';
import { harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

describe('messaging verbs', () => {
  it('SendSms, SendEmail and SendMsg reach the outbox and do not block the call', async () => {
    h = harness();
    await h.inbound({}, `<Response>
      <SendSms Recipient="+15550009" Sender="+15550008">Hello $Caller</SendSms>
      <SendEmail Recipient="ops@example.com" Subject="Alarm" Attachments="/a.wav; /b.wav" Sender="pbx@example.com">Body text</SendEmail>
      <SendMsg ToConnection="gmail_client_1@localhost" ToAddress="x@example.com">Hi there</SendMsg>
      <Beep/>
    </Response>`);
    expect(h.outbox.messages).toEqual([
      { kind: 'sms', recipient: '+15550009', sender: '+15550008', message: 'Hello +15550001', id: 'sms-1' },
      { kind: 'email', recipient: 'ops@example.com', sender: 'pbx@example.com', subject: 'Alarm', message: 'Body text', attachments: ['/a.wav', '/b.wav'], id: 'email-2' },
      { kind: 'msg', toConnection: 'gmail_client_1@localhost', toAddress: 'x@example.com', text: 'Hi there', id: 'msg-3' },
    ]);
    // The outbox hands back an id at once: message.sent comes before the verb is reported finished.
    expect(h.trace(['verb.started', 'verb.finished', 'message.sent', 'session.ended'])).toEqual([
      '0 SendSms', '0 sms sms-1 to +15550009', '0 SendSms → queued',
      '0 SendEmail', '0 email email-2 to ops@example.com', '0 SendEmail → queued',
      '0 SendMsg', '0 msg msg-3 to gmail_client_1@localhost', '0 SendMsg → queued',
      '0 Beep', '0.5 Beep → completed',
      '0.5 end normal',
    ]);
  });

  it('DeliveryReportURL hears SMSDeliveryReport with the SmsId once the outbox took the SMS', async () => {
    h = harness({ routes: { 'http://app.example/dlr': '<Response><Speak>ignored</Speak></Response>' } });
    await h.inbound({ from: '+15550001', to: '9000' }, '<Response><SendSms Recipient="+15550009" DeliveryReportURL="http://app.example/dlr">Hi</SendSms></Response>');
    expect(h.trace(['verb.finished', 'message.sent', 'notification.requested', 'session.ended'])).toEqual([
      '0 sms sms-1 to +15550009', '0 → SMSDeliveryReport http://app.example/dlr', '0 SendSms → queued', '0 end normal',
    ]);
    expect(h.source.deliveries).toEqual([{
      kind: 'send', name: 'SMSDeliveryReport', url: 'http://app.example/dlr', route: 'http://app.example/dlr',
      params: {
        NotificationName: 'SMSDeliveryReport', CallId: 'in-1', Caller: '+15550001', Callee: '9000', ApiExtension: '9000', CallState: 'InCall',
        Direction: 'Incoming', Timestamp: '1970-01-01T00:00:00.000Z', SmsId: 'sms-1', Recipient: '+15550009', DeliveryStatus: 'delivered',
      },
    }]);
    expect(h.outbox.messages[0]).toMatchObject({ deliveryReportUrl: 'http://app.example/dlr' });
  });

  it('the session reports its end only after a slow outbox has taken the message', async () => {
    let release!: () => void;
    const sent: OutboxMessage[] = [];
    const slow: Outbox = {
      send: (message) => new Promise((resolve) => {
        sent.push(message);
        release = () => resolve('slow-1');
      }),
    };
    h = harness({ engine: { outbox: slow } });
    const done = h.inbound({}, '<Response><SendMsg ToConnection="c">x</SendMsg></Response>');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.of('session.ended')).toEqual([]);
    release();
    const result = await done;
    expect(result.cause).toBe('normal');
    expect(h.trace(['message.sent', 'session.ended'])).toEqual(['0 msg slow-1 to c', '0 end normal']);
    expect(sent).toEqual([{ kind: 'msg', toConnection: 'c', text: 'x' }]);
  });

  it('an outbox failure is an error event; the call goes on', async () => {
    const broken: Outbox = { send: async () => { throw new Error('no SMS gateway'); } };
    h = harness({ engine: { outbox: broken } });
    await h.inbound({}, '<Response><SendSms Recipient="+15550009">x</SendSms><Beep/></Response>');
    expect(h.trace(['verb.finished', 'error', 'session.ended'])).toEqual([
      '0 error outbox-failed: no SMS gateway', '0 SendSms → queued', '0.5 Beep → completed', '0.5 end normal',
    ]);
  });
});
