/**
 * A caller hanging up in the middle of every blocking verb stops it at once: the session ends with
 * `caller-hangup` at that virtual time, timers and fetches are cancelled, legs released, and the
 * harness finds no live leg, timer or session afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PartyBehaviour } from '../../src/calls/sim/directory.js';
import type { LocalRoute } from '../../src/webhooks/local-source.js';
import { compile, harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

interface Case {
  name: string;
  script: string;
  /** When the caller hangs up (seconds after the call started). */
  at: number;
  /** The verb.finished reports at the hangup, innermost first. */
  finished: string[];
  /** The caller's leg state when it hangs up (default Established). */
  state?: 'Held' | 'Transferred';
  directory?: Record<string, PartyBehaviour>;
  routes?: Record<string, LocalRoute>;
  presses?: PartyBehaviour['presses'];
  services?: Record<string, string>;
}

const SLOW = (ozml: string): LocalRoute => ({ ozml, delayMs: 10_000 });

const CASES: Case[] = [
  { name: 'Speak', script: '<Speak>A rather long announcement that takes a while to read out.</Speak>', at: 2, finished: ['Speak → interrupted'] },
  { name: 'Play', script: '<Play>http://media.example/long.wav</Play>', at: 3, finished: ['Play → interrupted'] },
  { name: 'Play Repeat', script: '<Play Repeat="true" Timeout="60">http://media.example/a.wav</Play>', at: 12, finished: ['Play → interrupted'] },
  { name: 'Delay', script: '<Delay>30</Delay>', at: 4, finished: ['Delay → interrupted'] },
  { name: 'Beep', script: '<Beep/>', at: 0.25, finished: ['Beep → interrupted'] },
  { name: 'Record', script: '<Record Duration="60"/>', at: 5, finished: ['Record → hangup'] },
  {
    name: 'UserInput while the prompts play',
    script: '<UserInput><InitialCommands><Speak>Please choose one of the many options we offer.</Speak></InitialCommands></UserInput>',
    at: 1, finished: ['Speak → interrupted', 'UserInput → interrupted'],
  },
  { name: 'UserInput while waiting for digits', script: '<UserInput Timeout="10"/>', at: 6, finished: ['UserInput → interrupted'] },
  {
    name: 'UserInput while waiting for the next digit', script: '<UserInput Digits="4" Timeout="10"/>', at: 3,
    presses: [{ digits: '12' }], finished: ['UserInput → interrupted'],
  },
  {
    name: 'UserInput while ForwardToUrl is fetched', script: '<UserInput ForwardToUrl="http://app.example/slow"/>', at: 4,
    presses: [{ digits: '9' }], routes: { 'http://app.example/slow': SLOW('<Response><Beep/></Response>') }, finished: ['UserInput → interrupted'],
  },
  {
    name: 'a nested menu', script: '<UserInput><Inputs><Input Key="1"><UserInput BackKey="*"><InitialCommands><Delay>20</Delay></InitialCommands></UserInput></Input></Inputs></UserInput>',
    at: 5, presses: [{ digits: '1' }], finished: ['Delay → interrupted', 'UserInput → interrupted', 'UserInput → interrupted'],
  },
  { name: 'GoTo while the document is fetched', script: '<GoTo>http://app.example/slow</GoTo>', at: 2, routes: { 'http://app.example/slow': SLOW('<Response><Beep/></Response>') }, finished: ['GoTo → interrupted'] },
  {
    name: 'Record while RecordCompleted is fetched', script: '<Record Duration="2" FinishedUrl="http://app.example/slow"/>', at: 5,
    routes: { 'http://app.example/slow': SLOW('<Response><Beep/></Response>') }, finished: ['Record → interrupted'],
  },
  { name: 'ForEach', script: '<Array ID="a"><Item>x</Item></Array><ForEach Source="a"><Delay>9</Delay></ForEach>', at: 1, finished: ['Delay → interrupted', 'ForEach → interrupted'] },
  {
    name: 'Request while the requested call rings', script: '<Request DialedAddress="2000"><OnAnswered><Beep/></OnAnswered></Request>', at: 3,
    directory: { '2000': { ringSeconds: 10 } }, finished: ['Request → interrupted'],
  },
  {
    name: 'Request during OnAnswered', script: '<Request DialedAddress="2000"><OnAnswered><Delay>30</Delay></OnAnswered></Request>', at: 5,
    directory: { '2000': { ringSeconds: 1 } }, finished: ['Delay → interrupted', 'Request → interrupted'],
  },
  {
    name: 'BlindTransfer while the target rings', script: '<BlindTransfer>2000</BlindTransfer>', at: 4,
    directory: { '2000': { ringSeconds: 10 } }, finished: ['BlindTransfer → interrupted'],
  },
  {
    name: 'BlindTransfer while FinishedUrl is fetched', script: '<BlindTransfer FinishedUrl="http://app.example/slow">2000</BlindTransfer>', at: 3,
    directory: { '2000': { response: 'busy', ringSeconds: 1 } }, routes: { 'http://app.example/slow': SLOW('<Response><Beep/></Response>') },
    finished: ['BlindTransfer → interrupted'],
  },
  {
    name: 'AttendedTransfer while the consult leg rings', script: '<AttendedTransfer Target="2000"/>', at: 4,
    directory: { '2000': { ringSeconds: 10 } }, state: 'Held', finished: ['AttendedTransfer → interrupted'],
  },
  {
    name: 'AttendedTransfer during the Consult block', script: '<AttendedTransfer Target="2000"><Consult><Speak>Somebody is waiting for you on the line.</Speak></Consult></AttendedTransfer>', at: 3,
    directory: { '2000': { ringSeconds: 2 } }, state: 'Held', finished: ['Speak → interrupted', 'AttendedTransfer → interrupted'],
  },
  {
    name: 'AttendedTransfer while waiting for AcceptKey', script: '<AttendedTransfer Target="2000" AcceptKey="1"/>', at: 5,
    directory: { '2000': { ringSeconds: 2 } }, state: 'Held', finished: ['AttendedTransfer → interrupted'],
  },
  {
    name: 'TransferToService while the service has the call', script: '<TransferToService>sales</TransferToService>', at: 8,
    services: { sales: '3000' }, directory: { '3000': { ringSeconds: 1 } }, state: 'Transferred', finished: ['TransferToService → interrupted'],
  },
  { name: 'ReceiveAlarmNotification', script: '<ReceiveAlarmNotification Timeout="60"/>', at: 7, presses: [{ digits: '1234' }], finished: ['ReceiveAlarmNotification → interrupted'] },
];

