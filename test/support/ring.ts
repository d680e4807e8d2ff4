/** Places an inbound call on the simulated switch and returns its channel (ringing now). */
import type { CallControl } from '../../src/calls/call-control.js';
import type { CallChannel } from '../../src/calls/channel.js';
import type { InboundCall, SimSwitch } from '../../src/calls/sim/sim-switch.js';

export function ringInbound(sim: SimSwitch, calls: CallControl, call: Partial<InboundCall> = {}): CallChannel {
  const legId = sim.placeInboundCall({ from: '+15550001', to: '9000', ...call });
  const channel = calls.channel(legId);
  if (!channel) throw new Error('no channel for the inbound leg');
  return channel;
}
