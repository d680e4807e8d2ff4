/**
 * Model-based test over the transfer flows at the verb level. fast-check draws a transfer kind and
 * the behaviour of everyone involved — target response and ring time, when the target and the
 * caller hang up, ring and transfer timeouts, accepting or declining, how long the service takes to
 * answer and to finish — so hangups and timeouts interleave at random virtual times. After each run:
 * - the caller ended connected to the target (transferred), or was retrieved (Established, and the
 *   script went on with $TransferCause), or hung up;
 * - $TransferCause, the verb's result and the caller's `transfer.ended` agree, in one vocabulary;
 * - every published capability set was true (nothing once Released, Retrieve only while Held,
 *   CompleteTransfer/SwapCalls only on a consult leg while its consultation exists, Answer only
 *   while Ringing, a Transferred leg can only hang up);
 * - every session ended by itself; once the test hangs up the calls transfers handed off, no leg,
 *   hand-off or timer is left.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { CallResponse, PartyBehaviour } from '../../src/calls/sim/directory.js';
import { TRANSFER_CAUSES } from '../../src/calls/transfer-causes.js';
import type { EngineEvent } from '../../src/engine/engine.js';
import { world, type World } from './harness.js';

type Kind = 'blind' | 'attended' | 'service';

interface Case {
  kind: Kind;
  response: CallResponse;
  ringSeconds: number;
  targetHangupAfter: number | undefined;
  callerHangupAt: number | undefined;
  /** Ring timeout (BlindTransfer, AttendedTransfer) or transfer timeout (TransferToService, 0 = none). */
  timeout: number;
  whisper: boolean;
  consultBlock: boolean;
  acceptKey: boolean;
  /** What the target presses when asked for the accept key. */
  press: '5' | '7' | undefined;
  serviceAnswersAfter: number;
  serviceLasts: number;
  serviceRejects: boolean;
}

const seconds = (max: number) => fc.integer({ min: 0, max });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const CASE: fc.Arbitrary<Case> = fc.record({
  kind: fc.constantFrom<Kind>('blind', 'attended', 'service'),
  response: fc.constantFrom<CallResponse>('answer', 'answer', 'answer', 'busy', 'no-answer', 'reject', 'not-found'),
  ringSeconds: seconds(30),
  targetHangupAfter: maybe(fc.integer({ min: 1, max: 30 })),
  callerHangupAt: maybe(fc.integer({ min: 1, max: 60 })),
  timeout: fc.integer({ min: 0, max: 40 }),
  whisper: fc.boolean(),
  consultBlock: fc.boolean(),
  acceptKey: fc.boolean(),
  press: fc.constantFrom<Case['press']>('5', '5', '7', undefined),
  serviceAnswersAfter: seconds(30),
  serviceLasts: fc.integer({ min: 1, max: 30 }),
  serviceRejects: fc.boolean(),
});

function scriptOf(c: Case): string {
  const ring = Math.max(1, c.timeout);
  const verb =
    c.kind === 'blind'
      ? `<BlindTransfer Timeout="${ring}"${c.whisper ? ' Whisper="Call for you."' : ''}>2000</BlindTransfer>`
      : c.kind === 'attended'
        ? `<AttendedTransfer Target="2000" Timeout="${ring}"${c.acceptKey ? ' AcceptKey="5"' : ''}>${c.consultBlock ? '<Consult><Speak>Ann is waiting.</Speak></Consult>' : ''}</AttendedTransfer>`
        : `<TransferToService Service="desk" Timeout="${c.timeout}"/>`;
  return `<Response>${verb}<Var ID="cause" Value="$TransferCause"/><Speak>After.</Speak></Response>`;
}