describe('a caller hanging up in the middle of a verb', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    h = harness({
      directory: c.directory ?? {},
      routes: c.routes ?? {},
      ...(c.services ? { services: c.services, engine: { services: Object.keys(c.services) } } : {}),
    });
    const result = await h.inbound({ behaviour: { hangupAtSeconds: c.at, ...(c.presses ? { presses: c.presses } : {}) } }, `<Response>${c.script}<Speak>Never.</Speak></Response>`);
    expect(result.cause).toBe('caller-hangup');
    const t = String(c.at);
    const fromHangup = h.trace(['verb.finished', 'leg.state', 'session.ended']).filter((l) => l.startsWith(`${t} `));
    expect(fromHangup[0]).toBe(`${t} in-1 ${c.state ?? 'Established'}→Released (remote-hangup)`);
    expect(fromHangup.filter((l) => l.includes(' → ')).map((l) => l.slice(t.length + 1))).toEqual(c.finished);
    expect(fromHangup.at(-1)).toBe(`${t} end caller-hangup`);
    // Nothing after the end, nothing of the script still running.
    expect(h.events.at(-1)).toMatchObject({ type: 'session.ended', time: c.at * 1000 });
    expect(h.of('verb.started').filter((e) => e.time > c.at * 1000 || e.attributes['Text'] === 'Never.')).toEqual([]);
    expect(h.engine.liveSessions).toBe(0);
    expect(h.calls.liveChannels()).toEqual([]);
    expect(h.clock.pendingTimers()).toEqual([]);
  });

  it('while the first document is fetched (the call still rings): the fetch is cancelled', async () => {
    h = harness({ routes: { 'http://app.example/incoming': SLOW('<Response><Beep/></Response>') } });
    const result = await h.inbound({ behaviour: { hangupAtSeconds: 3 } }, { url: 'http://app.example/incoming', notification: 'IncomingCall' });
    expect(result).toEqual({ sessionId: 's1', cause: 'caller-hangup', verbs: 0, documents: 1 });
    expect(h.trace(['leg.state', 'notification.requested', 'notification.replied', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 → IncomingCall http://app.example/incoming', '3 in-1 Ringing→Released (remote-hangup)', '3 end caller-hangup',
    ]);
    expect(h.clock.pendingTimers()).toEqual([]);
  });

  it('a call placed by Call: the callee hanging up ends its session with caller-hangup', async () => {
    h = harness({ directory: { '2000': { ringSeconds: 1, hangupAfterSeconds: 2 } }, routes: { 'http://app.example/c': '<Response><Delay>30</Delay></Response>' } });
    await h.inbound({}, '<Response><Call Url="http://app.example/c">2000</Call></Response>');
    await h.settle();
    expect(h.trace(['session.ended'], { prefix: true })).toEqual(['[s1] 0 end normal', '[s2] 3 end caller-hangup']);
  });

  it('stop() ends a session with cause cancelled and releases its leg', async () => {
    h = harness();
    const channel = h.ring();
    const handle = h.engine.start({ channel, start: { program: compile('<Response><Delay>30</Delay></Response>') } });
    h.clock.setTimer(2000, () => {
      handle.stop();
      handle.stop(); // a second stop is harmless
    });
    expect(await handle.done).toEqual({ sessionId: 's1', cause: 'cancelled', verbs: 1, documents: 0 });
    handle.stop(); // so is a stop after the end
    expect(h.trace(['leg.state', 'verb.finished', 'session.ended']).slice(-3)).toEqual([
      '2 in-1 Established→Released (cancelled)', '2 Delay → interrupted', '2 end cancelled',
    ]);
  });
});
