/** A call control over a simulated switch on a virtual clock, with every event recorded. */
import { expect } from 'vitest';
import { CallControl, type CallControlOptions } from '../../src/calls/call-control.js';
import type { CallChannel } from '../../src/calls/channel.js';
import { VirtualClock } from '../../src/calls/clock.js';
import type { CallEvent } from '../../src/calls/events.js';
import { SimSwitch, type InboundCall, type SimSwitchOptions } from '../../src/calls/sim/sim-switch.js';

export interface Harness {
  clock: VirtualClock;
  sim: SimSwitch;
  control: CallControl;
  events: CallEvent[];
  /** Places an inbound call and returns its (Ringing) channel. */
  inbound(call?: Partial<InboundCall>): CallChannel;
  /** Events of one type, optionally for one leg. */
  of<T extends CallEvent['type']>(type: T, legId?: string): Extract<CallEvent, { type: T }>[];
  /** `state` of every `leg.state` event of a leg, in order. */
  states(legId: string): string[];
}

export type HarnessOptions = Omit<SimSwitchOptions, 'clock'> & Omit<CallControlOptions, 'clock'>;

const open: Harness[] = [];

export function harness(options: HarnessOptions = {}): Harness {
  const clock = new VirtualClock();
  const sim = new SimSwitch({ clock, ...options });
  const control = new CallControl(sim, { clock, ...options });
  const events: CallEvent[] = [];
  control.subscribe((event) => events.push(event));
  const h: Harness = {
    clock,
    sim,
    control,
    events,
    inbound(call = {}) {
      const id = sim.placeInboundCall({ from: '+15550001111', to: '+15559990000', ...call });
      const channel = control.channel(id);
      if (!channel) throw new Error('no channel for the inbound call');
      return channel;
    },
    of(type, legId) {
      return events.filter((e): e is Extract<CallEvent, { type: typeof type }> => e.type === type && (legId === undefined || e.legId === legId));
    },
    states(legId) {
      return h.of('leg.state', legId).map((e) => e.state);
    },
  };
  open.push(h);
  return h;
}

/** Every harness created since the last call must have no live leg, hand-off or timer left. */
export async function expectNothingLeft(): Promise<void> {
  const harnesses = open.splice(0);
  // Let floating switch releases and hand-off clean-ups settle.
  await new Promise((resolve) => setImmediate(resolve));
  for (const h of harnesses) {
    expect(h.sim.liveLegs(), 'live legs on the sim').toEqual([]);
    expect(h.control.liveChannels().map((c) => c.id), 'live channels').toEqual([]);
    expect(h.control.handedOffLegs(), 'handed-off legs').toEqual([]);
    expect(h.clock.pendingTimers(), 'pending timers').toEqual([]);
    h.control.close();
  }
}
