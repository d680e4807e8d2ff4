/**
 * What the call layer's operations need from the owner of the legs, passed to them explicitly
 * (legs are plain records without a pointer back to their table): the switch, the clock, the
 * settings, the event emitter and the leg lifecycle. `LegTable` implements it; this module holds
 * only types so that legs, operations and the table do not import each other.
 */
import type { Clock } from './clock.js';
import type { CallEvent } from './events.js';
import type { LegMachineEvent } from './leg-machine.js';
import type { Leg } from './leg.js';
import type { Switch } from './switch.js';
import type { SwitchError } from './switch-error.js';
import type { ToneDefinition } from './tones.js';

/** Settings the call layer needs (resolved `CallControlOptions`). */
export interface CallConfig {
  /** Owned numbers in E.164 (`+` and digits), as `normalizeOwnedNumber` gives them. */
  readonly ownedNumbers: ReadonlySet<string>;
  readonly resolveService: (name: string) => string | undefined;
  readonly holdMusic: string | undefined;
  readonly tones: Readonly<Record<string, ToneDefinition>>;
  readonly idPrefix: string;
  /** Mints dialled legs' ids instead of `idPrefix` + counter (the platform's id source). */
  readonly newLegId?: () => string;
}

/**
 * `local`: this side ends the leg; `remote`: the far end did; `handoff`: a completed transfer gave
 * it away (the switch keeps it up).
 */
export type ReleasedBy = 'local' | 'remote' | 'handoff';

/** A hand-off whose second leg still rings: the first hears `stopRingback`'s tone until it answers. */
export interface PendingHandoff {
  ringMs: number | undefined;
  stopRingback: () => void;
}

export interface CallContext {
  readonly sw: Switch;
  readonly clock: Clock;
  readonly config: CallConfig;
  /** A new Idle leg (not yet reachable by switch events). */
  createLeg(): Leg;
  /** Makes a leg that left Idle reachable for switch events. */
  register(leg: Leg): void;
  /** Calls to this platform's extensions are Internal, everything else Outbound. */
  callTypeFor(address: string): 'Internal' | 'Outbound';
  emit(leg: Leg | undefined, event: CallEvent): void;
  emitCreated(leg: Leg): void;
  /** Applies a leg-machine event and publishes it; throws on a transition the machine lacks (a bug). */
  transition(leg: Leg, event: LegMachineEvent): void;
  /** Runs `change` (pairs, bridges), then publishes capability changes of `legs`. */
  relate(legs: readonly Leg[], change: () => void): void;
  /** Releases a leg and what depends on it; `tellSwitch` defaults to `by === 'local'`. */
  release(leg: Leg, cause: string, by: ReleasedBy, tellSwitch?: boolean): void;
  /** Gives two legs away after a completed transfer (both Released `transferred`). */
  handOff(a: Leg, b: Leg, pending?: PendingHandoff): void;
  /** Publishes a switch failure nobody awaits (a `switch.error` event). */
  reportSwitchError(error: SwitchError): void;
}
