/**
 * Model-based test of legs: random sequences of every channel operation, remote hangups, key
 * presses and waits, on the sim. After every step:
 * - an operation the leg listed worked (it failed, if at all, only because the call changed while
 *   it ran), and one it did not list failed at once with the typed error for the state;
 * - every leg is in a documented state, and the leg layer agrees with the switch about it;
 * - the two legs of a bridge point at each other, and a two-party call is held only as a whole;
 * and at the end, once everything is hung up, no leg, hand-off or timer is left.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, expect, test } from 'vitest';
import { OPERATIONS, type Operation } from '../../src/calls/capabilities.js';
import type { CallChannel } from '../../src/calls/channel.js';
import { HangupError, InvalidStateError } from '../../src/calls/errors.js';
import { LEG_STATES, stateNames } from '../../src/calls/leg-states.js';
import { expectNothingLeft, harness, type Harness } from './harness.js';

afterEach(expectNothingLeft);
const recordingsDir = mkdtempSync(join(tmpdir(), 'ozml-model-'));
afterAll(() => rmSync(recordingsDir, { recursive: true, force: true }));

const DESTINATIONS = ['200', '201', '202', '203', '204', '404'] as const;
const SERVICES = ['svc', 'back', 'missing'] as const;

type Command =
  | { kind: 'op'; leg: number; op: Operation; dest: (typeof DESTINATIONS)[number]; service: (typeof SERVICES)[number] }
  | { kind: 'remote-hangup'; leg: number }
  | { kind: 'press'; leg: number; digits: string }
  | { kind: 'wait'; seconds: number };

/** A leg of the pool by index; -1 is the newest leg (where consults and services appear). */
const legIndex = fc.oneof(fc.constant(-1), fc.nat(6));
const pick = (pool: readonly CallChannel[], leg: number): CallChannel => pool[leg < 0 ? pool.length - 1 : leg % pool.length]!;

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('op' as const),
      leg: fc.nat(6),
      // Every operation, with the ones that lead to the rarer situations (consults, swaps, services) more often.
      op: fc.oneof(
        fc.constantFrom(...OPERATIONS),
        fc.constantFrom<Operation>(
          'initiateTransfer',
          'swapCalls',
          'completeTransfer',
          'completeConference',
          'transferToInboundService',
          'retrieveTransferredCall',
          'waitForTransferredCallRetrieval',
          'dial',
          'speak',
          'hold',
          'retrieve',
          'recordCall',
        ),
      ),
      dest: fc.constantFrom(...DESTINATIONS),
      service: fc.constantFrom(...SERVICES),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remote-hangup' as const), leg: legIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('press' as const), leg: legIndex, digits: fc.constantFrom('1', '12', '#') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 40 }) }) },
);

function world(): Harness {
  return harness({
    recordingsDir,
    defaultAudioSeconds: 5,
    directory: {
      '200': { ringSeconds: 2, presses: [{ digits: '1' }], speaks: [{ seconds: 3 }] },
      '201': { response: 'busy' },
      '202': { response: 'no-answer' },
      '203': { response: 'reject', ringSeconds: 1 },
      '204': { ringSeconds: 1, hangupAfterSeconds: 8 },
      'service:svc': { ringSeconds: 1, hangupAfterSeconds: 15 },
      'service:back': { ringSeconds: 1, transferBackAfterSeconds: 5 },
    },
  });
}

