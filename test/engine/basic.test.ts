/** The session lifecycle: one actor per call, the event stream, answering and hanging up. */
import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../src/engine/events.js';
import { compile, harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

describe('sessions', () => {
  it('answers, runs the document and hangs up at its end (cause normal)', async () => {
    h = harness();
    const result = await h.inbound({ from: '+15550001', to: '9000' }, '<Response><Speak>Hello there.</Speak><Delay>2</Delay></Response>');
    expect(result).toEqual({ sessionId: 's1', cause: 'normal', verbs: 2, documents: 0 });
    expect(h.trace(['session.started', 'document.loaded', 'verb.started', 'verb.finished', 'leg.state', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing',
      '0 start api-extension in-1',
      '0 in-1 Ringing→Established',
      '0 document -',
      '0 Speak', '1.3 Speak → completed',
      '1.3 Delay', '3.3 Delay → completed',
      '3.3 in-1 Established→Released (normal)',
      '3.3 end normal',
    ]);
    expect(h.of('session.started')).toEqual([{
      time: 0, sessionId: 's1', type: 'session.started', callId: 'in-1', caller: '+15550001', callee: '9000', direction: 'inbound', context: 'api-extension',
    }]);
    expect(h.of('document.loaded')).toEqual([{ time: 0, sessionId: 's1', type: 'document.loaded', url: null, context: 'api-extension', verbs: 2 }]);
    expect(h.of('session.ended')).toEqual([{ time: 3300, sessionId: 's1', type: 'session.ended', cause: 'normal', verbs: 2, documents: 0 }]);
  });

  it('leg state events carry the capabilities of the new state', async () => {
    h = harness();
    await h.inbound({}, '<Response><Beep/></Response>');
    expect(h.of('leg.state').map((e) => [e.state, e.capabilities])).toEqual([
      ['Ringing', ['Answer', 'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair']],
      ['Established', [
        'Hangup', 'Hold', 'SendDtmf', 'InitiateTransfer', 'SingleStepTransfer', 'InitiateConference', 'SingleStepConference',
        'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair',
      ]],
      ['Released', []],
    ]);
  });

  it('every verb.started has its verb.finished, with position and document URL', async () => {
    h = harness({ routes: { 'http://app.example/b': '<Response>\n  <Beep/>\n</Response>' } });
    await h.inbound({}, { program: compile('<Response>\n<Var ID="x">1</Var>\n  <GoTo>http://app.example/b</GoTo></Response>', 'api-extension', { url: 'http://app.example/a' }), url: 'http://app.example/a' });
    expect(h.of('verb.started').map((e) => [e.verb, e.line, e.column, e.url])).toEqual([
      ['Var', 2, 1, 'http://app.example/a'],
      ['GoTo', 3, 3, 'http://app.example/a'],
      ['Beep', 2, 3, 'http://app.example/b'],
    ]);
    expect(h.of('verb.finished').map((e) => e.verb).sort()).toEqual(['Beep', 'GoTo', 'Var']);
  });

  it('one actor per call: sessions run side by side and each ends on its own', async () => {
    h = harness();
    const first = h.inbound({ from: '+15550001' }, '<Response><Delay>5</Delay></Response>');
    const second = h.inbound({ from: '+15550002', behaviour: { hangupAtSeconds: 2 } }, '<Response><Delay>5</Delay></Response>');
    expect(h.engine.liveSessions).toBe(2);
    expect(await Promise.all([first, second])).toEqual([
      { sessionId: 's1', cause: 'normal', verbs: 1, documents: 0 },
      { sessionId: 's2', cause: 'caller-hangup', verbs: 1, documents: 0 },
    ]);
    expect(h.engine.liveSessions).toBe(0);
    expect(h.trace(['session.ended'], { prefix: true })).toEqual(['[s2] 2 end caller-hangup', '[s1] 5 end normal']);
  });

  it('close() stops the live sessions with cause cancelled', async () => {
    h = harness();
    const done = h.inbound({}, '<Response><Delay>60</Delay></Response>');
    h.clock.setTimer(1000, () => void h.engine.close());
    expect(await done).toMatchObject({ cause: 'cancelled' });
    expect(h.trace(['leg.state', 'session.ended']).slice(-2)).toEqual(['1 in-1 Established→Released (cancelled)', '1 end cancelled']);
  });

  it('a listener that throws does not break the call or other listeners', async () => {
    h = harness();
    h.engine.events.subscribe(() => {
      throw new Error('broken observer');
    });
    const result = await h.inbound({}, '<Response><Beep/></Response>');
    expect(result.cause).toBe('normal');
    expect(h.trace(['verb.finished'])).toEqual(['0.5 Beep → completed']);
    const hub = new EventHub<number>();
    const seen: number[] = [];
    const stop = hub.subscribe((n) => seen.push(n));
    hub.emit(1);
    stop();
    hub.emit(2);
    expect(seen).toEqual([1]);
  });
});
