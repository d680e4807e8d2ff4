/**
 * BlindTransfer at the verb level (design.md §6, seed 001): every outcome with exact leg states,
 * causes, capability sets and notifications on the virtual clock, and every option.
 */
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { PartyBehaviour } from '../../src/calls/sim/directory.js';
import { compile, world, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w.dispose();
});

const APP = { 'http://app.example/**': '<Response/>' };
/** Lines from the verb's start on. */
const fromVerb = (lines: string[], verb = 'BlindTransfer'): string[] => lines.slice(lines.findIndex((l) => l.endsWith(`] ${verb}`)));

describe('BlindTransfer outcomes', () => {
  it('answered: ringback, whisper to the target, then both interpreter legs Released (transferred); the script ends', async () => {
    w = world({ directory: { '2000': { ringSeconds: 3, hangupAfterSeconds: 20 } }, routes: APP });
    const result = await w.inbound(
      {},
      `<Response>
        <BlindTransfer Timeout="10" Whisper="You have a call from Ann." FinishedUrl="http://app.example/done" CallbackUrl="http://app.example/cb">2000</BlindTransfer>
        <Speak>Never spoken.</Speak>
      </Response>`,
    );
    expect(result).toEqual({ sessionId: 's1', cause: 'transferred', verbs: 1, documents: 0 });
    await w.settle();
    expect(w.trace([...['leg.state', 'transfer.started', 'transfer.ended', 'bridge.started', 'bridge.ended', 'verb.started', 'verb.finished'], 'session.ended', 'media.started', 'media.ended', 'notification.requested'], { capabilities: true })).toEqual([
      '0 in-1 Idle→Ringing [Answer,UserData]',
      '0 in-1 Ringing→Established [Hangup,Hold,SendDtmf,InitiateTransfer,SingleStepTransfer,InitiateConference,SingleStepConference,UserData]',
      '0 [s1] BlindTransfer',
      '0 in-1 blind transfer to 2000 (leg-1)',
      '0 leg-1 Idle→Dialing [Hangup,SendDtmf,UserData]',
      '0 → CallChanged http://app.example/cb',
      '0 in-1 tone ringback-us',
      '3 leg-1 Dialing→Established [Hangup,Hold,SendDtmf,InitiateTransfer,SingleStepTransfer,InitiateConference,SingleStepConference,UserData]',
      '3 → CallChanged http://app.example/cb',
      '3 leg-1 speech You have a call from Ann.',
      // 6 words and a sentence end: 2.9 s; the caller hears ringback until the whisper is over.
      '5.9 leg-1 speech You have a call from Ann. ended completed',
      '5.9 in-1 tone ringback-us ended interrupted',
      '5.9 in-1 Established→Released (transferred) []',
      '5.9 leg-1 Established→Released (transferred) []',
      '5.9 bridge in-1+leg-1',
      '5.9 in-1 blind transfer completed',
      '5.9 [s1] BlindTransfer → completed',
      '5.9 [s1] end transferred',
      // The transferred call goes on on the switch until the target hangs up (20 s after answering).
      '23 unbridge in-1+leg-1 (remote-hangup)',
      '23 → CallChanged http://app.example/cb',
      '23 → TransferCompleted http://app.example/done',
      '23 → TransferCompleted http://app.example/cb',
    ]);
    expect(w.sim.liveLegs()).toEqual([]);
    // FinishedUrl: the call's ID, caller and callee, and how long the transferred call lasted.
    expect(w.source.deliveries.filter((d) => d.name === 'TransferCompleted').map((d) => [d.kind, d.url, d.params])).toEqual(
      ['http://app.example/done', 'http://app.example/cb'].map((url) => ['send', url, {
        NotificationName: 'TransferCompleted', CallId: 'in-1', Caller: '+15550001', Callee: '9000', ApiExtension: '9000',
        CallState: 'Completed', Direction: 'Incoming', Timestamp: '1970-01-01T00:00:23.000Z',
        TransferCause: 'completed', Target: '2000', Duration: '17.1',
      }]),
    );
    // CallbackUrl: the new leg's own events, from dialling to the end of the transferred call.
    expect(w.source.deliveries.filter((d) => d.name === 'CallChanged').map((d) => d.params)).toEqual([
      ['Ringing', '1970-01-01T00:00:00.000Z', {}],
      ['InCall', '1970-01-01T00:00:03.000Z', {}],
      ['Completed', '1970-01-01T00:00:23.000Z', { Cause: 'remote-hangup' }],
    ].map(([state, time, more]) => ({
      NotificationName: 'CallChanged', CallId: 'leg-1', Caller: '+15550001', Callee: '2000', ApiExtension: '9000',
      CallState: state, Direction: 'Outgoing', Timestamp: time, ParentCallId: 'in-1', ...(more as object),
    })));
  });

  /** [name, target behaviour, caller behaviour, when and how the target leg ends, $TransferCause]. */
  const FAILURES: [string, PartyBehaviour, PartyBehaviour, string[], string][] = [
    ['busy', { response: 'busy', ringSeconds: 1 }, {}, ['1 leg-1 Dialing→Released (busy)'], 'busy'],
    ['no answer (the network gives up)', { response: 'no-answer', ringSeconds: 6 }, {}, ['6 leg-1 Dialing→Released (no-answer)'], 'no-answer'],
    ['rejected', { response: 'reject', ringSeconds: 2 }, {}, ['2 leg-1 Dialing→Released (rejected)'], 'rejected'],
    ['ring timeout (Timeout="10")', { response: 'no-answer' }, {}, ['10 leg-1 Dialing→Released (no-answer)'], 'no-answer'],
    ['target hangs up during the whisper', { ringSeconds: 2, hangupAfterSeconds: 1 }, {}, ['2 leg-1 Dialing→Established', '3 leg-1 Established→Released (remote-hangup)'], 'target-hangup'],
  ];

  it.each(FAILURES)('%s: the caller stays, the script goes on with $TransferCause', async (_name, target, caller, legLines, cause) => {
    w = world({ directory: { '2000': target }, routes: APP });
    const result = await w.inbound(
      { behaviour: caller },
      '<Response><BlindTransfer Timeout="10" Whisper="You have a call from Ann." FinishedUrl="http://app.example/done">2000</BlindTransfer><Var ID="cause" Value="$TransferCause"/></Response>',
    );
    expect(result.cause).toBe('normal');
    const at = legLines.at(-1)!.split(' ')[0]!;
    expect(fromVerb(w.trace(['leg.state', 'transfer.ended', 'verb.started', 'verb.finished', 'notification.requested', 'session.ended']))).toEqual([
      '0 [s1] BlindTransfer',
      '0 leg-1 Idle→Dialing',
      ...legLines,
      `${at} in-1 blind transfer ${cause}`,
      // FinishedUrl hears it while the verb runs; its empty reply lets the script go on.
      `${at} → TransferCompleted http://app.example/done`,
      `${at} [s1] BlindTransfer → ${cause}`,
      `${at} [s1] Var`,
      `${at} [s1] Var → set`,
      `${at} in-1 Established→Released (normal)`,
      `${at} [s1] end normal`,
    ]);
    expect(w.vars()).toEqual([{ cause }]);
    expect(w.deliveries('CallId', 'TransferCause', 'Target', 'Duration')).toEqual([
      { kind: 'fetch', name: 'TransferCompleted', url: 'http://app.example/done', CallId: 'in-1', TransferCause: cause, Target: '2000', Duration: '0' },
    ]);
  });

  it('not found: nothing rings, the cause comes at once', async () => {
    w = world({ routes: APP });
    await w.inbound({}, '<Response><BlindTransfer>5999</BlindTransfer><Var ID="cause" Value="$TransferCause"/></Response>');
    expect(fromVerb(w.trace(['leg.state', 'transfer.ended', 'verb.started', 'verb.finished']))).toEqual([
      '0 [s1] BlindTransfer', '0 leg-1 Idle→Dialing', '0 leg-1 Dialing→Released (not-found)', '0 in-1 blind transfer not-found', '0 [s1] BlindTransfer → not-found',
      '0 [s1] Var', '0 [s1] Var → set', '0 in-1 Established→Released (normal)',
    ]);
    expect(w.vars()).toEqual([{ cause: 'not-found' }]);
  });

  it('the caller hangs up while the target rings: the target is cancelled, the session ends, FinishedUrl hears caller-hangup', async () => {
    w = world({ directory: { '2000': { ringSeconds: 8 } }, routes: APP });
    const result = await w.inbound(
      { behaviour: { hangupAtSeconds: 4 } },
      '<Response><BlindTransfer FinishedUrl="http://app.example/done" CallbackUrl="http://app.example/cb">2000</BlindTransfer><Var ID="cause" Value="$TransferCause"/></Response>',
    );
    expect(result.cause).toBe('caller-hangup');
    expect(fromVerb(w.trace(['leg.state', 'transfer.ended', 'verb.started', 'verb.finished', 'notification.requested', 'session.ended', 'media.ended']))).toEqual([
      '0 [s1] BlindTransfer',
      '0 leg-1 Idle→Dialing',
      '0 → CallChanged http://app.example/cb',
      '4 in-1 Established→Released (remote-hangup)',
      '4 in-1 tone ringback-us ended hangup',
      '4 leg-1 Dialing→Released (cancelled)',
      '4 → CallChanged http://app.example/cb',
      '4 in-1 blind transfer caller-hangup',
      '4 → TransferCompleted http://app.example/done',
      '4 → TransferCompleted http://app.example/cb',
      '4 [s1] BlindTransfer → interrupted',
      '4 [s1] end caller-hangup',
    ]);
    expect(w.deliveries('CallState', 'Cause', 'TransferCause')).toEqual([
      { kind: 'send', name: 'CallChanged', url: 'http://app.example/cb', CallState: 'Ringing' },
      { kind: 'send', name: 'CallChanged', url: 'http://app.example/cb', CallState: 'Cancelled', Cause: 'cancelled' },
      { kind: 'send', name: 'TransferCompleted', url: 'http://app.example/done', CallState: 'Completed', TransferCause: 'caller-hangup' },
      { kind: 'send', name: 'TransferCompleted', url: 'http://app.example/cb', CallState: 'Completed', TransferCause: 'caller-hangup' },
    ]);
  });

  it.each([
    ['BlindTransfer', '<BlindTransfer FinishedUrl="http://app.example/done">2000</BlindTransfer>', 'blind'],
    ['AttendedTransfer', '<AttendedTransfer FinishedUrl="http://app.example/done">2000</AttendedTransfer>', 'consult'],
  ])('%s: the session stopped while the target rings: cancelled, in the event and to FinishedUrl', async (_verb, verb, kind) => {
    w = world({ directory: { '2000': { ringSeconds: 8 } }, routes: APP });
    const handle = w.engine.start({ channel: w.ring(), start: { program: compile(`<Response>${verb}</Response>`) } });
    w.clock.setTimer(3000, () => handle.stop());
    expect((await handle.done).cause).toBe('cancelled');
    expect(w.trace(['leg.state', 'transfer.ended', 'notification.requested']).filter((l) => l.startsWith('3 '))).toEqual([
      '3 in-1 ' + (kind === 'blind' ? 'Established' : 'Held') + '→Released (cancelled)',
      ...(kind === 'blind'
        ? ['3 leg-1 Dialing→Released (cancelled)', '3 in-1 blind transfer cancelled']
        : ['3 in-1 consult transfer cancelled', '3 leg-1 Dialing→Released (cancelled)']),
      '3 → TransferCompleted http://app.example/done',
    ]);
    expect(w.deliveries('TransferCause')).toEqual([{ kind: 'send', name: 'TransferCompleted', url: 'http://app.example/done', TransferCause: 'cancelled' }]);
  });

  it('a reply with verbs from FinishedUrl replaces the rest of the script after a failure', async () => {
    w = world({ directory: { '2000': { response: 'busy' } }, routes: { 'http://app.example/done': '<Response><Speak>Voicemail.</Speak></Response>' } });
    await w.inbound({}, '<Response><BlindTransfer FinishedUrl="http://app.example/done">2000</BlindTransfer><Speak>Not reached.</Speak></Response>');
    expect(w.of('verb.started').map((e) => e.attributes['Text'] ?? e.verb)).toEqual(['BlindTransfer', 'Voicemail.']);
  });
});

