/** The limits per call of design.md §4: documents fetched, verbs executed, call length. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/engine/runtime.js';
import { harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

const ERRORS = 'http://app.example/errors';
const STEPS = ['verb.started', 'verb.finished', 'error', 'notification.requested', 'leg.state', 'session.ended'];

describe('limits', () => {
  it('one document too many ends the call with limit-exceeded and an Error notification', async () => {
    expect(DEFAULT_LIMITS).toEqual({ documents: 100, verbs: 10_000, callSeconds: 14_400 });
    h = harness({
      engine: { limits: { documents: 2 }, errorUrl: ERRORS },
      routes: { 'http://app.example/loop': '<Response><Beep/><GoTo>http://app.example/loop</GoTo></Response>', [ERRORS]: '<Response/>' },
    });
    const result = await h.inbound({ from: '+15550001', to: '9000' }, '<Response><GoTo>http://app.example/loop</GoTo></Response>');
    expect(result).toEqual({ sessionId: 's1', cause: 'limit-exceeded', verbs: 5, documents: 3 });
    expect(h.trace(STEPS)).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established',
      '0 GoTo', '0 → GoTo http://app.example/loop', '0 GoTo → document',
      '0 Beep', '0.5 Beep → completed',
      '0.5 GoTo', '0.5 → GoTo http://app.example/loop', '0.5 GoTo → document',
      '0.5 Beep', '1 Beep → completed',
      '1 GoTo', '1 GoTo → limit-exceeded',
      '1 error limit-exceeded: more than 2 documents fetched',
      '1 → Error http://app.example/errors',
      '1 in-1 Established→Released (limit-exceeded)',
      '1 end limit-exceeded',
    ]);
    expect(h.source.deliveries.at(-1)).toEqual({
      kind: 'send', name: 'Error', url: ERRORS, route: ERRORS,
      params: {
        NotificationName: 'Error', CallId: 'in-1', Caller: '+15550001', Callee: '9000', ApiExtension: '9000', CallState: 'InCall',
        Direction: 'Incoming', Timestamp: '1970-01-01T00:00:01.000Z', ErrorCode: 'limit-exceeded', ErrorUrl: 'http://app.example/loop',
        Detail: 'more than 2 documents fetched',
      },
    });
  });

  it('one verb too many: it never starts', async () => {
    h = harness({ engine: { limits: { verbs: 3 } } });
    const result = await h.inbound({}, '<Response><Beep/><Beep/><Beep/><Beep/><Beep/></Response>');
    expect(result).toEqual({ sessionId: 's1', cause: 'limit-exceeded', verbs: 4, documents: 0 });
    expect(h.trace(STEPS).slice(2)).toEqual([
      '0 Beep', '0.5 Beep → completed', '0.5 Beep', '1 Beep → completed', '1 Beep', '1.5 Beep → completed',
      '1.5 error limit-exceeded: more than 3 verbs executed',
      '1.5 in-1 Established→Released (limit-exceeded)',
      '1.5 end limit-exceeded',
    ]);
  });

  it('nested verbs count too (a loop in ForEach)', async () => {
    h = harness({ engine: { limits: { verbs: 6 } } });
    const result = await h.inbound({}, '<Response><Array ID="a"><Item>1</Item><Item>2</Item><Item>3</Item><Item>4</Item></Array><ForEach Source="a"><Var ID="x" Value="$item"/><Var ID="y" Value="$item"/></ForEach></Response>');
    expect(result.cause).toBe('limit-exceeded');
    // Array, ForEach, then 4 Vars; the 7th verb ends the call inside the loop.
    expect(h.trace(['verb.finished', 'error']).slice(-3)).toEqual(['0 Var → set', '0 ForEach → limit-exceeded', '0 error limit-exceeded: more than 6 verbs executed']);
  });

  it('the call length limit interrupts the running verb and hangs up', async () => {
    h = harness({ engine: { limits: { callSeconds: 10 }, errorUrl: ERRORS }, routes: { [ERRORS]: '<Response/>' } });
    const result = await h.inbound({}, '<Response><Play Repeat="true">http://media.example/hold.mp3</Play></Response>');
    expect(result).toEqual({ sessionId: 's1', cause: 'limit-exceeded', verbs: 1, documents: 0 });
    expect(h.trace([...STEPS, 'media.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established',
      '0 Play', '5 in-1 audio ended completed',
      '10 error limit-exceeded: the call lasted longer than 10 seconds',
      '10 → Error http://app.example/errors',
      '10 in-1 Established→Released (limit-exceeded)',
      '10 in-1 audio ended interrupted',
      '10 Play → interrupted',
      '10 end limit-exceeded',
    ]);
    expect(h.source.deliveries.at(-1)!.params).toMatchObject({ ErrorCode: 'limit-exceeded', ErrorUrl: '', Detail: 'the call lasted longer than 10 seconds' });
  });

  it('the call length counts for sessions without a leg too', async () => {
    h = harness({ engine: { limits: { callSeconds: 3 } } });
    const result = await h.run('<Response><Delay>5</Delay></Response>', 'third-party');
    expect(result.cause).toBe('limit-exceeded');
    expect(h.trace(STEPS)).toEqual(['0 Delay', '3 error limit-exceeded: the call lasted longer than 3 seconds', '3 Delay → interrupted', '3 end limit-exceeded']);
  });
});
