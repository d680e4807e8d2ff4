/**
 * Verbs that place new calls. Call and CallSetup do not block (design.md §4); Request blocks while
 * its requested call is attempted and runs the On… block of every state the call reaches.
 */
import type { ProgramNode } from '../../language/index.js';
import type { Flow } from '../flow.js';
import { NEXT } from '../flow.js';
import { outcome } from '../run.js';
import type { VerbExecutor } from '../run.js';
import type { VerbScope } from '../runtime.js';

export const call: VerbExecutor = async (_node, a, scope) => {
  const { session } = scope;
  const apiExtension = a.string('ApiExtension') ?? session.identity.apiExtension;
  const displayName = a.string('CallerDisplayName');
  const errorUrl = a.string('ErrorUrl');
  session.services.startOutbound({
    to: a.string('Dialled') ?? '',
    from: a.string('CallerId') ?? apiExtension,
    url: a.string('Url') ?? '',
    ringSeconds: a.number('RingTime') ?? 60,
    apiExtension,
    params: {},
    ...(scope.documentUrl ? { baseUrl: scope.documentUrl } : {}),
    ...(displayName ? { displayName } : {}),
    ...(errorUrl ? { errorUrl } : {}),
  });
  return outcome('placed');
};

/** Calls Caller; once it answers, connects it to Callee (a blind transfer from the new leg). */
export const callSetup: VerbExecutor = async (_node, a, scope) => {
  const { session } = scope;
  const calls = session.services.calls;
  const caller = a.string('Caller') ?? '';
  const callee = a.string('Callee') ?? '';
  const ring = a.number('RingTime') ?? 60;
  const errorUrl = a.string('ErrorUrl');
  const leg = calls.createChannel();
  const fail = (detail: string) => {
    session.emit({ type: 'error', code: 'call-setup-failed', message: `CallSetup ${caller} → ${callee}: ${detail}`, verb: 'CallSetup' });
    if (errorUrl) session.send('Error', errorUrl, { baseUrl: scope.documentUrl, params: { ErrorCode: 'call-setup-failed', ErrorUrl: errorUrl, Detail: detail } });
  };
  void (async () => {
    const answered = await leg.dial(caller, { from: callee, timeoutSeconds: ring });
    if (answered !== 'answered') return fail(`${caller}: ${answered}`);
    const result = await leg.blindTransfer(callee, { callerId: 'caller', timeoutSeconds: Math.min(ring, 300) });
    if (result.cause !== 'completed') {
      fail(`${callee}: ${result.cause}`);
      if (leg.can('hangup')) await leg.hangup('normal');
    }
  })().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
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
 * block of the failure (OnBusy, OnNoAnswer, OnRejected, OnNotFound, else OnError). An answered
 * request call is released after OnAnswered ran, then OnCompleted runs. A block whose flow is not
 * `next` (GoTo, Hangup) ends the Request with that flow.
 */
export const request: VerbExecutor = async (node, a, scope) => {
  const calls = scope.session.services.calls;
  const leg = calls.createChannel();
  let onAlert: () => void = () => {};
  const alerting = new Promise<'alerting'>((resolve) => { onAlert = () => resolve('alerting'); });
  const stop = leg.subscribe((event) => {
    if (event.type === 'leg.alerting') onAlert();
  });
  try {
    const from = a.string('CallerPhoneNumber');
    const displayName = a.string('CallerDisplayName');
    const dialing = leg.dial(a.string('DialedAddress') ?? '', {
      signal: scope.signal, timeoutSeconds: a.number('RingTime') ?? 120,
      ...(from ? { from } : {}), ...(displayName ? { displayName } : {}),
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
    flow = await runOutcome(node, 'OnAnswered', scope);
    if (leg.can('hangup')) await leg.hangup('normal');
    if (flow.kind !== 'next') return outcome('answered', flow);
    return outcome('completed', await runOutcome(node, 'OnCompleted', scope));
  } finally {
    stop();
    if (leg.can('hangup')) await leg.hangup('cancelled').catch(() => {});
  }
};
