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

/** Answers the caller, connects it to the number dialled, then tells the app about the call. */
export async function connectThirdParty({ engine, leg, call, notification, onCause }: ThirdPartyCall): Promise<void> {
  await leg.answer();
  const joined = await leg.singleStepConference(call.to, { callerId: 'caller' });
  if (joined.cause !== 'completed') return;
  const params = { CallState: leg.snapshot().names.ozeki ?? 'InCall', ...call.params };
  const handle = engine.start({ callId: leg.id, caller: call.from, callee: call.to, start: { url: call.url, notification, context: 'third-party', params } });
  onCause((await handle.done).cause);
}