function invoke(h: Harness, channel: CallChannel, cmd: Extract<Command, { kind: 'op' }>, pool: CallChannel[]): Promise<unknown> {
  const add = (c: CallChannel): CallChannel => {
    pool.push(c);
    return c;
  };
  switch (cmd.op) {
    case 'dial':
      return channel.dial(cmd.dest, { timeoutSeconds: 10 });
    case 'answer':
      return channel.answer();
    case 'reject':
      return channel.reject();
    case 'hangup':
      return channel.hangup();
    case 'speak':
      return channel.speak('Hello there, caller.');
    case 'play':
      return channel.play('prompt.wav', { timeoutSeconds: 2 });
    case 'playTone':
      return channel.playTone('beep');
    case 'collectDigits':
      return channel.collectDigits({ max: 2, firstDigitTimeoutSeconds: 2 });
    case 'record':
      return channel.record({ maxSeconds: 3 });
    case 'recordCall':
      return channel.recordCall({ maxSeconds: 4 });
    case 'sendDtmf':
      return channel.sendDtmf('12');
    case 'hold':
      return channel.hold();
    case 'retrieve':
      return channel.retrieve();
    case 'blindTransfer':
      return channel.blindTransfer(cmd.dest, { timeoutSeconds: 10 });
    case 'initiateTransfer':
      return channel.initiateTransfer(cmd.dest, { timeoutSeconds: 10 }).then(add);
    case 'initiateConference':
      return channel.initiateConference(cmd.dest, { timeoutSeconds: 10 }).then(add);
    case 'completeTransfer':
      return channel.completeTransfer();
    case 'completeConference':
      return channel.completeConference();
    case 'swapCalls':
      return channel.swapCalls();
    case 'singleStepConference':
      return channel.singleStepConference(cmd.dest, { timeoutSeconds: 10 });
    case 'transferToInboundService':
      return channel.transferToInboundService(add(h.control.createChannel()), cmd.service, { timeoutSeconds: 10 });
    case 'retrieveTransferredCall':
      return channel.retrieveTransferredCall();
    case 'waitForTransferredCallRetrieval':
      return channel.waitForTransferredCallRetrieval();
    case 'attachUserData':
      return channel.attachUserData({ k: 'v' });
    case 'updateUserData':
      return channel.updateUserData({ k: 'w' });
    case 'deleteUserData':
      return channel.deleteUserData();
    case 'deleteUserDataPair':
      return channel.deleteUserDataPair('k');
  }
}

/** The leg layer and the switch agree about every leg. */
function checkWorld(h: Harness, pool: readonly CallChannel[]): void {
  const handedOff = new Set(h.control.handedOffLegs());
  for (const channel of pool) {
    const snap = channel.snapshot();
    const where = `${snap.id} ${snap.state}`;
    expect(LEG_STATES, where).toContain(snap.state);
    expect(snap.names, where).toEqual(stateNames(snap.state, snap.releaseCause));
    const sim = h.sim.leg(snap.id);
    switch (snap.state) {
      case 'Idle':
        expect(sim, where).toBeUndefined();
        break;
      case 'Dialing':
      case 'Ringing':
        expect(sim?.status, where).toBe('ringing');
        break;
      case 'Established':
      case 'Held':
      case 'Transferred':
        expect(sim?.status, where).toBe('up');
        expect(sim?.held, where).toBe(snap.state === 'Held');
        expect(sim?.bridgedTo, where).toBe(snap.bridgedTo);
        break;
      case 'Released':
        if (!handedOff.has(snap.id)) expect(sim?.status ?? 'ended', where).toBe('ended');
        expect(snap.capabilities, where).toEqual([]);
        break;
    }
    if (snap.consultCallId !== undefined) {
      const consult = h.control.channel(snap.consultCallId);
      expect(consult?.parentCallId, where).toBe(snap.id);
      expect(consult?.capabilities, where).toContain('CompleteTransfer');
      expect(['Held', 'Established'], where).toContain(snap.state);
    }
    if (snap.capabilities.includes('CompleteTransfer')) {
      expect(h.control.channel(snap.parentCallId ?? '')?.snapshot().consultCallId, where).toBe(snap.id);
    }
    if (snap.bridgedTo !== undefined) {
      const peer = h.control.channel(snap.bridgedTo)?.snapshot();
      expect(peer?.bridgedTo, where).toBe(snap.id);
      // A two-party call is held and retrieved as a whole; only a service bridge pairs two states.
      if (snap.state === 'Held') expect(peer?.state, where).toBe('Held');
      if (snap.state === 'Established') expect(['Established', 'Transferred'], where).toContain(peer?.state);
    }
  }
}

