/**
 * Third-party calls: a call the platform connects by itself, with no API extension in it; the app
 * hears about it (the third-party document context) and acts on it by call id. docs/platform.md.
 */
import type { CallChannel } from '../calls/channel.js';
import type { Engine, EndCause } from '../engine/index.js';
import type { NotificationName } from '../webhooks/script-source.js';

export interface ThirdPartyCall {
  engine: Engine;
  leg: CallChannel;
  call: { from: string; to: string; url: string; params: Readonly<Record<string, string>> };
  notification: NotificationName;
  onCause: (cause: EndCause) => void;
}

/**
 * Answers the caller, connects it to the number dialled, then tells the app about the call
 * (CallChanged, CallState InCall). With `IncomingCall` the app hears first, while the call still
 * rings (CallState Ringing), as an Ozeki app does: it may Forward or Reject it then; a call its
 * document left ringing is connected to the number dialled, with no second notification.
 */
export async function connectThirdParty({ engine, leg, call, notification, onCause }: ThirdPartyCall): Promise<void> {
  if (notification === 'IncomingCall') {
    const params = { CallState: leg.snapshot().names.ozeki ?? 'Ringing', ...call.params };
    const handle = engine.start({ callId: leg.id, caller: call.from, callee: call.to, start: { url: call.url, notification, context: 'third-party', params } });
    onCause((await handle.done).cause);
    if (leg.can('answer')) await connect(leg, call.to);
    return;
  }
  if (!(await connect(leg, call.to))) return;
  const params = { CallState: leg.snapshot().names.ozeki ?? 'InCall', ...call.params };
  const handle = engine.start({ callId: leg.id, caller: call.from, callee: call.to, start: { url: call.url, notification, context: 'third-party', params } });
  onCause((await handle.done).cause);
}

/** The platform's own part: answer the caller and join the number dialled. True when they talk. */
async function connect(leg: CallChannel, to: string): Promise<boolean> {
  await leg.answer();
  return (await leg.singleStepConference(to, { callerId: 'caller' })).cause === 'completed';
}
