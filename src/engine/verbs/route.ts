/** Route answers RoutingInterception: the decision is handed back to whoever asked (empty Destination rejects). */
import { end } from '../flow.js';
import { outcome } from '../verb.js';
import type { VerbExecutor } from '../verb.js';

export const route: VerbExecutor<'Route'> = async (_node, { values: a }, scope) => {
  const destination = a.Destination;
  const callerId = a.CallerId;
  const dialedNumber = a.DialedNumber;
  scope.session.route = {
    destination,
    ringSeconds: a.RingTime,
    ...(callerId ? { callerId } : {}),
    ...(dialedNumber ? { dialedNumber } : {}),
  };
  return outcome(destination ? `route ${destination}` : 'reject', end(destination ? 'normal' : 'rejected'));
};