function worldOf(c: Case): World {
  const target: PartyBehaviour = {
    response: c.response,
    ringSeconds: c.ringSeconds,
    ...(c.targetHangupAfter === undefined ? {} : { hangupAfterSeconds: c.targetHangupAfter }),
    ...(c.press === undefined ? {} : { presses: [{ digits: c.press }] }),
  };
  const service = c.serviceRejects ? '<Response><Reject/></Response>' : `<Response><Delay Time="${c.serviceLasts}"/></Response>`;
  return world({
    directory: { '2000': target },
    services: { desk: 'http://services.example/desk' },
    routes: { 'http://services.example/desk': { ozml: service, delayMs: c.serviceAnswersAfter * 1000 } },
  });
}

const TRANSFER_VERBS = ['BlindTransfer', 'AttendedTransfer', 'TransferToService'];
const USER_DATA = ['AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair'];

/** Every capability set published was true for the leg's situation at that moment. */
function checkCapabilities(events: readonly EngineEvent[]): void {
  const callType = new Map<string, string>();
  const consulting = new Set<string>();
  for (const e of events) {
    if (e.type === 'leg.created') callType.set(e.legId, e.callType);
    if (e.type === 'transfer.started' && e.kind === 'consult' && e.targetLegId) consulting.add(e.targetLegId);
    if (e.type === 'transfer.ended' && e.kind === 'consult' && e.targetLegId) consulting.delete(e.targetLegId);
    if (e.type !== 'leg.state' && e.type !== 'leg.capabilities') continue;
    const where = `${e.legId} ${e.state} at ${e.time}: ${e.capabilities.join(',')}`;
    const has = (c: string): boolean => (e.capabilities as readonly string[]).includes(c);
    if (e.state === 'Released') expect(e.capabilities, where).toEqual([]);
    else expect(USER_DATA.every(has), where).toBe(true);
    expect(has('Retrieve'), where).toBe(e.state === 'Held' && !consulting.has(e.legId));
    expect(has('Answer'), where).toBe(e.state === 'Ringing');
    expect(has('Hangup'), where).toBe(e.state !== 'Ringing' && e.state !== 'Released');
    if (has('CompleteTransfer') || has('SwapCalls')) {
      expect(callType.get(e.legId), where).toBe('Consult');
      expect(consulting.has(e.legId), where).toBe(true);
    }
    if (e.state === 'Transferred') expect(e.capabilities, where).toEqual(['Hangup', ...USER_DATA]);
  }
  expect([...consulting], 'consultations left open').toEqual([]);
}

