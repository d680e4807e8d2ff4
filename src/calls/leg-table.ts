/**
 * The legs of one switch: state transitions (via the leg machine), the event stream, routing of
 * switch events, and what a release does to the legs related to it (consult pairs, bridges,
 * retrievable transfers, calls handed off by completed transfers).
 */
import type { Capability } from './capabilities.js';
import { CallChannel, type ChannelHost } from './channel.js';
import type { Clock, TimerHandle } from './clock.js';
import type { CallConfig, PendingHandoff, ReleasedBy } from './context.js';
import { HangupError, InvalidStateError } from './errors.js';
import type { CallEvent, CallEventListener } from './events.js';
import { holdLeg, reportFailureOf } from './leg-ops.js';
import { deliver, type ListenerErrorHandler } from './listener-errors.js';
import { nextLegState, type LegMachineEvent } from './leg-machine.js';
import { Leg, type ConsultPair, type RunningOperation } from './leg.js';
import type { Switch, SwitchEvent } from './switch.js';
import type { SwitchError } from './switch-error.js';
import { causeOfUnansweredTarget, isTransferCause, type TransferCause } from './transfer-causes.js';

/** Told when a listener of the event stream throws (docs/calls.md, "Listeners"). */
export type CallListenerErrorHandler = ListenerErrorHandler<CallEvent>;

/** A call the application handed away (completed transfer): still on the switch, no longer a channel. */
interface Handoff {
  readonly a: string;
  readonly b: string;
  /** `b` is still ringing; `a` hears ringback until it answers. */
  pending: boolean;
  timer: TimerHandle | undefined;
  stopRingback: (() => void) | undefined;
}

const sameList = (a: readonly Capability[], b: readonly Capability[]): boolean =>
  a === b || (a.length === b.length && a.every((c, i) => c === b[i]));

export class LegTable implements ChannelHost {
  readonly #legs = new Map<string, Leg>();
  /** Each leg's one channel, made on first use (legs carry no pointer to it). */
  readonly #channels = new WeakMap<Leg, CallChannel>();
  readonly #handoffs = new Map<string, Handoff>();
  readonly #listeners = new Set<CallEventListener>();
  readonly #unsubscribe: () => void;
  #lastId = 0;

  constructor(
    readonly sw: Switch,
    readonly clock: Clock,
    readonly config: CallConfig,
    readonly onListenerError: CallListenerErrorHandler,
  ) {
    this.#unsubscribe = sw.subscribe((event) => this.#onSwitchEvent(event));
  }

