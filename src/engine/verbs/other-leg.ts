/** Running commands on a leg other than the caller's (a consult leg, a requested call). */
import { LinkedAbort } from '../../calls/abort.js';
import type { CallChannel } from '../../calls/channel.js';
import type { ProgramNode } from '../../language/index.js';
import type { Flow } from '../flow.js';
import type { VerbScope } from '../runtime.js';

/** Abort reason of a block whose leg went away. */
const LEG_ENDED = Object.freeze({ name: 'LegEnded' });

/**
 * Runs `nodes` with `leg` as the leg media verbs act on. When that leg is released the block stops
 * at once (its verbs report `interrupted`) and `leg-ended` comes back: the far end hanging up ends
 * the block, not the session.
 */
export async function runOnLeg(scope: VerbScope, leg: CallChannel, nodes: readonly ProgramNode[]): Promise<Flow | 'leg-ended'> {
  if (leg.state === 'Released') return 'leg-ended';
  const linked = new LinkedAbort(scope.signal);
  const stop = leg.subscribe((event) => {
    if (event.type === 'leg.state' && event.state === 'Released' && !linked.signal.aborted) linked.abort(LEG_ENDED);
  });
  try {
    return await scope.runBlock(nodes, { channel: leg, signal: linked.signal });
  } catch (error) {
    if (!scope.signal.aborted && linked.signal.reason === LEG_ENDED) return 'leg-ended';
    throw error;
  } finally {
    stop();
    linked.dispose();
  }
}
