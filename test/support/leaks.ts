/** The end-of-test check every executor test shares: nothing of a call may outlive it. */
import { rmSync } from 'node:fs';
import { expect } from 'vitest';
import type { CallControl } from '../../src/calls/call-control.js';
import type { VirtualClock } from '../../src/calls/clock.js';
import type { SimSwitch } from '../../src/calls/sim/sim-switch.js';
import type { Engine } from '../../src/engine/engine.js';
import type { LocalScriptSource } from '../../src/webhooks/local-source.js';

interface World {
  engine: Engine;
  sim: SimSwitch;
  calls: CallControl;
  clock: VirtualClock;
}

function expectNothingLeft(world: World): void {
  expect(world.engine.liveSessions, 'live sessions').toBe(0);
  expect(world.sim.liveLegs(), 'live legs on the sim').toEqual([]);
  expect(world.calls.liveChannels().map((c) => c.id), 'live channels').toEqual([]);
  expect(world.calls.handedOffLegs(), 'handed-off legs').toEqual([]);
  expect(world.clock.pendingTimers(), 'pending timers').toEqual([]);
}

/**
 * The end of an executor test: closes the engine, lets the clock run out (`settle`) and checks
 * that nothing was left; the call layer, the script source and the test's files go even when
 * that check fails.
 */
export async function closeWorld(world: World & { source: LocalScriptSource }, settle: () => Promise<void>, dir: string): Promise<void> {
  try {
    await world.engine.close();
    await settle();
    expectNothingLeft(world);
  } finally {
    world.calls.close();
    await world.source.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
