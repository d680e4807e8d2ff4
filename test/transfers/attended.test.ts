/**
 * AttendedTransfer at the verb level: the api-extension two-step form of seed 004 (held caller,
 * Consult leg, <Consult> block, AcceptKey, completion or retrieval) with every outcome, and the
 * third-party form of seed 003 that joins the parties of two existing calls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PartyBehaviour } from '../../src/calls/sim/directory.js';
import { world, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w.dispose();
});

const APP = { 'http://app.example/**': '<Response/>' };
const SCRIPT = `<Response>
  <AttendedTransfer Target="2000" Timeout="10" AcceptKey="5" HoldMusic="http://media.example/hold.mp3" FinishedUrl="http://app.example/done">
    <Consult><Speak>Ann is waiting. Press 5 to accept.</Speak></Consult>
  </AttendedTransfer>
  <Var ID="cause" Value="$TransferCause"/>
  <Speak>Back.</Speak>
</Response>`;
const STEPS = ['leg.created', 'leg.state', 'leg.capabilities', 'transfer.started', 'transfer.ended', 'bridge.started', 'bridge.ended', 'verb.started', 'verb.finished', 'session.ended', 'notification.requested', 'digits.collected'];
const ESTABLISHED = '[Hangup,Hold,SendDtmf,InitiateTransfer,SingleStepTransfer,InitiateConference,SingleStepConference,UserData]';
const HELD = '[Hangup,Retrieve,InitiateTransfer,SingleStepTransfer,InitiateConference,SingleStepConference,UserData]';
const CONSULT_DIALING = '[Hangup,SendDtmf,CompleteTransfer,SwapCalls,UserData]';
const CONSULT_UP = '[Hangup,SendDtmf,CompleteTransfer,SwapCalls,CompleteConference,UserData]';
/** The caller is held (with its capabilities) and the consult leg dialled, parent linked. */
const OPENING = [
  '0 [s1] AttendedTransfer',
  `0 in-1 Established→Held ${HELD}`,
  '0 in-1 consult transfer to 2000 (leg-1)',
  '0 leg-1 created Consult +15550001→2000 parent in-1',
  `0 leg-1 Idle→Dialing ${CONSULT_DIALING}`,
];
const fromVerb = (lines: string[]): string[] => lines.slice(lines.findIndex((l) => l.endsWith('] AttendedTransfer')));
/** The caller is retrieved, FinishedUrl hears the cause, the script goes on. */
const retrieved = (at: string, cause: string, backEnds: string): string[] => [
  `${at} in-1 Held→Established ${ESTABLISHED}`,
  `${at} → TransferCompleted http://app.example/done`,
  `${at} [s1] AttendedTransfer → ${cause}`,
  `${at} [s1] Var`, `${at} [s1] Var → set`, `${at} [s1] Speak`, `${backEnds} [s1] Speak → completed`,
  `${backEnds} in-1 Established→Released (normal) []`, `${backEnds} [s1] end normal`,
];