describe('BlindTransfer options (seed 001)', () => {
  it('CallerId: private hides the number, caller keeps it, an owned number is shown; CallerDisplayName names the call', async () => {
    w = world({ directory: { '2000': { response: 'busy' } }, ownedNumbers: ['+1 555 000-8888'] });
    await w.inbound({}, `<Response>
      <BlindTransfer CallerId="private">2000</BlindTransfer>
      <BlindTransfer CallerId="caller" CallerDisplayName="Ann Smith">2000</BlindTransfer>
      <BlindTransfer CallerId="+15550008888">2000</BlindTransfer>
    </Response>`);
    expect(w.of('leg.created').slice(1).map((e) => [e.legId, e.from, e.displayName])).toEqual([
      ['leg-1', 'anonymous', undefined], ['leg-2', '+15550001', 'Ann Smith'], ['leg-3', '+15550008888', undefined],
    ]);
    expect(['leg-1', 'leg-2', 'leg-3'].map((id) => [w.sim.leg(id)?.from, w.sim.leg(id)?.privacy, w.sim.leg(id)?.displayName])).toEqual([
      ['anonymous', true, undefined], ['+15550001', false, 'Ann Smith'], ['+15550008888', false, undefined],
    ]);
  });

  it('CallerId: a number the platform does not own is refused before dialling, with a clear error; $TransferCause=failed', async () => {
    w = world({ directory: { '2000': {} }, ownedNumbers: ['+15550008888'] });
    await w.inbound({}, '<Response><BlindTransfer CallerId="+15557770000">2000</BlindTransfer><Var ID="cause" Value="$TransferCause"/></Response>');
    expect(fromVerb(w.trace(['leg.created', 'error', 'verb.started', 'verb.finished', 'transfer.started']))).toEqual([
      '0 [s1] BlindTransfer',
      '0 error invalid-option: CallerId "+15557770000" is not allowed on leg in-1: use "private", "caller" or a number in ownedNumbers',
      '0 [s1] BlindTransfer → failed',
      '0 [s1] Var',
      '0 [s1] Var → set',
    ]);
    expect(w.vars()).toEqual([{ cause: 'failed' }]);
  });

  it('on a call the platform placed only private or an owned number: caller is refused before dialling', async () => {
    w = world({ directory: { '5000': { ringSeconds: 1 }, '2000': { response: 'busy' } }, ownedNumbers: ['+15550008888'] });
    const placed = w.calls.createChannel();
    expect(await placed.dial('5000', { from: '+15550008888' })).toBe('answered');
    await w.engine.start({
      channel: placed,
      direction: 'outbound',
      start: { program: compile(`<Response>
        <BlindTransfer CallerId="caller">2000</BlindTransfer><Var ID="a" Value="$TransferCause"/>
        <BlindTransfer DiversionTreatment="stack">2000</BlindTransfer><Var ID="b" Value="$TransferCause"/>
        <BlindTransfer CallerId="private">2000</BlindTransfer><Var ID="c" Value="$TransferCause"/>
        <BlindTransfer CallerId="+15550008888">2000</BlindTransfer><Var ID="d" Value="$TransferCause"/>
      </Response>`) },
    }).done;
    expect(w.trace(['error'])).toEqual([
      '1 error invalid-option: CallerId "caller" is only possible on calls that came in; leg leg-1 was placed by the platform, so use "private" or an owned number',
      '1 error invalid-option: diversionTreatment "stack" needs a call that came in; leg leg-1 was placed by the platform',
    ]);
    expect(w.vars()).toEqual([{ a: 'failed' }, { b: 'failed' }, { c: 'busy' }, { d: 'busy' }]);
    // Only the two allowed transfers dialled.
    expect(w.of('leg.created').slice(1).map((e) => [e.legId, e.from])).toEqual([['leg-2', 'anonymous'], ['leg-3', '+15550008888']]);
  });

  it('RingbackTone: the caller hears the chosen tone while the target rings; none is silence', async () => {
    w = world({ directory: { '2000': { ringSeconds: 2, hangupAfterSeconds: 5 }, '2001': { response: 'busy', ringSeconds: 3 } } });
    await w.inbound({}, '<Response><BlindTransfer RingbackTone="none">2001</BlindTransfer><BlindTransfer RingbackTone="ringback-uk">2000</BlindTransfer></Response>');
    expect(w.trace(['media.started', 'media.ended'])).toEqual(['3 in-1 tone ringback-uk', '5 in-1 tone ringback-uk ended interrupted']);
  });

  it('Whisper text with voice, gender and locale; WhisperAudio plays a file; the caller is connected only afterwards', async () => {
    w = world({ directory: { '2000': { ringSeconds: 1, hangupAfterSeconds: 30 }, '2001': { ringSeconds: 1, hangupAfterSeconds: 30 } } });
    await w.inbound({}, '<Response><BlindTransfer Whisper="Transfer from Ann." WhisperVoice="Jorge" WhisperGender="male" WhisperLocale="es_MX">2000</BlindTransfer></Response>');
    await w.inbound({ from: '+15550002' }, '<Response><BlindTransfer WhisperAudio="http://media.example/whisper.wav">2001</BlindTransfer></Response>');
    expect(w.sim.speech).toEqual([{ legId: 'leg-1', text: 'Transfer from Ann.', voice: 'Jorge', gender: 'male', language: 'es_MX' }]);
    expect(w.trace(['media.started', 'media.ended', 'bridge.started']).filter((l) => !l.includes('tone'))).toEqual([
      '1 leg-1 speech Transfer from Ann.',
      '2.7 leg-1 speech Transfer from Ann. ended completed',
      '2.7 bridge in-1+leg-1',
      // The second call rings in once the first session is over.
      '3.7 leg-2 audio http://media.example/whisper.wav',
      // Remote audio lasts the sim's default 5 s.
      '8.7 leg-2 audio http://media.example/whisper.wav ended completed',
      '8.7 bridge in-2+leg-2',
    ]);
  });

  it('Whisper voice from locale and gender: en means en_US (Susan), a male fr voice is Bernard, a voice alone brings its own gender and locale', async () => {
    w = world({ directory: { '2000': { ringSeconds: 1, hangupAfterSeconds: 30 }, '2001': { ringSeconds: 1, hangupAfterSeconds: 30 }, '2002': { ringSeconds: 1, hangupAfterSeconds: 30 } } });
    await w.inbound({}, '<Response><BlindTransfer Whisper="Call for you." WhisperLocale="en">2000</BlindTransfer></Response>');
    await w.inbound({ from: '+15550002' }, '<Response><BlindTransfer Whisper="Un appel." WhisperGender="male" WhisperLocale="fr">2001</BlindTransfer></Response>');
    await w.inbound({ from: '+15550003' }, '<Response><BlindTransfer Whisper="Ein Anruf." WhisperVoice="katrin">2002</BlindTransfer></Response>');
    expect(w.sim.speech).toEqual([
      { legId: 'leg-1', text: 'Call for you.', voice: 'Susan', gender: 'female', language: 'en_US' },
      { legId: 'leg-2', text: 'Un appel.', voice: 'Bernard', gender: 'male', language: 'fr' },
      { legId: 'leg-3', text: 'Ein Anruf.', voice: 'Katrin', gender: 'female', language: 'de' },
    ]);
  });

  it('Whisper voice that a variable makes impossible: refused before dialling with a clear error; $TransferCause=failed', async () => {
    w = world({ directory: { '2000': {} } });
    await w.inbound({}, '<Response><Var ID="v" Value="Kate"/><BlindTransfer Whisper="Hallo" WhisperVoice="$v" WhisperLocale="de">2000</BlindTransfer><Var ID="cause" Value="$TransferCause"/></Response>');
    expect(fromVerb(w.trace(['leg.created', 'error', 'verb.started', 'verb.finished', 'transfer.started']))).toEqual([
      '0 [s1] BlindTransfer',
      '0 error invalid-option: BlindTransfer: no whisper voice: voice Kate speaks en_US, not de',
      '0 [s1] BlindTransfer → failed',
      '0 [s1] Var',
      '0 [s1] Var → set',
    ]);
    expect(w.vars()).toEqual([{ v: 'Kate' }, { cause: 'failed' }]);
  });

  it('DiversionTreatment: none sends nothing, propagate copies, stack puts the dialled number on top with the reason; the new leg carries them in its events', async () => {
    w = world({ directory: { '2000': { response: 'busy' } }, routes: APP });
    const incoming = [{ number: '+15554440000', reason: 'no-answer' as const }];
    await w.inbound({ to: '+15559990000', diversions: incoming }, `<Response>
      <BlindTransfer>2000</BlindTransfer>
      <BlindTransfer DiversionTreatment="propagate">2000</BlindTransfer>
      <BlindTransfer DiversionTreatment="stack">2000</BlindTransfer>
      <BlindTransfer DiversionTreatment="stack" DiversionReason="do-not-disturb" CallbackUrl="http://app.example/cb">2000</BlindTransfer>
    </Response>`);
    expect(w.of('leg.created').slice(1).map((e) => e.diversions)).toEqual([
      undefined,
      incoming,
      [{ number: '+15559990000', reason: 'unknown' }, ...incoming],
      [{ number: '+15559990000', reason: 'do-not-disturb' }, ...incoming],
    ]);
    expect(w.sim.leg('leg-4')?.diversions).toEqual([{ number: '+15559990000', reason: 'do-not-disturb' }, ...incoming]);
    expect(w.deliveries('CallId', 'CallState', 'Diversion').filter((d) => (d as { name: string }).name === 'CallChanged')).toEqual([
      { kind: 'send', name: 'CallChanged', url: 'http://app.example/cb', CallId: 'leg-4', CallState: 'Ringing', Diversion: '+15559990000;reason=do-not-disturb, +15554440000;reason=no-answer' },
      { kind: 'send', name: 'CallChanged', url: 'http://app.example/cb', CallId: 'leg-4', CallState: 'Busy', Diversion: '+15559990000;reason=do-not-disturb, +15554440000;reason=no-answer' },
    ]);
  });

  it('Record records the transferred call in the chosen format until it ends', async () => {
    w = world({ directory: { '2000': { ringSeconds: 1, hangupAfterSeconds: 12 } } });
    const recorded = w.next('recording.ended');
    await w.inbound({}, '<Response><BlindTransfer Record="true" RecordFormat="mp3">2000</BlindTransfer></Response>');
    await w.settle();
    const recording = await recorded;
    expect(w.trace(['recording.started', 'recording.ended', 'bridge.started', 'bridge.ended'])).toEqual([
      '1 bridge in-1+leg-1', '1 in-1 recording mp3', '13 unbridge in-1+leg-1 (remote-hangup)', '13 in-1 recorded 12s hangup .mp3',
    ]);
    expect(statSync(recording.file).size).toBeGreaterThan(0);
  });

  it('Record: the recording URL reaches the app with the TransferCompleted sent when the transferred call ends', async () => {
    w = world({ directory: { '2000': { ringSeconds: 1, hangupAfterSeconds: 12 } }, routes: APP });
    const recorded = w.next('recording.ended');
    await w.inbound({}, '<Response><BlindTransfer Record="true" FinishedUrl="http://app.example/done">2000</BlindTransfer></Response>');
    await w.settle();
    const recording = await recorded;
    await w.settle();
    expect(recording.url).toMatch(/^file:\/\/.*\/in-1-1\.wav$/);
    expect(w.deliveries('TransferCause', 'Duration', 'RecordURL')).toEqual([
      { kind: 'send', name: 'TransferCompleted', url: 'http://app.example/done', TransferCause: 'completed', Duration: '12', RecordURL: recording.url },
    ]);
  });
});

