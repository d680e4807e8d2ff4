/**
 * The leg state machine (XState v5). It is the single source of truth for which state changes a
 * leg can make. Legs do not run an actor each (an actor costs several KiB, and the executor parks
 * 100,000 calls): a leg stores only its state value, and `nextLegState` looks the transition up in
 * a table computed once from this machine with XState's pure `transition()`.
 */
import { setup, transition } from 'xstate';
import { LEG_STATES, type LegState } from './leg-states.js';

export type LegMachineEvent =
  | { type: 'DIAL' }
  | { type: 'INCOMING' }
  /** The application answered an inbound (ringing) leg. */
  | { type: 'ANSWER' }
  /** The far end answered a dialled leg. */
  | { type: 'ANSWERED' }
  | { type: 'HOLD' }
  /** Back to Established from Held (retrieve, swap) or from Transferred (retrieval). */
  | { type: 'RETRIEVE' }
  /** The audio path was handed to an inbound service; retrievable. */
  | { type: 'TRANSFER' }
  | { type: 'RELEASE'; cause: string };

export type LegMachineEventType = LegMachineEvent['type'];
export const LEG_MACHINE_EVENT_TYPES: readonly LegMachineEventType[] = [
  'DIAL',
  'INCOMING',
  'ANSWER',
  'ANSWERED',
  'HOLD',
  'RETRIEVE',
  'TRANSFER',
  'RELEASE',
];

export const legMachine = setup({
  types: { events: {} as LegMachineEvent },
}).createMachine({
  id: 'leg',
  initial: 'Idle',
  states: {
    Idle: { on: { DIAL: 'Dialing', INCOMING: 'Ringing' } },
    Dialing: { on: { ANSWERED: 'Established', RELEASE: 'Released' } },
    Ringing: { on: { ANSWER: 'Established', RELEASE: 'Released' } },
    Established: { on: { HOLD: 'Held', TRANSFER: 'Transferred', RELEASE: 'Released' } },
    Held: { on: { RETRIEVE: 'Established', RELEASE: 'Released' } },
    Transferred: { on: { RETRIEVE: 'Established', RELEASE: 'Released' } },
    Released: { type: 'final' },
  },
});

/** An event value good enough to probe the machine (only `type` matters to it). */
function probe(type: LegMachineEventType): LegMachineEvent {
  return type === 'RELEASE' ? { type, cause: 'probe' } : { type };
}

function buildTable(): ReadonlyMap<string, LegState> {
  const table = new Map<string, LegState>();
  for (const state of LEG_STATES) {
    const snapshot = legMachine.resolveState({ value: state, context: undefined });
    for (const type of LEG_MACHINE_EVENT_TYPES) {
      const [next] = transition(legMachine, snapshot, probe(type));
      // The machine has no self-transitions, so an unchanged snapshot means "not handled here".
      if (next !== snapshot && next.value !== state) table.set(`${state}:${type}`, next.value as LegState);
    }
  }
  return table;
}

const TABLE = buildTable();

/** The state `event` leads to from `state`, or undefined when the machine does not allow it. */
export function nextLegState(state: LegState, event: LegMachineEventType): LegState | undefined {
  return TABLE.get(`${state}:${event}`);
}