describe('AttendedTransfer, two-step (seed 004)', () => {
  it('accepted: the Consult block runs on the consult leg, the target presses AcceptKey, both interpreter legs are Released', async () => {
    w = world({ directory: { '2000': { ringSeconds: 2, hangupAfterSeconds: 30, presses: [{ digits: '5' }] } }, routes: APP });
    const result = await w.inbound({}, SCRIPT);
    expect(result.cause).toBe('transferred');
    await w.settle();
    expect(fromVerb(w.trace([...STEPS, 'media.started'], { capabilities: true }))).toEqual([
      ...OPENING,
      `2 leg-1 Dialing→Established ${CONSULT_UP}`,
      '2 [s1] Speak',
      '2 leg-1 speech Ann is waiting. Press 5 to accept.',
      '5.8 [s1] Speak → completed',
      // The target presses 5 a second after it is asked.
      "6.8 leg-1 digits '5' complete",
      '6.8 in-1 Held→Released (transferred) []',
      '6.8 leg-1 Established→Released (transferred) []',
      '6.8 bridge in-1+leg-1',
      '6.8 in-1 consult transfer completed',
      '6.8 [s1] AttendedTransfer → completed',
      '6.8 [s1] end transferred',
      '32 unbridge in-1+leg-1 (remote-hangup)',
      '32 → TransferCompleted http://app.example/done',
    ]);
    // The caller heard the hold music while held; caller and target are connected on the switch until one hangs up.
    expect(w.sim.holds).toEqual([{ legId: 'in-1', music: 'http://media.example/hold.mp3' }]);
    expect(w.deliveries('CallId', 'TransferCause', 'Target', 'Duration')).toEqual([
      { kind: 'send', name: 'TransferCompleted', url: 'http://app.example/done', CallId: 'in-1', TransferCause: 'completed', Target: '2000', Duration: '25.2' },
    ]);
  });

  /** [name, target behaviour, when the consult ends and how, the cause, when "Back." ends]. */
  const UNANSWERED: [string, PartyBehaviour, string, string, string][] = [
    ['busy', { response: 'busy', ringSeconds: 1 }, '1 leg-1 Dialing→Released (busy) []', 'busy', '1.9'],
    ['no answer', { response: 'no-answer', ringSeconds: 4 }, '4 leg-1 Dialing→Released (no-answer) []', 'no-answer', '4.9'],
    ['rejected', { response: 'reject', ringSeconds: 3 }, '3 leg-1 Dialing→Released (rejected) []', 'rejected', '3.9'],
    ['not found', { response: 'not-found' }, '0 leg-1 Dialing→Released (not-found) []', 'not-found', '0.9'],
    ['ring timeout (Timeout="10")', { response: 'no-answer' }, '10 leg-1 Dialing→Released (no-answer) []', 'no-answer', '10.9'],
  ];

  it.each(UNANSWERED)('%s: the consult leg is released, the caller retrieved, the script goes on', async (_name, target, consultEnd, cause, backEnds) => {
    w = world({ directory: { '2000': target }, routes: APP });
    expect((await w.inbound({}, SCRIPT)).cause).toBe('normal');
    const at = consultEnd.split(' ')[0]!;
    expect(fromVerb(w.trace(STEPS, { capabilities: true }))).toEqual([
      ...OPENING, consultEnd, `${at} in-1 consult transfer ${cause}`, ...retrieved(at, cause, backEnds),
    ]);
    expect(w.vars()).toEqual([{ cause }]);
    expect(w.deliveries('TransferCause', 'Duration')).toEqual([
      { kind: 'fetch', name: 'TransferCompleted', url: 'http://app.example/done', TransferCause: cause, Duration: '0' },
    ]);
  });

  it('the target hangs up during the Consult block: target-hangup, the caller is retrieved', async () => {
    w = world({ directory: { '2000': { ringSeconds: 2, hangupAfterSeconds: 1 } }, routes: APP });
    await w.inbound({}, SCRIPT);
    expect(fromVerb(w.trace(STEPS, { capabilities: true }))).toEqual([
      ...OPENING,
      `2 leg-1 Dialing→Established ${CONSULT_UP}`,
      '2 [s1] Speak',
      '3 leg-1 Established→Released (remote-hangup) []',
      '3 in-1 consult transfer target-hangup',
      '3 [s1] Speak → interrupted',
      ...retrieved('3', 'target-hangup', '3.9'),
    ]);
    expect(w.vars()).toEqual([{ cause: 'target-hangup' }]);
  });

  it.each([
    ['presses nothing within 10 s', [], "15.8 leg-1 digits '' timeout", '15.8', '16.7'],
    ['presses another key', [{ digits: '7' }], "6.8 leg-1 digits '7' complete", '6.8', '7.7'],
  ])('the target %s: not-accepted, the consult leg is released with that cause, the caller retrieved', async (_name, presses, digits, at, backEnds) => {
    w = world({ directory: { '2000': { ringSeconds: 2, presses } }, routes: APP });
    await w.inbound({}, SCRIPT);
    expect(fromVerb(w.trace(STEPS, { capabilities: true }))).toEqual([
      ...OPENING,
      `2 leg-1 Dialing→Established ${CONSULT_UP}`,
      '2 [s1] Speak', '5.8 [s1] Speak → completed',
      digits,
      `${at} leg-1 Established→Released (not-accepted) []`,
      `${at} in-1 consult transfer not-accepted`,
      ...retrieved(at, 'not-accepted', backEnds),
    ]);
    expect(w.vars()).toEqual([{ cause: 'not-accepted' }]);
  });

  it('the caller hangs up while the target rings: the consult loses CompleteTransfer/SwapCalls and is released; FinishedUrl hears caller-hangup', async () => {
    w = world({ directory: { '2000': { ringSeconds: 8 } }, routes: APP });
    expect((await w.inbound({ behaviour: { hangupAtSeconds: 4 } }, SCRIPT)).cause).toBe('caller-hangup');
    expect(fromVerb(w.trace(STEPS, { capabilities: true }))).toEqual([
      ...OPENING,
      '4 in-1 Held→Released (remote-hangup) []',
      '4 leg-1 capabilities [Hangup,SendDtmf,UserData]',
      '4 in-1 consult transfer caller-hangup',
      '4 leg-1 Dialing→Released (caller-hangup) []',
      '4 → TransferCompleted http://app.example/done',
      '4 [s1] AttendedTransfer → interrupted',
      '4 [s1] end caller-hangup',
    ]);
    expect(w.deliveries('TransferCause')).toEqual([{ kind: 'send', name: 'TransferCompleted', url: 'http://app.example/done', TransferCause: 'caller-hangup' }]);
  });

  it('the caller hangs up during the consultation: the consult block stops, the consult leg is released with caller-hangup like the transfer', async () => {
    w = world({ directory: { '2000': { ringSeconds: 2 } }, routes: APP });
    expect((await w.inbound({ behaviour: { hangupAtSeconds: 4 } }, SCRIPT)).cause).toBe('caller-hangup');
    expect(fromVerb(w.trace(STEPS, { capabilities: true })).slice(OPENING.length)).toEqual([
      `2 leg-1 Dialing→Established ${CONSULT_UP}`,
      '2 [s1] Speak',
      '4 in-1 Held→Released (remote-hangup) []',
      // Without a pending transfer the consult is an ordinary answered leg.
      `4 leg-1 capabilities ${ESTABLISHED}`,
      '4 in-1 consult transfer caller-hangup',
      '4 [s1] Speak → interrupted',
      '4 leg-1 Established→Released (caller-hangup) []',
      '4 → TransferCompleted http://app.example/done',
      '4 [s1] AttendedTransfer → interrupted',
      '4 [s1] end caller-hangup',
    ]);
  });

  it('a Consult block with a menu: the target hears the caller\'s name on request, then accepts; CallerId and default hold music', async () => {
    w = world({
      directory: { '2000': { ringSeconds: 1, hangupAfterSeconds: 60, presses: [{ digits: '1' }, { digits: '5' }] } },
      holdMusic: 'http://media.example/default-hold.wav',
    });
    const result = await w.inbound({}, `<Response>
      <AttendedTransfer Target="2000" CallerId="private" AcceptKey="5">
        <Consult>
          <UserInput Digits="1" Timeout="5">
            <InitialCommands><Speak>Press 1 to hear who is calling.</Speak></InitialCommands>
            <Inputs><Input Key="1"><Speak>Ann Smith.</Speak></Input></Inputs>
          </UserInput>
          <Speak>Press 5 to accept.</Speak>
        </Consult>
      </AttendedTransfer>
    </Response>`);
    expect(result.cause).toBe('transferred');
    expect(w.of('media.started').filter((e) => e.media === 'speech').map((e) => `${e.legId}: ${e.source}`)).toEqual([
      'leg-1: Press 1 to hear who is calling.', 'leg-1: Ann Smith.', 'leg-1: Press 5 to accept.',
    ]);
    expect(w.of('leg.created')[1]).toMatchObject({ legId: 'leg-1', callType: 'Consult', parentCallId: 'in-1', from: 'anonymous', to: '2000' });
    expect(w.sim.holds).toEqual([{ legId: 'in-1', music: 'http://media.example/default-hold.wav' }]);
  });

  it('without AcceptKey or Consult block the transfer completes once the target answers', async () => {
    w = world({ directory: { '2000': { ringSeconds: 3, hangupAfterSeconds: 5 } } });
    expect((await w.inbound({}, '<Response><AttendedTransfer>2000</AttendedTransfer></Response>')).cause).toBe('transferred');
    expect(fromVerb(w.trace(['leg.state', 'bridge.started', 'verb.started', 'verb.finished']))).toEqual([
      '0 [s1] AttendedTransfer', '0 in-1 Established→Held', '0 leg-1 Idle→Dialing',
      '3 leg-1 Dialing→Established', '3 in-1 Held→Released (transferred)', '3 leg-1 Established→Released (transferred)',
      '3 bridge in-1+leg-1', '3 [s1] AttendedTransfer → completed',
    ]);
  });

  it('a CallerId the platform does not own is refused before the caller is held', async () => {
    w = world({ directory: { '2000': {} } });
    await w.inbound({}, '<Response><AttendedTransfer CallerId="+15557770000">2000</AttendedTransfer><Var ID="cause" Value="$TransferCause"/></Response>');
    expect(w.trace(['leg.state', 'error']).slice(2)).toEqual([
      '0 error invalid-option: CallerId "+15557770000" is not allowed on leg in-1: use "private", "caller" or a number in ownedNumbers',
      '0 in-1 Established→Released (normal)',
    ]);
    expect(w.vars()).toEqual([{ cause: 'failed' }]);
  });
});

