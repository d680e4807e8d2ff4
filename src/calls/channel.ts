/**
 * `CallChannel`: the one way the executor touches a call leg (docs/calls.md, modelled on the Aculab channel API).
 *
 * Every operation returns a promise and takes `{ signal }`: aborting stops it at once and rejects
 * with `signal.reason`. An operation the leg does not allow in its current state rejects with
 * `HangupError` when the leg is Idle or Released, otherwise with `InvalidStateError`; the same
 * errors end an operation that is running when the leg stops allowing it (hangup, hold, bridge).
 * `capabilities` / `can()` say beforehand what works. Bad option values reject with
 * `InvalidOptionError` before anything happens.
 */
import { blindTransfer, planBlindTransfer, type BlindTransferOptions } from './blind-transfer.js';
import { holdCall } from './call-hold.js';
import { allowedOperations, type Capability, type Operation } from './capabilities.js';
import type { CallContext } from './context.js';
import {
  completeConference,
  completeTransfer,
  initiateConsult,
  retrieve,
  singleStepConference,
  swapCalls,
  type CompleteTransferOptions,
  type ConferenceOptions,
  type InitiateTransferOptions,
} from './consult.js';
import { collectDigits, type CollectDigitsOptions, type DigitsResult } from './digits.js';
import type { Diversion } from './diversion.js';
import { InvalidOptionError } from './errors.js';
import type { CallEvent, CallEventListener } from './events.js';
import { assertCan, dialOutcome, holdLeg, startDial, stateError, waitForLegs } from './leg-ops.js';
import { stateNames, type CallType, type Direction, type LegState, type ReleaseCause, type StateNames } from './leg-states.js';
import type { Leg } from './leg.js';
import {
  play,
  playTone,
  record,
  recordCall,
  sendDtmf,
  speak,
  type CallRecordingOptions,
  type OperationOptions,
  type PlayOptions,
  type PlayResult,
  type RecordingResult,
  type RecordOptions,
  type SpeakOptions,
  type ToneOptions,
} from './media.js';
import {
  retrieveTransferredCall,
  transferToInboundService,
  waitForTransferredCallRetrieval,
  type InboundServiceOptions,
} from './service-transfer.js';
import type { RejectReason } from './switch.js';
import { toSwitchError } from './switch-error.js';
import type { TransferResult } from './transfer-common.js';
import type { TransferCause } from './transfer-causes.js';
import { PRIVATE_NUMBER, ringTimeoutMs } from './transfer-options.js';
import { attachPairs, deletePair, updatePairs, type UserDataInput, type UserDataPair } from './user-data.js';

/** Everything known about a leg at one moment (plain data, JSON-safe). */
export interface LegSnapshot {
  id: string;
  state: LegState;
  /** The state in the Genesys, Ozeki and Aculab vocabularies. */
  names: StateNames;
  callType: CallType;
  direction: Direction;
  parentCallId?: string;
  /** The consult leg of a pending two-step transfer started from this leg. */
  consultCallId?: string;
  /** The leg this one's audio is bridged to (conference, service transfer). */
  bridgedTo?: string;
  caller: string;
  callee: string;
  displayName?: string;
  privacy: boolean;
  diversions: readonly Diversion[];
  userData: readonly UserDataPair[];
  capabilities: readonly Capability[];
  /** Every channel operation that works now (capabilities name only those Genesys has names for). */
  operations: Operation[];
  /** Clock ms. */
  startedAt?: number;
  answeredAt?: number;
  endedAt?: number;
  /** Until answered (or until the end when never answered). */
  ringSeconds: number;
  /** From answer to the end (or to now). */
  talkSeconds: number;
  releaseCause?: ReleaseCause;
  transferCause?: TransferCause;
}

export interface DialOptions extends OperationOptions {
  /** Calling number; default private (`anonymous`). */
  from?: string;
  displayName?: string;
  /** Ring timeout in seconds, 1–600, default 60 (then the outcome is `no-answer`). */
  timeoutSeconds?: number;
}

/** `answered`, or the release cause of a leg that ended unanswered (`busy`, `no-answer`, …). */
export type DialOutcome = 'answered' | ReleaseCause;

/** What a channel works with: the call context, and the one channel of each leg. */
export interface ChannelHost extends CallContext {
  channelOf(leg: Leg): CallChannel;
}

export class CallChannel {
  readonly #leg: Leg;
  readonly #host: ChannelHost;

