/** The end-of-test check every executor test shares: nothing of a call may outlive it. */
import { expect } from 'vitest';
import type { CallControl } from '../../src/calls/call-control.js';
import type { VirtualClock } from '../../src/calls/clock.js';
import type { SimSwitch } from '../../src/calls/sim/sim-switch.js';
import type { Engine } from '../../src/engine/engine.js';

export function expectNothingLeft(world: { engine: Engine; sim: SimSwitch; calls: CallControl; clock: VirtualClock }): void {
  expect(world.engine.liveSessions, 'live sessions').toBe(0);
  expect(world.sim.liveLegs(), 'live legs on the sim').toEqual([]);
  expect(world.calls.liveChannels().map((c) => c.id), 'live channels').toEqual([]);
  expect(world.calls.handedOffLegs(), 'handed-off legs').toEqual([]);
  expect(world.clock.pendingTimers(), 'pending timers').toEqual([]);
}
