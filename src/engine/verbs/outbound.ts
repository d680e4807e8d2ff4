/**
 * Verbs that place new calls. Call and CallSetup do not block (docs/engine.md); Request blocks while
 * its requested call is attempted and runs the On… block of every state the call reaches.
 */
import { InvalidOptionError } from '../../calls/errors.js';
import type { ProgramNode } from '../../language/index.js';
import type { Flow } from '../flow.js';
import { NEXT } from '../flow.js';
import { outcome } from '../verb.js';
import type { VerbExecutor } from '../verb.js';
import type { VerbScope } from '../runtime.js';
import { runOnLeg } from './other-leg.js';

export const call: VerbExecutor<'Call'> = async (_node, { values: a }, scope) => {
  const { session } = scope;
  // Run-time defaults (docs/verbs.md): the session's own extension, and its number as caller ID.
  const apiExtension = a.ApiExtension ?? session.identity.apiExtension;
  const displayName = a.CallerDisplayName;
  const errorUrl = a.ErrorUrl;
  const to = a.Dialled;
  const placing = session.services.startOutbound({
    sessionId: session.identity.id,
    to,
    from: a.CallerId ?? apiExtension,
    // Not given: the call is hung up when it is answered, as with an empty Url (docs/engine.md).
    url: a.Url ?? '',
    ringSeconds: a.RingTime,
    apiExtension,
    params: {},
    ...(scope.documentUrl ? { baseUrl: scope.documentUrl } : {}),
    ...(displayName ? { displayName } : {}),
    ...(errorUrl ? { errorUrl } : {}),
  });
  // The script does not wait; a call that is never answered is reported to ErrorUrl when it ends.
  void placing.then((result) => {
    if (result === 'answered' || result === 'cancelled') return;
    session.emit({ type: 'error', code: 'call-failed', message: `Call to ${to}: ${result}`, verb: 'Call' });
    session.sendError('call-failed', `${to}: ${result}`, errorUrl ?? session.services.errorUrl, scope.documentUrl);
  });
  return outcome('placed');
};

/**
 * Calls Caller (showing Callee's number); once it answers, connects it to Callee with a blind
 * transfer from the new leg. Callee sees Caller's number when the caller-ID policy allows it
 * (an owned number), otherwise a private number.
 */
export const callSetup: VerbExecutor<'CallSetup'> = async (_node, { values: a }, scope) => {
  const { session } = scope;
  const calls = session.services.calls;
  const caller = a.Caller;
  const callee = a.Callee;
  const ring = a.RingTime;
  const errorUrl = a.ErrorUrl;
  const fail = (detail: string) => {
    session.emit({ type: 'error', code: 'call-setup-failed', message: `CallSetup ${caller} → ${callee}: ${detail}`, verb: 'CallSetup' });
    session.sendError('call-setup-failed', detail, errorUrl ?? session.services.errorUrl, scope.documentUrl);
  };
  session.services.background(async (signal) => {
    const leg = calls.createChannel();
    try {
      const answered = await leg.dial(caller, { from: callee, timeoutSeconds: ring, signal });
      if (answered !== 'answered') return fail(`${caller}: ${answered}`);
      const transfer = (callerId: string) => leg.blindTransfer(callee, { callerId, timeoutSeconds: Math.min(ring, 300), signal });
      const result = await transfer(caller).catch((error: unknown) => {
        if (error instanceof InvalidOptionError && error.option === 'callerId') return transfer('private');
        throw error;
      });
      if (result.cause !== 'completed') fail(`${callee}: ${result.cause}`);
    } catch (error) {
      if (!signal.aborted) fail(error instanceof Error ? error.message : String(error));
    } finally {
      if (leg.can('hangup')) await leg.hangup(signal.aborted ? 'cancelled' : 'normal');
    }
  });
  return outcome('placed');
};

const OUTCOME_BLOCK: Readonly<Record<string, string>> = {
  busy: 'OnBusy', 'no-answer': 'OnNoAnswer', rejected: 'OnRejected', 'not-found': 'OnNotFound',
};

async function runOutcome(node: ProgramNode, name: string, scope: VerbScope): Promise<Flow> {
  const block = node.children.find((child) => child.name === name);
  return block ? scope.runBlock(block.children) : NEXT;
}

/**
 * Request: OnSetup runs once the call is placed, OnRinging when it alerts, then OnAnswered, or the
 * block of the failure (OnBusy, OnNoAnswer, OnRejected, OnNotFound; OnError when that block is
 * absent or for any other failure). OnAnswered talks to the answered party (media verbs act on the
 * requested call); the requested call is released after it, then OnCompleted runs. A block whose
 * flow is not `next` (GoTo, Hangup) ends the Request with that flow.
 */
export const request: VerbExecutor<'Request'> = async (node, { values: a }, scope) => {
  const { session } = scope;
  const leg = session.services.calls.createChannel();
  let onAlert: () => void = () => {};
  const alerting = new Promise<'alerting'>((resolve) => { onAlert = () => resolve('alerting'); });
  const stop = leg.subscribe((event) => {
    if (event.type === 'leg.alerting') onAlert();
  });
  try {
    // Run-time default: the number of the extension placing the call.
    const from = a.CallerPhoneNumber ?? a.ExtensionAddress ?? session.identity.apiExtension;
    const displayName = a.CallerDisplayName;
    const dialing = leg.dial(a.DialedAddress, {
      signal: scope.signal, timeoutSeconds: a.RingTime, from,
      ...(displayName ? { displayName } : {}),
    });
    dialing.catch(() => {}); // awaited below; this only keeps an early abort from being unhandled
    let flow = await runOutcome(node, 'OnSetup', scope);
    if (flow.kind !== 'next') return outcome('setup', flow);
    if ((await Promise.race([dialing.then(() => 'done' as const), alerting])) === 'alerting') {
      flow = await runOutcome(node, 'OnRinging', scope);
      if (flow.kind !== 'next') return outcome('ringing', flow);
    }
    const result = await dialing;
    if (result !== 'answered') {
      const name = OUTCOME_BLOCK[result] ?? 'OnError';
      const hasBlock = node.children.some((child) => child.name === name);
      return outcome(result, await runOutcome(node, hasBlock ? name : 'OnError', scope));
    }
    const answered = node.children.find((child) => child.name === 'OnAnswered');
    const ran = answered ? await runOnLeg(scope, leg, answered.children) : NEXT;
    if (leg.can('hangup')) await leg.hangup('normal');
    if (ran !== 'leg-ended' && ran.kind !== 'next') return outcome('answered', ran);
    return outcome('completed', await runOutcome(node, 'OnCompleted', scope));
  } finally {
    stop();
    if (leg.can('hangup')) await leg.hangup('cancelled').catch(() => {});
  }
};
