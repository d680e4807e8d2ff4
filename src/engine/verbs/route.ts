/** Route answers RoutingInterception: the decision is handed back to whoever asked (empty Destination rejects). */
import { end } from '../flow.js';
import { outcome } from '../verb.js';
import type { VerbExecutor } from '../verb.js';

export const route: VerbExecutor = async (_node, a, scope) => {
  const destination = a.string('Destination') ?? '';
  const callerId = a.string('CallerId');
  const dialedNumber = a.string('DialedNumber');
  scope.session.route = {
    destination,
    ringSeconds: a.number('RingTime') ?? 90,
    ...(callerId ? { callerId } : {}),
    ...(dialedNumber ? { dialedNumber } : {}),
  };
  return outcome(destination ? `route ${destination}` : 'reject', end(destination ? 'normal' : 'rejected'));
};
