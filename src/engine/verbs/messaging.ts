/** SendSms, SendEmail, SendMsg: handed to the outbox; the call does not wait for delivery. */
import type { OutboxMessage } from '../outbox.js';
import { outcome } from '../verb.js';
import type { VerbExecutor } from '../verb.js';
import type { VerbScope } from '../runtime.js';

function dispatch(scope: VerbScope, message: OutboxMessage, to: string, after?: (id: string) => void): void {
  const { session } = scope;
  // Real I/O (a gateway) must not let virtual time jump; the session's end report waits for it.
  const release = session.services.clock.hold();
  const handOver = session.services.outbox.send(message, {}).then(
    (id) => {
      session.emit({ type: 'message.sent', kind: message.kind, id, to });
      after?.(id);
    },
    (error: unknown) => session.emit({ type: 'error', code: 'outbox-failed', message: error instanceof Error ? error.message : String(error) }),
  ).finally(release);
  session.track(handOver);
}

export const sendSms: VerbExecutor<'SendSms'> = async (_node, { values: a }, scope) => {
  const recipient = a.Recipient;
  const report = a.DeliveryReportURL;
  const sender = a.Sender;
  dispatch(scope, {
    kind: 'sms', recipient, message: a.Message,
    ...(sender ? { sender } : {}), ...(report ? { deliveryReportUrl: report } : {}),
  }, recipient, (id) => {
    if (report) scope.session.send('SMSDeliveryReport', report, { baseUrl: scope.documentUrl, params: { SmsId: id, Recipient: recipient, DeliveryStatus: 'delivered' } });
  });
  return outcome('queued');
};

export const sendEmail: VerbExecutor<'SendEmail'> = async (_node, { values: a }, scope) => {
  const recipient = a.Recipient;
  const sender = a.Sender;
  const subject = a.Subject;
  const message = a.Message;
  dispatch(scope, {
    kind: 'email', recipient,
    attachments: a.Attachments === undefined ? [] : a.Attachments.split(';').map((s) => s.trim()).filter(Boolean),
    ...(sender ? { sender } : {}), ...(subject ? { subject } : {}), ...(message ? { message } : {}),
  }, recipient);
  return outcome('queued');
};

export const sendMsg: VerbExecutor<'SendMsg'> = async (_node, { values: a }, scope) => {
  const toConnection = a.ToConnection;
  const toAddress = a.ToAddress;
  dispatch(scope, { kind: 'msg', toConnection, text: a.Text, ...(toAddress ? { toAddress } : {}) }, toConnection);
  return outcome('queued');
};