  /** @internal Channels come from `CallControl` (`channel`, `createChannel`, events). */
  constructor(leg: Leg, host: ChannelHost) {
    this.#leg = leg;
    this.#host = host;
  }

  get id(): string {
    return this.#leg.id;
  }

  get state(): LegState {
    return this.#leg.state;
  }

  get callType(): CallType {
    return this.#leg.callType;
  }

  get parentCallId(): string | undefined {
    return this.#leg.parentCallId;
  }

  get direction(): Direction {
    return this.#leg.direction;
  }

  /** The calling party (as in `snapshot().caller`). */
  get caller(): string {
    return this.#leg.caller;
  }

  /** The called party (as in `snapshot().callee`). */
  get callee(): string {
    return this.#leg.callee;
  }

  get capabilities(): readonly Capability[] {
    return this.#leg.capabilities();
  }

  /** True when `operation` works in the leg's current situation. */
  can(operation: Operation): boolean {
    return this.#leg.allows(operation);
  }

  snapshot(): LegSnapshot {
    const leg = this.#leg;
    const now = this.#host.clock.now();
    const ringEnd = leg.answeredAt ?? leg.endedAt ?? now;
    const consult = leg.pair && leg.pair.parent === leg ? leg.pair.consult.id : undefined;
    return {
      id: leg.id,
      state: leg.state,
      names: stateNames(leg.state, leg.releaseCause),
      callType: leg.callType,
      direction: leg.direction,
      ...(leg.parentCallId === undefined ? {} : { parentCallId: leg.parentCallId }),
      ...(consult === undefined ? {} : { consultCallId: consult }),
      ...(leg.bridgePeer === undefined ? {} : { bridgedTo: leg.bridgePeer.id }),
      caller: leg.caller,
      callee: leg.callee,
      ...(leg.displayName === undefined ? {} : { displayName: leg.displayName }),
      privacy: leg.privacy,
      diversions: [...leg.diversions],
      userData: [...leg.userData],
      capabilities: leg.capabilities(),
      operations: allowedOperations(leg.situation()),
      ...(leg.startedAt === undefined ? {} : { startedAt: leg.startedAt }),
      ...(leg.answeredAt === undefined ? {} : { answeredAt: leg.answeredAt }),
      ...(leg.endedAt === undefined ? {} : { endedAt: leg.endedAt }),
      ringSeconds: leg.startedAt === undefined ? 0 : (ringEnd - leg.startedAt) / 1000,
      talkSeconds: leg.answeredAt === undefined ? 0 : ((leg.endedAt ?? now) - leg.answeredAt) / 1000,
      ...(leg.releaseCause === undefined ? {} : { releaseCause: leg.releaseCause }),
      ...(leg.transferCause === undefined ? {} : { transferCause: leg.transferCause }),
    };
  }

  /** Events of this leg only (the call control's `subscribe` has every leg's). */
  subscribe(listener: CallEventListener): () => void {
    const leg = this.#leg;
    const wrapped = (event: CallEvent): void => listener(event);
    (leg.listeners ??= new Set()).add(wrapped);
    return () => {
      leg.listeners?.delete(wrapped);
      if (leg.listeners?.size === 0) leg.listeners = undefined;
    };
  }

  /** Cause of the last transfer started from this leg (the Aculab channel API `transfer_cause()`). */
  transferCause(): TransferCause | undefined {
    return this.#leg.transferCause;
  }

  // ── call set-up ───────────────────────────────────────────────────────────────────────────

