/** Ademco Contact ID alarms over DTMF: SendAlarmNotification places a call, ReceiveAlarmNotification listens. */
import { LinkedAbort } from '../../calls/abort.js';
import type { DigitsResult } from '../../calls/digits.js';
import { decodeContactId, encodeContactId, EVENT_NAMES } from '../alarm/contact-id.js';
import { outcome } from '../verb.js';
import type { VerbExecutor } from '../verb.js';
import { ownChannel } from './party.js';

/** Seconds the receiver may ring before the alarm counts as not delivered. */
export const ALARM_RING_SECONDS = 60;

/**
 * Non-blocking: the alarm call runs on its own leg in the background. ResultUrl hears a CallChanged
 * notification with `Result=success|failure` (and `Detail` on failure) once the message is sent.
 */
export const sendAlarmNotification: VerbExecutor<'SendAlarmNotification'> = async (_node, { values: a }, scope) => {
  const { session } = scope;
  const to = a.PhoneNumber;
  const resultUrl = a.ResultUrl;
  const dtmf = encodeContactId({
    account: a.AccountNumber,
    qualifier: a.EventQualifier,
    eventCode: a.EventCode,
    partition: a.PartitionNumber,
    zone: a.ZoneNumber,
  });
  const finish = (result: 'success' | 'failure', detail?: string) => {
    session.emit({ type: 'alarm.sent', to, dtmf, result: detail ? `${result}: ${detail}` : result });
    if (resultUrl) {
      session.send('CallChanged', resultUrl, {
        baseUrl: scope.documentUrl, params: { Result: result, PhoneNumber: to, ...(detail ? { Detail: detail } : {}) },
      });
    }
  };
  session.services.background(async (signal) => {
    const leg = session.services.calls.createChannel();
    try {
      const answered = await leg.dial(to, {
        // Run-time default: the extension of the session.
        from: a.ApiExtension ?? session.identity.apiExtension, timeoutSeconds: ALARM_RING_SECONDS, signal,
      });
      if (answered !== 'answered') return finish('failure', answered);
      await leg.sendDtmf(dtmf, { signal });
      finish('success');
    } catch (error) {
      if (!signal.aborted) finish('failure', error instanceof Error ? error.message : String(error));
    } finally {
      if (leg.can('hangup')) await leg.hangup(signal.aborted ? 'cancelled' : 'normal');
    }
  });
  return outcome('placed');
};

/** Abort reason when the Timeout for the whole message runs out. */
const TIMED_OUT = Object.freeze({ name: 'AlarmTimeout' });

/**
 * Waits up to Timeout seconds (for the whole message) for 16 Contact ID digits; on a valid checksum
 * sets $account, $eventqualifier, $eventcode, $eventname, $partition, $zone and runs <Received>.
 */
export const receiveAlarmNotification: VerbExecutor<'ReceiveAlarmNotification'> = async (node, { values: a }, scope) => {
  const { session } = scope;
  const clock = session.services.clock;
  const seconds = a.Timeout;
  const deadline = new LinkedAbort(scope.signal);
  const timer = clock.setTimer(seconds * 1000, () => deadline.abort(TIMED_OUT), 'alarm-timeout');
  let result: DigitsResult;
  try {
    result = await ownChannel(scope).collectDigits({
      exact: 16, terminator: null, signal: deadline.signal, firstDigitTimeoutSeconds: seconds, interDigitTimeoutSeconds: seconds,
    });
  } catch (error) {
    if (!scope.signal.aborted && deadline.signal.reason === TIMED_OUT) return outcome('timeout');
    throw error;
  } finally {
    clock.clearTimer(timer);
    deadline.dispose();
  }
  if (result.endedBy === 'timeout') return outcome('timeout');
  const decoded = decodeContactId(result.digits);
  if (!decoded.ok) {
    session.emit({ type: 'error', code: 'alarm-invalid', message: `ReceiveAlarmNotification: ${decoded.reason} ('${result.digits}')`, verb: 'ReceiveAlarmNotification' });
    return outcome('invalid');
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