/** Scripted starting points, so every run explores from a different situation. */
const OPENINGS = ['ringing', 'answered', 'idle', 'consult-dialing', 'consult-up', 'swapped', 'service', 'conference', 'outbound'] as const;
type Opening = (typeof OPENINGS)[number];

async function open(h: Harness, caller: CallChannel, opening: Opening, pool: CallChannel[]): Promise<void> {
  if (opening === 'ringing') return;
  if (opening === 'outbound') {
    const call = h.control.createChannel();
    pool.push(call);
    await call.dial('200');
    return;
  }
  await caller.answer();
  if (caller.state !== 'Established') return;
  if (opening === 'idle') pool.push(h.control.createChannel());
  if (opening === 'consult-dialing' || opening === 'consult-up' || opening === 'swapped') {
    const consult = await caller.initiateTransfer(opening === 'consult-dialing' ? '202' : '200', { timeoutSeconds: 60 });
    pool.push(consult);
    if (opening !== 'consult-dialing') await consult.waitForAnswer();
    // The caller may already have hung up (hangupAtSeconds), ending the consultation.
    if (opening === 'swapped' && consult.can('swapCalls')) await consult.swapCalls();
  } else if (opening === 'service') {
    const other = h.control.createChannel();
    pool.push(other);
    await caller.transferToInboundService(other, 'svc');
  } else if (opening === 'conference') {
    await caller.singleStepConference('200');
  }
}

const op = (leg: number, operation: Operation, dest: Extract<Command, { kind: 'op' }>['dest'] = '200'): Command => ({
  kind: 'op',
  leg,
  op: operation,
  dest,
  service: 'svc',
});

/** Always run besides the random cases, so every situation and transfer path is exercised on every run. */
const EXAMPLES: [Command[], number | undefined, Opening][] = [
  [[op(0, 'retrieveTransferredCall')], undefined, 'service'],
  [[op(0, 'waitForTransferredCallRetrieval')], undefined, 'service'],
  [[op(1, 'swapCalls'), op(1, 'completeTransfer')], undefined, 'consult-up'],
  [[op(1, 'completeConference'), op(1, 'hangup')], undefined, 'swapped'],
  [[op(1, 'completeTransfer')], undefined, 'consult-dialing'],
  [[op(-1, 'dial')], undefined, 'idle'],
  [[op(0, 'blindTransfer', '204'), { kind: 'wait', seconds: 10 }], undefined, 'answered'],
  [[op(0, 'transferToInboundService'), op(0, 'collectDigits'), op(0, 'record')], undefined, 'answered'],
  [[op(0, 'collectDigits'), op(0, 'record'), op(0, 'hold'), op(0, 'retrieve')], 3, 'answered'],
  // A two-party call (caller bridged to leg-1): prompts to one party, hold and retrieval of both.
  [[op(1, 'speak'), op(0, 'play'), op(0, 'hold'), op(1, 'speak'), op(1, 'retrieve'), op(1, 'sendDtmf'), op(0, 'hangup')], undefined, 'conference'],
  // A recording of the call goes on through hold; a party hanging up while held ends the call.
  [[op(0, 'hold'), op(0, 'recordCall'), op(1, 'hold'), { kind: 'remote-hangup', leg: 1 }, op(0, 'retrieve')], undefined, 'conference'],
  // The application hanging up one held party keeps the other, which it can take back.
  [[op(1, 'hold'), op(1, 'hangup'), op(0, 'retrieve'), op(0, 'collectDigits')], undefined, 'conference'],
];

async function hangUpEverything(h: Harness, pool: readonly CallChannel[]): Promise<void> {
  for (const channel of pool) {
    if (channel.can('hangup')) await channel.hangup();
    else if (channel.can('reject')) await channel.reject();
  }
  for (const id of h.control.handedOffLegs()) h.sim.hangup(id);
  await new Promise((resolve) => setImmediate(resolve));
}