async function check(c: Case): Promise<void> {
  const w = worldOf(c);
  try {
    const result = await w.inbound({ behaviour: c.callerHangupAt === undefined ? {} : { hangupAtSeconds: c.callerHangupAt } }, scriptOf(c));
    await w.settle();
    const events = w.events;
    const verb = w.of('verb.finished').find((e) => e.sessionId === 's1' && TRANSFER_VERBS.includes(e.verb))!;
    const callerStates = w.of('leg.state').filter((e) => e.legId === 'in-1');
    const lastCaller = callerStates.at(-1)!;
    const callerTransfers = w.of('transfer.ended').filter((e) => e.legId === 'in-1');
    const started = w.of('transfer.started');
    const vars = w.vars();

    // One vocabulary; every transfer that started ended exactly once.
    for (const e of w.of('transfer.ended')) expect(TRANSFER_CAUSES).toContain(e.cause);
    expect(w.of('transfer.ended').map((e) => `${e.legId} ${e.targetLegId}`).sort()).toEqual(started.map((e) => `${e.legId} ${e.targetLegId}`).sort());
    expect(callerTransfers.length).toBeLessThanOrEqual(1);

    if (result.cause === 'transferred') {
      // Connected to the target: the interpreter left, the caller's audio went to the target leg.
      expect(c.kind).not.toBe('service');
      expect([verb.result, vars]).toEqual(['completed', []]);
      expect(lastCaller).toMatchObject({ state: 'Released', cause: 'transferred' });
      expect(callerTransfers[0]?.cause).toBe('completed');
      const target = callerTransfers[0]!.targetLegId!;
      expect(w.of('bridge.started').map((e) => `${e.legId}+${e.peerLegId}`)).toContain(`in-1+${target}`);
      if (w.calls.handedOffLegs().includes('in-1')) expect(w.sim.leg('in-1')?.bridgedTo).toBe(target);
    } else if (vars.length > 0) {
      // Retrieved: the transfer failed or came back, the caller was Established again, the script went on.
      const cause = vars[0]!['cause']!;
      expect(TRANSFER_CAUSES).toContain(cause);
      expect(cause).not.toBe('completed');
      expect(verb.result).toBe(cause);
      expect(callerTransfers.map((e) => e.cause)).toEqual([cause]);
      const varAt = w.of('verb.started').find((e) => e.verb === 'Var')!.time;
      const before = callerStates.filter((e) => e.time <= varAt).at(-1)!;
      expect(before.state, 'the caller when the script went on').toBe('Established');
      expect(['normal', 'caller-hangup']).toContain(result.cause);
      expect(lastCaller).toMatchObject({ state: 'Released', cause: result.cause === 'normal' ? 'normal' : 'remote-hangup' });
    } else {
      // Released: the caller hung up during the transfer.
      expect(result.cause).toBe('caller-hangup');
      expect(c.callerHangupAt).toBeDefined();
      expect(lastCaller).toMatchObject({ state: 'Released', cause: 'remote-hangup', time: c.callerHangupAt! * 1000 });
      expect(verb.result).toBe('interrupted');
      expect(callerTransfers.map((e) => e.cause)).toEqual(c.kind === 'service' && callerTransfers.length === 0 ? [] : ['caller-hangup']);
    }

    checkCapabilities(events);
    // Every session (the caller's and any service's) ended by itself.
    expect(w.engine.liveSessions, 'live sessions').toBe(0);
    expect(w.calls.liveChannels().map((ch) => `${ch.id} ${ch.state}`), 'live channels').toEqual([]);
    // What is left are calls handed off to their targets; once those hang up, nothing remains.
    await w.hangUpHandedOff();
    expect(w.sim.liveLegs(), 'live legs').toEqual([]);
    expect(w.calls.handedOffLegs(), 'hand-offs').toEqual([]);
    expect(w.clock.pendingTimers(), 'timers').toEqual([]);
  } finally {
    await w.dispose();
  }
}

const base: Case = {
  kind: 'blind', response: 'answer', ringSeconds: 2, targetHangupAfter: undefined, callerHangupAt: undefined, timeout: 10,
  whisper: false, consultBlock: false, acceptKey: false, press: undefined, serviceAnswersAfter: 0, serviceLasts: 5, serviceRejects: false,
};

/** Corners every run covers, whatever fast-check draws. */
const EXAMPLES: [Case][] = [
  [base],
  [{ ...base, whisper: true, targetHangupAfter: 1 }],
  [{ ...base, callerHangupAt: 1 }],
  [{ ...base, response: 'no-answer', timeout: 5 }],
  [{ ...base, kind: 'attended', acceptKey: true, press: '5', consultBlock: true }],
  [{ ...base, kind: 'attended', acceptKey: true, press: '7' }],
  [{ ...base, kind: 'attended', acceptKey: true, callerHangupAt: 4 }],
  [{ ...base, kind: 'attended', consultBlock: true, targetHangupAfter: 1 }],
  [{ ...base, kind: 'service' }],
  [{ ...base, kind: 'service', serviceAnswersAfter: 20, timeout: 5 }],
  [{ ...base, kind: 'service', serviceAnswersAfter: 20, timeout: 0 }],
  [{ ...base, kind: 'service', callerHangupAt: 3 }],
  [{ ...base, kind: 'service', callerHangupAt: 3, serviceAnswersAfter: 10 }],
  [{ ...base, kind: 'service', serviceRejects: true }],
];

test('no interleaving of hangups and timeouts leaves a leg alive, a timer running, or a caller neither connected nor retrieved nor released', async () => {
  await fc.assert(fc.asyncProperty(CASE, check), { numRuns: Number(process.env.MODEL_RUNS ?? 250), examples: EXAMPLES });
});
