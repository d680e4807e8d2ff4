/** Ademco Contact ID alarms over DTMF: SendAlarmNotification places a call, ReceiveAlarmNotification listens. */
import { decodeContactId, encodeContactId, EVENT_NAMES } from '../alarm/contact-id.js';
import type { EventQualifier } from '../alarm/contact-id.js';
import { outcome } from '../run.js';
import type { VerbExecutor } from '../run.js';
import { ownChannel } from './party.js';

/** Non-blocking: the alarm call runs on its own leg; ResultUrl hears Result=success|failure. */
export const sendAlarmNotification: VerbExecutor = async (_node, a, scope) => {
  const { session } = scope;
  const to = a.string('PhoneNumber') ?? '';
  const resultUrl = a.string('ResultUrl');
  const dtmf = encodeContactId({
    account: a.string('AccountNumber') ?? '',
    qualifier: (a.string('EventQualifier') ?? 'NewEvent') as EventQualifier,
    eventCode: a.string('EventCode') ?? '',
    partition: a.string('PartitionNumber') ?? '',
    zone: a.string('ZoneNumber') ?? '',
  });
  const leg = session.services.calls.createChannel();
  const finish = (result: string) => {
    session.emit({ type: 'alarm.sent', to, dtmf, result });
    if (resultUrl) session.send('CallChanged', resultUrl, { baseUrl: scope.documentUrl, params: { Result: result, PhoneNumber: to } });
  };
  void (async () => {
    const answered = await leg.dial(to, { from: a.string('ApiExtension') ?? session.identity.apiExtension, timeoutSeconds: 60 });
    if (answered !== 'answered') return finish(`failure: ${answered}`);
    await leg.sendDtmf(dtmf);
    if (leg.can('hangup')) await leg.hangup('normal');
    finish('success');
  })().catch((error: unknown) => finish(`failure: ${error instanceof Error ? error.message : String(error)}`));
  return outcome('placed');
};

/** Waits for one 16-digit message; on a valid checksum sets the alarm variables and runs <Received>. */
export const receiveAlarmNotification: VerbExecutor = async (node, a, scope) => {
  const { session } = scope;
  const result = await ownChannel(scope).collectDigits({
    exact: 16, terminator: null, signal: scope.signal, firstDigitTimeoutSeconds: a.number('Timeout') ?? 60, interDigitTimeoutSeconds: 5,
  });
  const decoded = decodeContactId(result.digits);
  if (!decoded.ok) {
    session.emit({ type: 'error', code: 'alarm-invalid', message: `ReceiveAlarmNotification: ${decoded.reason} ('${result.digits}')`, verb: 'ReceiveAlarmNotification' });
    return outcome(result.digits ? 'invalid' : 'timeout');
  }
  const m = decoded.message;
  const vars = session.variables;
  vars.set('account', m.account);
  vars.set('eventqualifier', m.qualifier);
  vars.set('eventcode', m.eventCode);
  vars.set('eventname', EVENT_NAMES[m.eventCode] ?? `Event ${m.eventCode}`);
  vars.set('partition', m.partition);
  vars.set('zone', m.zone);
  session.emit({ type: 'alarm.received', account: m.account, eventCode: m.eventCode, zone: m.zone });
  const received = node.children.find((child) => child.name === 'Received');
  return outcome('received', received ? await scope.runBlock(received.children) : undefined);
};
