/** Routing context: a RoutingInterception reply decides where a call goes (SessionResult.route). */
import { afterEach, describe, expect, it } from 'vitest';
import type { StartOptions } from '../../src/engine/engine.js';
import { compile, harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

const INTERCEPT = 'http://app.example/route';
const routingStart = (lastCallState: string): StartOptions => ({
  callId: 'call-77',
  caller: '1001',
  callee: '2000',
  start: {
    url: INTERCEPT,
    notification: 'RoutingInterception',
    context: 'routing',
    params: {
      CallerID: 'Ann', OriginalDialedNumber: '2000', LastDialedNumber: '2000', LastCalledExtension: '2000',
      LastCallState: lastCallState, CallerExtension: '1001',
    },
  },
});

describe('Route', () => {
  it('answers RoutingInterception: the decision comes back in the session result; LastCallState is a variable', async () => {
    h = harness({ routes: { [INTERCEPT]: '<Response><Route RingTime="30" Destination="$LastCalledExtension-backup" CallerId="$CallerExtension"/></Response>' } });
    const result = await h.engine.start(routingStart('NoAnswer')).done;
    expect(result).toEqual({
      sessionId: 's1', cause: 'normal', verbs: 1, documents: 1, route: { destination: '2000-backup', ringSeconds: 30, callerId: '1001' },
    });
    expect(h.trace(['session.started', 'notification.requested', 'notification.replied', 'document.loaded', 'verb.started', 'verb.finished', 'session.ended'])).toEqual([
      '0 start routing call-77',
      '0 → RoutingInterception http://app.example/route',
      '0 ← RoutingInterception document',
      '0 document http://app.example/route',
      '0 Route',
      '0 Route → route 2000-backup',
      '0 end normal',
    ]);
    expect(h.source.deliveries[0]!.params).toEqual({
      NotificationName: 'RoutingInterception', CallId: 'call-77', Caller: '1001', Callee: '2000', ApiExtension: '9000', CallState: 'Ringing',
      Direction: 'Incoming', Timestamp: '1970-01-01T00:00:00.000Z',
      CallerID: 'Ann', OriginalDialedNumber: '2000', LastDialedNumber: '2000', LastCalledExtension: '2000', LastCallState: 'NoAnswer', CallerExtension: '1001',
    });
  });

  it('routes through an outside line with DialedNumber; RingTime defaults to 90', async () => {
    h = harness({ routes: { [INTERCEPT]: '<Response><Route Destination="voipservice1" DialedNumber="234567"/></Response>' } });
    const result = await h.engine.start(routingStart('Calling')).done;
    expect(result.route).toEqual({ destination: 'voipservice1', ringSeconds: 90, dialedNumber: '234567' });
  });

  it('an empty Destination rejects the call', async () => {
    h = harness({ routes: { [INTERCEPT]: '<Response><Route Destination=""/></Response>' } });
    const result = await h.engine.start(routingStart('Busy')).done;
    expect(result).toMatchObject({ cause: 'rejected', route: { destination: '', ringSeconds: 90 } });
    expect(h.trace(['verb.finished'])).toEqual(['0 Route → reject']);
  });

  it('an empty reply leaves the decision to the dial plan (no route)', async () => {
    h = harness({ routes: { [INTERCEPT]: '<Response/>' } });
    const result = await h.engine.start(routingStart('Calling')).done;
    expect(result).toEqual({ sessionId: 's1', cause: 'normal', verbs: 0, documents: 1 });
  });

  it('a reply with other verbs is not a routing document: application-error', async () => {
    h = harness({ routes: { [INTERCEPT]: '<Response><Speak>Hi</Speak></Response>' } });
    const result = await h.engine.start(routingStart('Calling')).done;
    expect(result.cause).toBe('application-error');
    expect(h.of('error').map((e) => e.code)).toEqual(['12200']);
  });

  it('a routing program handed in directly', async () => {
    h = harness();
    const result = await h.engine.start({ start: { program: compile('<Response><Route>1000</Route></Response>', 'routing') } }).done;
    expect(result.route).toEqual({ destination: '1000', ringSeconds: 90 });
  });
});
