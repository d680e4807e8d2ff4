/**
 * Record. api-extension: blocks until the recording ends (Duration, Inactivity, a FinishDigit or
 * hangup), sets $RecordURL, and sends RecordCompleted to FinishedUrl (a reply with verbs replaces
 * the rest of the script). third-party: starts a background recording of the call (both directions:
 * on a two-party call, the conversation) and goes on; it lasts through hold and transfers until the
 * caller's party leaves. RecordCompleted is sent when it ends (its reply is not run: a third-party
 * script has no call to run it on).
 */
import { InvalidStateError } from '../../calls/errors.js';
import { end } from '../flow.js';
import { outcome } from '../verb.js';
import type { VerbExecutor } from '../verb.js';
import { callIdOf, legsOfCall, ownChannel } from './party.js';

export const record: VerbExecutor<'Record'> = async (_node, a, scope) => {
  const { session } = scope;
  const format = a.values.Format;
  const finishedUrl = a.values.FinishedUrl;
  if (a.context === 'third-party') {
    const { caller } = legsOfCall(scope, callIdOf(scope, a.values.CallId));
    // Refused up front (the verb reports the error); once running it only ends with the call.
    if (!caller.can('recordCall')) throw new InvalidStateError(caller.id, 'recordCall', caller.state, 'this call cannot be recorded now');
    session.services.background(async (closing) => {
      const recording = await caller.recordCall({ format, signal: closing });
      session.variables.set('RecordURL', recording.url);
      if (finishedUrl) {
        session.send('RecordCompleted', finishedUrl, {
          baseUrl: scope.documentUrl, params: { RecordURL: recording.url, Duration: String(recording.durationSeconds) },
        });
      }
    });
    return outcome('started');
  }
  const maxSeconds = a.values.Duration;
  const inactivity = a.values.Inactivity;
  const finishDigits = a.values.FinishDigits;
  // No abort signal: a caller hanging up ends the recording normally (voicemail), and the app
  // must still get RecordCompleted.
  const recording = await ownChannel(scope).record({
    format,
    ...(maxSeconds !== undefined ? { maxSeconds } : {}),
    ...(inactivity !== undefined ? { inactivitySeconds: inactivity } : {}),
    ...(finishDigits ? { finishDigits } : {}),
  });
  session.variables.set('RecordURL', recording.url);
  const params = { RecordURL: recording.url, Duration: String(recording.durationSeconds) };
  if (recording.endedBy === 'hangup') {
    if (finishedUrl) session.send('RecordCompleted', finishedUrl, { baseUrl: scope.documentUrl, params });
    return outcome('hangup', end('caller-hangup'));
  }
  if (!finishedUrl) return outcome(recording.endedBy);
  const reply = await session.fetch('RecordCompleted', finishedUrl, {
    baseUrl: scope.documentUrl, context: 'api-extension', params,
  });
  if (reply.kind === 'empty') return outcome(recording.endedBy);
  return outcome(recording.endedBy, { kind: 'replace', program: reply.program, url: reply.url });
};
