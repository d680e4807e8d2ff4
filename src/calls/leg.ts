/**
 * The internal record of one call leg. `CallChannel` is its public face; transfer and media code
 * work on this record with a `CallContext` passed to them (a leg has no pointer to its table).
 * Kept small on purpose (the executor parks 100,000 calls): optional parts (listeners, running
 * operations, relations) are only allocated when used.
 */
import { capabilitiesOf, isAllowed, type BridgeKind, type Capability, type ConsultRole, type LegSituation, type Operation } from './capabilities.js';
import type { TimerHandle } from './clock.js';
import type { Diversion } from './diversion.js';
import type { CallEventListener, TransferKind } from './events.js';
import type { CallType, Direction, LegState } from './leg-states.js';
import type { TransferCause } from './transfer-causes.js';
import type { UserDataPair } from './user-data.js';

const NONE: readonly never[] = Object.freeze([]);

/** The two legs of a pending two-step transfer (or conference). Both legs point at the same object. */
export interface ConsultPair {
  readonly parent: Leg;
  readonly consult: Leg;
  /** Which side the application is talking to; the other one is held (or still ringing). */
  active: 'parent' | 'consult';
  readonly kind: Extract<TransferKind, 'consult' | 'conference'>;
  readonly target: string;
  readonly holdMusic: string | undefined;
}

/** A retrievable transfer in progress: `caller` is Transferred, its audio bridged to `serviceLeg`. */
export interface ServiceLink {
  readonly caller: Leg;
  readonly serviceLeg: Leg;
  readonly name: string;
}

/** An operation in flight on a leg; stopped when the leg stops allowing it. */
export interface RunningOperation {
  readonly operation: Operation;
  /** Record keeps running to the end of the call: a voicemail normally ends by hangup. */
  readonly keepOnRelease: boolean;
  /** Stops the operation with `reason` (its signal aborts). */
  abort(reason: unknown): void;
  /** The operation started next on the same leg (the leg's `running` list, in start order). */
  nextRunning: RunningOperation | undefined;
}

export class Leg {
  state: LegState = 'Idle';
  callType: CallType = 'Outbound';
  direction: Direction = 'outbound';
  parentCallId: string | undefined = undefined;
  caller = '';
  callee = '';
  displayName: string | undefined = undefined;
  privacy = false;
  diversions: readonly Diversion[] = NONE;
  userData: readonly UserDataPair[] = NONE;
  startedAt: number | undefined = undefined;
  answeredAt: number | undefined = undefined;
  endedAt: number | undefined = undefined;
  releaseCause: string | undefined = undefined;
  transferCause: TransferCause | undefined = undefined;
  pair: ConsultPair | undefined = undefined;
  /** The leg this one's audio is bridged to while the application keeps control of both. */
  bridgePeer: Leg | undefined = undefined;
  service: ServiceLink | undefined = undefined;
  listeners: Set<CallEventListener> | undefined = undefined;
  /**
   * The first operation running on the leg; the others follow through `nextRunning`. A list
   * rather than a Set: a Set was created for almost every operation (bench:calls).
   */
  running: RunningOperation | undefined = undefined;
  /** Receives DTMF while `collectDigits` runs. */
  digitSink: ((digit: string) => void) | undefined = undefined;
  ringTimer: TimerHandle | undefined = undefined;
  /** Clock time the ring timeout expires (a transfer completed while ringing keeps it). */
  ringDeadline: number | undefined = undefined;

  constructor(readonly id: string) {}

  get role(): ConsultRole {
    const pair = this.pair;
    if (!pair) return 'none';
    return pair.parent === this ? 'parent' : 'consult';
  }

  get bridge(): BridgeKind {
    if (!this.bridgePeer) return 'none';
    return this.service ? 'service' : 'call';
  }

  situation(): LegSituation {
    return { state: this.state, role: this.role, bridge: this.bridge };
  }

  allows(operation: Operation): boolean {
    return isAllowed(this.situation(), operation);
  }

  capabilities(): readonly Capability[] {
    return capabilitiesOf(this.situation());
  }
}