  /** Places a call from an Idle channel and waits until it is answered or ends. */
  async dial(to: string, options: DialOptions = {}): Promise<DialOutcome> {
    const leg = this.#leg;
    assertCan(leg, 'dial');
    if (typeof to !== 'string' || to.trim() === '') throw new InvalidOptionError('to', to, 'the number to dial is empty');
    const ringMs = ringTimeoutMs(options.timeoutSeconds, 60, 1, 600);
    options.signal?.throwIfAborted();
    startDial(this.#host, leg, {
      to,
      from: options.from ?? PRIVATE_NUMBER,
      privacy: options.from === undefined,
      displayName: options.displayName,
      diversions: [],
      callType: this.#host.callTypeFor(to),
      ringTimeoutMs: ringMs,
    });
    try {
      return await waitForLegs([leg], () => dialOutcome(leg), options.signal);
    } catch (error) {
      this.#host.release(leg, 'cancelled', 'local');
      throw error;
    }
  }

  /**
   * Resolves `answered` once the leg has been answered (at once if it already was), or with the
   * release cause when it ends unanswered. For legs returned by `initiateTransfer`.
   */
  async waitForAnswer(options: OperationOptions = {}): Promise<DialOutcome> {
    const leg = this.#leg;
    if (leg.state === 'Idle') throw stateError(leg, 'waitForAnswer');
    return waitForLegs([leg], () => dialOutcome(leg), options.signal);
  }

  async answer(options: OperationOptions = {}): Promise<void> {
    const leg = this.#leg;
    assertCan(leg, 'answer');
    options.signal?.throwIfAborted();
    const host = this.#host;
    host.transition(leg, { type: 'ANSWER' });
    try {
      await host.sw.answer(leg.id, options);
    } catch (error) {
      host.release(leg, 'failed', 'local');
      throw options.signal?.aborted ? options.signal.reason : toSwitchError('answer', leg.id, error);
    }
  }

  /** Refuses a ringing inbound call (Released with cause `rejected` or `busy`). */
  async reject(reason: RejectReason = 'rejected', options: OperationOptions = {}): Promise<void> {
    const leg = this.#leg;
    assertCan(leg, 'reject');
    if (reason !== 'rejected' && reason !== 'busy') throw new InvalidOptionError('reason', reason, 'reason must be rejected or busy');
    options.signal?.throwIfAborted();
    this.#host.release(leg, reason, 'local', false);
    try {
      await this.#host.sw.reject(leg.id, reason);
    } catch (error) {
      // The leg is Released for the application either way; the promise says the switch failed.
      throw toSwitchError('reject', leg.id, error);
    }
  }

  /** Ends the call (cancels it while Dialing). `cause` is reported as the release cause. */
  async hangup(cause: ReleaseCause = 'normal', options: OperationOptions = {}): Promise<void> {
    const leg = this.#leg;
    assertCan(leg, 'hangup');
    options.signal?.throwIfAborted();
    this.#host.release(leg, cause, 'local');
  }

  // ── media ─────────────────────────────────────────────────────────────────────────────────

  speak(text: string, options?: SpeakOptions): Promise<void> {
    return speak(this.#host, this.#leg, text, options);
  }

  play(audio: string, options?: PlayOptions): Promise<PlayResult> {
    return play(this.#host, this.#leg, audio, options);
  }

  playTone(name: string, options?: ToneOptions): Promise<void> {
    return playTone(this.#host, this.#leg, name, options);
  }

  collectDigits(options?: CollectDigitsOptions): Promise<DigitsResult> {
    return collectDigits(this.#host, this.#leg, options);
  }

  /** Records the far end. A hangup ends the recording normally (`endedBy: 'hangup'`). */
  record(options?: RecordOptions): Promise<RecordingResult> {
    return record(this.#host, this.#leg, options);
  }

  /**
   * Records the call in the background, both directions (on a bridged leg: the conversation). It
   * goes on through hold, retrieval and transfers and ends when this leg's party leaves (a handed-off
   * call: when that call ends), at `maxSeconds`, or when the signal aborts.
   */
  recordCall(options?: CallRecordingOptions): Promise<RecordingResult> {
    return recordCall(this.#host, this.#leg, options);
  }

  sendDtmf(digits: string, options?: OperationOptions): Promise<void> {
    return sendDtmf(this.#host, this.#leg, digits, options);
  }

  // ── hold ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Established → Held, with hold music. On a leg bridged to the other party of a two-party call,
   * both legs are held (the bridge is suspended, each party hears the music).
   */
  async hold(options: OperationOptions & { music?: string } = {}): Promise<void> {
    const leg = this.#leg;
    assertCan(leg, 'hold');
    options.signal?.throwIfAborted();
    const music = options.music ?? this.#host.config.holdMusic;
    await (leg.bridge === 'call' ? holdCall(this.#host, leg, music) : holdLeg(this.#host, leg, music));
  }

  /**
   * Held → Established. On a caller with a pending consult, the consult is released (cancelled); on
   * a held two-party call both legs are retrieved and the bridge resumes.
   */
  retrieve(options?: OperationOptions): Promise<void> {
    return retrieve(this.#host, this.#leg, options);
  }

  // ── transfers ─────────────────────────────────────────────────────────────────────────────

  /** Single-step transfer. Success: caller and target connected, this leg Released (`transferred`). */
  blindTransfer(target: string, options?: BlindTransferOptions): Promise<TransferResult> {
    return blindTransfer(this.#host, this.#leg, target, options);
  }

  /**
   * Throws the `InvalidOptionError` that `blindTransfer(target, options)` would throw for its
   * options on this leg (caller-ID policy, diversion, ranges, tones, whisper), without doing
   * anything: for callers that must know before they change the call (a third-party transfer whose
   * transferor leaves first). State is not checked.
   */
  checkBlindTransfer(target: string, options?: BlindTransferOptions): void {
    planBlindTransfer(this.#host, this.#leg, target, options);
  }

  /**
   * Holds this leg (with hold music) and dials a Consult leg (callType Consult, parentCallId =
   * this leg). Returns the consult channel while it is Dialing; see `waitForAnswer`.
   */
  async initiateTransfer(target: string, options: InitiateTransferOptions = {}): Promise<CallChannel> {
    const consult = await initiateConsult(this.#host, this.#leg, target, options, 'consult');
    return this.#host.channelOf(consult);
  }

  /** On the consult leg: connects the held caller to it; both legs Released (`transferred`). */
  completeTransfer(options?: CompleteTransferOptions): Promise<TransferResult> {
    return completeTransfer(this.#host, this.#leg, options);
  }

  /** On the consult leg: holds the party being talked to and retrieves the other. */
  swapCalls(options?: OperationOptions): Promise<void> {
    return swapCalls(this.#host, this.#leg, options);
  }

  /** Like `initiateTransfer`, for a conference (`completeConference` on the consult). */
  async initiateConference(target: string, options: InitiateTransferOptions = {}): Promise<CallChannel> {
    const consult = await initiateConsult(this.#host, this.#leg, target, options, 'conference');
    return this.#host.channelOf(consult);
  }

  /** On the consult leg: bridges the caller and the consult; both stay Established and controlled. */
  completeConference(options?: OperationOptions): Promise<TransferResult> {
    return completeConference(this.#host, this.#leg, options);
  }

  /** Dials `target` and bridges it into this call once it answers. */
  singleStepConference(target: string, options?: ConferenceOptions): Promise<TransferResult> {
    return singleStepConference(this.#host, this.#leg, target, options);
  }

  /**
   * Retrievable transfer to a registered inbound service (the Aculab channel API). `otherCall` must be Idle and
   * becomes the leg to the service; this leg must be Established. Returns this leg's state:
   * `Transferred` on success, otherwise see `transferCause()`.
   */
  transferToInboundService(otherCall: CallChannel, serviceName: string, options?: InboundServiceOptions): Promise<LegState> {
    if (otherCall.#host !== this.#host) {
      return Promise.reject(new InvalidOptionError('otherCall', otherCall.id, 'the other call channel belongs to another call control'));
    }
    return transferToInboundService(this.#host, this.#leg, otherCall.#leg, serviceName, options);
  }

  retrieveTransferredCall(options?: OperationOptions): Promise<void> {
    return retrieveTransferredCall(this.#host, this.#leg, options);
  }

  waitForTransferredCallRetrieval(options?: OperationOptions): Promise<TransferCause> {
    return waitForTransferredCallRetrieval(this.#leg, options);
  }

  // ── user data (Genesys semantics) ─────────────────────────────────────────────────────────

  /** Adds the pairs, even for keys that exist already (duplicates, as Genesys does). */
  attachUserData(data: UserDataInput, options?: OperationOptions): Promise<void> {
    return this.#changeUserData('attachUserData', options, (pairs) => attachPairs(pairs, data));
  }

  /** Overwrites the given keys, adds missing ones. */
  updateUserData(data: UserDataInput, options?: OperationOptions): Promise<void> {
    return this.#changeUserData('updateUserData', options, (pairs) => updatePairs(pairs, data));
  }

  /** Removes all user data. */
  deleteUserData(options?: OperationOptions): Promise<void> {
    return this.#changeUserData('deleteUserData', options, () => []);
  }

  /** Removes one key. */
  deleteUserDataPair(key: string, options?: OperationOptions): Promise<void> {
    return this.#changeUserData('deleteUserDataPair', options, (pairs) => deletePair(pairs, key));
  }

  async #changeUserData(
    operation: Operation,
    options: OperationOptions | undefined,
    change: (pairs: readonly UserDataPair[]) => readonly UserDataPair[],
  ): Promise<void> {
    const leg = this.#leg;
    assertCan(leg, operation);
    options?.signal?.throwIfAborted();
    leg.userData = change(leg.userData);
    this.#host.emit(leg, { type: 'leg.userdata', time: this.#host.clock.now(), legId: leg.id, userData: [...leg.userData] });
  }
}