test('no sequence of operations breaks the capability contract or leaves anything behind', async () => {
  const reached = new Set<string>();
  const worked = new Set<Operation>();
  /** Operations that worked on a leg bridged to another party of a two-party call. */
  const workedBridged = new Set<Operation>();
  await fc.assert(
    fc.asyncProperty(
      fc.array(command, { minLength: 1, maxLength: 30 }),
      fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined, freq: 3 }),
      fc.constantFrom(...OPENINGS),
      async (commands, hangupAtSeconds, opening) => {
        const h = world();
        const caller = h.inbound({
          behaviour: { presses: [{ digits: '12' }], speaks: [{ seconds: 2 }], ...(hangupAtSeconds === undefined ? {} : { hangupAtSeconds }) },
        });
        const pool: CallChannel[] = [caller];
        await open(h, caller, opening, pool);
        for (const live of h.control.liveChannels()) if (!pool.includes(live)) pool.push(live);
        checkWorld(h, pool);
        for (const cmd of commands) {
          if (cmd.kind === 'wait') {
            await h.clock.sleep(cmd.seconds * 1000);
          } else if (cmd.kind === 'remote-hangup') {
            h.sim.hangup(pick(pool, cmd.leg).id);
          } else if (cmd.kind === 'press') {
            h.sim.pressDigits(pick(pool, cmd.leg).id, cmd.digits);
          } else {
            const channel = pick(pool, cmd.leg);
            const before = channel.state;
            const bridged = channel.snapshot().bridgedTo !== undefined;
            const listed = channel.can(cmd.op);
            const error = await invoke(h, channel, cmd, pool).then(
              () => undefined,
              (e: unknown) => e,
            );
            const step = `${cmd.op} on ${channel.id} (${before})`;
            if (listed && error === undefined) worked.add(cmd.op);
            if (listed && error === undefined && bridged) workedBridged.add(cmd.op);
            if (!listed) {
              const expected = before === 'Idle' || before === 'Released' ? HangupError : InvalidStateError;
              expect(error, step).toBeInstanceOf(expected);
              expect(error, step).toMatchObject({ legId: channel.id, operation: cmd.op, state: before });
            } else if (error !== undefined) {
              // Listed operations may only fail because the call changed under them.
              expect([HangupError, InvalidStateError].some((type) => error instanceof type), `${step}: ${String(error)}`).toBe(true);
              expect((error as HangupError).state, step).not.toBe(before);
            }
          }
          for (const live of h.control.liveChannels()) if (!pool.includes(live)) pool.push(live);
          for (const channel of pool) {
            reached.add(`${channel.state}/${channel.callType}`);
            if (channel.snapshot().bridgedTo !== undefined) reached.add(`${channel.state}/bridged`);
          }
          checkWorld(h, pool);
        }
        await hangUpEverything(h, pool);
        expect(h.sim.liveLegs()).toEqual([]);
        expect(h.control.liveChannels()).toEqual([]);
        expect(h.control.handedOffLegs()).toEqual([]);
        expect(h.clock.pendingTimers()).toEqual([]);
      },
    ),
    { numRuns: Number(process.env.MODEL_RUNS ?? 300), examples: EXAMPLES },
  );
  // The runs must have explored the interesting part of the model, not just refused operations.
  for (const state of ['Idle/Outbound', 'Dialing/Consult', 'Held/Inbound', 'Held/Consult', 'Transferred/Inbound', 'Established/Internal', 'Released/Consult', 'Held/bridged']) {
    expect([...reached]).toContain(state);
  }
  for (const op of ['speak', 'play', 'hold', 'retrieve', 'sendDtmf', 'recordCall'] as const) expect([...workedBridged]).toContain(op);
  for (const op of ['blindTransfer', 'completeTransfer', 'swapCalls', 'completeConference', 'transferToInboundService', 'retrieveTransferredCall', 'waitForTransferredCallRetrieval', 'collectDigits', 'record', 'dial'] as const) {
    expect([...worked]).toContain(op);
  }
});