describe('swap and retrieve while consulting (channel API)', () => {
  it('swapCalls alternates the held party; retrieve on the caller abandons the consultation', async () => {
    w = world({ directory: { '2000': { ringSeconds: 1 } } });
    const caller = w.ring();
    await caller.answer();
    const consult = await caller.initiateTransfer('2000');
    expect(await consult.waitForAnswer()).toBe('answered');
    await consult.swapCalls();
    expect([caller.state, consult.state, consult.capabilities.includes('CompleteTransfer'), caller.capabilities.includes('Retrieve')]).toEqual(['Established', 'Held', true, false]);
    await consult.swapCalls();
    expect([caller.state, consult.state, caller.capabilities.includes('Retrieve')]).toEqual(['Held', 'Established', true]);
    await caller.retrieve();
    expect([caller.state, consult.state, consult.snapshot().releaseCause, caller.transferCause()]).toEqual(['Established', 'Released', 'cancelled', 'cancelled']);
    expect(consult.capabilities).toEqual([]);
    await caller.hangup();
  });
});

describe('AttendedTransfer, third-party (seed 003)', () => {
  /**
   * The secretary (1001) talks to the client (call 1) and has called the boss (1002, call 2).
   * `secretaryCalled`: the secretary placed call 1 (TransferorParty="caller", as in seed 003's
   * example); otherwise the client called in and the secretary answered (TransferorParty="callee").
   */
  async function calls(secretaryCalled: boolean): Promise<void> {
    const first = secretaryCalled ? w.ring({ from: '1001', to: '+15550001', internal: true }) : w.ring({ from: '+15550001', to: '1000' });
    await first.answer();
    expect((await first.singleStepConference(secretaryCalled ? '+15550001' : '1001', { callerId: 'caller' })).cause).toBe('completed');
    const second = w.ring({ from: '1001', to: '1002', internal: true });
    await second.answer();
    expect((await second.singleStepConference('1002', { callerId: 'caller' })).cause).toBe('completed');
  }
  const DIRECTORY = { '1001': { ringSeconds: 1 }, '+15550001': { ringSeconds: 1 }, '1002': { ringSeconds: 1, hangupAfterSeconds: 30 } };

  it.each([
    ['callee', false, 'in-1', 'leg-1'],
    ['caller', true, 'leg-1', 'in-1'],
  ])('TransferorParty="%s": the secretary leaves both calls, the client and the boss are connected', async (party, secretaryCalled, client, secretary) => {
    w = world({ directory: DIRECTORY, routes: APP });
    await calls(secretaryCalled);
    const result = await w.thirdParty(`<Response><AttendedTransfer TargetCallId="in-2" TransferorParty="${party}" FinishedUrl="http://app.example/done"/></Response>`, 'in-1');
    expect(result.cause).toBe('transferred');
    // On the switch the client now talks to the boss.
    expect([w.sim.leg(client)?.bridgedTo, w.sim.leg('leg-2')?.bridgedTo, w.sim.leg(client)?.held]).toEqual(['leg-2', client, false]);
    await w.settle();
    expect(fromVerb(w.trace(['leg.state', 'transfer.started', 'transfer.ended', 'bridge.started', 'bridge.ended', 'verb.started', 'verb.finished', 'notification.requested']))).toEqual([
      '2 [s1] AttendedTransfer',
      `2 ${secretary} Established→Released (transferred)`,
      `2 unbridge ${secretary}+${client} (transferred)`,
      '2 in-2 Established→Released (transferred)',
      '2 unbridge in-2+leg-2 (transferred)',
      `2 ${client} consult transfer to 1002 (leg-2)`,
      `2 ${client} Established→Released (transferred)`,
      '2 leg-2 Established→Released (transferred)',
      `2 bridge ${client}+leg-2`,
      `2 ${client} consult transfer completed`,
      '2 [s1] AttendedTransfer → completed',
      // The boss hangs up 30 s after answering (at 2): the joined call ends, FinishedUrl hears it.
      `32 unbridge ${client}+leg-2 (remote-hangup)`,
      '32 → TransferCompleted http://app.example/done',
    ]);
    expect(w.deliveries('CallId', 'TransferCause', 'Target', 'Duration')).toEqual([
      { kind: 'send', name: 'TransferCompleted', url: 'http://app.example/done', CallId: 'in-1', TransferCause: 'completed', Target: 'in-2', Duration: '30' },
    ]);
  });

  it('a TargetCallId that does not exist: not-found, nothing changes', async () => {
    w = world({ directory: DIRECTORY });
    await calls(false);
    await w.thirdParty('<Response><AttendedTransfer TargetCallId="in-9"/><Var ID="cause" Value="$TransferCause"/></Response>', 'in-1');
    expect(w.trace(['error'])).toEqual(["2 error not-found: AttendedTransfer: no call with CallId 'in-9'"]);
    expect(w.vars()).toEqual([{ cause: 'not-found' }]);
    expect(w.calls.liveChannels().map((c) => `${c.id} ${c.state}`)).toEqual(['in-1 Established', 'leg-1 Established', 'in-2 Established', 'leg-2 Established']);
    for (const id of ['in-1', 'in-2']) await w.thirdParty('<Response><Hangup/></Response>', id);
  });

  it('the boss has hung up: only the secretary is left in the target call, so the target is gone (target-hangup)', async () => {
    w = world({ directory: { ...DIRECTORY, '1002': { ringSeconds: 1, hangupAfterSeconds: 1 } } });
    await calls(false);
    await w.clock.sleep(2000);
    await w.thirdParty('<Response><AttendedTransfer TargetCallId="in-2"/><Var ID="cause" Value="$TransferCause"/></Response>', 'in-1');
    expect(w.trace(['error'])).toEqual(['4 error target-hangup: AttendedTransfer: the only party left in call in-2 is the transferor']);
    expect(w.vars()).toEqual([{ cause: 'target-hangup' }]);
    for (const id of ['in-1', 'in-2']) await w.thirdParty('<Response><Hangup/></Response>', id);
  });

  it('the same call twice is refused (invalid-state)', async () => {
    w = world({ directory: DIRECTORY });
    await calls(false);
    await w.thirdParty('<Response><AttendedTransfer TargetCallId="in-1"/><Var ID="cause" Value="$TransferCause"/></Response>', 'in-1');
    expect(w.trace(['error'])).toEqual(['2 error invalid-state: AttendedTransfer: in-1 and in-1 are the same call']);
    expect(w.vars()).toEqual([{ cause: 'invalid-state' }]);
    for (const id of ['in-1', 'in-2']) await w.thirdParty('<Response><Hangup/></Response>', id);
  });
});