describe('BlindTransfer in third-party context', () => {
  /** Call in-1 (+15550001 → 1000) connected by the platform to 1001 (leg-1). */
  async function twoPartyCall(): Promise<void> {
    const caller = w.ring({ from: '+15550001', to: '1000' });
    await caller.answer();
    expect((await caller.singleStepConference('1001')).cause).toBe('completed');
  }

  it.each([
    ['callee', 'in-1', 'leg-1'],
    ['caller', 'leg-1', 'in-1'],
  ])('TransferorParty="%s" leaves the call; the other party (%s) moves to the target', async (party, moved, transferor) => {
    w = world({ directory: { '1001': { ringSeconds: 1 }, '2000': { ringSeconds: 2, hangupAfterSeconds: 10 } }, routes: APP });
    await twoPartyCall();
    const result = await w.thirdParty(`<Response><BlindTransfer TransferorParty="${party}" FinishedUrl="http://app.example/done">2000</BlindTransfer></Response>`, 'in-1');
    expect(result.cause).toBe('transferred');
    await w.settle();
    expect(fromVerb(w.trace(['leg.state', 'transfer.ended', 'bridge.started', 'bridge.ended', 'verb.started', 'verb.finished', 'notification.requested']))).toEqual([
      '1 [s1] BlindTransfer',
      `1 ${transferor} Established→Released (transferred)`,
      `1 unbridge ${transferor}+${moved} (transferred)`,
      '1 leg-2 Idle→Dialing',
      '3 leg-2 Dialing→Established',
      `3 ${moved} Established→Released (transferred)`,
      '3 leg-2 Established→Released (transferred)',
      `3 bridge ${moved}+leg-2`,
      `3 ${moved} blind transfer completed`,
      '3 [s1] BlindTransfer → completed',
      `13 unbridge ${moved}+leg-2 (remote-hangup)`,
      '13 → TransferCompleted http://app.example/done',
    ]);
    expect(w.deliveries('CallId', 'TransferCause', 'Duration')).toEqual([
      { kind: 'send', name: 'TransferCompleted', url: 'http://app.example/done', CallId: 'in-1', TransferCause: 'completed', Duration: '10' },
    ]);
  });

  it('a refused option is found while the call is still whole: nobody leaves, $TransferCause=failed', async () => {
    w = world({ directory: { '1001': { ringSeconds: 1 }, '2000': {} } });
    await twoPartyCall();
    await w.thirdParty('<Response><BlindTransfer TransferorParty="callee" CallerId="+15557770000">2000</BlindTransfer><Var ID="cause" Value="$TransferCause"/></Response>', 'in-1');
    expect(w.vars()).toEqual([{ cause: 'failed' }]);
    expect(w.calls.channel('in-1')?.state).toBe('Established');
    expect(w.calls.channel('leg-1')?.snapshot().bridgedTo).toBe('in-1');
    await w.thirdParty('<Response><Hangup/></Response>', 'in-1');
  });

  it('a call with one party and TransferorParty="caller": nobody to move (invalid-state)', async () => {
    w = world();
    const caller = w.ring();
    await caller.answer();
    await w.thirdParty('<Response><BlindTransfer TransferorParty="caller">2000</BlindTransfer><Var ID="cause" Value="$TransferCause"/><Hangup/></Response>', 'in-1');
    expect(w.trace(['error'])).toEqual(['0 error invalid-state: BlindTransfer: call in-1 has no callee to transfer']);
    expect(w.vars()).toEqual([{ cause: 'invalid-state' }]);
  });

  it('an unknown CallId: not-found, with an error', async () => {
    w = world();
    await w.thirdParty('<Response><BlindTransfer CallId="in-9" TransferorParty="callee">2000</BlindTransfer><Var ID="cause" Value="$TransferCause"/></Response>', 'in-9');
    expect(w.trace(['error'])).toEqual(["0 error not-found: BlindTransfer: no call with CallId 'in-9'"]);
    expect(w.vars()).toEqual([{ cause: 'not-found' }]);
  });
});
