/** Command-line options that change a scenario's call (`ozml run --from … --to … --context … --digits …`). */
import type { DocumentContext } from '../../language/index.js';
import type { Scenario } from './types.js';

export interface CallOverrides {
  from?: string;
  to?: string;
  context?: DocumentContext;
  /** Pressed when the caller is first prompted (before the scenario's own presses). */
  digits?: string;
}

export function withCallOverrides(scenario: Scenario, overrides: CallOverrides): Scenario {
  const call = { ...scenario.call, behaviour: { ...scenario.call.behaviour } };
  if (overrides.from !== undefined) call.from = overrides.from;
  if (overrides.to !== undefined) call.to = overrides.to;
  if (overrides.context !== undefined && overrides.context !== call.context) {
    call.context = overrides.context;
    if (overrides.context === 'routing') call.notification = 'RoutingInterception';
    else if (overrides.context === 'third-party') call.notification = 'CallChanged';
    else call.notification = call.direction === 'outbound' ? 'CallConnected' : 'IncomingCall';
  }
  if (overrides.digits !== undefined && overrides.digits !== '') {
    call.behaviour.presses = [{ digits: overrides.digits }, ...(call.behaviour.presses ?? [])];
  }
  return { ...scenario, call };
}