  close(): void {
    this.#unsubscribe();
    for (const handoff of new Set(this.#handoffs.values())) this.#endHandoff(handoff, 'cancelled', true);
  }

  // ── legs ──────────────────────────────────────────────────────────────────────────────────

  createLeg(id = this.config.newLegId?.() ?? `${this.config.idPrefix}${++this.#lastId}`): Leg {
    return new Leg(id);
  }

  /** Makes a leg that left Idle reachable for switch events. */
  register(leg: Leg): void {
    this.#legs.set(leg.id, leg);
  }

  get(legId: string): Leg | undefined {
    return this.#legs.get(legId);
  }

  /** Legs that are neither Idle nor Released. */
  live(): Leg[] {
    return [...this.#legs.values()];
  }

  /** Ids of calls handed off by completed transfers that are still up on the switch. */
  handedOff(): string[] {
    return [...this.#handoffs.keys()];
  }

  /** Calls to this platform's extensions are Internal, everything else Outbound. */
  callTypeFor(address: string): 'Internal' | 'Outbound' {
    return this.sw.isExtension?.(address) ? 'Internal' : 'Outbound';
  }

  channelOf(leg: Leg): CallChannel {
    let channel = this.#channels.get(leg);
    if (!channel) {
      channel = new CallChannel(leg, this);
      this.#channels.set(leg, channel);
    }
    return channel;
  }

  /** True when `channel` is the channel of a leg of this table. */
  owns(leg: Leg, channel: CallChannel): boolean {
    return this.#channels.get(leg) === channel;
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────

  subscribe(listener: CallEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every listener gets the event even when one throws (its error goes to `onListenerError`). */
  emit(leg: Leg | undefined, event: CallEvent): void {
    for (const listener of this.#listeners) deliver(listener, event, this.onListenerError);
    if (leg?.listeners) for (const listener of [...leg.listeners]) deliver(listener, event, this.onListenerError);
  }

  reportSwitchError(error: SwitchError): void {
    this.emit(this.#legs.get(error.legId), {
      type: 'switch.error',
      time: this.clock.now(),
      legId: error.legId,
      operation: error.operation,
      kind: error.kind,
      message: error.message,
    });
  }

  emitCreated(leg: Leg): void {
    this.emit(leg, {
      type: 'leg.created',
      time: this.clock.now(),
      legId: leg.id,
      callType: leg.callType,
      direction: leg.direction,
      ...(leg.parentCallId === undefined ? {} : { parentCallId: leg.parentCallId }),
      from: leg.caller,
      to: leg.callee,
      ...(leg.displayName === undefined ? {} : { displayName: leg.displayName }),
      ...(leg.diversions.length === 0 ? {} : { diversions: leg.diversions }),
    });
  }

  // ── state ─────────────────────────────────────────────────────────────────────────────────

  /** Applies a leg-machine event; throws on a transition the machine does not have (a bug here). */
  transition(leg: Leg, event: LegMachineEvent): void {
    const previousState = leg.state;
    const state = nextLegState(previousState, event.type);
    if (!state) throw new Error(`leg ${leg.id}: no transition ${event.type} from ${previousState}`);
    const now = this.clock.now();
    leg.state = state;
    if (previousState === 'Idle') leg.startedAt = now;
    if (state === 'Established' && leg.answeredAt === undefined) leg.answeredAt = now;
    if (state === 'Released') {
      leg.endedAt = now;
      leg.releaseCause = event.type === 'RELEASE' ? event.cause : undefined;
    }
    this.emit(leg, {
      type: 'leg.state',
      time: now,
      legId: leg.id,
      state,
      previousState,
      callType: leg.callType,
      ...(leg.parentCallId === undefined ? {} : { parentCallId: leg.parentCallId }),
      capabilities: leg.capabilities(),
      ...(state === 'Released' ? { cause: leg.releaseCause } : {}),
    });
    this.#stopDisallowed(leg);
  }

  /**
   * Runs `change` (which may alter pairs and bridges), then emits `leg.capabilities` for every
   * leg in `legs` whose capabilities changed without a state change.
   */
  relate(legs: readonly Leg[], change: () => void): void {
    const before = legs.map((leg) => [leg.state, leg.capabilities()] as const);
    change();
    legs.forEach((leg, i) => {
      const [state, capabilities] = before[i]!;
      if (leg.state !== state || leg.state === 'Released') return;
      const now = leg.capabilities();
      if (sameList(capabilities, now)) return;
      this.emit(leg, { type: 'leg.capabilities', time: this.clock.now(), legId: leg.id, state: leg.state, capabilities: now });
      this.#stopDisallowed(leg);
    });
  }

  /** Stops running operations the leg no longer allows, with the typed error as the reason. */
  #stopDisallowed(leg: Leg): void {
    if (!leg.running) return;
    // Copied first: aborting an operation ends it, which unlinks it from the list.
    const all: RunningOperation[] = [];
    for (let op: RunningOperation | undefined = leg.running; op; op = op.nextRunning) all.push(op);
    for (const running of all) {
      if (leg.allows(running.operation)) continue;
      if (leg.state === 'Released') {
        if (running.keepOnRelease) continue;
        running.abort(new HangupError(leg.id, running.operation, leg.state, leg.releaseCause));
      } else {
        running.abort(new InvalidStateError(leg.id, running.operation, leg.state, 'the leg left the state it needs'));
      }
    }
  }

  /**
   * Releases a leg. `local`: this side ends it (the switch is told unless `tellSwitch` is false,
   * as for `reject`, which tells it differently); `remote`: the far end did; `handoff`: a
   * completed transfer gave it away (the switch keeps it up, see `handOff`).
   */
  release(leg: Leg, cause: string, by: ReleasedBy, tellSwitch = by === 'local'): void {
    if (leg.state === 'Idle' || leg.state === 'Released') return;
    const wasAnswered = leg.answeredAt !== undefined;
    this.#legs.delete(leg.id);
    this.clock.clearTimer(leg.ringTimer);
    leg.ringTimer = undefined;
    leg.digitSink = undefined;
    this.transition(leg, { type: 'RELEASE', cause });
    if (tellSwitch) this.sw.release(leg.id, cause).catch(reportFailureOf(this, 'release', leg.id));

    const pair = leg.pair;
    if (pair) this.endPair(pair, pairEndCause(leg, pair, cause, by, wasAnswered));
    const peer = leg.bridgePeer;
    if (peer) this.#endBridge(leg, peer, cause, by);
  }

  /** Dissolves a consult pair and reports how the two-step transfer ended. */
  endPair(pair: ConsultPair, cause: TransferCause): void {
    const { parent, consult } = pair;
    parent.transferCause = cause;
    this.relate([parent, consult], () => {
      parent.pair = undefined;
      consult.pair = undefined;
    });
    this.emit(parent, {
      type: 'transfer.ended',
      time: this.clock.now(),
      legId: parent.id,
      kind: pair.kind,
      target: pair.target,
      cause,
      targetLegId: consult.id,
    });
  }

  #endBridge(leg: Leg, peer: Leg, cause: string, by: ReleasedBy): void {
    const link = leg.service;
    // The transfer cause is set before anything is emitted, so whoever waits on the caller reads it.
    if (link) link.caller.transferCause = leg === link.serviceLeg ? 'retrieved' : by === 'remote' ? 'caller-hangup' : 'cancelled';
    // A party of a held two-party call hung up: the call can never come off hold (that needs both
    // parties), so the party left parked on hold music is released too. When the application
    // releases a party itself it keeps the other (Held, retrievable), e.g. to transfer it.
    const orphaned = !link && by === 'remote' && peer.state === 'Held';
    this.relate(orphaned ? [] : [peer], () => {
      peer.bridgePeer = undefined;
      leg.bridgePeer = undefined;
      peer.service = undefined;
      leg.service = undefined;
    });
    this.emit(leg, { type: 'bridge.ended', time: this.clock.now(), legId: leg.id, peerLegId: peer.id, cause });
    if (orphaned) this.release(peer, 'normal', 'local');
    if (!link) return;
    const { caller, serviceLeg, name } = link;
    if (leg === serviceLeg) {
      // The service side ended: retrieve the transferred call (the Aculab channel API's retrieval).
      if (caller.state === 'Transferred') {
        this.sw.unbridge(caller.id).catch(reportFailureOf(this, 'unbridge', caller.id));
        this.transition(caller, { type: 'RETRIEVE' });
      }
    } else {
      this.release(serviceLeg, 'normal', 'local');
    }
    this.emit(caller, {
      type: 'transfer.ended',
      time: this.clock.now(),
      legId: caller.id,
      kind: 'service',
      target: name,
      cause: caller.transferCause ?? 'failed',
      targetLegId: serviceLeg.id,
    });
  }

  // ── hand-offs ─────────────────────────────────────────────────────────────────────────────

  /**
   * Gives two legs away after a completed transfer: both channels become Released (cause
   * `transferred`) while the switch keeps the call up. `a` must be answered. When `b` is still
   * ringing, `a` hears `ringback` until `b` answers (then they are bridged) or fails (then `a` is
   * released too); `ringMs` limits the ringing. Already bridged legs are tracked until one hangs up.
   */
  handOff(a: Leg, b: Leg, pending?: PendingHandoff): void {
    const handoff: Handoff = { a: a.id, b: b.id, pending: pending !== undefined, timer: undefined, stopRingback: pending?.stopRingback };
    if (pending?.ringMs !== undefined) {
      handoff.timer = this.clock.setTimer(pending.ringMs, () => {
        handoff.timer = undefined;
        this.#endHandoff(handoff, 'no-answer', true);
      }, `handoff-ring ${b.id}`);
    }
    this.release(a, 'transferred', 'handoff');
    this.release(b, 'transferred', 'handoff');
    this.#handoffs.set(a.id, handoff);
    this.#handoffs.set(b.id, handoff);
    if (!handoff.pending) this.emit(undefined, { type: 'bridge.started', time: this.clock.now(), legId: a.id, peerLegId: b.id });
  }

  #onHandoffEvent(handoff: Handoff, event: SwitchEvent): void {
    switch (event.type) {
      case 'answered':
        if (!handoff.pending || event.legId !== handoff.b) return;
        handoff.pending = false;
        this.clock.clearTimer(handoff.timer);
        handoff.timer = undefined;
        handoff.stopRingback?.();
        this.emit(undefined, { type: 'bridge.started', time: this.clock.now(), legId: handoff.a, peerLegId: handoff.b });
        this.sw.bridge(handoff.a, handoff.b).catch((error: unknown) => {
          reportFailureOf(this, 'bridge', handoff.a)(error);
          this.#endHandoff(handoff, 'failed', true);
        });
        return;
      case 'busy':
      case 'no-answer':
      case 'rejected':
      case 'not-found':
      case 'failed':
        this.#endHandoff(handoff, event.type, true);
        return;
      case 'hangup':
        this.#endHandoff(handoff, 'remote-hangup', true, event.legId);
        return;
      default:
        return;
    }
  }

  /** Ends a hand-off; every leg of it except `gone` (already ended by the far end) is released. */
  #endHandoff(handoff: Handoff, cause: string, releaseRest: boolean, gone?: string): void {
    this.#handoffs.delete(handoff.a);
    this.#handoffs.delete(handoff.b);
    this.clock.clearTimer(handoff.timer);
    handoff.timer = undefined;
    handoff.stopRingback?.();
    if (releaseRest) {
      for (const id of [handoff.a, handoff.b]) if (id !== gone) this.sw.release(id, 'normal').catch(reportFailureOf(this, 'release', id));
    }
    this.emit(undefined, { type: 'bridge.ended', time: this.clock.now(), legId: handoff.a, peerLegId: handoff.b, cause });
  }

  // ── switch events ─────────────────────────────────────────────────────────────────────────

  #onSwitchEvent(event: SwitchEvent): void {
    if (event.type === 'incoming') {
      this.#incoming(event);
      return;
    }
    const leg = this.#legs.get(event.legId);
    if (!leg) {
      const handoff = this.#handoffs.get(event.legId);
      if (handoff) this.#onHandoffEvent(handoff, event);
      return;
    }
    switch (event.type) {
      case 'ringing':
        if (leg.state === 'Dialing') this.emit(leg, { type: 'leg.alerting', time: this.clock.now(), legId: leg.id });
        return;
      case 'answered':
        if (leg.state === 'Dialing') this.#answered(leg);
        return;
      case 'busy':
      case 'no-answer':
      case 'rejected':
      case 'not-found':
      case 'failed':
        if (leg.state === 'Dialing') this.release(leg, event.type, 'remote');
        return;
      case 'hangup':
        this.release(leg, 'remote-hangup', 'remote');
        return;
      case 'dtmf':
        this.emit(leg, { type: 'dtmf.received', time: this.clock.now(), legId: leg.id, digit: event.digit });
        leg.digitSink?.(event.digit);
        return;
      case 'transfer-back':
        // The service hands the call back: end the service leg, which retrieves the caller.
        if (leg.service?.serviceLeg === leg) this.release(leg, 'normal', 'local');
        return;
    }
  }

  #incoming(event: Extract<SwitchEvent, { type: 'incoming' }>): void {
    const leg = this.createLeg(event.legId);
    leg.callType = event.internal ? 'Internal' : 'Inbound';
    leg.direction = 'inbound';
    leg.caller = event.from;
    leg.callee = event.to;
    leg.displayName = event.displayName;
    if (event.diversions) leg.diversions = event.diversions;
    this.register(leg);
    this.emitCreated(leg);
    this.transition(leg, { type: 'INCOMING' });
  }

  #answered(leg: Leg): void {
    this.clock.clearTimer(leg.ringTimer);
    leg.ringTimer = undefined;
    this.transition(leg, { type: 'ANSWERED' });
    const pair = leg.pair;
    // A consult answering while the application talks to the caller (after a swap) is held at once.
    // A refused hold is undone by holdLeg (the consult stays Established) and reported.
    if (pair && pair.consult === leg && pair.active === 'parent') holdLeg(this, leg, pair.holdMusic).catch(reportFailureOf(this, 'hold', leg.id));
  }
}

/** How a two-step transfer ends when one of its legs is released. */
function pairEndCause(leg: Leg, pair: ConsultPair, cause: string, by: ReleasedBy, wasAnswered: boolean): TransferCause {
  if (leg === pair.parent) {
    if (by === 'remote') return 'caller-hangup';
    return isTransferCause(cause) ? cause : 'cancelled';
  }
  if (by === 'remote') return wasAnswered ? 'target-hangup' : causeOfUnansweredTarget(cause);
  return isTransferCause(cause) ? cause : 'cancelled';
}
