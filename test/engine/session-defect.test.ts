/**
 * A defect in the session machine itself (an action that throws) must still end the session:
 * sessions are children of the engine's host actor, which ignores their failures, so without the
 * engine's own error observer `done` would never settle.
 */
import { describe, expect, it } from 'vitest';
import { CallControl } from '../../src/calls/call-control.js';
import { VirtualClock } from '../../src/calls/clock.js';
import type { TimerHandle } from '../../src/calls/clock.js';
import { SimSwitch } from '../../src/calls/sim/sim-switch.js';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/index.js';
import { compileDocument } from '../../src/language/index.js';
import { LocalScriptSource } from '../../src/webhooks/local-source.js';
import { ringInbound } from '../support/ring.js';

/** A clock whose call-length timer cannot be set: the session's entry action throws. */
class BrokenLimitClock extends VirtualClock {
  override setTimer(ms: number, fn: () => void, label?: string): TimerHandle {
    if (label === 'session-limit') throw new Error('broken clock');
    return super.setTimer(ms, fn, label);
  }
}

describe('a failing session machine', () => {
  it('ends the session as application-error and releases the call', async () => {
    const clock = new BrokenLimitClock();
    const sim = new SimSwitch({ clock, directory: {} });
    const calls = new CallControl(sim, { clock });
    const engine = new Engine({ calls, source: new LocalScriptSource({ routes: {} }) });
    const events: EngineEvent[] = [];
    engine.events.subscribe((event) => events.push(event));
    const { program } = compileDocument('<Response><Delay>60</Delay></Response>');
    const channel = ringInbound(sim, calls, {});
    const result = await engine.start({ channel, start: { program: program! } }).done;
    expect(result).toEqual({ sessionId: 's1', cause: 'application-error', verbs: 1, documents: 0 });
    expect(events.filter((e) => e.type === 'session.ended').map((e) => 'cause' in e && e.cause)).toEqual(['application-error']);
    expect(channel.state).toBe('Released');
    expect(clock.pendingTimers()).toEqual([]);
  });
});
